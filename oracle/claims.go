// Package oracle reads the claims files (oracle/claims/MLFnnn.toml): what
// real MLflow releases must show for each rule's claim to hold. run.py
// checks them against MLflow installed from PyPI (`make oracle`); this
// package lets the rule documentation say what was checked.
package oracle

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	toml "github.com/pelletier/go-toml/v2"
)

// The release checks default to (run.py's SOURCE and NEWEST): the release
// most projects start from and the newest 3.x pip can install.
const (
	DefaultSource = "2.9.2"
	Newest        = "3.17.2"
)

//go:embed claims/*.toml
var files embed.FS

// Check is one [[check]] table; only the fields the documentation uses are
// read here (run.py validates the rest).
type Check struct {
	Kind      string   `toml:"kind"`
	Source    string   `toml:"source"`
	Target    string   `toml:"target"`
	Error     string   `toml:"error"`
	Warns     string   `toml:"warns"`
	Expect    string   `toml:"expect"`
	Named     bool     `toml:"named"`
	Module    string   `toml:"module"`
	Name      string   `toml:"name"`
	API       string   `toml:"api"`
	Attribute string   `toml:"attribute"`
	Keyword   string   `toml:"keyword"`
	Count     int      `toml:"count"`
	Command   []string `toml:"command"`
	Option    string   `toml:"option"`
	Method    string   `toml:"method"`
	Path      string   `toml:"path"`
	About     string   `toml:"about"`
}

// Claims is one rule's claims file.
type Claims struct {
	Rule          string  `toml:"rule"`
	Unconfirmable string  `toml:"unconfirmable"`
	Samples       bool    `toml:"samples"`
	Checks        []Check `toml:"check"`
}

// SourceVersion is the release where the check's API works.
func (c Check) SourceVersion() string { return orDefault(c.Source, DefaultSource) }

// TargetVersion is the release where it fails.
func (c Check) TargetVersion() string { return orDefault(c.Target, Newest) }

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// Load reads every claims file, checking that each names the rule of its
// file name and has checks, samples or a reason it cannot be confirmed.
func Load() ([]Claims, error) {
	names, err := fs.Glob(files, "claims/*.toml")
	if err != nil {
		return nil, err
	}
	out := make([]Claims, 0, len(names))
	for _, n := range names {
		data, err := files.ReadFile(n)
		if err != nil {
			return nil, err
		}
		var c Claims
		dec := toml.NewDecoder(bytes.NewReader(data))
		if err := dec.Decode(&c); err != nil {
			return nil, fmt.Errorf("%s: %w", n, err)
		}
		base := strings.TrimSuffix(path.Base(n), ".toml")
		if c.Rule != base {
			return nil, fmt.Errorf("%s: rule = %q does not match the file name", n, c.Rule)
		}
		has := len(c.Checks) > 0 || c.Samples
		if has == (c.Unconfirmable != "") {
			return nil, fmt.Errorf("%s: needs either checks (or samples = true) or unconfirmable, not both or neither", n)
		}
		out = append(out, c)
	}
	return out, nil
}

// Label says briefly what a check looks at.
func (c Check) Label() string {
	switch c.Kind {
	case "import":
		if c.Name != "" {
			return fmt.Sprintf("`from %s import %s`", c.Module, c.Name)
		}
		return fmt.Sprintf("`import %s`", c.Module)
	case "attribute":
		return fmt.Sprintf("`%s.%s`", c.API, c.Attribute)
	case "keyword":
		return fmt.Sprintf("`%s(%s=...)`", c.API, c.Keyword)
	case "positional":
		return fmt.Sprintf("`%s` with %d positional arguments", c.API, c.Count)
	case "cli":
		s := "mlflow " + strings.Join(c.Command, " ")
		if c.Option != "" {
			s += " " + c.Option
		}
		return "`" + s + "`"
	case "rest":
		return fmt.Sprintf("`%s %s`", c.Method, c.Path)
	case "env":
		return fmt.Sprintf("environment variable `%s`", c.Name)
	case "db":
		return "a SQLite tracking store made by the source release"
	}
	if c.About != "" {
		return c.About
	}
	return "a script"
}

// outcome says what the target does.
func (c Check) outcome() string {
	switch {
	case c.Expect == "works":
		return "works"
	case c.Warns != "":
		return "warns " + c.Warns
	case c.Named:
		return "is no longer a named parameter"
	case c.Kind == "env":
		return "is not defined in `mlflow.environment_variables`"
	case c.Kind == "cli" && c.Option != "":
		return "is not listed by `--help`"
	case c.Kind == "cli":
		return "is not a command"
	case c.Kind == "rest":
		return "is not a route of the tracking server"
	case c.Error != "":
		return "raises " + c.Error
	}
	return "fails"
}

// Summary is the documentation's sentence about a rule's claims.
func (c Claims) Summary() string {
	if c.Unconfirmable != "" {
		return "Not confirmable: " + c.Unconfirmable
	}
	var src, tgt []string
	for _, ch := range c.Checks {
		src = append(src, ch.SourceVersion())
		tgt = append(tgt, ch.TargetVersion(), Newest)
	}
	var b strings.Builder
	if len(c.Checks) > 0 {
		fmt.Fprintf(&b, "Confirmed against MLflow %s (source) and %s (target): ", versions(src), versions(tgt))
		for i, ch := range c.Checks {
			if i > 0 {
				b.WriteString("; ")
			}
			fmt.Fprintf(&b, "%s %s", ch.Label(), ch.outcome())
		}
		b.WriteString(".")
	}
	if c.Samples {
		if b.Len() > 0 {
			b.WriteString(" ")
		}
		b.WriteString("Confirmed by the data samples of `make oracle`: removed names and parameters drawn at random from the API data, checked by import and signature in real releases.")
	}
	return b.String()
}

// versions lists distinct releases in version order.
func versions(vs []string) string {
	slices.SortFunc(vs, compareVersions)
	vs = slices.Compact(vs)
	return strings.Join(vs, ", ")
}

func compareVersions(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) && i < len(bs); i++ {
		var x, y int
		fmt.Sscan(as[i], &x)
		fmt.Sscan(bs[i], &y)
		if x != y {
			return x - y
		}
	}
	return len(as) - len(bs)
}

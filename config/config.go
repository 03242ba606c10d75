package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	toml "github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"

	"github.com/mlflowlint/mlflowlint/analyzer"
)

// Config is the settings read from one configuration file.
//
// List fields are nil when the file does not set them, so a caller can tell
// "exclude = []" (set, empty) from an absent key.
type Config struct {
	Path          string // file the settings came from ("" when none)
	TargetVersion string // "target-version", for example "3.4"

	Select, Ignore, ExtendSelect []string // rule codes or prefixes: "MLF011", "MLF0", "MLF", "ALL"

	Exclude, ExtendExclude []string // gitignore-style globs relative to Root

	PerFileIgnores map[string][]string // glob -> codes

	RespectGitignore *bool
	UnsafeFixes      *bool
	OutputFormat     string

	Root string // directory holding the configuration file

	codes []codeSite // where each code was written, for CheckCodes
	match *matcher   // compiled globs, shared by copies of the Config
}

// Error is a problem in a configuration file, with the position of the
// offending key or value. Line and Col are 1-based; 0 means unknown.
type Error struct {
	File      string
	Line, Col int
	Msg       string
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			fmt.Fprintf(&b, ":%d", e.Line)
			if e.Col > 0 {
				fmt.Fprintf(&b, ":%d", e.Col)
			}
		}
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// File names looked for in each directory, in order of preference.
const (
	HiddenName    = ".mlflowlint.toml"
	PlainName     = "mlflowlint.toml"
	PyprojectName = "pyproject.toml"
)

// OutputFormats lists the accepted values of output-format.
var OutputFormats = []string{"full", "concise", "json", "sarif", "markdown", "github"}

// Keys lists the accepted keys, in the order the documentation gives them.
var Keys = []string{
	"target-version", "select", "ignore", "extend-select", "exclude", "extend-exclude",
	"per-file-ignores", "respect-gitignore", "unsafe-fixes", "output-format",
}

// Find looks in dir and then each parent directory for .mlflowlint.toml,
// mlflowlint.toml and pyproject.toml, in that order within a directory. A
// pyproject.toml without a [tool.mlflowlint] table is passed over. Find
// returns nil, nil when no directory up to the filesystem root has one.
func Find(dir string) (*Config, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	for {
		for _, name := range []string{HiddenName, PlainName, PyprojectName} {
			p := filepath.Join(dir, name)
			data, err := readIfFile(p)
			if err != nil {
				return nil, err
			}
			if data == nil {
				continue
			}
			if name == PyprojectName && !bytes.Contains(data, []byte("mlflowlint")) {
				continue // cannot hold [tool.mlflowlint]; no need to parse it
			}
			cfg, found, err := parse(p, data)
			if err != nil {
				return nil, err
			}
			if found {
				return cfg, nil
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return nil, nil
		}
		dir = parent
	}
}

// readIfFile returns the contents of a regular file, or nil, nil when there
// is no file at p.
func readIfFile(p string) ([]byte, error) {
	fi, err := os.Stat(p)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) || isNotDir(err) {
			return nil, nil
		}
		return nil, err
	}
	if fi.IsDir() {
		return nil, nil
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("reading configuration: %w", err)
	}
	if data == nil {
		data = []byte{}
	}
	return data, nil
}

func isNotDir(err error) bool {
	var pe *fs.PathError
	return errors.As(err, &pe) && strings.Contains(pe.Err.Error(), "not a directory")
}

// Load reads the configuration file named on the command line. A file named
// pyproject.toml is read from its [tool.mlflowlint] table (an absent table
// gives an empty Config); any other file is read from its top level.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading configuration: %w", err)
	}
	cfg, _, err := parse(path, data)
	return cfg, err
}

// parse decodes data read from path. found is false for a pyproject.toml
// without a [tool.mlflowlint] table.
func parse(path string, data []byte) (cfg *Config, found bool, err error) {
	root := filepath.Dir(path)
	if abs, err := filepath.Abs(root); err == nil {
		root = abs
	}
	cfg = &Config{Path: path, Root: root, match: &matcher{}}

	// go-toml's decoder checks the whole document (syntax, duplicate keys,
	// redefined tables) and gives a position for what it rejects.
	var doc map[string]any
	if err := toml.Unmarshal(data, &doc); err != nil {
		return nil, false, syntaxError(path, data, err)
	}
	tree, err := buildTree(data)
	if err != nil {
		return nil, false, syntaxError(path, data, err)
	}

	section := tree
	prefix := ""
	if filepath.Base(path) == PyprojectName {
		tool := tree.child("tool")
		if tool == nil || !tool.isTable() {
			return cfg, false, nil
		}
		section = tool.child("mlflowlint")
		if section == nil {
			return cfg, false, nil
		}
		prefix = "tool.mlflowlint"
		if !section.isTable() {
			return nil, false, errAt(path, section.key, "%s must be a table, not %s", prefix, section.typeName())
		}
	}
	d := decoder{path: path, cfg: cfg}
	d.table(section, prefix)
	if len(d.errs) > 0 {
		sort.SliceStable(d.errs, func(i, j int) bool {
			a, b := d.errs[i], d.errs[j]
			if a.Line != b.Line {
				return a.Line < b.Line
			}
			return a.Col < b.Col
		})
		return nil, false, d.errs[0]
	}
	return cfg, true, nil
}

// syntaxError converts a go-toml error into an *Error with a position.
func syntaxError(path string, data []byte, err error) error {
	var de *toml.DecodeError
	if errors.As(err, &de) {
		line, col := de.Position()
		return &Error{File: path, Line: max(line, 1), Col: col, Msg: "invalid TOML: " + strings.TrimPrefix(de.Error(), "toml: ")}
	}
	var pe *unstable.ParserError
	if errors.As(err, &pe) {
		p := pos{line: 1, col: 1}
		if off, ok := offsetIn(data, pe.Highlight); ok {
			p = newLineIndex(data).at(off)
		}
		return &Error{File: path, Line: p.line, Col: p.col, Msg: "invalid TOML: " + pe.Message}
	}
	return &Error{File: path, Line: 1, Msg: "invalid TOML: " + strings.TrimPrefix(err.Error(), "toml: ")}
}

// offsetIn returns where sub starts within data, when it is a subslice.
func offsetIn(data, sub []byte) (int, bool) {
	if cap(sub) == 0 || cap(sub) > cap(data) {
		return 0, false
	}
	off := cap(data) - cap(sub)
	if off > len(data) {
		return 0, false
	}
	return off, true
}

func errAt(path string, p pos, format string, args ...any) *Error {
	return &Error{File: path, Line: p.line, Col: p.col, Msg: fmt.Sprintf(format, args...)}
}

// Target returns the parsed target-version, and false when none is set.
func (c *Config) Target() (analyzer.Version, bool) {
	if c == nil || c.TargetVersion == "" {
		return analyzer.Version{}, false
	}
	v, err := analyzer.ParseVersion(c.TargetVersion)
	return v, err == nil
}

// codeSite records where one rule code was written.
type codeSite struct {
	key   string // "select", "ignore", "extend-select", or "per-file-ignores" entry
	glob  string // for per-file-ignores
	index int
	code  string
	at    pos
}

type decoder struct {
	path string
	cfg  *Config
	errs []*Error
}

func (d *decoder) fail(p pos, format string, args ...any) {
	d.errs = append(d.errs, errAt(d.path, p, format, args...))
}

var versionRe = regexp.MustCompile(`^[0-9]+\.[0-9]+(\.[0-9]+)?$`)

func (d *decoder) table(t *node, prefix string) {
	name := func(k string) string {
		if prefix == "" {
			return k
		}
		return prefix + "." + k
	}
	for _, k := range t.keys {
		v := t.fields[k]
		switch k {
		case "target-version":
			s, ok := d.str(v, name(k))
			if !ok {
				continue
			}
			if !versionRe.MatchString(s) {
				d.fail(v.where(), "%s: invalid version %q (want MAJOR.MINOR or MAJOR.MINOR.PATCH, for example \"3.4\")", name(k), s)
				continue
			}
			ver, err := analyzer.ParseVersion(s)
			if err != nil {
				d.fail(v.where(), "%s: %v", name(k), err)
				continue
			}
			if ver.Major != 3 {
				d.fail(v.where(), "%s: %q is not an MLflow 3 release (want 3.MINOR, for example \"3.4\")", name(k), s)
				continue
			}
			d.cfg.TargetVersion = s
		case "select":
			d.cfg.Select = d.codeList(v, name(k), k, "")
		case "ignore":
			d.cfg.Ignore = d.codeList(v, name(k), k, "")
		case "extend-select":
			d.cfg.ExtendSelect = d.codeList(v, name(k), k, "")
		case "exclude":
			d.cfg.Exclude = d.globList(v, name(k))
		case "extend-exclude":
			d.cfg.ExtendExclude = d.globList(v, name(k))
		case "per-file-ignores":
			d.perFile(v, name(k))
		case "respect-gitignore":
			d.cfg.RespectGitignore = d.boolean(v, name(k))
		case "unsafe-fixes":
			d.cfg.UnsafeFixes = d.boolean(v, name(k))
		case "output-format":
			s, ok := d.str(v, name(k))
			if !ok {
				continue
			}
			if !contains(OutputFormats, s) {
				d.fail(v.where(), "%s: unknown output format %q (want one of %s)", name(k), s, strings.Join(OutputFormats, ", "))
				continue
			}
			d.cfg.OutputFormat = s
		default:
			msg := fmt.Sprintf("unknown key %q", name(k))
			if alt := strings.ReplaceAll(k, "_", "-"); alt != k && contains(Keys, alt) {
				msg += fmt.Sprintf(" (did you mean %q?)", alt)
			}
			d.fail(v.key, "%s", msg)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (d *decoder) str(v *node, name string) (string, bool) {
	if v.kind != unstable.String {
		d.fail(v.key, "%s must be a string, not %s", name, v.typeName())
		return "", false
	}
	return v.str, true
}

func (d *decoder) boolean(v *node, name string) *bool {
	if v.kind != unstable.Bool {
		d.fail(v.key, "%s must be true or false, not %s", name, v.typeName())
		return nil
	}
	b := v.str == "true"
	return &b
}

// strList returns the elements of an array of strings, reporting anything
// else. The result is non-nil for an array, even an empty one.
func (d *decoder) strList(v *node, name string) ([]string, []*node, bool) {
	if v.kind != unstable.Array {
		d.fail(v.key, "%s must be an array of strings, not %s", name, v.typeName())
		return nil, nil, false
	}
	out := make([]string, 0, len(v.elems))
	for i, e := range v.elems {
		if e.kind != unstable.String {
			at := e.where()
			if !at.known() {
				at = v.key
			}
			d.fail(at, "%s[%d] must be a string, not %s", name, i, e.typeName())
			return nil, nil, false
		}
		out = append(out, e.str)
	}
	return out, v.elems, true
}

func (d *decoder) codeList(v *node, name, key, glob string) []string {
	list, elems, ok := d.strList(v, name)
	if !ok {
		return nil
	}
	for i, s := range list {
		if s == "" {
			d.fail(elems[i].where(), "%s[%d]: empty rule code", name, i)
			return nil
		}
		d.cfg.codes = append(d.cfg.codes, codeSite{key: key, glob: glob, index: i, code: s, at: elems[i].where()})
	}
	return list
}

func (d *decoder) globList(v *node, name string) []string {
	list, elems, ok := d.strList(v, name)
	if !ok {
		return nil
	}
	for i, s := range list {
		if _, err := analyzer.CompileIgnorePattern(s); err != nil {
			d.fail(elems[i].where(), "%s[%d]: %v", name, i, err)
			return nil
		}
	}
	return list
}

func (d *decoder) perFile(v *node, name string) {
	if !v.isTable() {
		d.fail(v.key, "%s must be a table of glob = [codes], not %s", name, v.typeName())
		return
	}
	m := make(map[string][]string, len(v.keys))
	for _, glob := range v.keys {
		e := v.fields[glob]
		ename := fmt.Sprintf("%s.%q", name, glob)
		if e.isTable() {
			d.fail(e.key, "%s must be an array of rule codes, not a table (quote globs that contain dots: \"tests/*.py\" = [...])", ename)
			continue
		}
		if _, err := analyzer.CompileIgnorePattern(glob); err != nil {
			d.fail(e.key, "%s: %v", name, err)
			continue
		}
		if codes := d.codeList(e, ename, "per-file-ignores", glob); codes != nil {
			m[glob] = codes
		}
	}
	d.cfg.PerFileIgnores = m
}

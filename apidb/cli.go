package apidb

import (
	_ "embed"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// The command line and the environment variables of MLflow, release by
// release, as apidb/gen/generate_cli.py reads them from the same wheels as
// the API data (make apidb): every command path of the `mlflow` console
// script with its option spellings, and the MLFLOW_* variables MLflow
// defines in mlflow/environment_variables.py or names elsewhere. Its
// releases are those of the API data, so release indexes are shared.

//go:embed mlflow.cli.gz
var embeddedCLI []byte

// CLI is the command-line and environment-variable data.
type CLI struct {
	versions []string
	commands map[string][]cliCommand
	options  map[string]map[string][]cliOption
	children map[string][]string
	env      map[string][]envVar
	named    map[string]Set
	// constants maps a constant of environment_variables.py to the
	// variables it was bound to.
	constants map[string][]string
	// Inputs are the header comments: the pinned wheels.
	Inputs []string
}

type cliCommand struct {
	in  Set
	dyn bool
}

type envVar struct {
	in       Set
	constant string
}

type cliOption struct {
	in     Set
	nvalue int
}

// LoadCLI returns the embedded CLI data, parsed on first use.
var LoadCLI = embeddedLoader(embeddedCLI, "CLI data", ParseCLI)

// ParseCLI reads CLI data in the format generate_cli.py writes.
func ParseCLI(text string) (*CLI, error) {
	c := &CLI{
		commands:  map[string][]cliCommand{},
		options:   map[string]map[string][]cliOption{},
		children:  map[string][]string{},
		env:       map[string][]envVar{},
		named:     map[string]Set{},
		constants: map[string][]string{},
	}
	for n, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		if strings.HasPrefix(line, "#") {
			c.Inputs = append(c.Inputs, line)
			continue
		}
		f := strings.Split(line, "\t")
		bad := func(err error) error { return fmt.Errorf("line %d: %v", n+1, err) }
		var set Set
		switch {
		case f[0] == "versions":
			c.versions = f[1:]
			if len(c.versions) == 0 || len(c.versions) > maxVersions {
				return nil, bad(fmt.Errorf("%d releases", len(c.versions)))
			}
		case c.versions == nil:
			return nil, bad(fmt.Errorf("data before the versions line"))
		case f[0] == "c" && (len(f) == 3 || len(f) == 4 && f[3] == "dyn"):
			if err := parseRanges(f[2], len(c.versions), &set); err != nil {
				return nil, bad(err)
			}
			if _, seen := c.commands[f[1]]; !seen {
				if parent, name, ok := cutLast(f[1]); ok {
					c.children[parent] = append(c.children[parent], name)
				}
			}
			c.commands[f[1]] = append(c.commands[f[1]], cliCommand{in: set, dyn: len(f) == 4})
		case f[0] == "o" && len(f) == 5:
			nv, err := strconv.Atoi(f[3])
			if err == nil {
				err = parseRanges(f[4], len(c.versions), &set)
			}
			if err != nil {
				return nil, bad(err)
			}
			if c.options[f[1]] == nil {
				c.options[f[1]] = map[string][]cliOption{}
			}
			c.options[f[1]][f[2]] = append(c.options[f[1]][f[2]], cliOption{in: set, nvalue: nv})
		case f[0] == "e" && len(f) == 4, f[0] == "m" && len(f) == 3:
			if err := parseRanges(f[2], len(c.versions), &set); err != nil {
				return nil, bad(err)
			}
			if f[0] == "m" {
				c.named[f[1]] = set
				continue
			}
			c.env[f[1]] = append(c.env[f[1]], envVar{in: set, constant: f[3]})
			c.constants[f[3]] = append(c.constants[f[3]], f[1])
		default:
			return nil, bad(fmt.Errorf("unknown record %q", f[0]))
		}
	}
	if c.versions == nil {
		return nil, fmt.Errorf("no versions line")
	}
	if _, ok := c.commands["mlflow"]; !ok {
		return nil, fmt.Errorf("no root command")
	}
	return c, nil
}

func cutLast(path string) (string, string, bool) {
	i := strings.LastIndexByte(path, ' ')
	if i < 0 {
		return "", "", false
	}
	return path[:i], path[i+1:], true
}

// Versions lists the releases of the data, oldest first (those of the API
// data).
func (c *CLI) Versions() []string { return c.versions }

// Command reports whether the command path ("mlflow models serve") exists
// in release rel, and whether its options and subcommands can be known
// statically (dyn false).
func (c *CLI) Command(path string, rel int) (found, dyn bool) {
	for _, v := range c.commands[path] {
		if v.in.Has(rel) {
			return true, v.dyn
		}
	}
	return false, false
}

// Subcommands lists the commands of a group in release rel, sorted.
func (c *CLI) Subcommands(path string, rel int) []string {
	var out []string
	for _, name := range c.children[path] {
		if ok, _ := c.Command(path+" "+name, rel); ok {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// Option reports whether the command at path takes the option spelling
// ("--env-manager", "-m") in release rel, and how many words follow it (0
// for a flag, -1 when unknown).
func (c *CLI) Option(path, spelling string, rel int) (nvalue int, found bool) {
	for _, v := range c.options[path][spelling] {
		if v.in.Has(rel) {
			return v.nvalue, true
		}
	}
	return 0, false
}

// Options lists the option spellings of a command in release rel, sorted.
func (c *CLI) Options(path string, rel int) []string {
	var out []string
	for s := range c.options[path] {
		if _, ok := c.Option(path, s, rel); ok {
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

// EnvDefined reports whether mlflow/environment_variables.py of release
// rel defines the variable.
func (c *CLI) EnvDefined(name string, rel int) bool { return c.envConstant(name, rel) != "" }

func (c *CLI) envConstant(name string, rel int) string {
	for _, v := range c.env[name] {
		if v.in.Has(rel) {
			return v.constant
		}
	}
	return ""
}

// EnvNamed reports whether release rel names the variable anywhere: in
// environment_variables.py or as a string literal elsewhere in the package
// (read with os.environ or os.getenv directly).
func (c *CLI) EnvNamed(name string, rel int) bool {
	return c.EnvDefined(name, rel) || c.named[name].Has(rel)
}

// EnvRenamed returns the variable that release tgt reads in place of name,
// defined in release src: the one environment_variables.py of tgt binds to
// the constant src bound name to, when that differs; else "".
func (c *CLI) EnvRenamed(name string, src, tgt int) string {
	k := c.envConstant(name, src)
	if k == "" {
		return ""
	}
	for _, other := range c.constants[k] {
		if other != name && c.envConstant(other, tgt) == k {
			return other
		}
	}
	return ""
}

// EnvDropped lists, sorted, the variables that some release defines and a
// later release no longer names. It is enough to look after the first
// release that defines a variable: any later one has fewer releases after
// it.
func (c *CLI) EnvDropped() []string {
	last := len(c.versions) - 1
	var out []string
	for n := range c.env {
		r := 0
		for r < last && !c.EnvDefined(n, r) {
			r++
		}
		for t := r + 1; t <= last; t++ {
			if !c.EnvNamed(n, t) {
				out = append(out, n)
				break
			}
		}
	}
	sort.Strings(out)
	return out
}

// EnvVars lists the variables environment_variables.py of release rel
// defines, sorted.
func (c *CLI) EnvVars(rel int) []string {
	var out []string
	for n := range c.env {
		if c.EnvDefined(n, rel) {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// CommandPaths lists the command paths of release rel, sorted.
func (c *CLI) CommandPaths(rel int) []string {
	var out []string
	for p := range c.commands {
		if ok, _ := c.Command(p, rel); ok {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

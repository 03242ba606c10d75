package apidb

import (
	_ "embed"
	"fmt"
	"sort"
	"strings"
)

// The release facts beyond Python names, generated from the same wheels by
// apidb/gen/meta.py (make apidb): the routes the tracking server's Flask
// app registers, and the Requires-Python and Requires-Dist of the mlflow
// and mlflow-skinny wheels. Embedded as mlflow.meta.gz, parsed on first use.
//
//go:embed mlflow.meta.gz
var embeddedMeta []byte

// Route is one method and path rule of the tracking server (Flask syntax:
// `<name>` is one path segment, `<path:name>` the rest of the path), with
// the releases that register it.
type Route struct {
	Method, Path string
	In           Set
	segs         []string
}

// Requirement is one Requires-Python or Requires-Dist value of a wheel,
// with the releases whose wheel declares it.
type Requirement struct {
	Package string // "mlflow" or "mlflow-skinny"
	Value   string // ">=3.10", "pydantic<3,>=2.0.0"
	In      Set
}

// Meta is the release facts, release by release.
type Meta struct {
	versions []string
	routes   []Route
	python   []Requirement
	dists    []Requirement
}

// LoadMeta returns the embedded release facts, parsed on first use.
var LoadMeta = embeddedLoader(embeddedMeta, "release facts", ParseMeta)

// ParseMeta reads release facts in the format meta.py writes.
func ParseMeta(text string) (*Meta, error) {
	m := &Meta{}
	ranges := &DB{}
	for n, line := range strings.Split(text, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if f[0] == "versions" {
			m.versions = f[1:]
			if len(m.versions) > maxVersions {
				return nil, fmt.Errorf("line %d: %d releases, at most %d", n+1, len(m.versions), maxVersions)
			}
			ranges.versions = m.versions
			continue
		}
		if m.versions == nil {
			return nil, fmt.Errorf("line %d: a fact before the versions line", n+1)
		}
		if len(f) != 4 {
			return nil, fmt.Errorf("line %d: want 4 tab-separated fields, got %d", n+1, len(f))
		}
		var in Set
		if err := ranges.parseSet(f[3], &in); err != nil {
			return nil, fmt.Errorf("line %d: %v", n+1, err)
		}
		switch f[0] {
		case "route":
			m.routes = append(m.routes, Route{Method: f[1], Path: f[2], In: in, segs: strings.Split(f[2], "/")})
		case "python":
			m.python = append(m.python, Requirement{Package: f[1], Value: f[2], In: in})
		case "dist":
			m.dists = append(m.dists, Requirement{Package: f[1], Value: f[2], In: in})
		default:
			return nil, fmt.Errorf("line %d: unknown fact %q", n+1, f[0])
		}
	}
	if m.versions == nil {
		return nil, fmt.Errorf("no versions line")
	}
	return m, nil
}

// Versions returns the releases, oldest first (the API data's releases).
func (m *Meta) Versions() []string { return m.versions }

// Index returns the index of a release.
func (m *Meta) Index(version string) (int, bool) {
	for i, v := range m.versions {
		if v == version {
			return i, true
		}
	}
	return 0, false
}

// Routes returns every route of release v, sorted by path then method.
func (m *Meta) Routes(v int) []Route {
	var out []Route
	for _, r := range m.routes {
		if r.In.Has(v) {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		return out[i].Method < out[j].Method
	})
	return out
}

// Serving returns the releases whose server answers a request for path
// (no query string) with method; method "" stands for any method.
func (m *Meta) Serving(method, path string) Set {
	var out Set
	segs := strings.Split(path, "/")
	for _, r := range m.routes {
		if (method == "" || r.Method == method) && routeMatches(r.segs, segs) {
			for i := range out {
				out[i] |= r.In[i]
			}
		}
	}
	return out
}

// Serves reports whether release v's server answers method and path.
func (m *Meta) Serves(method, path string, v int) bool { return m.Serving(method, path).Has(v) }

// routeMatches matches request path segments against a Flask rule's.
func routeMatches(rule, path []string) bool {
	for i, s := range rule {
		if strings.HasPrefix(s, "<path:") {
			// The rest of the path, at least one non-empty segment.
			return i < len(path) && strings.Join(path[i:], "") != ""
		}
		if i >= len(path) {
			return false
		}
		if strings.HasPrefix(s, "<") && strings.HasSuffix(s, ">") {
			if path[i] == "" {
				return false
			}
			continue
		}
		if s != path[i] {
			return false
		}
	}
	return len(rule) == len(path)
}

// RequiresPython returns the Requires-Python of a package's wheel in
// release v ("" when the wheel declares none or the release has no wheel
// of that package).
func (m *Meta) RequiresPython(pkg string, v int) string {
	for _, r := range m.python {
		if r.Package == pkg && r.In.Has(v) {
			return r.Value
		}
	}
	return ""
}

// RequiresDist returns the Requires-Dist values of a package's wheel in
// release v, sorted, markers and extras as written.
func (m *Meta) RequiresDist(pkg string, v int) []string {
	var out []string
	for _, r := range m.dists {
		if r.Package == pkg && r.In.Has(v) {
			out = append(out, r.Value)
		}
	}
	sort.Strings(out)
	return out
}

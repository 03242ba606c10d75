package config

import (
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/mlflowlint/mlflowlint/analyzer"
)

// matcher holds the compiled patterns of one Config. Fields set after Load
// (for example from command-line flags) are picked up because the source
// lists are compared on each use.
type matcher struct {
	mu       sync.Mutex
	excl     []string
	exclPats []analyzer.IgnorePattern
	pfi      map[string][]string
	pfiPats  []pfiEntry
}

type pfiEntry struct {
	pat   analyzer.IgnorePattern
	codes []string
}

func (c *Config) excludePatterns() []analyzer.IgnorePattern {
	src := append(slices.Clip(c.Exclude), c.ExtendExclude...)
	if c.match == nil {
		return compileAll(src)
	}
	m := c.match
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.exclPats == nil || !slices.Equal(m.excl, src) {
		m.excl, m.exclPats = src, compileAll(src)
	}
	return m.exclPats
}

func (c *Config) perFilePatterns() []pfiEntry {
	if c.match == nil {
		return compilePFI(c.PerFileIgnores)
	}
	m := c.match
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.pfiPats == nil || !sameMap(m.pfi, c.PerFileIgnores) {
		m.pfi, m.pfiPats = copyMap(c.PerFileIgnores), compilePFI(c.PerFileIgnores)
	}
	return m.pfiPats
}

// compileAll compiles the valid patterns of src; Load has already reported
// the invalid ones of a file.
func compileAll(src []string) []analyzer.IgnorePattern {
	pats := make([]analyzer.IgnorePattern, 0, len(src))
	for _, s := range src {
		if p, err := analyzer.CompileIgnorePattern(s); err == nil {
			pats = append(pats, p)
		}
	}
	return pats
}

func compilePFI(m map[string][]string) []pfiEntry {
	globs := sortedKeys(m)
	out := make([]pfiEntry, 0, len(globs))
	for _, g := range globs {
		if p, err := analyzer.CompileIgnorePattern(g); err == nil {
			out = append(out, pfiEntry{pat: p, codes: m[g]})
		}
	}
	return out
}

func sameMap(a, b map[string][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		w, ok := b[k]
		if !ok || !slices.Equal(v, w) {
			return false
		}
	}
	return true
}

func copyMap(m map[string][]string) map[string][]string {
	out := make(map[string][]string, len(m))
	for k, v := range m {
		out[k] = slices.Clone(v)
	}
	return out
}

// relParts returns path relative to the config root as slash-separated parts,
// or ok=false when the path lies outside the root.
func (c *Config) relParts(p string) (parts []string, abs string, ok bool) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return nil, "", false
	}
	root := c.Root
	if root == "" {
		root = "."
	}
	root, err = filepath.Abs(root)
	if err != nil {
		return nil, "", false
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return nil, "", false
	}
	if rel == "." {
		return nil, abs, true
	}
	return strings.Split(filepath.ToSlash(rel), "/"), abs, true
}

// isDir reports whether the path names a directory on disk.
func isDir(abs string) bool {
	fi, err := os.Stat(abs)
	return err == nil && fi.IsDir()
}

// Excluded reports whether path (absolute or relative to the working
// directory) matches exclude or extend-exclude. Patterns follow gitignore:
// they are relative to Root, a pattern containing a slash is anchored there,
// one without matches a name at any depth, a trailing slash matches
// directories only, "**" matches any number of directories, "!" re-includes,
// the last matching pattern wins, and nothing below an excluded directory can
// be re-included. Paths outside Root are never excluded. A nil Config
// excludes nothing.
func (c *Config) Excluded(p string) bool {
	if c == nil || len(c.Exclude)+len(c.ExtendExclude) == 0 {
		return false
	}
	pats := c.excludePatterns()
	parts, abs, ok := c.relParts(p)
	if !ok || len(parts) == 0 {
		return false
	}
	for i := 1; i <= len(parts); i++ {
		prefix := parts[:i]
		dir := i < len(parts) // every ancestor of a path is a directory
		statted := false
		excluded := false
		for _, pat := range pats {
			if pat.DirOnly && !dir && !statted {
				dir, statted = isDir(abs), true
			}
			if pat.Match(prefix, dir) {
				excluded = !pat.Negate
			}
		}
		if excluded {
			return true
		}
	}
	return false
}

// IgnoredFor returns the rule codes that per-file-ignores turns off for path
// (absolute or relative to the working directory), sorted and without
// repeats. A glob matches as in Excluded, including any file below a matching
// directory; a glob starting with "!" applies to every path it does not
// match. A nil Config ignores nothing.
func (c *Config) IgnoredFor(p string) []string {
	if c == nil || len(c.PerFileIgnores) == 0 {
		return nil
	}
	entries := c.perFilePatterns()
	parts, abs, ok := c.relParts(p)
	if !ok || len(parts) == 0 {
		return nil
	}
	var codes []string
	for _, e := range entries {
		matched := false
		for i := 1; i <= len(parts) && !matched; i++ {
			dir := i < len(parts)
			if e.pat.DirOnly && !dir {
				dir = isDir(abs)
			}
			matched = e.pat.Match(parts[:i], dir)
		}
		if matched != e.pat.Negate {
			codes = append(codes, e.codes...)
		}
	}
	sort.Strings(codes)
	return slices.Compact(codes)
}

func sortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

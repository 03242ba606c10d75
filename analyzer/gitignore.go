package analyzer

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Ignore rules follow git: the patterns of .git/info/exclude, then of each
// .gitignore from the repository's top level down to the file, later ones
// taking precedence (so a deeper "!name" re-includes what a higher file
// ignored), a pattern matching the path itself and not its ancestors, and
// nothing inside an ignored directory can be re-included (the walk does
// not enter it). Outside a git repository the .gitignore files from the
// walked directory down still apply. Global excludes (core.excludesFile)
// are not read. A differential test checks the result against git.
//
// go-git's gitignore package was considered and not used: its matcher
// applies a pattern to every ancestor of a path, so "!dir" re-includes the
// files inside dir and "!/build/" re-includes build/y.txt, where git keeps
// them ignored.

// sourcedPattern is a pattern with the directory of the file it came from,
// relative to the matcher's root.
type sourcedPattern struct {
	pat    IgnorePattern
	domain []string
}

// ignoreRules holds the patterns that apply at the current point of a walk.
type ignoreRules struct {
	walkRoot string
	prefix   []string // the walk root's path from the matcher's root
	patterns []sourcedPattern
	layers   []ignoreLayer

	// The components of the directory last asked about, and a buffer for
	// a path's components: the walk asks about a directory's entries in a
	// row.
	lastDir  string
	dirParts []string
	dirErr   bool
	parts    []string
}

// ignoreLayer records where the patterns of one directory's .gitignore
// start, to drop them when the walk leaves the directory.
type ignoreLayer struct {
	dir   string
	start int
}

// newIgnoreRules prepares the rules for a walk of root: it finds the
// repository root above it and reads info/exclude and the .gitignore files
// of the directories between the two.
func newIgnoreRules(root string) *ignoreRules {
	r := &ignoreRules{walkRoot: root}
	abs, err := filepath.Abs(root)
	if err != nil {
		return r
	}
	top, gitDir := repositoryTop(abs)
	if top == "" {
		return r
	}
	rel, err := filepath.Rel(top, abs)
	if err != nil {
		return r
	}
	if rel != "." {
		r.prefix = strings.Split(filepath.ToSlash(rel), "/")
	}
	r.patterns = append(r.patterns, readIgnoreFile(filepath.Join(gitDir, "info", "exclude"), nil)...)
	for i := 0; i < len(r.prefix); i++ {
		dir := filepath.Join(append([]string{top}, r.prefix[:i]...)...)
		r.patterns = append(r.patterns, readIgnoreFile(filepath.Join(dir, ".gitignore"), r.prefix[:i])...)
	}
	return r
}

// repositoryTop returns the nearest directory at or above dir that holds a
// .git entry, and the directory holding the repository's info/exclude.
func repositoryTop(dir string) (top, gitDir string) {
	for {
		dotGit := filepath.Join(dir, ".git")
		if st, err := os.Stat(dotGit); err == nil {
			if st.IsDir() {
				return dir, dotGit
			}
			return dir, linkedGitDir(dotGit)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", ""
		}
		dir = parent
	}
}

// linkedGitDir follows the "gitdir:" line of a .git file (a worktree or a
// submodule) to the directory whose info/exclude applies: a worktree's
// commondir when it names one.
func linkedGitDir(dotGit string) string {
	b, err := os.ReadFile(dotGit)
	if err != nil {
		return ""
	}
	line, _, _ := strings.Cut(string(b), "\n")
	gd, ok := strings.CutPrefix(strings.TrimSpace(line), "gitdir:")
	if !ok {
		return ""
	}
	gd = strings.TrimSpace(gd)
	if !filepath.IsAbs(gd) {
		gd = filepath.Join(filepath.Dir(dotGit), gd)
	}
	if c, err := os.ReadFile(filepath.Join(gd, "commondir")); err == nil {
		common := strings.TrimSpace(string(c))
		if !filepath.IsAbs(common) {
			common = filepath.Join(gd, common)
		}
		return common
	}
	return gd
}

// readIgnoreFile parses an ignore file as git does: a UTF-8 byte order
// mark and CR line ends are dropped, as are blank lines and # comments.
// domain is the directory of the file relative to the matcher's root.
func readIgnoreFile(path string, domain []string) []sourcedPattern {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	var out []sourcedPattern
	for line := range strings.SplitSeq(string(b), "\n") {
		line = strings.TrimSuffix(line, "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if p, err := CompileIgnorePattern(line); err == nil {
			out = append(out, sourcedPattern{p, slices.Clone(domain)})
		}
	}
	return out
}

// components returns p's path from the matcher's root.
func (r *ignoreRules) components(p string) []string {
	rel, err := filepath.Rel(r.walkRoot, p)
	if err != nil {
		return nil
	}
	parts := append([]string(nil), r.prefix...)
	if rel != "." {
		parts = append(parts, strings.Split(filepath.ToSlash(rel), "/")...)
	}
	return parts
}

// entryParts returns components(p) for a path strictly below the walk
// root, reusing the components of p's directory when it is the one of the
// previous call. The slice is valid until the next call.
func (r *ignoreRules) entryParts(p string) []string {
	dir, base := filepath.Split(p)
	if dir != r.lastDir || r.parts == nil {
		r.lastDir = dir
		_, err := filepath.Rel(r.walkRoot, filepath.Clean(dir))
		r.dirParts, r.dirErr = r.components(filepath.Clean(dir)), err != nil
	}
	if r.dirErr {
		return nil // as components(p) does
	}
	r.parts = append(append(r.parts[:0], r.dirParts...), base)
	return r.parts
}

// enter reads the .gitignore of a directory the walk enters, after
// dropping the layers of the directories it has left.
func (r *ignoreRules) enter(dir string) {
	r.leave(dir)
	pats := readIgnoreFile(filepath.Join(dir, ".gitignore"), r.components(dir))
	if len(pats) > 0 {
		r.layers = append(r.layers, ignoreLayer{dir: dir, start: len(r.patterns)})
		r.patterns = append(r.patterns, pats...)
	}
}

// leave drops the layers of directories that do not hold p.
func (r *ignoreRules) leave(p string) {
	for len(r.layers) > 0 && !within(p, r.layers[len(r.layers)-1].dir) {
		r.patterns = r.patterns[:r.layers[len(r.layers)-1].start]
		r.layers = r.layers[:len(r.layers)-1]
	}
}

// ignored reports whether the last pattern that matches p ignores it.
// The walk asks about a directory before entering it, so a file is asked
// about only when no directory above it is ignored.
func (r *ignoreRules) ignored(p string, isDir bool) bool {
	r.leave(p)
	if len(r.patterns) == 0 {
		return false
	}
	parts := r.entryParts(p)
	for i := len(r.patterns) - 1; i >= 0; i-- {
		sp := r.patterns[i]
		if len(parts) <= len(sp.domain) || !slices.Equal(parts[:len(sp.domain)], sp.domain) {
			continue
		}
		if sp.pat.Match(parts[len(sp.domain):], isDir) {
			return !sp.pat.Negate
		}
	}
	return false
}

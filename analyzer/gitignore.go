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

// ignoreDir is the ignore rules in effect for the entries of one directory
// of a walk: its components from the matcher's root, and the patterns of
// info/exclude and of the .gitignore files from the top down to it. It is
// never changed once made, so the walk's goroutines share it, and a
// directory's rules extend its parent's without copying them.
type ignoreDir struct {
	parts    []string
	patterns []sourcedPattern
}

// rootIgnores prepares the rules for a walk of root, before root's own
// .gitignore (see withFile): it finds the repository root above it and reads
// info/exclude and the .gitignore files of the directories between the two.
func rootIgnores(root string) *ignoreDir {
	r := &ignoreDir{}
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
		r.parts = strings.Split(filepath.ToSlash(rel), "/")
	}
	r.patterns = append(r.patterns, readIgnoreFile(filepath.Join(gitDir, "info", "exclude"), nil)...)
	for i := 0; i < len(r.parts); i++ {
		dir := filepath.Join(append([]string{top}, r.parts[:i]...)...)
		r.patterns = append(r.patterns, readIgnoreFile(filepath.Join(dir, ".gitignore"), r.parts[:i])...)
	}
	return r
}

// withFile returns the rules with the patterns of dir's .gitignore added
// (dir is the directory r is for); r itself when there are none.
func (r *ignoreDir) withFile(dir string) *ignoreDir {
	pats := readIgnoreFile(filepath.Join(dir, ".gitignore"), r.parts)
	if len(pats) == 0 {
		return r
	}
	return &ignoreDir{parts: r.parts, patterns: append(r.patterns[:len(r.patterns):len(r.patterns)], pats...)}
}

// child returns the rules for the entries of the subdirectory name, before
// its own .gitignore.
func (r *ignoreDir) child(name string) *ignoreDir {
	return &ignoreDir{parts: append(r.parts[:len(r.parts):len(r.parts)], name), patterns: r.patterns}
}

// ignored reports whether the last pattern that matches the entry name of
// r's directory ignores it; scratch is a buffer for its components. The
// walk asks about a directory before entering it, so a file is asked
// about only when no directory above it is ignored.
func (r *ignoreDir) ignored(name string, isDir bool, scratch *[]string) bool {
	if len(r.patterns) == 0 {
		return false
	}
	parts := append(append((*scratch)[:0], r.parts...), name)
	*scratch = parts
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

package analyzer

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestGitignoreAgreesWithGit generates repositories with many ignore
// patterns (nested .gitignore files, .git/info/exclude, negations,
// directory-only and anchored patterns, ** and character classes) and
// compares the files the walk skips with those `git ls-files --others
// --ignored --exclude-standard` lists.
func TestGitignoreAgreesWithGit(t *testing.T) {
	runGit := gitRunner(t)
	files, compared := 0, 0
	for seed := range uint64(40) {
		r := rand.New(rand.NewPCG(seed, 7))
		dir := t.TempDir()
		runGit(dir, "init", "-q")
		tree := genTree(r)
		var dirs []string
		for _, f := range tree {
			writeFile(t, filepath.Join(dir, f), "")
			if d := filepath.Dir(f); d != "." && !slices.Contains(dirs, d) {
				dirs = append(dirs, d)
			}
		}
		ignoreFiles := map[string]string{".gitignore": genPatterns(r, 14), ".git/info/exclude": genPatterns(r, 3)}
		for range 3 {
			if len(dirs) > 0 {
				ignoreFiles[filepath.Join(dirs[r.IntN(len(dirs))], ".gitignore")] = genPatterns(r, 5)
			}
		}
		for name, body := range ignoreFiles {
			writeFile(t, filepath.Join(dir, name), body)
		}
		want := map[string]bool{}
		for f := range strings.SplitSeq(runGit(dir, "ls-files", "-z", "--others", "--ignored", "--exclude-standard"), "\x00") {
			if f != "" {
				want[f] = true
			}
		}
		targets, errs := Walk([]string{dir}, WalkOptions{Include: func(string) bool { return true }, RespectGitignore: true})
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		walked := map[string]bool{}
		for _, tg := range targets {
			rel, _ := filepath.Rel(dir, filepath.FromSlash(tg.Path))
			walked[filepath.ToSlash(rel)] = true
		}
		var diffs []string
		for f := range allFiles(t, dir) {
			files++
			if got := !walked[f]; got != want[f] {
				diffs = append(diffs, fmt.Sprintf("%s: git ignores it: %v, the walk skips it: %v", f, want[f], got))
			}
		}
		compared++
		if len(diffs) > 0 {
			slices.Sort(diffs)
			t.Errorf("seed %d: %d disagreements\n%s\nignore files: %q", seed, len(diffs), strings.Join(diffs, "\n"), ignoreFiles)
		}
	}
	t.Logf("%d repositories, %d files compared with git", compared, files)
}

// gitRunner returns a function that runs git in a directory, isolated from
// the user's and the system's configuration (and so from global excludes).
func gitRunner(t *testing.T) func(dir string, args ...string) string {
	t.Helper()
	git, err := exec.LookPath("git")
	if err != nil {
		t.Fatalf("git is needed to check .gitignore handling against git itself: %v", err)
	}
	home := t.TempDir()
	env := append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+home, "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL=/dev/null",
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.org", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.org")
	return func(dir string, args ...string) string {
		cmd := exec.Command(git, args...)
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
}

func writeFile(t *testing.T, p, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// allFiles lists the files under dir, outside .git, relative and with
// forward slashes.
func allFiles(t *testing.T, dir string) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out[filepath.ToSlash(rel)] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

var (
	genDirs  = []string{"a", "b", "build", "doc", "logs", "src", "deep", "é"}
	genNames = []string{"x.py", "y.txt", "keep.log", "debug.log", "#hash.py", "!bang.py", "foo bar.py", "a.py", "b.py", "test_x.py", "x.pyc", "notes.md"}
	// Pattern shapes, written the way people write them.
	genPatternPool = []string{
		"*.log", "*.py[co]", "build/", "/doc", "a/**/x.py", "**/logs", "src/*", "!keep.log",
		"!src/a.py", "deep/", "b", "?.py", "[ab].py", "\\#hash.py", "\\!bang.py", "foo\\ bar.py",
		"*.txt  ", "# a comment", "", "doc/*.txt", "/a/b/", "**/*.pyc", "a/**", "!/build/", "x.py",
		"!x.py", "logs/", "!logs/", "*", "!*.py", "!*/", "src", "/src/", "é/", "test_*", "!test_x.py",
		"*.md", "b/", "!b/a.py", "deep/**/notes.md", "**/a/*.py", "y.txt/", "[!a].py", "*/x.py",
		"/x.py", "a/b", "!a", "!deep",
	}
)

// genTree returns a few dozen file paths up to three directories deep.
func genTree(r *rand.Rand) []string {
	var out []string
	for range 40 {
		var parts []string
		for range r.IntN(4) {
			parts = append(parts, genDirs[r.IntN(len(genDirs))])
		}
		parts = append(parts, genNames[r.IntN(len(genNames))])
		p := strings.Join(parts, "/")
		if !slices.Contains(out, p) && !conflicts(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// conflicts reports whether p would need a file where a directory is, or
// the other way round.
func conflicts(paths []string, p string) bool {
	for _, q := range paths {
		if strings.HasPrefix(q, p+"/") || strings.HasPrefix(p, q+"/") {
			return true
		}
	}
	return false
}

func genPatterns(r *rand.Rand, n int) string {
	var b strings.Builder
	for range 1 + r.IntN(n) {
		b.WriteString(genPatternPool[r.IntN(len(genPatternPool))])
		if r.IntN(8) == 0 {
			b.WriteString("\r\n")
		} else {
			b.WriteString("\n")
		}
	}
	return b.String()
}

// TestGitignoreAboveTheWalkedDirectory walks a subdirectory of a linked
// worktree: the .gitignore files above it and the main repository's
// info/exclude still apply, as they do for git.
func TestGitignoreAboveTheWalkedDirectory(t *testing.T) {
	runGit := gitRunner(t)
	base := t.TempDir()
	main := filepath.Join(base, "main")
	writeFile(t, filepath.Join(main, "README"), "")
	runGit(main, "init", "-q")
	runGit(main, "add", "README")
	runGit(main, "commit", "-q", "-m", "init")
	runGit(main, "worktree", "add", "-q", filepath.Join(base, "wt"))
	wt := filepath.Join(base, "wt")
	writeFile(t, filepath.Join(main, ".git", "info", "exclude"), "*.tmp\n")
	writeFile(t, filepath.Join(wt, ".gitignore"), "*.log\n!sub/keep.log\n/sub/deep/\n")
	writeFile(t, filepath.Join(wt, "sub", ".gitignore"), "!also.log\n")
	for _, f := range []string{"a.py", "x.tmp", "debug.log", "keep.log", "also.log", "deep/d.py", "inner/deep/e.py"} {
		writeFile(t, filepath.Join(wt, "sub", f), "")
	}
	want := []string{}
	for f := range strings.SplitSeq(runGit(filepath.Join(wt, "sub"), "ls-files", "-z", "--others", "--exclude-standard"), "\x00") {
		if f != "" {
			want = append(want, f)
		}
	}
	slices.Sort(want)
	targets, errs := Walk([]string{filepath.Join(wt, "sub")}, WalkOptions{Include: func(string) bool { return true }, RespectGitignore: true})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var got []string
	for _, tg := range targets {
		rel, _ := filepath.Rel(filepath.Join(wt, "sub"), filepath.FromSlash(tg.Path))
		got = append(got, filepath.ToSlash(rel))
	}
	if !slices.Equal(got, want) {
		t.Errorf("walked %q, git lists %q", got, want)
	}
	if !slices.Contains(want, "keep.log") || slices.Contains(want, "x.tmp") || slices.Contains(want, "deep/d.py") {
		t.Errorf("the generated tree does not exercise the rules: git lists %q", want)
	}
}

// The walk's goroutines share a directory's rules, and siblings extend
// them at once: the rules of one sibling must never show in another's.
func TestIgnoreDirSiblingsShareNothing(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		".gitignore": "z.py\n", "a/.gitignore": "x.py\n", "b/.gitignore": "y.py\n",
	})
	root := (&ignoreDir{patterns: make([]sourcedPattern, 0, 8)}).withFile(dir)
	a := root.child("a").withFile(filepath.Join(dir, "a"))
	b := root.child("b").withFile(filepath.Join(dir, "b"))
	var scratch []string
	for _, c := range []struct {
		r    *ignoreDir
		name string
		want bool
	}{
		{a, "x.py", true}, {a, "y.py", false}, {a, "z.py", true},
		{b, "x.py", false}, {b, "y.py", true}, {b, "z.py", true},
		{root, "x.py", false}, {root, "y.py", false}, {root, "z.py", true},
	} {
		if got := c.r.ignored(c.name, false, &scratch); got != c.want {
			t.Errorf("%v: ignored(%q) = %v, want %v", c.r.parts, c.name, got, c.want)
		}
	}
	if !slices.Equal(a.parts, []string{"a"}) || !slices.Equal(b.parts, []string{"b"}) || len(root.parts) != 0 {
		t.Errorf("parts: root %q, a %q, b %q", root.parts, a.parts, b.parts)
	}
}

// The walk lists a tree with several goroutines: what it selects, and the
// errors it meets, must not depend on how many, and a file named on the
// command line keeps its first mention.
func TestWalkParallelIsDeterministic(t *testing.T) {
	files := map[string]string{".gitignore": "skip*/\n"}
	for i := range 40 {
		files[fmt.Sprintf("d%02d/a.py", i)] = ""
		files[fmt.Sprintf("d%02d/s/b.py", i)] = ""
		files[fmt.Sprintf("skip%02d/c.py", i)] = ""
	}
	dir := writeFiles(t, files)
	for i := range 10 {
		if err := os.Symlink(filepath.Join(dir, "missing"), filepath.Join(dir, fmt.Sprintf("d%02d", i), "gone.py")); err != nil {
			t.Fatal(err)
		}
	}
	walk := func(walkers int, paths ...string) ([]Target, []FileError) {
		var out []Target
		errs := walkEach(paths, WalkOptions{RespectGitignore: true}, walkers, func(ts []Target) { out = append(out, ts...) })
		slices.SortFunc(out, func(a, b Target) int { return strings.Compare(a.Path, b.Path) })
		return out, errs
	}
	want, wantErrs := walk(1, dir)
	if len(want) != 80 || len(wantErrs) != 10 {
		t.Fatalf("one walker: %d targets, %d errors; want 80 and 10", len(want), len(wantErrs))
	}
	if !slices.IsSortedFunc(wantErrs, func(a, b FileError) int { return strings.Compare(a.Path, b.Path) }) {
		t.Errorf("errors not in path order: %v", wantErrs)
	}
	for range 20 {
		got, errs := walk(4, dir)
		if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(errs, wantErrs) {
			t.Fatalf("four walkers differ from one: %d targets, %d errors", len(got), len(errs))
		}
	}
	a := filepath.Join(dir, "d00", "a.py")
	if got, _ := walk(4, a, dir); !got[0].Explicit || got[0].Path != filepath.ToSlash(a) {
		t.Errorf("named first: %+v", got[0])
	}
	if got, _ := walk(4, dir, a); got[0].Explicit || len(got) != 80 {
		t.Errorf("named after its directory: %+v (%d targets)", got[0], len(got))
	}
}

package analyzer

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/tools/go/analysis"

	"github.com/mlflowlint/mlflowlint/parser"
)

// The hostile-input suite: every input here must give a message that names
// the file and the problem, leave the rest of the run alone and never
// panic. docs/robustness.md lists the behaviour case by case.

// insertRule rewrites `mlflow.old()` statements into two lines, so that
// fixes inserting line breaks can be checked against the file's endings.
var insertRule = &analysis.Analyzer{
	Name:     "MLF996",
	Doc:      "test rule inserting lines",
	Requires: Shared,
	Run: func(pass *analysis.Pass) (any, error) {
		in := In(pass)
		for _, c := range in.Index.Of("call") {
			if in.Resolver.Callee(c) != "mlflow.old" {
				continue
			}
			pass.Report(analysis.Diagnostic{Pos: in.File.Pos(c), End: in.File.End(c), Message: "split",
				SuggestedFixes: []analysis.SuggestedFix{{Message: "Split", TextEdits: []analysis.TextEdit{
					{Pos: in.File.Pos(c), End: in.File.End(c), NewText: []byte("mlflow.first()\nmlflow.second()")}}}}})
		}
		return nil, nil
	},
}

func runOn(t *testing.T, opt Options) *Result {
	t.Helper()
	if opt.Rules == nil {
		opt.Rules = []*analysis.Analyzer{renameRule}
	}
	res, err := Run(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range res.Errors {
		if strings.Contains(e.Message, "internal error") {
			t.Errorf("%s: %s", e.Path, e.Message)
		}
	}
	return res
}

// errorFor returns the message of the file error (or note) about a file
// whose path ends with name.
func errorFor(errs []FileError, name string) (FileError, bool) {
	for _, e := range errs {
		if strings.HasSuffix(e.Path, "/"+name) || e.Path == name {
			return e, true
		}
	}
	return FileError{}, false
}

func findingLines(res *Result, name string) []int {
	var out []int
	for _, f := range res.Findings {
		if strings.HasSuffix(f.Path, name) {
			out = append(out, f.Start.Line)
		}
	}
	return out
}

// syntaxBase has a finding on every line that mentions mlflow.old.
var syntaxBase = []string{
	"import mlflow",
	"",
	"def train(x):",
	"    mlflow.old()",
	"    for i in range(3):",
	"        y = mlflow.old(i)",
	"    return [",
	"        mlflow.old,",
	"    ]",
	"",
	"class C:",
	"    attr = mlflow.old",
	"",
	"    def m(self):",
	"        return {'k': mlflow.old}",
	"",
	"mlflow.old()",
	"z = (1 +",
	"     2)",
	"print(mlflow.old)",
}

// TestSyntaxErrorsInEveryPosition inserts a stray token before every line
// and checks that the findings outside the broken region survive, that
// every finding is on a line that really has one, and that fixing never
// makes the file parse worse.
func TestSyntaxErrorsInEveryPosition(t *testing.T) {
	checked := 0
	for _, stray := range []string{")", "%cd /tmp", "def (", "'''"} {
		for at := 1; at <= len(syntaxBase); at++ {
			lines := append(append(append([]string{}, syntaxBase[:at]...), stray), syntaxBase[at:]...)
			src := []byte(strings.Join(lines, "\n") + "\n")
			res := runOn(t, Options{Stdin: &Stdin{Name: "broken.py", Src: src}})
			in := &Stdin{Name: "broken.py", Src: src}
			runOn(t, Options{Stdin: in, Fix: true})
			f, err := parser.Parse(context.Background(), "broken.py", src, nil)
			if err != nil {
				t.Fatal(err)
			}
			f.Tok.SetLinesForContent(src)
			broken := map[int]bool{}
			for _, r := range f.ErrorRegions() {
				a, b := f.Tok.Line(f.Tok.Pos(r[0])), f.Tok.Line(f.Tok.Pos(min(r[1], len(src))))
				for l := a; l <= b; l++ {
					broken[l] = true
				}
			}
			f.Close()
			got := map[int]bool{}
			for _, fd := range res.Findings {
				got[fd.Start.Line] = true
				if !strings.Contains(lines[fd.Start.Line-1], "mlflow.old") {
					t.Errorf("stray %q at line %d: finding on line %d %q", stray, at+1, fd.Start.Line, lines[fd.Start.Line-1])
				}
			}
			if broken[1] {
				continue // the import itself is broken: nothing resolves
			}
			for l, text := range lines {
				if strings.Contains(text, "mlflow.old") && !broken[l+1] {
					checked++
					if !got[l+1] {
						t.Errorf("stray %q at line %d: finding on intact line %d %q lost", stray, at+1, l+1, text)
					}
				}
			}
			before, _ := parser.CheckSyntax(context.Background(), src)
			after, _ := parser.CheckSyntax(context.Background(), in.Fixed)
			if after > before {
				t.Errorf("stray %q at line %d: the fix raised syntax errors from %d to %d", stray, at+1, before, after)
			}
		}
	}
	if checked < 100 {
		t.Errorf("only %d intact lines were checked; the broken regions swallowed the fixture", checked)
	}
}

func TestEncodingProblemsNameFileAndOffset(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"nul.py":     "import mlflow\nmlflow.old()\n\x00\n",
		"elf.py":     "\x7fELF\x02\x01\x01\x00mlflow\x00\x00",
		"latin1.py":  "# -*- coding: latin-1 -*-\nimport mlflow\ns = 'caf\xe9'\nmlflow.old()\n",
		"truncated":  "",
		"bom.py":     "\xEF\xBB\xBFimport mlflow\nmlflow.old()\n",
		"bomonly.py": "\xEF\xBB\xBF",
		"good.py":    "import mlflow\nmlflow.old()\n",
	})
	before := map[string][]byte{}
	for _, n := range []string{"nul.py", "elf.py", "latin1.py"} {
		before[n], _ = os.ReadFile(filepath.Join(dir, n))
	}
	res := runOn(t, Options{Paths: []string{dir}, Fix: true})
	for name, want := range map[string]string{
		"nul.py":    "skipped: binary file (NUL byte at offset 27)",
		"elf.py":    "skipped: binary file (NUL byte at offset 7)",
		"latin1.py": "skipped: not valid UTF-8 (invalid byte at offset 48)",
	} {
		e, ok := errorFor(res.Errors, name)
		if !ok || e.Message != want || e.Fatal {
			t.Errorf("%s: got %+v, want %q", name, e, want)
		}
		if b, _ := os.ReadFile(filepath.Join(dir, name)); string(b) != string(before[name]) {
			t.Errorf("%s was rewritten", name)
		}
	}
	if res.Fixed != 2 {
		t.Errorf("fixed %d, want bom.py and good.py", res.Fixed)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "bom.py")); string(b) != "\xEF\xBB\xBFimport mlflow\nmlflow.new()\n" {
		t.Errorf("bom.py = %q", b)
	}
}

func TestEmptyAndBlankFiles(t *testing.T) {
	for _, src := range []string{"", "\n", "\r\n", "\xEF\xBB\xBF", "   \t\f\n", "# mlflow\n", "\"\"\"mlflow\"\"\""} {
		in := &Stdin{Name: "e.py", Src: []byte(src)}
		res := runOn(t, Options{Stdin: in, Fix: true, NoPrefilter: true})
		if len(res.Errors) != 0 || len(res.Findings) != 0 || string(in.Fixed) != src {
			t.Errorf("%q: errors %v findings %v fixed %q", src, res.Errors, res.Findings, in.Fixed)
		}
	}
}

// TestLineEndingsAreKept fixes a file whose lines end in LF, CRLF and a
// lone CR, with a fix that inserts a line: each inserted break takes the
// ending of the line it lands on.
func TestLineEndingsAreKept(t *testing.T) {
	src := "import mlflow\r\nmlflow.old()\nx = 1\r\n  \t\f\r\nif x:\r\n\tmlflow.old()  # tab\r\ny = 2\rmlflow.old()"
	want := "import mlflow\r\nmlflow.first()\nmlflow.second()\nx = 1\r\n  \t\f\r\nif x:\r\n\tmlflow.first()\r\nmlflow.second()  # tab\r\ny = 2\rmlflow.first()\r\nmlflow.second()"
	in := &Stdin{Name: "mixed.py", Src: []byte(src)}
	res := runOn(t, Options{Stdin: in, Fix: true, Rules: []*analysis.Analyzer{insertRule}})
	if res.Fixed != 3 || len(res.Errors) != 0 {
		t.Fatalf("fixed %d, errors %v", res.Fixed, res.Errors)
	}
	if string(in.Fixed) != want {
		t.Errorf("fixed:\n%q\nwant:\n%q", in.Fixed, want)
	}
	// The tab-indented call: byte columns count the tab as one.
	if got := findingLines(res, "mixed.py"); len(got) != 0 {
		t.Errorf("findings left after fixing: %v", got)
	}
	plain := runOn(t, Options{Stdin: &Stdin{Name: "mixed.py", Src: []byte(src)}, Rules: []*analysis.Analyzer{insertRule}})
	if len(plain.Findings) != 3 || plain.Findings[1].Start.Line != 6 || plain.Findings[1].Start.Col != 2 {
		t.Errorf("findings: %+v", plain.Findings)
	}
}

func TestSizeLimitSkipsWithNote(t *testing.T) {
	dir := writeFiles(t, map[string]string{"small.py": "import mlflow\nmlflow.old()\n"})
	big := filepath.Join(dir, "big.py")
	fh, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	line := []byte(strings.Repeat("mlflow.old()  # filler\n", 1<<10))
	for n := 0; n < 50<<20; n += len(line) {
		if _, err := fh.Write(line); err != nil {
			t.Fatal(err)
		}
	}
	fh.Close()
	st, _ := os.Stat(big)
	res := runOn(t, Options{Paths: []string{dir}, Fix: true})
	n, ok := errorFor(res.Notes, "big.py")
	want := fmt.Sprintf("skipped: file is %d bytes, larger than the %d-byte limit", st.Size(), DefaultMaxFileSize)
	if !ok || n.Message != want {
		t.Errorf("note %+v, want %q", n, want)
	}
	if len(res.Errors) != 0 || len(res.Findings) != 0 || res.Fixed != 1 {
		t.Errorf("errors %v, findings %v, fixed %d", res.Errors, res.Findings, res.Fixed)
	}
	if st2, _ := os.Stat(big); st2.Size() != st.Size() {
		t.Error("the skipped file was rewritten")
	}
	// A smaller limit applies to a file named on the command line too.
	res = runOn(t, Options{Paths: []string{filepath.Join(dir, "small.py")}, MaxFileSize: 10})
	if n, ok := errorFor(res.Notes, "small.py"); !ok || !strings.Contains(n.Message, "larger than the 10-byte limit") {
		t.Errorf("notes %v", res.Notes)
	}
}

// TestDeepNesting parses a 20,000-level nested expression: tree-sitter
// handles it without recursion limits, and the findings after it are
// reported. With a parse timeout too short for it, the file gets a clear
// message and the other files are still analysed.
func TestDeepNesting(t *testing.T) {
	const depth = 20000
	nested := "import mlflow\nx = " + strings.Repeat("(", depth) + "1" + strings.Repeat(")", depth) + "\n" +
		"y = " + strings.Repeat("f(", depth) + strings.Repeat(")", depth) + "\nmlflow.old()\n"
	dir := writeFiles(t, map[string]string{"deep.py": nested, "good.py": "import mlflow\nmlflow.old()\n"})
	start := time.Now()
	res := runOn(t, Options{Paths: []string{dir}})
	t.Logf("20,000 levels analysed in %v", time.Since(start))
	if got := findingLines(res, "deep.py"); len(got) != 1 || got[0] != 4 || len(res.Errors) != 0 {
		t.Fatalf("deep.py findings at %v, errors %v", got, res.Errors)
	}

	saved := parser.ParseTimeout
	t.Cleanup(func() { parser.ParseTimeout = saved })
	parser.ParseTimeout = time.Millisecond
	res = runOn(t, Options{Paths: []string{dir}})
	e, ok := errorFor(res.Errors, "deep.py")
	if !ok || e.Message != "not analysed: parse timed out after 1ms" || e.Fatal {
		t.Errorf("deep.py: %+v", res.Errors)
	}
	if got := findingLines(res, "good.py"); len(got) != 1 {
		t.Errorf("good.py findings %v", got)
	}
}

// TestFilesChangingUnderTheRun walks a tree, then changes it before the
// driver reads the files: a removed file, a file replaced by a directory,
// by a named pipe and by a dangling link. Each gets a message naming it;
// the untouched file is still analysed. Unreadable permissions are tried
// too when not running as root (root reads anything).
func TestFilesChangingUnderTheRun(t *testing.T) {
	files := map[string]string{"good.py": "import mlflow\nmlflow.old()\n"}
	names := []string{"removed.py", "nowdir.py", "nowpipe.py", "nowlink.py", "unreadable.py"}
	for _, n := range names {
		files[n] = "import mlflow\nmlflow.old()\n"
	}
	dir := writeFiles(t, files)
	targets, errs := Walk([]string{dir}, WalkOptions{})
	if len(errs) != 0 || len(targets) != len(files) {
		t.Fatalf("walk: %v %v", targets, errs)
	}
	p := func(n string) string { return filepath.Join(dir, n) }
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.Remove(p("removed.py")))
	must(os.Remove(p("nowdir.py")))
	must(os.Mkdir(p("nowdir.py"), 0o755))
	must(os.Remove(p("nowpipe.py")))
	must(syscall.Mkfifo(p("nowpipe.py"), 0o644))
	must(os.Remove(p("nowlink.py")))
	must(os.Symlink(p("nowhere"), p("nowlink.py")))
	want := map[string]string{
		"removed.py": "cannot read: no such file or directory",
		"nowdir.py":  "skipped: not a regular file (a directory)",
		"nowpipe.py": "skipped: not a regular file (a named pipe)",
		"nowlink.py": "cannot read: no such file or directory",
	}
	if os.Geteuid() != 0 {
		must(os.Chmod(p("unreadable.py"), 0))
		want["unreadable.py"] = "cannot read: permission denied"
	}
	d, err := newDriver(Options{Rules: []*analysis.Analyzer{renameRule}, MaxFileSize: DefaultMaxFileSize, Target: DefaultTarget})
	must(err)
	res := &Result{}
	for _, tg := range targets {
		d.merge(res, d.processFile(context.Background(), tg))
	}
	for name, msg := range want {
		e, ok := errorFor(res.Errors, name)
		if !ok || e.Message != msg || e.Fatal {
			t.Errorf("%s: got %+v, want %q (not fatal: the file was found by the walk)", name, e, msg)
		}
	}
	if len(res.Errors) != len(want) || len(findingLines(res, "good.py")) != 1 {
		t.Errorf("errors %v, findings %v", res.Errors, res.Findings)
	}
	// Named on the command line, the same problems are fatal: the request
	// itself cannot be honoured. A named pipe must not block the run.
	delete(want, "nowdir.py") // a named directory is walked, and is empty
	for name, msg := range want {
		res := runOn(t, Options{Paths: []string{p(name)}})
		if len(res.Errors) != 1 || !res.Errors[0].Fatal || !strings.Contains(res.Errors[0].Message, strings.TrimPrefix(strings.TrimPrefix(msg, "cannot read: "), "broken symbolic link: ")) {
			t.Errorf("explicit %s: %+v", name, res.Errors)
		}
	}
}

// TestUnreadableDirectories: a directory the walk cannot enter is reported
// by name and the rest of the tree is analysed. Root can enter any
// directory, so the test also builds a directory whose path is longer than
// the system's path limit (PATH_MAX, 4096 bytes), which nobody can open by
// name: the walk reports it and goes on.
func TestUnreadableDirectories(t *testing.T) {
	dir := writeFiles(t, map[string]string{"good.py": "import mlflow\nmlflow.old()\n", "locked/a.py": "import mlflow\nmlflow.old()\n"})
	want := 0
	if os.Geteuid() != 0 {
		if err := os.Chmod(filepath.Join(dir, "locked"), 0); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = os.Chmod(filepath.Join(dir, "locked"), 0o755) })
		want++
	}
	deepFile := deepTree(t, dir, 22) // about 4,500 bytes below dir
	want++
	res := runOn(t, Options{Paths: []string{dir}})
	if len(res.Errors) != want {
		t.Fatalf("errors %v, want %d", res.Errors, want)
	}
	for _, e := range res.Errors {
		if e.Fatal || !(strings.HasSuffix(e.Path, "/locked") && e.Message == "permission denied" || e.Message == "file name too long") {
			t.Errorf("walk error %+v", e)
		}
	}
	if !strings.HasPrefix(deepFile, res.Errors[len(res.Errors)-1].Path) {
		t.Errorf("the error names %q, not a directory above the deep file", res.Errors[len(res.Errors)-1].Path)
	}
	// good.py and the readable deep.py (3,000 bytes down) are analysed;
	// locked/a.py too when root can read it.
	var names []string
	for _, f := range res.Findings {
		names = append(names, filepath.Base(f.Path))
	}
	want2 := "deep.py good.py"
	if os.Geteuid() == 0 {
		want2 = "deep.py good.py a.py"
	}
	if strings.Join(names, " ") != want2 {
		t.Errorf("findings in %v, want %s", names, want2)
	}
}

// deepTree creates levels directories of 200-byte names below dir, with a
// fixable file at the level whose path passes 3,000 bytes (still readable)
// and one at the bottom, using paths relative to open directories so that
// the system's path limit does not stop the creation. It returns the full
// path of the bottom file.
func deepTree(t *testing.T, dir string, levels int) string {
	t.Helper()
	fd, err := syscall.Open(dir, syscall.O_DIRECTORY|syscall.O_RDONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	path := dir
	wrote3000 := false
	writeAt := func(fd int, name string) {
		f, err := syscall.Openat(fd, name, syscall.O_CREAT|syscall.O_WRONLY, 0o644)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := syscall.Write(f, []byte("import mlflow\nmlflow.old()\n")); err != nil {
			t.Fatal(err)
		}
		syscall.Close(f)
	}
	for i := 0; i < levels; i++ {
		name := fmt.Sprintf("%02d_%s", i, strings.Repeat("d", 197))
		if err := syscall.Mkdirat(fd, name, 0o755); err != nil {
			t.Fatal(err)
		}
		next, err := syscall.Openat(fd, name, syscall.O_DIRECTORY|syscall.O_RDONLY, 0)
		syscall.Close(fd)
		if err != nil {
			t.Fatal(err)
		}
		fd = next
		path += "/" + name
		if !wrote3000 && len(path) > 3000 {
			writeAt(fd, "deep.py")
			wrote3000 = true
		}
	}
	writeAt(fd, "bottom.py")
	syscall.Close(fd)
	return path + "/bottom.py"
}

// TestLongAndNonASCIIPaths: a fix is written under a 3,000-byte path,
// under non-ASCII names and to a file whose 250-byte name leaves no room
// for a naive temporary name.
func TestLongAndNonASCIIPaths(t *testing.T) {
	long := strings.Repeat("n", 250) + ".py"
	dir := writeFiles(t, map[string]string{
		"données/été_模型.py":      "import mlflow\nmlflow.old()\n",
		long:                     "import mlflow\nmlflow.old()\n",
		"spaces and 'quotes'.py": "import mlflow\nmlflow.old()\n",
	})
	deepTree(t, dir, 15)
	res := runOn(t, Options{Paths: []string{dir}, Fix: true})
	if res.Fixed != 5 || len(res.Errors) != 0 {
		t.Fatalf("fixed %d, errors %v", res.Fixed, res.Errors)
	}
	var deep string
	for _, f := range res.Findings {
		t.Errorf("finding left: %v", f)
	}
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if b, _ := os.ReadFile(p); string(b) != "import mlflow\nmlflow.new()\n" {
				t.Errorf("%s holds %q", p, b)
			}
			if strings.HasPrefix(d.Name(), ".") {
				t.Errorf("temporary file left: %s", p)
			}
			if len(p) > len(deep) {
				deep = p
			}
		}
		return nil
	})
	if len(deep) < 3000 {
		t.Errorf("deepest file path is %d bytes, want over 3000", len(deep))
	}
}

// TestSymlinks: links to directories are never followed (no loops, nothing
// outside the tree), links to files are analysed under the link's name,
// even when the file is outside the tree, and a dangling link is reported.
// Links to pipes and devices are skipped, never read.
func TestSymlinks(t *testing.T) {
	outside := writeFiles(t, map[string]string{"ext.py": "import mlflow\nmlflow.old()\n", "pkg/inner.py": "import mlflow\nmlflow.old()\n"})
	dir := writeFiles(t, map[string]string{"pkg/a.py": "import mlflow\nmlflow.old()\n"})
	for link, target := range map[string]string{
		"pkg/loop":    dir,
		"pkg/self":    ".",
		"outdir":      filepath.Join(outside, "pkg"),
		"extlink.py":  filepath.Join(outside, "ext.py"),
		"dangling.py": filepath.Join(dir, "missing.py"),
		"zero.py":     "/dev/zero",
		"cycle_a.py":  "cycle_b.py",
		"cycle_b.py":  "cycle_a.py",
	} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	res := runOn(t, Options{Paths: []string{dir}})
	var paths []string
	for _, f := range res.Findings {
		rel, _ := filepath.Rel(dir, f.Path)
		paths = append(paths, filepath.ToSlash(rel))
	}
	if strings.Join(paths, " ") != "extlink.py pkg/a.py" {
		t.Errorf("findings in %v", paths)
	}
	msgs := map[string]string{}
	for _, e := range res.Errors {
		msgs[filepath.Base(e.Path)] = e.Message
	}
	if len(msgs) != 3 || msgs["dangling.py"] != "broken symbolic link: no such file or directory" ||
		!strings.HasPrefix(msgs["cycle_a.py"], "broken symbolic link: too many levels") || msgs["cycle_b.py"] == "" {
		t.Errorf("errors %v", res.Errors)
	}
}

// TestConcurrentWriterWins changes a file after it was analysed and before
// the fix is renamed into place: the other writer's bytes stay, the file
// gets a clear error, no temporary file is left, and the other files of
// the run are still fixed.
func TestConcurrentWriterWins(t *testing.T) {
	dir := writeFiles(t, map[string]string{"a.py": "import mlflow\nmlflow.old()\n", "b.py": "import mlflow\nmlflow.old()\n"})
	const other = "import mlflow\nmlflow.old()  # edited meanwhile\n"
	beforeWrite = func(path string) {
		if strings.HasSuffix(path, "a.py") {
			if err := os.WriteFile(path, []byte(other), 0o644); err != nil {
				t.Error(err)
			}
		}
	}
	t.Cleanup(func() { beforeWrite = nil })
	res := runOn(t, Options{Paths: []string{dir}, Fix: true, Jobs: 1})
	e, ok := errorFor(res.Errors, "a.py")
	if !ok || e.Message != "fix not written: "+errChanged.Error() || e.Fatal {
		t.Errorf("errors %v", res.Errors)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "a.py")); string(b) != other {
		t.Errorf("a.py = %q, want the other writer's text", b)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "b.py")); string(b) != "import mlflow\nmlflow.new()\n" || res.Fixed != 1 {
		t.Errorf("b.py = %q, fixed %d", b, res.Fixed)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("files left: %v", entries)
	}
}

// TestHostileNotebooks: a notebook that is not JSON or not a notebook is
// named with the reason; one with no cells is clean; a code cell whose
// source is one string (valid nbformat) is analysed and fixed in place;
// megabytes of outputs are carried through a fix byte for byte.
func TestHostileNotebooks(t *testing.T) {
	cell := func(source string) string {
		return `{"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [], "source": ` + source + `}`
	}
	nb := func(cells ...string) string {
		return `{"cells": [` + strings.Join(cells, ", ") + `], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}` + "\n"
	}
	bigOutput := `{"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [{"name": "stdout", "output_type": "stream", "text": ["` +
		strings.Repeat("mlflow.old() and \\\"quotes\\\" \\u00e9 ", 200000) + `"]}], "source": ["import mlflow\n", "mlflow.old()"]}`
	files := map[string]string{
		"notjson.ipynb":  "import mlflow  # a script saved as .ipynb\n",
		"notnb.ipynb":    `{"mlflow": true}`,
		"trunc.ipynb":    strings.TrimSuffix(nb(cell(`["import mlflow\n"]`)), "}\n"),
		"nocells.ipynb":  `{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5, "x": "mlflow"}`,
		"string.ipynb":   nb(cell(`"import mlflow\nmlflow.old()"`)),
		"outputs.ipynb":  nb(bigOutput),
		"markdown.ipynb": nb(`{"cell_type": "markdown", "metadata": {}, "source": "mlflow.old()"}`),
	}
	dir := writeFiles(t, files)
	res := runOn(t, Options{Paths: []string{dir}, Fix: true})
	msgs := map[string]string{}
	for _, e := range res.Errors {
		msgs[filepath.Base(e.Path)] = e.Message
	}
	for name, prefix := range map[string]string{
		"notjson.ipynb": "invalid notebook: not valid JSON",
		"notnb.ipynb":   "invalid notebook: not an nbformat 4 notebook",
		"trunc.ipynb":   "invalid notebook:",
	} {
		if !strings.HasPrefix(msgs[name], prefix) {
			t.Errorf("%s: %q, want %q...", name, msgs[name], prefix)
		}
	}
	if len(msgs) != 3 || res.Fixed != 2 || len(res.Findings) != 0 {
		t.Errorf("errors %v, fixed %d, findings %v", res.Errors, res.Fixed, res.Findings)
	}
	for name, orig := range files {
		b, _ := os.ReadFile(filepath.Join(dir, name))
		want := orig
		switch name {
		case "string.ipynb":
			want = strings.Replace(orig, "mlflow.old()", "mlflow.new()", 1)
		case "outputs.ipynb":
			want = strings.Replace(orig, `"mlflow.old()"]}`, `"mlflow.new()"]}`, 1)
		}
		if string(b) != want {
			t.Errorf("%s: %d bytes differ from the expected %d", name, len(b), len(want))
		}
	}
	if len(files["outputs.ipynb"]) < 5<<20 {
		t.Errorf("outputs notebook is only %d bytes", len(files["outputs.ipynb"]))
	}
}

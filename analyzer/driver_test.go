package analyzer

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/mlflowlint/mlflowlint/parser"
)

// renameRule is a test rule: it reports every identifier `old` reached
// through `mlflow` and renames it to `new`.
var renameRule = &analysis.Analyzer{
	Name:     "MLF998",
	Doc:      "test rule",
	Requires: Shared,
	Run: func(pass *analysis.Pass) (any, error) {
		in := In(pass)
		for _, a := range in.Index.Of("attribute") {
			if in.Resolver.Resolve(a) == "mlflow.old" {
				attr := parser.Field(a, "attribute")
				pass.Report(analysis.Diagnostic{Pos: in.File.Pos(attr), End: in.File.End(attr), Message: "old is gone",
					SuggestedFixes: []analysis.SuggestedFix{{Message: "Rename", TextEdits: []analysis.TextEdit{{Pos: in.File.Pos(attr), End: in.File.End(attr), NewText: []byte("new")}}}}})
			}
		}
		return nil, nil
	},
}

var panicRule = &analysis.Analyzer{
	Name: "MLF997", Doc: "panics", Requires: Shared,
	Run: func(pass *analysis.Pass) (any, error) { panic("boom") },
}

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestFixKeepsBOMAndCRLF(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"bom.py":  "\xEF\xBB\xBFimport mlflow\r\nmlflow.old()\r\n",
		"crlf.py": "import mlflow\r\n\r\nx = mlflow.old  # keep\r\n",
	})
	res, err := Run(context.Background(), Options{Paths: []string{dir}, Rules: []*analysis.Analyzer{renameRule}, Fix: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Fixed != 2 || len(res.Errors) != 0 {
		t.Fatalf("fixed %d, errors %v", res.Fixed, res.Errors)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "bom.py"))
	if string(b) != "\xEF\xBB\xBFimport mlflow\r\nmlflow.new()\r\n" {
		t.Errorf("bom.py: %q", b)
	}
	b, _ = os.ReadFile(filepath.Join(dir, "crlf.py"))
	if string(b) != "import mlflow\r\n\r\nx = mlflow.new  # keep\r\n" {
		t.Errorf("crlf.py: %q", b)
	}
}

func TestFindingPositions(t *testing.T) {
	dir := writeFiles(t, map[string]string{"a.py": "import mlflow\ns = \"héllo\"; mlflow.old()\n"})
	res, err := Run(context.Background(), Options{Paths: []string{dir}, Rules: []*analysis.Analyzer{renameRule}})
	if err != nil || len(res.Findings) != 1 {
		t.Fatalf("%v %v", res, err)
	}
	f := res.Findings[0]
	// "s = \"héllo\"; mlflow." is 21 bytes (é is two), so `old` starts at byte column 22.
	if f.Start.Line != 2 || f.Start.Col != 22 || f.End.Col != 25 || f.Lines()[0] != "s = \"héllo\"; mlflow.old()" {
		t.Errorf("position %+v %+v %q", f.Start, f.End, f.Lines())
	}
}

func TestBadInputsAreReportedAndSkipped(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"binary.py":    "import mlflow\x00\x01",
		"latin1.py":    "import mlflow\n# caf\xe9\nmlflow.old()\n",
		"good.py":      "import mlflow\nmlflow.old()\n",
		"nomention.py": "import os\n\x00",
		"empty.py":     "",
	})
	res, err := Run(context.Background(), Options{Paths: []string{dir}, Rules: []*analysis.Analyzer{renameRule}})
	if err != nil {
		t.Fatal(err)
	}
	msgs := map[string]string{}
	for _, e := range res.Errors {
		msgs[filepath.Base(e.Path)] = e.Message
	}
	if !strings.Contains(msgs["binary.py"], "binary file") || !strings.Contains(msgs["latin1.py"], "not valid UTF-8") {
		t.Errorf("errors: %v", msgs)
	}
	if len(res.Findings) != 1 || !strings.HasSuffix(res.Findings[0].Path, "good.py") {
		t.Errorf("findings: %v", res.Findings)
	}
	if res.Parsed != 1 {
		t.Errorf("parsed %d files; files that never mention mlflow must not be parsed", res.Parsed)
	}
}

func TestPanickingRuleBecomesFileError(t *testing.T) {
	dir := writeFiles(t, map[string]string{"a.py": "import mlflow\nmlflow.old()\n", "b.py": "import mlflow\n"})
	res, err := Run(context.Background(), Options{Paths: []string{dir}, Rules: []*analysis.Analyzer{panicRule}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) != 2 || !strings.Contains(res.Errors[0].Message, "internal error in MLF997: boom") {
		t.Errorf("errors: %v", res.Errors)
	}
}

func TestWalkSkipsAndGitignore(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		".gitignore":           "generated/\n*_pb2.py\n",
		"a.py":                 "",
		"nb.ipynb":             "",
		"notes.txt":            "",
		"x_pb2.py":             "",
		"generated/g.py":       "",
		".venv/lib/site.py":    "",
		"node_modules/m.py":    "",
		"pkg/__pycache__/c.py": "",
		"env/pyvenv.cfg":       "",
		"env/lib/v.py":         "",
		"pkg/sub/b.pyi":        "",
		"pkg/sub/.gitignore":   "local.py\n",
		"pkg/sub/local.py":     "",
	})
	targets, errs := Walk([]string{dir}, WalkOptions{RespectGitignore: true})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var got []string
	for _, tg := range targets {
		rel, _ := filepath.Rel(dir, tg.Path)
		got = append(got, filepath.ToSlash(rel))
	}
	want := []string{"a.py", "nb.ipynb", "pkg/sub/b.pyi"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("walk = %v, want %v", got, want)
	}
	// An explicitly named file is always analysed.
	targets, _ = Walk([]string{filepath.Join(dir, "x_pb2.py")}, WalkOptions{RespectGitignore: true})
	if len(targets) != 1 || !targets[0].Explicit {
		t.Errorf("explicit file: %v", targets)
	}
	// A missing path is fatal.
	if _, errs := Walk([]string{filepath.Join(dir, "missing")}, WalkOptions{}); len(errs) != 1 || !errs[0].Fatal {
		t.Errorf("missing path: %v", errs)
	}
}

// TestWalkedPathsAreClean: however a root is written (".", a trailing
// slash, "..", doubled separators), the walked paths are those
// filepath.Join gives, at every depth.
func TestWalkedPathsAreClean(t *testing.T) {
	dir := writeFiles(t, map[string]string{"x/a.py": "", "x/y/b.py": "", "x/y/z/c.py": "", "d.py": ""})
	t.Chdir(dir)
	for _, root := range []string{".", "./", "x/", "x//y/..", "./x/y/", dir + "/x/./y/../"} {
		var want []string
		err := filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
			if err == nil && !e.IsDir() {
				want = append(want, filepath.ToSlash(filepath.Join(filepath.Dir(p), e.Name())))
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		targets, errs := Walk([]string{root}, WalkOptions{})
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		var got []string
		for _, tg := range targets {
			got = append(got, tg.Path)
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("root %q: walk = %v, want %v", root, got, want)
		}
	}
}

func TestSymlinkLoopsAreNotFollowed(t *testing.T) {
	dir := writeFiles(t, map[string]string{"pkg/a.py": ""})
	if err := os.Symlink(dir, filepath.Join(dir, "pkg", "loop")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "pkg", "a.py"), filepath.Join(dir, "alias.py")); err != nil {
		t.Fatal(err)
	}
	targets, errs := Walk([]string{dir}, WalkOptions{})
	if len(errs) != 0 || len(targets) != 2 {
		t.Errorf("targets %v errs %v", targets, errs)
	}
}

func TestRuleTriggersSkipRulesAndFiles(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"has.py":     "import mlflow\nmlflow.old()\n",
		"without.py": "import mlflow\nmlflow.log_metric('a', 1)\n",
	})
	// panicRule fails on every file it runs on: the files it may not run
	// on must not reach it.
	trig := map[string][][]byte{"MLF998": {[]byte("old")}, "MLF997": {[]byte("never written")}}
	res, err := Run(context.Background(), Options{Paths: []string{dir}, Rules: []*analysis.Analyzer{renameRule, panicRule}, RuleTriggers: trig})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) != 0 || len(res.Findings) != 1 || !strings.HasSuffix(res.Findings[0].Path, "has.py") {
		t.Errorf("errors %v findings %v", res.Errors, res.Findings)
	}
	if res.Parsed != 1 {
		t.Errorf("parsed %d files; a file no rule is triggered by must not be parsed", res.Parsed)
	}
	// A rule without triggers runs on every file, so every file is parsed;
	// so does every rule without the prefilter.
	for _, opt := range []Options{
		{Rules: []*analysis.Analyzer{renameRule}, RuleTriggers: map[string][][]byte{"MLF997": trig["MLF997"]}},
		{Rules: []*analysis.Analyzer{renameRule}, RuleTriggers: trig, NoPrefilter: true},
		{Rules: []*analysis.Analyzer{renameRule}, RuleTriggers: trig, ReportUnusedNoqa: true},
	} {
		opt.Paths = []string{dir}
		res, err := Run(context.Background(), opt)
		if err != nil {
			t.Fatal(err)
		}
		if res.Parsed != 2 || len(res.Findings) != 1 {
			t.Errorf("%+v: parsed %d, findings %v", opt, res.Parsed, res.Findings)
		}
	}
}

// TestCountsOnly: a file's result is merged as counts alone only when it
// holds nothing but counts; every other field of fileOut, set alone,
// makes it one to merge in path order (a field added later too). A
// result merged as counts and added up (addCounts) gives what merging it
// gives.
func TestCountsOnly(t *testing.T) {
	counts := map[string]bool{"parsed": true, "size": true, "parsedBytes": true, "cached": true, "quiet": true, "unread": true}
	typ := reflect.TypeFor[fileOut]()
	for i := range typ.NumField() {
		f := typ.Field(i)
		var out fileOut
		v := reflect.ValueOf(&out).Elem().Field(i)
		v = reflect.NewAt(v.Type(), v.Addr().UnsafePointer()).Elem()
		switch v.Kind() {
		case reflect.Bool:
			v.SetBool(true)
		case reflect.Int, reflect.Int64:
			v.SetInt(1)
		case reflect.Slice:
			v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		case reflect.Pointer:
			v.Set(reflect.New(v.Type().Elem()))
		default:
			t.Fatalf("field %s of kind %s: teach the test", f.Name, v.Kind())
		}
		if got := out.countsOnly(); got != counts[f.Name] {
			t.Errorf("%s set: countsOnly = %v, want %v", f.Name, got, counts[f.Name])
		}
		res := Result{Matrix: make([]Tally, 1)}
		(&driver{}).merge(&res, out)
		merged := len(res.Findings)+len(res.Errors)+len(res.Notes)+len(res.Diffs)+res.Fixed > 0
		if merged && out.countsOnly() {
			t.Errorf("%s set: merged beyond the counts, yet counts only", f.Name)
		}
		if out.countsOnly() {
			var counted Result
			(&driver{}).merge(&counted, out)
			via := Result{Matrix: make([]Tally, 1)}
			via.addCounts(&counted)
			if !reflect.DeepEqual(via, res) {
				t.Errorf("%s set: added up %+v, merged %+v", f.Name, via, res)
			}
		}
	}
}

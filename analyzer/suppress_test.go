package analyzer_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/analyzer/analysistest"
	"github.com/mlflowlint/mlflowlint/rules"
)

func TestParseNoqa(t *testing.T) {
	for _, c := range []struct {
		text  string
		codes []string
		file  bool
		ok    bool
	}{
		{"# noqa", nil, false, true},
		{"# noqa: MLF011", []string{"MLF011"}, false, true},
		{"#noqa:MLF011,MLF012", []string{"MLF011", "MLF012"}, false, true},
		{"# NOQA: mlf011, E501", []string{"MLF011", "E501"}, false, true},
		{"# type: ignore  # noqa: MLF002", []string{"MLF002"}, false, true},
		{"# mlflowlint: noqa", nil, true, true},
		{"# mlflowlint: noqa: MLF002, MLF003", []string{"MLF002", "MLF003"}, true, true},
		{"# just a note", nil, false, false},
		{"# noqa: MLF011 until 3.1 ships", []string{"MLF011"}, false, true},
	} {
		codes, file, ok := analyzer.ParseNoqa(c.text)
		if !slices.Equal(codes, c.codes) || file != c.file || ok != c.ok {
			t.Errorf("ParseNoqa(%q) = %v, %v, %v; want %v, %v, %v", c.text, codes, file, ok, c.codes, c.file, c.ok)
		}
	}
}

func analyze(t *testing.T, src string, unused, fix bool) (*analyzer.Result, string) {
	t.Helper()
	in := &analyzer.Stdin{Name: "pipeline.py", Src: []byte(src)}
	res, err := analyzer.Run(context.Background(), analyzer.Options{
		Rules: pick("MLF011", "MLF012"), Stdin: in, Jobs: 1,
		ReportUnusedNoqa: unused, Fix: fix,
	})
	if err != nil {
		t.Fatal(err)
	}
	return res, string(in.Fixed)
}

// pick returns the named rules: the tests use a fixed set so that rules
// added later do not change their findings.
func pick(codes ...string) []*analysis.Analyzer {
	var out []*analysis.Analyzer
	for _, a := range rules.Suite {
		if slices.Contains(codes, a.Name) {
			out = append(out, a)
		}
	}
	return out
}

// summary lists findings as "line:CODE" with a "!" for suppressed ones.
func summary(res *analyzer.Result) string {
	var out []string
	for _, f := range res.Findings {
		s := fmt.Sprintf("%02d:%s", f.Start.Line, f.Code)
		if f.Suppressed {
			s += "!"
		}
		out = append(out, s)
	}
	return strings.Join(out, " ")
}

func TestSuppressions(t *testing.T) {
	const head = "import mlflow\nfrom mlflow.models import MetricThreshold\n"
	const mt = "t = MetricThreshold(threshold=1, higher_is_better=True)"
	const ev = "mlflow.evaluate(m, d, custom_metrics=[f])"
	for _, c := range []struct{ name, body, want string }{
		{"none", mt + "\n" + ev + "\n", "03:MLF011 04:MLF012"},
		{"code", mt + "  # noqa: MLF011\n" + ev + "\n", "03:MLF011! 04:MLF012"},
		{"other code", mt + "  # noqa: MLF012\n" + ev + "\n", "03:MLF011 04:MLF012"},
		{"lower case and no space", mt + "  #noqa:mlf011\n" + ev + "\n", "03:MLF011! 04:MLF012"},
		{"list", mt + "  # noqa: E501, MLF011\n" + ev + "  # noqa: MLF011,MLF012\n", "03:MLF011! 04:MLF012!"},
		{"bare", mt + "  # noqa\n" + ev + "\n", "03:MLF011! 04:MLF012"},
		{"previous line does not count", "# noqa: MLF011\n" + mt + "\n", "04:MLF011"},
		{"file", "# mlflowlint: noqa\n" + mt + "\n" + ev + "\n", "04:MLF011! 05:MLF012!"},
		{"file codes", "# mlflowlint: noqa: MLF012\n" + mt + "\n" + ev + "\n", "04:MLF011 05:MLF012!"},
		{"in a string", "s = '# noqa: MLF011'; " + mt + "\n", "03:MLF011"},
		{"after another comment", mt + "  # keep  # noqa: MLF011\n", "03:MLF011!"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, _ := analyze(t, head+c.body, false, false)
			if got := summary(res); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

func TestSuppressedFindingsAreNotFixed(t *testing.T) {
	src := "import mlflow\nmlflow.evaluate(m, d, custom_metrics=[f])  # noqa: MLF012\n"
	_, fixed := analyze(t, src, false, true)
	if fixed != src {
		t.Errorf("a suppressed finding was fixed:\n%s", fixed)
	}
}

// TestUnusedNoqaFixtures checks fixtures/MLF000 like the rule harness does:
// every finding is expected by a want comment, and --fix gives the golden
// file, after which nothing is left to fix.
func TestUnusedNoqaFixtures(t *testing.T) {
	dir := filepath.Join("..", "fixtures", "MLF000")
	names, _ := filepath.Glob(filepath.Join(dir, "*.py"))
	if len(names) < 2 {
		t.Fatalf("want positive and negative fixtures in %s", dir)
	}
	positive := 0
	for _, p := range names {
		t.Run(filepath.Base(p), func(t *testing.T) {
			src, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			wants, err := analysistest.Wants(p, src)
			if err != nil {
				t.Fatal(err)
			}
			if len(wants) > 0 {
				positive++
			}
			res, _ := analyze(t, string(src), true, false)
			var unused []analyzer.Finding
			for _, f := range res.Findings {
				if f.Code == analyzer.UnusedNoqaCode {
					unused = append(unused, f)
				}
			}
			analysistest.CheckWants(t, p, unused, wants)
			golden, err := os.ReadFile(p + ".golden")
			if err != nil {
				if len(wants) > 0 {
					t.Fatalf("no golden file: %v", err)
				}
				return
			}
			_, fixed := analyze(t, string(src), true, true)
			if fixed != string(golden) {
				t.Errorf("fixed source differs from %s.golden:\n%s", p, fixed)
			}
			_, again := analyze(t, fixed, true, true)
			if again != fixed {
				t.Errorf("a second fix round changed the source:\n%s", again)
			}
		})
	}
	if positive == 0 {
		t.Error("no positive MLF000 fixture")
	}
}

func TestUnusedNoqaOnlyForRulesThatRan(t *testing.T) {
	src := "import mlflow\nmlflow.log_metric('a', 1)  # noqa: MLF011\n"
	in := &analyzer.Stdin{Name: "x.py", Src: []byte(src)}
	var only []*analyzer.TextRule
	res, err := analyzer.Run(context.Background(), analyzer.Options{
		Rules: nil, TextRules: only, Stdin: in, ReportUnusedNoqa: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 0 {
		t.Errorf("MLF011 did not run, yet its code was called unused: %v", summary(res))
	}
	res, _ = analyze(t, src, true, false)
	if summary(res) != "02:MLF000" {
		t.Errorf("with MLF011 running: %q", summary(res))
	}
	res, _ = analyze(t, "# mlflowlint: noqa\n"+src, true, false)
	if summary(res) != "03:MLF000!" {
		t.Errorf("a file-level noqa should silence MLF000 too: %q", summary(res))
	}
	res, _ = analyze(t, src, false, false)
	if len(res.Findings) != 0 {
		t.Errorf("MLF000 reported without being enabled: %q", summary(res))
	}
}

func TestAddNoqa(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name  string
		src   string
		codes map[int][]string
		want  string
		n     int
		skip  string
	}{
		{"plain", "a = f(x)\nb = 2\n", map[int][]string{1: {"MLF012", "MLF011", "MLF012"}},
			"a = f(x)  # noqa: MLF011, MLF012\nb = 2\n", 1, ""},
		{"trailing blanks and no final newline", "a = f(x)   \t", map[int][]string{1: {"MLF011"}},
			"a = f(x)  # noqa: MLF011", 1, ""},
		{"CRLF", "a = 1\r\nb = f(x)\r\n", map[int][]string{2: {"MLF011"}},
			"a = 1\r\nb = f(x)  # noqa: MLF011\r\n", 1, ""},
		{"BOM", "\ufeffa = f(x)\n", map[int][]string{1: {"MLF002"}},
			"\ufeffa = f(x)  # noqa: MLF002\n", 1, ""},
		{"merge", "a = f(x)  # noqa: E501\n", map[int][]string{1: {"MLF011"}},
			"a = f(x)  # noqa: E501, MLF011\n", 1, ""},
		{"already listed", "a = f(x)  # noqa: MLF011\n", map[int][]string{1: {"MLF011"}},
			"a = f(x)  # noqa: MLF011\n", 0, ""},
		{"bare noqa", "a = f(x)  # noqa\n", map[int][]string{1: {"MLF011"}},
			"a = f(x)  # noqa\n", 0, ""},
		{"other comment", "a = f(x)  # keep this\n", map[int][]string{1: {"MLF011"}},
			"a = f(x)  # keep this  # noqa: MLF011\n", 1, ""},
		{"multi-line string", "a = f('''one\ntwo''', x=1)\n", map[int][]string{1: {"MLF011"}},
			"a = f('''one\ntwo''', x=1)\n", 0, "inside a multi-line string"},
		{"string ends on the line", "a = '''one\ntwo'''; f(x)\n", map[int][]string{2: {"MLF011"}},
			"a = '''one\ntwo'''; f(x)  # noqa: MLF011\n", 1, ""},
		{"backslash", "a = f(x) + \\\n    g(y)\n", map[int][]string{1: {"MLF011"}},
			"a = f(x) + \\\n    g(y)\n", 0, "backslash"},
		{"no such line", "a = 1\n", map[int][]string{7: {"MLF011"}}, "a = 1\n", 0, "no such line"},
		{"a line tree-sitter joins", "import #c\nmlflow\nmlflow.fastai.autolog()\n", map[int][]string{3: {"MLF002"}},
			"import #c\nmlflow\nmlflow.fastai.autolog()  # noqa: MLF002\n", 1, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, n, skips, err := analyzer.AddNoqa(ctx, []byte(c.src), c.codes)
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != c.want || n != c.n {
				t.Errorf("got %d changes:\n%q\nwant %d:\n%q", n, out, c.n, c.want)
			}
			if c.skip == "" && len(skips) > 0 || c.skip != "" && (len(skips) != 1 || !strings.Contains(skips[0].Reason, c.skip)) {
				t.Errorf("skips %v, want one mentioning %q", skips, c.skip)
			}
		})
	}
}

// TestAddNoqaSilencesEveryFinding is the round trip --add-noqa relies on:
// after adding the comments, every finding is suppressed.
func TestAddNoqaSilencesEveryFinding(t *testing.T) {
	src := "import mlflow\nfrom mlflow.models import MetricThreshold\n" +
		"t = MetricThreshold(threshold=1, higher_is_better=True); mlflow.evaluate(m, d, custom_metrics=[f])\n" +
		"mlflow.evaluate(\n    m, d,\n    custom_metrics=[f],  # noqa: E501\n)\n"
	res, _ := analyze(t, src, false, false)
	lines := map[int][]string{}
	for _, f := range res.Findings {
		lines[f.NoqaLine] = append(lines[f.NoqaLine], f.Code)
	}
	if len(res.Findings) != 3 {
		t.Fatalf("want 3 findings, got %s", summary(res))
	}
	out, n, _, err := analyzer.AddNoqa(context.Background(), []byte(src), lines)
	if err != nil || n != 2 {
		t.Fatalf("AddNoqa: %d changes, %v", n, err)
	}
	res, _ = analyze(t, string(out), true, false)
	for _, f := range res.Findings {
		if !f.Suppressed {
			t.Errorf("still reported after --add-noqa: %d:%s\n%s", f.Start.Line, f.Code, out)
		}
	}
}

func TestWriteFileAtomic(t *testing.T) {
	p := filepath.Join(t.TempDir(), "a.py")
	if err := os.WriteFile(p, []byte("old\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := analyzer.WriteFileAtomic(p, []byte("old\n"), []byte("new\n")); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(p)
	st, _ := os.Stat(p)
	if string(b) != "new\n" || st.Mode().Perm() != 0o640 {
		t.Errorf("got %q, mode %v", b, st.Mode())
	}
	if err := analyzer.WriteFileAtomic(p, []byte("old\n"), []byte("newer\n")); err == nil {
		t.Error("wrote over a file that changed since it was read")
	}
}

package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/mlflowlint/mlflowlint/analyzer"
)

func TestUTF16Col(t *testing.T) {
	for _, c := range []struct {
		line    string
		byteCol int
		want    int
	}{
		{"abc", 1, 1},
		{"abc", 3, 3},
		{"abc", 4, 4},
		{"abc", 99, 4}, // clamped after the last character
		{"abc", 0, 1},
		{"é = 1", 3, 2},      // é is 2 bytes, 1 unit
		{"阈值 = x", 7, 3},     // two 3-byte CJK characters, 1 unit each
		{"🚀 x", 5, 3},        // a 4-byte emoji is a surrogate pair
		{"a🚀b🚀c", 11, 7},     // a, pair, b, pair
		{"\xff\xfeab", 3, 3}, // invalid bytes count one unit each
		{"e\u0301x", 4, 3},   // e + combining acute: two code points
		{"x = '😀😀'", 14, 10}, // inside the string, after both emoji
	} {
		if got := UTF16Col(c.line, c.byteCol); got != c.want {
			t.Errorf("UTF16Col(%q, %d) = %d, want %d", c.line, c.byteCol, got, c.want)
		}
	}
}

func TestCharColAndWidth(t *testing.T) {
	if got := charCol("🚀 x", 6); got != 3 {
		t.Errorf("charCol after emoji = %d, want 3", got)
	}
	if got := charCol("阈值 = x", 7); got != 3 {
		t.Errorf("charCol after CJK = %d, want 3", got)
	}
	for s, want := range map[string]int{
		"abc": 3, "阈值": 4, "🚀": 2, "é": 1, "e\u0301": 1, "\tx": tabWidth + 1, "ｘ": 2, "": 0,
	} {
		if got := displayWidth(s); got != want {
			t.Errorf("displayWidth(%q) = %d, want %d", s, got, want)
		}
	}
}

// caretLine returns the caret row printed under the frame row that shows
// text, with the gutter removed.
func caretLine(t *testing.T, out, text string) string {
	t.Helper()
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		if _, body, ok := strings.Cut(l, " | "); ok && body == text && i+1 < len(lines) {
			_, carets, _ := strings.Cut(lines[i+1], " | ")
			return carets
		}
	}
	t.Fatalf("no frame row %q in\n%s", text, out)
	return ""
}

func TestFrameCaretsLineUp(t *testing.T) {
	out := string(render(t, fixtureResult(t), fixtureOptions()))
	// "阈值 = MetricThreshold(threshold=0.8, " takes 4+3+16+15 = 38 cells.
	cjk := caretLine(t, out, "阈值 = MetricThreshold(threshold=0.8, higher_is_better=True)")
	if want := strings.Repeat(" ", 38) + strings.Repeat("^", 16) + " MLF011"; cjk != want {
		t.Errorf("CJK carets:\n%q\nwant\n%q", cjk, want)
	}
	// `print("🚀"); mlflow.evaluate(model, data, ` takes 7+2+3+1+16+13 = 42 cells.
	emoji := caretLine(t, out, `print("🚀"); mlflow.evaluate(model, data, custom_metrics=[m])`)
	if want := strings.Repeat(" ", 42) + strings.Repeat("^", 14) + " MLF012"; emoji != want {
		t.Errorf("emoji carets:\n%q\nwant\n%q", emoji, want)
	}
	if !strings.Contains(out, "src/eval.py:9:42: MLF012 [*] ") {
		t.Errorf("header column should count code points (42) for the emoji line:\n%s", out)
	}
	if !strings.Contains(out, "notebooks/explore.ipynb:cell 3:2:38: MLF012") {
		t.Errorf("notebook header should name the cell:\n%s", out)
	}
	if strings.Contains(out, "baseline_model") {
		t.Errorf("a suppressed finding was printed:\n%s", out)
	}
	if strings.Contains(out, "broken.py") {
		t.Errorf("file errors belong on stderr, not in the report:\n%s", out)
	}
}

func TestFrameTabsAndEmptySpan(t *testing.T) {
	line := "\tx = f(a, b)"
	f := analyzer.Finding{Code: "MLF999", Path: "t.py", Message: "m",
		Start: analyzer.Position{Offset: 7, Line: 5, Col: 8}, End: analyzer.Position{Offset: 7, Line: 5, Col: 8}, Src: analyzer.NewSource(0, line)}
	out := string(render(t, &analyzer.Result{Findings: []analyzer.Finding{f}}, Options{}))
	if got, want := caretLine(t, out, "    x = f(a, b)"), strings.Repeat(" ", 10)+"^ MLF999"; got != want {
		t.Errorf("carets %q, want %q\n%s", got, want, out)
	}
}

func TestSummary(t *testing.T) {
	safe := &analyzer.Fix{Message: "s", Edits: []analyzer.Edit{{New: "x"}}}
	unsafe := &analyzer.Fix{Message: "u", Unsafe: true, Edits: []analyzer.Edit{{New: "x"}}}
	mk := func(fixes ...*analyzer.Fix) []analyzer.Finding {
		var fs []analyzer.Finding
		for i, fx := range fixes {
			fs = append(fs, analyzer.Finding{Code: "MLF011", Path: "a.py", Message: "m", Fix: fx,
				Start: analyzer.Position{Offset: i, Line: i + 1, Col: 1}, End: analyzer.Position{Offset: i, Line: i + 1, Col: 1}})
		}
		return fs
	}
	for _, c := range []struct {
		name  string
		res   analyzer.Result
		opt   Options
		lines []string
	}{
		{"none", analyzer.Result{}, Options{}, []string{"All checks passed!"}},
		{"one", analyzer.Result{Findings: mk(nil)}, Options{}, []string{"Found 1 error."}},
		{"fixable", analyzer.Result{Findings: mk(safe, nil)}, Options{}, []string{"Found 2 errors (1 fixable with --fix)."}},
		{"hidden only", analyzer.Result{Findings: mk(unsafe)}, Options{},
			[]string{"Found 1 error.", "No fixes available (1 hidden fix can be enabled with the --unsafe-fixes option)."}},
		{"hidden and safe", analyzer.Result{Findings: mk(unsafe, unsafe, safe)}, Options{},
			[]string{"Found 3 errors (1 fixable with --fix).", "2 hidden fixes can be enabled with the --unsafe-fixes option."}},
		{"unsafe enabled", analyzer.Result{Findings: mk(unsafe, safe)}, Options{UnsafeFixes: true},
			[]string{"Found 2 errors (2 fixable with --fix)."}},
		{"fix all", analyzer.Result{Fixed: 2}, Options{FixMode: true}, []string{"Found 2 errors (2 fixed, 0 remaining)."}},
		{"fix some", analyzer.Result{Findings: mk(nil), Fixed: 1}, Options{FixMode: true}, []string{"Found 2 errors (1 fixed, 1 remaining)."}},
		{"fix none needed", analyzer.Result{}, Options{FixMode: true}, []string{"All checks passed!"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.opt.Format = "concise"
			out := strings.TrimSuffix(string(render(t, &c.res, c.opt)), "\n")
			lines := strings.Split(out, "\n")
			if got := lines[len(lines)-len(c.lines):]; !slices.Equal(got, c.lines) {
				t.Errorf("summary %q, want %q", got, c.lines)
			}
		})
	}
}

func TestStatisticsOrder(t *testing.T) {
	opt := fixtureOptions()
	opt.Statistics = true
	out := strings.TrimSuffix(string(render(t, fixtureResult(t), opt)), "\n")
	type row struct {
		n    int
		code string
	}
	var rows []row
	for _, l := range strings.Split(out, "\n") {
		f := strings.Fields(l)
		n, err := strconv.Atoi(f[0])
		if err != nil || len(f) < 4 {
			t.Fatalf("bad statistics line %q", l)
		}
		rows = append(rows, row{n, f[1]})
	}
	if len(rows) != 6 || rows[0] != (row{2, "MLF012"}) {
		t.Fatalf("want MLF012 (2 findings, the suppressed MLF013 not counted) first of 6 rows, got %v", rows)
	}
	for i := 1; i < len(rows); i++ {
		a, b := rows[i-1], rows[i]
		if a.n < b.n || a.n == b.n && a.code > b.code {
			t.Errorf("rows %v and %v out of order", a, b)
		}
	}
	if !strings.Contains(out, "MLF012  [*] evaluate-custom-metrics") || !strings.Contains(out, "MLF002  [ ] fastai-flavor-removed") {
		t.Errorf("fixable marks wrong:\n%s", out)
	}
}

// checkSortedKeys walks a JSON document and fails on an object whose keys
// are not in ascending order.
func checkSortedKeys(t *testing.T, data []byte) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	type frame struct {
		object bool
		last   string
		key    bool // the next string token is a key
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		isKey := top != nil && top.object && top.key
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{', '[':
				if top != nil && top.object {
					top.key = true
				}
				stack = append(stack, &frame{object: v == '{', key: v == '{'})
			default:
				stack = stack[:len(stack)-1]
			}
			continue
		case string:
			if isKey {
				if v < top.last {
					t.Errorf("key %q after %q", v, top.last)
				}
				top.last, top.key = v, false
				continue
			}
		}
		if top != nil && top.object {
			top.key = true
		}
	}
}

func TestJSONLikeRuff(t *testing.T) {
	opt := fixtureOptions()
	opt.Format = "json"
	data := render(t, fixtureResult(t), opt)
	checkSortedKeys(t, data)
	var got []map[string]any
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 7 {
		t.Fatalf("%d findings, want 7 (suppressed left out)", len(got))
	}
	want := []string{"cell", "code", "end_location", "filename", "fix", "location", "message", "noqa_row", "url"}
	for _, f := range got {
		var keys []string
		for k := range f {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if !slices.Equal(keys, want) {
			t.Errorf("keys %v, want %v", keys, want)
		}
	}
	find := func(file, code string) map[string]any {
		for _, f := range got {
			if f["filename"] == file && f["code"] == code {
				return f
			}
		}
		t.Fatalf("no %s in %s", code, file)
		return nil
	}
	emoji := find("src/eval.py", "MLF012")
	if loc := emoji["location"].(map[string]any); loc["column"] != 42.0 || loc["row"] != 9.0 {
		t.Errorf("emoji line location %v, want row 9 column 42 (code points)", loc)
	}
	nb := find("notebooks/explore.ipynb", "MLF012")
	if nb["cell"] != 3.0 || nb["location"].(map[string]any)["row"] != 2.0 {
		t.Errorf("notebook finding cell %v location %v, want cell 3 row 2", nb["cell"], nb["location"])
	}
	if fix := find("src/my project/log.py", "MLF901")["fix"].(map[string]any); fix["applicability"] != "unsafe" {
		t.Errorf("unsafe fix applicability %v", fix["applicability"])
	}
	if fix := find("src/train.py", "MLF002")["fix"]; fix != nil {
		t.Errorf("finding without fix has fix %v", fix)
	}
	if u := find("src/train.py", "MLF002")["url"]; u != "https://github.com/mlflowlint/mlflowlint/blob/main/docs/rules/MLF002.md" {
		t.Errorf("url %v", u)
	}
	empty := render(t, &analyzer.Result{}, Options{Format: "json"})
	if string(empty) != "[]\n" {
		t.Errorf("empty JSON %q, want []", empty)
	}
}

func TestGitHubEscaping(t *testing.T) {
	if got := escapeData("50% done\r\nnext: a,b"); got != "50%25 done%0D%0Anext: a,b" {
		t.Errorf("escapeData = %q", got)
	}
	if got := escapeProperty("dir:x/a,b%.py\n"); got != "dir%3Ax/a%2Cb%25.py%0A" {
		t.Errorf("escapeProperty = %q", got)
	}
	f := analyzer.Finding{Code: "MLF011", Path: "odd,name:1.py", Message: "100% broken\nsecond line",
		Severity: analyzer.SeverityWarning, Src: analyzer.NewSource(0, "x = 1"),
		Start: analyzer.Position{Line: 1, Col: 1}, End: analyzer.Position{Offset: 1, Line: 1, Col: 2}}
	out := string(render(t, &analyzer.Result{Findings: []analyzer.Finding{f}}, Options{Format: "github"}))
	want := "::warning file=odd%2Cname%3A1.py,line=1,col=1,endLine=1,endColumn=2,title=MLF011::100%25 broken%0Asecond line\n"
	if out != want {
		t.Errorf("got  %q\nwant %q", out, want)
	}
}

func TestArtifactURI(t *testing.T) {
	for _, c := range []struct {
		path, root, want string
		rel              bool
	}{
		{"src/a b.py", "", "src/a%20b.py", true},
		{"./src/x.py", "", "src/x.py", true},
		{"d/50%#?.py", "", "d/50%25%23%3F.py", true},
		{"é/数.py", "", "%C3%A9/%E6%95%B0.py", true},
		{"a:b.py", "", "a%3Ab.py", true},
		{"/repo/src/x.py", "/repo", "src/x.py", true},
		{"/repo/src/x.py", "/repo/", "src/x.py", true},
		{"/elsewhere/x y.py", "/repo", "file:///elsewhere/x%20y.py", false},
		{"C:/work/x.py", "", "file:///C:/work/x.py", false},
	} {
		got, rel := artifactURI(c.path, c.root)
		if got != c.want || rel != c.rel {
			t.Errorf("artifactURI(%q, %q) = %q, %v; want %q, %v", c.path, c.root, got, rel, c.want, c.rel)
		}
	}
	if got := fileURI("/home/dev/my repo"); got != "file:///home/dev/my%20repo/" {
		t.Errorf("fileURI = %q", got)
	}
}

func TestFixedLines(t *testing.T) {
	lines := []string{"f(a=1,", "  b=2)"}
	// Line 10 starts the Source at offset 0, line 11 at offset 7.
	pos := func(line, col int) analyzer.Position {
		return analyzer.Position{Offset: (line-10)*7 + col - 1, Line: line, Col: col}
	}
	f := analyzer.Finding{Start: pos(10, 3), End: pos(11, 6), Src: analyzer.NewSource(0, strings.Join(lines, "\n")), Fix: &analyzer.Fix{Edits: []analyzer.Edit{
		{Start: pos(11, 3), End: pos(11, 4), New: "c"},
		{Start: pos(10, 3), End: pos(10, 4), New: "z"},
	}}}
	before, after, ok := fixedLines(&f)
	if !ok || !slices.Equal(before, lines) || !slices.Equal(after, []string{"f(z=1,", "  c=2)"}) {
		t.Errorf("fixedLines = %q, %q, %v", before, after, ok)
	}
	f.Fix.Edits[0].New = "b" // only the first line changes now
	before, after, ok = fixedLines(&f)
	if !ok || !slices.Equal(before, lines[:1]) || !slices.Equal(after, []string{"f(z=1,"}) {
		t.Errorf("unchanged lines should be dropped: %q, %q, %v", before, after, ok)
	}
	f.Fix.Edits[0].Start = pos(12, 1) // outside the lines
	if _, _, ok := fixedLines(&f); ok {
		t.Errorf("an edit outside the finding's lines must not produce a diff")
	}
	f.Fix.Edits = []analyzer.Edit{{Start: pos(10, 1), End: pos(10, 4), New: "x"}, {Start: pos(10, 2), End: pos(10, 5), New: "y"}}
	if _, _, ok := fixedLines(&f); ok {
		t.Errorf("overlapping edits must not produce a diff")
	}
}

func TestFormats(t *testing.T) {
	got := Formats()
	if !slices.Equal(got, []string{"full", "concise", "json", "sarif", "markdown", "github"}) {
		t.Errorf("Formats() = %v", got)
	}
	got[0] = "changed"
	if Formats()[0] != "full" {
		t.Errorf("Formats must return a copy")
	}
	for _, f := range got[1:] {
		if err := Write(io.Discard, &analyzer.Result{}, Options{Format: f}); err != nil {
			t.Errorf("format %s: %v", f, err)
		}
	}
	if err := Write(io.Discard, nil, Options{Format: "xml"}); err == nil || !strings.Contains(err.Error(), `"xml"`) {
		t.Errorf("unknown format error = %v", err)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteError(t *testing.T) {
	if err := Write(failingWriter{}, fixtureResult(t), fixtureOptions()); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("Write to a failing writer = %v", err)
	}
}

func TestColor(t *testing.T) {
	opt := fixtureOptions()
	plain := render(t, fixtureResult(t), opt)
	opt.Color = true
	colored := render(t, fixtureResult(t), opt)
	if bytes.Contains(plain, []byte("\x1b[")) {
		t.Errorf("escape codes without Color")
	}
	if !bytes.Contains(colored, []byte("\x1b[")) {
		t.Errorf("no escape codes with Color")
	}
	stripped := ansiRE(colored)
	if !bytes.Equal(stripped, plain) {
		t.Errorf("coloured output differs from plain output beyond escape codes:\n%s", stripped)
	}
}

// ansiRE removes "ESC [ ... m" sequences.
func ansiRE(b []byte) []byte {
	var out []byte
	for i := 0; i < len(b); i++ {
		if b[i] == 0x1b && i+1 < len(b) && b[i+1] == '[' {
			j := i + 2
			for j < len(b) && b[j] != 'm' {
				j++
			}
			i = j
			continue
		}
		out = append(out, b[i])
	}
	return out
}

// TestLongLineFrame: a finding in the middle of an 813-byte line shows 40
// bytes either side of its span, between ellipses, with the carets under
// the span; the markdown excerpt is cut the same way.
func TestLongLineFrame(t *testing.T) {
	line := strings.Repeat("a + ", 100) + "mlflow.fastai" + strings.Repeat(" + b", 100)
	f := analyzer.Finding{Code: "MLF002", Path: "long.py", Message: "gone", Severity: analyzer.SeverityError,
		Start: analyzer.Position{Offset: 400, Line: 1, Col: 401}, End: analyzer.Position{Offset: 413, Line: 1, Col: 414},
		Src: analyzer.NewSource(0, line)}
	res := &analyzer.Result{Findings: []analyzer.Finding{f}}
	out := string(render(t, res, Options{}))
	shown := "..." + strings.Repeat("a + ", 10) + "mlflow.fastai" + strings.Repeat(" + b", 10) + "..."
	if got, want := caretLine(t, out, shown), strings.Repeat(" ", 43)+strings.Repeat("^", 13)+" MLF002"; got != want {
		t.Errorf("carets %q, want %q\n%s", got, want, out)
	}
	if strings.Contains(out, line[:200]) {
		t.Errorf("the frame shows the whole line:\n%s", out)
	}
	md := string(render(t, res, Options{Format: "markdown"}))
	if !strings.Contains(md, "\n"+shown[:len(shown)-3-40]) || strings.Contains(md, line[:200]) {
		t.Errorf("markdown excerpt not cut around the finding:\n%s", md)
	}
}

// TestTextInParallelChunks: rendering more findings than one chunk on
// several goroutines writes the same bytes, in the same order, as one.
func TestTextInParallelChunks(t *testing.T) {
	var text strings.Builder
	var fs []analyzer.Finding
	for i := range 3*textChunk + 17 {
		line := "mlflow.fastai.log_model(m" + strconv.Itoa(i) + ")\n"
		off := text.Len()
		text.WriteString(line)
		fs = append(fs, analyzer.Finding{
			Code: "MLF002", Severity: analyzer.SeverityError, Path: "a.py",
			Message: "finding " + strconv.Itoa(i),
			Start:   analyzer.Position{Offset: off, Line: i + 1, Col: 1},
			End:     analyzer.Position{Offset: off + 13, Line: i + 1, Col: 14},
		})
	}
	src := analyzer.NewSource(0, text.String())
	for i := range fs {
		fs[i].Src = src
	}
	r := newRenderer(&analyzer.Result{Findings: fs}, Options{})
	render := func(procs int) string {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		var buf bytes.Buffer
		r.findingsText(&buf, r.shown, true)
		return buf.String()
	}
	one, four := render(1), render(4)
	if one != four || !strings.Contains(one, "finding 0\n") || !strings.Contains(one, "finding "+strconv.Itoa(len(fs)-1)+"\n") {
		t.Errorf("parallel rendering differs (%d vs %d bytes)", len(one), len(four))
	}
	if strings.Index(one, "finding 300\n") > strings.Index(one, "finding 301\n") {
		t.Error("findings out of order")
	}
}

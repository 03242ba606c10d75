package parser

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func readNotebook(t testing.TB, name string) ([]byte, *Notebook) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "notebooks", name))
	if err != nil {
		t.Fatal(err)
	}
	nb, err := ParseNotebook(raw)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return raw, nb
}

func notebookFiles(t testing.TB) []string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join("testdata", "notebooks", "*.ipynb"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no test notebooks: %v", err)
	}
	for i, n := range names {
		names[i] = filepath.Base(n)
	}
	return names
}

// makeNotebook writes a Jupyter-style notebook (indent 1, source as a list
// of lines) holding one code cell per source.
func makeNotebook(t testing.TB, sources ...string) []byte {
	t.Helper()
	type cell struct {
		CellType string   `json:"cell_type"`
		Metadata struct{} `json:"metadata"`
		Outputs  []any    `json:"outputs"`
		Source   []string `json:"source"`
	}
	var cells []cell
	for _, s := range sources {
		c := cell{CellType: "code", Outputs: []any{}, Source: []string{}}
		for _, l := range splitKeep([]byte(s)) {
			c.Source = append(c.Source, string(l))
		}
		cells = append(cells, c)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	doc := map[string]any{"cells": cells, "metadata": map[string]any{}, "nbformat": 4, "nbformat_minor": 5}
	if err := enc.Encode(doc); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestParseNotebookErrors(t *testing.T) {
	cases := []struct {
		name, raw, want string
	}{
		{"not json", `{"cells": [`, "not valid JSON"},
		{"garbage", `nbformat 4`, "not valid JSON"},
		{"top-level list", `[]`, "top-level value is not an object"},
		{"nbformat 3", `{"nbformat": 3, "worksheets": []}`, "nbformat is 3"},
		{"no nbformat", `{"cells": []}`, `no "nbformat" field`},
		{"nbformat string", `{"nbformat": "4", "cells": []}`, `"nbformat" is not a number`},
		{"no cells", `{"nbformat": 4, "metadata": {}}`, `no "cells" list`},
		{"cells object", `{"nbformat": 4, "cells": {}}`, `"cells" is not a list`},
		{"cell not object", `{"nbformat": 4, "cells": [{"cell_type": "code", "source": ""}, 7]}`, "cell 2: not an object"},
		{"source number", `{"nbformat": 4, "cells": [{"cell_type": "markdown", "source": "a"}, {"cell_type": "markdown", "source": "b"}, {"cell_type": "code", "source": 12}]}`, "cell 3: source is neither a string nor a list of strings"},
		{"source list of numbers", `{"nbformat": 4, "cells": [{"cell_type": "code", "source": ["a\n", 1]}]}`, "cell 1: source is neither"},
		{"code cell without source", `{"nbformat": 4, "cells": [{"cell_type": "code", "outputs": []}]}`, "cell 1: code cell without source"},
		{"cell_type number", `{"nbformat": 4, "cells": [{"cell_type": 1, "source": ""}]}`, "cell 1: cell_type is not a string"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			nb, err := ParseNotebook([]byte(tc.raw))
			if err == nil {
				t.Fatalf("ParseNotebook accepted %s: Src %q", tc.raw, nb.Src)
			}
			if !errors.Is(err, ErrNotebook) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestParseNotebookAccepts(t *testing.T) {
	cases := []struct {
		name, raw, src string
	}{
		{"plain string source", `{"nbformat": 4, "cells": [{"cell_type": "code", "source": "a = 1\nb = 2"}]}`, "a = 1\nb = 2\n"},
		{"markdown without source", `{"nbformat": 4, "cells": [{"cell_type": "markdown"}, {"cell_type": "code", "source": ["x\n"]}]}`, "x\n\n"},
		{"nbformat 4.0 float", `{"nbformat": 4.0, "cells": []}`, ""},
		{"raw and markdown add nothing", `{"nbformat": 4, "cells": [{"cell_type": "raw", "source": "%x"}, {"cell_type": "markdown", "source": ["!y"]}]}`, ""},
		{"empty code cells", `{"nbformat": 4, "cells": [{"cell_type": "code", "source": []}, {"cell_type": "code", "source": ""}]}`, "\n\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			nb, err := ParseNotebook([]byte(tc.raw))
			if err != nil {
				t.Fatal(err)
			}
			if string(nb.Src) != tc.src {
				t.Fatalf("Src %q, want %q", nb.Src, tc.src)
			}
		})
	}
}

func TestZeroCells(t *testing.T) {
	raw, nb := readNotebook(t, "empty.ipynb")
	if len(nb.Src) != 0 || nb.NumCells() != 0 || len(nb.PipLines) != 0 {
		t.Fatalf("empty notebook: Src %q, %d cells, pip %v", nb.Src, nb.NumCells(), nb.PipLines)
	}
	out, err := nb.Rebuild(nil)
	if err != nil || !bytes.Equal(out, raw) {
		t.Fatalf("Rebuild of empty notebook: %v %q", err, out)
	}
	if cell, _, _ := nb.Cell(0); cell != 0 {
		t.Fatalf("Cell(0) = %d in a notebook without cells", cell)
	}
	if line, col, text := nb.Raw(0); line != 1 || col != 1 || text != "{" {
		t.Fatalf("Raw(0) = %d:%d %q", line, col, text)
	}
	if _, err := nb.Rebuild([]byte("x = 1\n")); err == nil {
		t.Fatal("Rebuild added code to a notebook without code cells")
	}
}

func TestMasking(t *testing.T) {
	cases := []struct {
		name, cell, want string
	}{
		{"line magic", "%matplotlib inline", "0#atplotlib inline"},
		{"shell", "!ls", "0#s"},
		{"lone percent", "%", "0"},
		{"help prefix", "x = 1\n?x", "x = 1\n0#"},
		{"help suffix", "mlflow.log_metric??", "0#flow.log_metric??"},
		{"question in comment", "a = b  # why?", "a = b  # why?"},
		{"question in string", "s = 'what?'", "s = 'what?'"},
		{"modulo continuation", "y = (a\n     % b)", "y = (a\n     % b)"},
		{"backslash continuation", "y = a \\\n%b", "y = a \\\n%b"},
		{"triple-quoted text", "t = '''\n%s\n!x\n'''", "t = '''\n%s\n!x\n'''"},
		{"escaped newline in string", "x = 'a\\\n%b'", "x = 'a\\\n%b'"},
		{"magic assignment", "files = !ls -la", "files = 0#s -la"},
		{"magic assignment tuple", "a, b = %sx echo", "a, b = 0#x echo"},
		{"comparison is not assignment", "ok = a == b", "ok = a == b"},
		{"indented in block", "if x:\n    !pip install a", "if x:\n    0#ip install a"},
		{"continued shell", "!echo a \\\n  b\nc = 1", "0#cho a \\\n0#b\nc = 1"},
		{"cell magic", "%%bash\necho hi\n\n  ls", "0#bash\n0#ho hi\n\n0#ls"},
		{"cell magic after blank line", "\n%%writefile x.py\nprint(1)", "\n0#writefile x.py\n0#int(1)"},
		{"python cell magic", "%%timeit\nf()", "0#timeit\nf()"},
		{"cell magic not first", "x = 1\n%%time", "x = 1\n0#time"},
		{"non-ascii after escape", "!é", "0# "},
		{"autocall", "/print a", "0#rint a"},
		{"crlf source", "x=1\r\n!ls\r\ny=2", "x=1\r\n0#s\r\ny=2"},
		{"lone carriage return", "!a\rb", "0# b"},
		{"percent formatting", "msg = '%d' % n", "msg = '%d' % n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			nb, err := ParseNotebook(makeNotebook(t, tc.cell))
			if err != nil {
				t.Fatal(err)
			}
			if got := string(nb.Src); got != tc.want+"\n" {
				t.Fatalf("masked %q\n got %q\nwant %q", tc.cell, got, tc.want+"\n")
			}
			if bytes.IndexByte(nb.Src, '\r') >= 0 && !strings.Contains(tc.cell, "\r\n") {
				t.Fatalf("lone CR left in %q", nb.Src)
			}
		})
	}
}

func TestVirtualSourceParses(t *testing.T) {
	for _, name := range notebookFiles(t) {
		t.Run(name, func(t *testing.T) {
			_, nb := readNotebook(t, name)
			if n, regions := syntaxErrors(t, nb.Src); n != 0 {
				t.Fatalf("%d syntax errors in virtual source:\n%s\nregions %v", n, nb.Src, regions)
			}
			if len(nb.Src) != len(nb.orig) {
				t.Fatalf("masking changed the length: %d vs %d", len(nb.Src), len(nb.orig))
			}
		})
	}
}

// syntaxErrors parses src with Parse.
func syntaxErrors(t *testing.T, src []byte) (int, [][2]int) {
	t.Helper()
	f, err := Parse(context.Background(), "virtual.py", src, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return f.ErrorCount(), f.ErrorRegions()
}

func TestBasicNotebookContent(t *testing.T) {
	_, nb := readNotebook(t, "basic.ipynb")
	for _, want := range []string{"import mlflow\n", "print(run.info.run_uuid)\n", "doc = \"\"\"\n%this is text\n\"\"\"\n", "ratio = 3 % 2\n", "model = mlflow.pyfunc.load_model(\"runs:/abc/model\")\n"} {
		if !bytes.Contains(nb.Src, []byte(want)) {
			t.Errorf("virtual source lacks %q", want)
		}
	}
	for _, gone := range []string{"Training", "raw text", "%pip", "!nvidia", "pip install churnlib", "%%bash", "%%time"} {
		if bytes.Contains(nb.Src, []byte(gone)) {
			t.Errorf("virtual source still holds %q", gone)
		}
	}
	want := []PipLine{
		{Cell: 2, Line: 1, Text: "%pip install -q 'mlflow<3' scikit-learn", Command: "pip install -q 'mlflow<3' scikit-learn"},
		{Cell: 7, Line: 7, Text: "!pip install mlflow==2.9 \\\n    pandas", Command: "pip install mlflow==2.9 pandas"},
	}
	if len(nb.PipLines) != len(want) {
		t.Fatalf("pip lines %+v", nb.PipLines)
	}
	for i, w := range want {
		p := nb.PipLines[i]
		if p.Cell != w.Cell || p.Line != w.Line || p.Text != w.Text || p.Command != w.Command {
			t.Errorf("pip line %d = %+v, want %+v", i, p, w)
		}
		if got := string(nb.orig[p.Offset : p.Offset+len(p.Text)]); got != p.Text {
			t.Errorf("pip line %d offset points at %q", i, got)
		}
		if c, l, _ := nb.Cell(p.Offset); c != p.Cell || l != p.Line {
			t.Errorf("pip line %d: Cell(Offset) = %d:%d", i, c, l)
		}
	}
	if got := nb.PipLines[0].Args(); strings.Join(got, " ") != "-q mlflow<3 scikit-learn" {
		t.Errorf("Args = %q", got)
	}
	if nb.Language != "python" || nb.NumCells() != 8 {
		t.Errorf("language %q, %d cells", nb.Language, nb.NumCells())
	}
}

func TestIsPipInstall(t *testing.T) {
	cases := map[string]bool{
		"pip install mlflow":                          true,
		"pip3 -q install mlflow":                      true,
		"python -m pip install 'mlflow<3'":            true,
		"{sys.executable} -m pip install mlflow":      true,
		"pip uninstall mlflow":                        false,
		"pip list":                                    false,
		"conda install mlflow":                        false,
		"pip download install":                        false,
		"echo pip install":                            false,
		"pip --quiet --upgrade install \"mlflow>=3\"": true,
	}
	for cmd, want := range cases {
		if got := isPipInstall(cmd); got != want {
			t.Errorf("isPipInstall(%q) = %v", cmd, got)
		}
	}
	p := PipLine{Command: `pip install -U "mlflow[databricks]>=3" 'numpy<2' # keep`}
	if got := strings.Join(p.Args(), "|"); got != "-U|mlflow[databricks]>=3|numpy<2" {
		t.Errorf("Args = %q", got)
	}
}

// offsetOf returns the virtual offset of the n-th (0-based) occurrence of s.
func offsetOf(t *testing.T, src []byte, s string, n int) int {
	t.Helper()
	off := -1
	for i := 0; i <= n; i++ {
		j := bytes.Index(src[off+1:], []byte(s))
		if j < 0 {
			t.Fatalf("%q occurrence %d not in virtual source", s, n)
		}
		off += 1 + j
	}
	return off
}

func TestCellAndRawMapping(t *testing.T) {
	type at struct {
		file, find string
		nth, plus  int
		// cell position
		cell, line, col int
		// raw position and the raw line's text
		rline, rcol int
		rtext       string
	}
	cases := []at{
		{file: "basic.ipynb", find: "run_uuid", cell: 3, line: 2, col: 16, rline: 39, rcol: 21, rtext: `    "print(run.info.run_uuid)\n",`},
		{file: "basic.ipynb", find: "import mlflow", cell: 2, line: 2, col: 1, rline: 19, rcol: 6, rtext: `    "import mlflow\n",`},
		{file: "basic.ipynb", find: "\n", plus: 0, nth: 1, cell: 2, line: 2, col: 14, rline: 19, rcol: 19, rtext: `    "import mlflow\n",`},
		// the separator after a cell maps to the closing quote of its last string
		{file: "basic.ipynb", find: "0#vidia-smi\n", plus: 11, cell: 2, line: 3, col: 12, rline: 20, rcol: 17, rtext: `    "!nvidia-smi"`},
		{file: "basic.ipynb", find: "%this", cell: 7, line: 5, col: 1, rline: 83, rcol: 6, rtext: `    "%this is text\n",`},
		// decoded quote maps to the backslash of \"
		{file: "basic.ipynb", find: `"runs:/`, cell: 5, line: 2, col: 34, rline: 63, rcol: 39, rtext: `    "model = mlflow.pyfunc.load_model(\"runs:/abc/model\")"`},
		{file: "basic.ipynb", find: `runs:/`, cell: 5, line: 2, col: 35, rline: 63, rcol: 41, rtext: `    "model = mlflow.pyfunc.load_model(\"runs:/abc/model\")"`},
		{file: "indent2.ipynb", find: "run_uuid", cell: 1, line: 3, col: 31, rline: 17, rcol: 42, rtext: `        "x = client.get_run(\"r1\").info.run_uuid\n"`},
		{file: "indent2.ipynb", find: "print(x)", cell: 3, line: 3, col: 1, rline: 44, rcol: 10, rtext: `        "print(x)"`},
		{file: "single_string.ipynb", find: "run_uuid", cell: 3, line: 1, col: 40, rline: 1, rcol: 363},
		{file: "single_string.ipynb", find: "print", cell: 1, line: 2, col: 1, rline: 1, rcol: 116},
		// non-ASCII kept as UTF-8: byte columns
		{file: "escapes.ipynb", find: "vision", cell: 1, line: 1, col: 18, rline: 9, rcol: 23, rtext: `    "# Modèle de prévision 日本 🚀\n",`},
		{file: "escapes.ipynb", find: "quoted", cell: 1, line: 2, col: 18, rline: 10, rcol: 27, rtext: `    "name = \"café\\t\\\"quoted\\\"\"\n",`},
		{file: "escapes.ipynb", find: `\t`, cell: 1, line: 2, col: 14, rline: 10, rcol: 20},
		{file: "escapes.ipynb", find: `\runs`, cell: 1, line: 3, col: 12, rline: 11, rcol: 19, rtext: `    "path = \"C:\\\\runs/mlflow\"\n",`},
		{file: "escapes.ipynb", find: "/mlflow", cell: 1, line: 3, col: 17, rline: 11, rcol: 25},
		// \u escapes: every byte of the character maps to the escape
		{file: "escapes.ipynb", find: "é", nth: 2, cell: 2, line: 1, col: 11, rline: 21, rcol: 17, rtext: `    "title = \"r\u00e9sum\u00e9 \ud83d\ude80\"\n",`},
		{file: "escapes.ipynb", find: "é", nth: 2, plus: 1, cell: 2, line: 1, col: 12, rline: 21, rcol: 17},
		{file: "escapes.ipynb", find: "é", nth: 3, cell: 2, line: 1, col: 16, rline: 21, rcol: 26},
		{file: "escapes.ipynb", find: "sum", cell: 2, line: 1, col: 13, rline: 21, rcol: 23},
		{file: "escapes.ipynb", find: "🚀", nth: 1, plus: 2, cell: 2, line: 1, col: 21, rline: 21, rcol: 33},
		// the byte after the pair maps past both escapes
		{file: "escapes.ipynb", find: "🚀", nth: 1, plus: 4, cell: 2, line: 1, col: 23, rline: 21, rcol: 45},
		{file: "crlf.ipynb", find: "start_run", cell: 1, line: 2, col: 8, rline: 9, rcol: 13, rtext: `    "mlflow.start_run()\r\n",`},
		{file: "no_trailing_newline.ipynb", find: "autolog", cell: 1, line: 2, col: 8, rline: 10, rcol: 13, rtext: `    "mlflow.autolog()"`},
	}
	for _, tc := range cases {
		t.Run(tc.file+" "+tc.find, func(t *testing.T) {
			_, nb := readNotebook(t, tc.file)
			off := offsetOf(t, nb.Src, tc.find, tc.nth) + tc.plus
			if c, l, col := nb.Cell(off); c != tc.cell || l != tc.line || col != tc.col {
				t.Errorf("Cell(%d) = %d %d:%d, want %d %d:%d", off, c, l, col, tc.cell, tc.line, tc.col)
			}
			l, col, text := nb.Raw(off)
			if l != tc.rline || col != tc.rcol {
				t.Errorf("Raw(%d) = %d:%d (%q), want %d:%d", off, l, col, text, tc.rline, tc.rcol)
			}
			if tc.rtext != "" && text != tc.rtext {
				t.Errorf("Raw(%d) text %q, want %q", off, text, tc.rtext)
			}
		})
	}
}

// TestRawMappingEveryByte checks every virtual offset of every test
// notebook: a plain ASCII byte maps to the same byte in the raw file, and
// the returned line text is the raw line holding that position.
func TestRawMappingEveryByte(t *testing.T) {
	for _, name := range notebookFiles(t) {
		raw, nb := readNotebook(t, name)
		lines := strings.Split(string(raw), "\n")
		for off := 0; off < len(nb.Src); off++ {
			line, col, text := nb.Raw(off)
			if line < 1 || line > len(lines) || strings.TrimSuffix(lines[line-1], "\r") != text {
				t.Fatalf("%s: Raw(%d) line %d text %q", name, off, line, text)
			}
			if col < 1 || col > len(text) {
				t.Fatalf("%s: Raw(%d) column %d outside %q", name, off, col, text)
			}
			c := nb.orig[off]
			if c >= 0x20 && c < 0x7f && c != '"' && c != '\\' {
				if _, _, _ = nb.Cell(off); text[col-1] != c && text[col-1] != '\\' {
					t.Fatalf("%s: Raw(%d) = %d:%d holds %q, want %q", name, off, line, col, text[col-1], c)
				}
			}
		}
	}
}

func bigOutputNotebook(t testing.TB) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "notebooks", "basic.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	var line strings.Builder
	for line.Len() < 3<<20 {
		line.WriteString(`epoch 1 loss 0.25 \"ok\" é\n`)
	}
	big := `"text": [` + "\n" + `      "` + line.String() + `",` + "\n"
	return bytes.Replace(raw, []byte(`"text": [`+"\n"), []byte(big), 1)
}

func TestRebuildNoChange(t *testing.T) {
	inputs := map[string][]byte{"big outputs": bigOutputNotebook(t)}
	for _, name := range notebookFiles(t) {
		raw, _ := readNotebook(t, name)
		inputs[name] = raw
	}
	for name, raw := range inputs {
		t.Run(name, func(t *testing.T) {
			nb, err := ParseNotebook(raw)
			if err != nil {
				t.Fatal(err)
			}
			out, err := nb.Rebuild(bytes.Clone(nb.Src))
			if err != nil || !bytes.Equal(out, raw) {
				t.Fatalf("Rebuild without changes: err %v, identical %v", err, bytes.Equal(out, raw))
			}
			// Re-encoding every code cell from its text reproduces the
			// Jupyter-written bytes too.
			texts := make([][]byte, len(nb.code))
			for k, ci := range nb.code {
				texts[k] = nb.cells[ci].text
			}
			if forced := nb.splice(texts, true); !bytes.Equal(forced, raw) {
				t.Fatalf("re-encoding every cell changed the file:\n%s", firstDiff(raw, forced))
			}
		})
	}
}

// TestEncodeMatchesJupyter encodes each decoded source string again, without
// reusing the original bytes, and expects the original spelling.
func TestEncodeMatchesJupyter(t *testing.T) {
	for _, name := range notebookFiles(t) {
		raw, nb := readNotebook(t, name)
		for _, ci := range nb.code {
			c := &nb.cells[ci]
			ascii, upper := escapeStyle(raw[c.valStart:c.valEnd])
			for _, s := range c.strs {
				orig := raw[s.start:s.end]
				if got := appendJSONString(nil, unquote(orig), ascii, upper); !bytes.Equal(got, orig) {
					t.Errorf("%s: encoded %s, file has %s", name, got, orig)
				}
			}
		}
	}
	cases := []struct {
		in           string
		ascii, upper bool
		want         string
	}{
		{"a/b <&> \x7f", false, false, `"a/b <&> ` + "\x7f" + `"`},
		{"\x00\x1f\b\f", false, false, `"\u0000\u001f\b\f"`},
		{"é\x7f😀", true, false, `"\u00e9\u007f\ud83d\ude00"`},
		{"é", true, true, `"\u00E9"`},
		{"bad \xff byte", false, false, `"bad � byte"`},
	}
	for _, tc := range cases {
		if got := string(appendJSONString(nil, []byte(tc.in), tc.ascii, tc.upper)); got != tc.want {
			t.Errorf("appendJSONString(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func firstDiff(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo := max(0, i-60)
	return "old: " + string(a[lo:min(len(a), i+60)]) + "\nnew: " + string(b[lo:min(len(b), i+60)])
}

// changedRegion returns the raw byte range of old that differs from new.
func changedRegion(old, new []byte) (start, oldEnd, newEnd int) {
	for start < len(old) && start < len(new) && old[start] == new[start] {
		start++
	}
	oldEnd, newEnd = len(old), len(new)
	for oldEnd > start && newEnd > start && old[oldEnd-1] == new[newEnd-1] {
		oldEnd, newEnd = oldEnd-1, newEnd-1
	}
	return start, oldEnd, newEnd
}

func rebuildEdit(t *testing.T, nb *Notebook, from, to string, nth int) []byte {
	t.Helper()
	off := offsetOf(t, nb.Src, from, nth)
	newSrc := append(append(bytes.Clone(nb.Src[:off]), to...), nb.Src[off+len(from):]...)
	out, err := nb.Rebuild(newSrc)
	if err != nil {
		t.Fatalf("Rebuild: %v", err)
	}
	back, err := ParseNotebook(out)
	if err != nil {
		t.Fatalf("rebuilt notebook does not parse: %v", err)
	}
	if !bytes.Equal(back.Src, newSrc) {
		t.Fatalf("rebuilt virtual source differs:\n%s", firstDiff(newSrc, back.Src))
	}
	return out
}

func TestRebuildEditOneCell(t *testing.T) {
	raw, nb := readNotebook(t, "basic.ipynb")
	out := rebuildEdit(t, nb, "run_uuid", "run_id", 0)
	c := nb.cells[2]
	start, oldEnd, _ := changedRegion(raw, out)
	if start < c.valStart || oldEnd > c.valEnd {
		t.Fatalf("changed bytes %d..%d outside cell 3's source %d..%d", start, oldEnd, c.valStart, c.valEnd)
	}
	want := bytes.Replace(raw, []byte(`"print(run.info.run_uuid)\n",`), []byte(`"print(run.info.run_id)\n",`), 1)
	if !bytes.Equal(out, want) {
		t.Fatalf("unexpected result:\n%s", firstDiff(want, out))
	}
}

func TestRebuildEdits(t *testing.T) {
	cases := []struct {
		name, file, from, to string
		nth                  int
		old, new             string // the raw bytes expected to change
	}{
		{"single string source", "single_string.ipynb", "run_uuid", "run_id", 0,
			`"run_id = mlflow.last_active_run().info.run_uuid"`, `"run_id = mlflow.last_active_run().info.run_id"`},
		{"insert line at top of cell", "basic.ipynb", "run = mlflow", "import os\nrun = mlflow", 0,
			"   \"source\": [\n    \"run = ", "   \"source\": [\n    \"import os\\n\",\n    \"run = "},
		{"ascii-escaped cell keeps escaping", "escapes.ipynb", `"title", title`, `"títle", title`, 0,
			`"mlflow.set_tag(\"title\", title)"`, `"mlflow.set_tag(\"t\u00edtle\", title)"`},
		{"utf-8 cell keeps utf-8", "escapes.ipynb", `"note"`, `"nöte/"`, 0,
			`"mlflow.set_tag(\"note\", name)"`, `"mlflow.set_tag(\"nöte/\", name)"`},
		{"indent 2", "indent2.ipynb", "mlflow.tracking.MlflowClient", "mlflow.MlflowClient", 0,
			`"client = mlflow.tracking.MlflowClient()\n",`, `"client = mlflow.MlflowClient()\n",`},
		{"fill empty cell", "basic.ipynb", "ratio = 3 % 2\n\n", "ratio = 3 % 2\nx = 1\ny = 2\n", 0,
			`"source": []`, "\"source\": [\n    \"x = 1\\n\",\n    \"y = 2\"\n   ]"},
		{"empty a cell", "no_trailing_newline.ipynb", "import mlflow\nmlflow.autolog()", "", 0,
			"[\n    \"import mlflow\\n\",\n    \"mlflow.autolog()\"\n   ]", "[]"},
		{"crlf lines kept", "crlf.ipynb", "mlflow.start_run()\r\n", "mlflow.start_run()\r\nmlflow.end_run()\r\n", 0,
			"\"mlflow.start_run()\\r\\n\",\r\n", "\"mlflow.start_run()\\r\\n\",\r\n    \"mlflow.end_run()\\r\\n\",\r\n"},
		{"edit next to a magic line", "basic.ipynb", "import mlflow\n", "import mlflow as mf\n", 0,
			`"import mlflow\n",`, `"import mlflow as mf\n",`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			raw, nb := readNotebook(t, tc.file)
			out := rebuildEdit(t, nb, tc.from, tc.to, tc.nth)
			if !bytes.Contains(raw, []byte(tc.old)) {
				t.Fatalf("test expects %q in the original", tc.old)
			}
			want := bytes.Replace(raw, []byte(tc.old), []byte(tc.new), 1)
			if !bytes.Equal(out, want) {
				t.Fatalf("unexpected result:\n%s", firstDiff(want, out))
			}
		})
	}
}

func TestRebuildTwoCells(t *testing.T) {
	raw, nb := readNotebook(t, "basic.ipynb")
	newSrc := bytes.Replace(nb.Src, []byte("import mlflow\n"), []byte("import mlflow  # tracked\n"), 1)
	newSrc = bytes.Replace(newSrc, []byte("ratio = 3 % 2"), []byte("ratio = 3 % 2\nprint(ratio)"), 1)
	out, err := nb.Rebuild(newSrc)
	if err != nil {
		t.Fatal(err)
	}
	// A line added after the last line of cell 7 cannot be told apart from
	// a line added before the first line of cell 8: it goes to cell 8.
	want := bytes.Replace(raw, []byte(`"import mlflow\n",`), []byte(`"import mlflow  # tracked\n",`), 1)
	want = bytes.Replace(want, []byte(`"source": []`), []byte(`"source": [`+"\n"+`    "print(ratio)\n"`+"\n"+`   ]`), 1)
	if !bytes.Equal(out, want) {
		t.Fatalf("unexpected result:\n%s", firstDiff(want, out))
	}
}

func TestRebuildRefuses(t *testing.T) {
	cases := []struct {
		name     string
		from, to string
		want     string
		file     string
	}{
		{"masked line edited", "0#vidia-smi", "0#vidia-smx", "magic line", ""},
		{"masked line removed", "0#vidia-smi\n", "", "magic line", ""},
		{"cells merged", "0#vidia-smi\nrun", "0#vidia-smirun", "magic line", ""},
		{"magic inserted", "import mlflow\n", "import mlflow\n!rm -rf /\n", "cannot be written back", ""},
		{"trailing separator removed", "ratio = 3 % 2\n\n", "ratio = 3 % 2\n", "removes the end of cell", ""},
		{"cell removed", "run_id = mlflow.last_active_run().info.run_uuid\n", "", "removes the end of cell", "single_string.ipynb"},
		{"joined with a magic line", "mlflow.__version__)\n", "mlflow.__version__)", "magic line", "single_string.ipynb"},
		{"text after the last separator", "run_uuid\n", "run_uuid\nx", "removes the end of cell", "single_string.ipynb"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.file == "" {
				tc.file = "basic.ipynb"
			}
			_, nb := readNotebook(t, tc.file)
			if !bytes.Contains(nb.Src, []byte(tc.from)) {
				t.Fatalf("%q not in Src", tc.from)
			}
			newSrc := bytes.Replace(nb.Src, []byte(tc.from), []byte(tc.to), 1)
			out, err := nb.Rebuild(newSrc)
			if err == nil {
				t.Fatalf("Rebuild accepted the edit:\n%s", out)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q, want it to mention %q", err, tc.want)
			}
		})
	}
}

func TestRebuildCellBoundaries(t *testing.T) {
	nb, err := ParseNotebook(makeNotebook(t, "a = 1", "b = 2", "c = 3"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ name, newSrc, want string }{
		{"joined", "a = 1b = 2\nc = 3\n", "crosses the boundary after cell 1"},
		{"separator deleted", "a = 1\nb = 2c = 3\n", "crosses the boundary after cell 2"},
	}
	for _, tc := range cases {
		if _, err := nb.Rebuild([]byte(tc.newSrc)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
	// Same line count across the boundary: lines are kept in their cells.
	out, err := nb.Rebuild([]byte("a = 10\nb = 20\nc = 3\n"))
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseNotebook(out)
	if err != nil || string(back.cells[0].text) != "a = 10" || string(back.cells[1].text) != "b = 20" {
		t.Fatalf("rebuilt cells: %v %q", err, out)
	}
}

func TestCellSpanAndID(t *testing.T) {
	_, nb := readNotebook(t, "indent2.ipynb")
	if nb.CellID(1) != "a1b2c3d4" || nb.CellID(3) != "c9d0e1f2" || nb.CellID(4) != "" {
		t.Errorf("ids %q %q %q", nb.CellID(1), nb.CellID(3), nb.CellID(4))
	}
	s, e, ok := nb.Span(3)
	if !ok || string(nb.Src[s:e]) != "if x:\n    0#ime mlflow.log_param(\"a\", 1)\nprint(x)" {
		t.Errorf("Span(3) = %q %v", nb.Src[s:e], ok)
	}
	_, bnb := readNotebook(t, "basic.ipynb")
	if _, _, ok := bnb.Span(1); ok {
		t.Error("markdown cell has a span")
	}
}

// TestMatchLines compares the Myers matching with a dynamic-programming
// longest common subsequence on random line lists.
func TestMatchLines(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	words := [][]byte{[]byte("a\n"), []byte("b\n"), []byte("c\n"), []byte("\n")}
	gen := func() [][]byte {
		out := make([][]byte, r.Intn(12))
		for i := range out {
			out[i] = words[r.Intn(len(words))]
		}
		return out
	}
	for iter := 0; iter < 2000; iter++ {
		a, b := gen(), gen()
		pairs, err := matchLines(a, b)
		if err != nil {
			t.Fatal(err)
		}
		pi, pj := -1, -1
		for _, p := range pairs {
			if p[0] <= pi || p[1] <= pj || !bytes.Equal(a[p[0]], b[p[1]]) {
				t.Fatalf("bad pair %v after (%d,%d) for %q / %q", p, pi, pj, a, b)
			}
			pi, pj = p[0], p[1]
		}
		if want := lcsLen(a, b); len(pairs) != want {
			t.Fatalf("matched %d lines, LCS is %d: %q / %q", len(pairs), want, a, b)
		}
	}
}

func lcsLen(a, b [][]byte) int {
	dp := make([][]int, len(a)+1)
	for i := range dp {
		dp[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if bytes.Equal(a[i], b[j]) {
				dp[i][j] = dp[i+1][j+1] + 1
			} else {
				dp[i][j] = max(dp[i+1][j], dp[i][j+1])
			}
		}
	}
	return dp[0][0]
}

func TestDecodeStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range []string{`"plain"`, `"\ud83d\ude80"`, `"\ud83d"`, `"\ud83dx"`, `"\ude80\ud83d"`, "\"bad \xff\xfe\"", `"\u00E9\/\b\f\n\r\t\\\""`, `""`} {
		var want string
		if err := json.Unmarshal([]byte(s), &want); err != nil {
			t.Fatal(err)
		}
		if got := string(unquote([]byte(s))); got != want {
			t.Errorf("unquote(%s) = %q, encoding/json says %q", s, got, want)
		}
	}
}

func FuzzNotebookRoundTrip(f *testing.F) {
	for _, name := range notebookFiles(f) {
		raw, err := os.ReadFile(filepath.Join("testdata", "notebooks", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	f.Add(makeNotebook(f, "%%bash\necho\n", "x = (\n%y)\n!ls\\\n z", "a?\n"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		nb, err := ParseNotebook(raw)
		if err != nil {
			return
		}
		out, err := nb.Rebuild(bytes.Clone(nb.Src))
		if err != nil || !bytes.Equal(out, raw) {
			t.Fatalf("Rebuild(Src) != raw: %v", err)
		}
		if len(nb.Src) != len(nb.orig) {
			t.Fatalf("masking changed the length")
		}
		for off := 0; off <= len(nb.Src) && off < 4096; off++ {
			nb.Cell(off)
			if line, col, text := nb.Raw(off); line < 1 || col < 1 || col > len(text)+1 {
				t.Fatalf("Raw(%d) = %d:%d %q", off, line, col, text)
			}
		}
		texts := make([][]byte, len(nb.code))
		for k, ci := range nb.code {
			c := &nb.cells[ci]
			texts[k] = c.text
			for _, s := range c.strs {
				var want string
				if json.Unmarshal(raw[s.start:s.end], &want) != nil || want != string(unquote(raw[s.start:s.end])) {
					t.Fatalf("decoding %s differs from encoding/json", raw[s.start:s.end])
				}
			}
		}
		back, err := ParseNotebook(nb.splice(texts, true))
		if err != nil || !bytes.Equal(back.Src, nb.Src) {
			t.Fatalf("re-encoded notebook differs: %v", err)
		}
	})
}

func BenchmarkParseNotebookBigOutputs(b *testing.B) {
	raw := bigOutputNotebook(b)
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if _, err := ParseNotebook(raw); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzNotebookEdit replaces a stretch of the virtual source and checks that
// Rebuild either refuses or yields a notebook whose virtual source is the
// edited text, with the bytes before the first changed cell untouched.
func FuzzNotebookEdit(f *testing.F) {
	raw, err := os.ReadFile(filepath.Join("testdata", "notebooks", "basic.ipynb"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(raw, 120, 8, "run_id")
	f.Add(raw, 0, 0, "import os\n")
	f.Add(makeNotebook(f, "a = 1", "b = 'é'\n", "!ls"), 7, 3, "\"x\\")
	f.Fuzz(func(t *testing.T, raw []byte, at, del int, ins string) {
		nb, err := ParseNotebook(raw)
		if err != nil || len(nb.Src) == 0 {
			return
		}
		at = max(0, min(at, len(nb.Src)))
		del = max(0, min(del, len(nb.Src)-at))
		newSrc := append(append(bytes.Clone(nb.Src[:at]), ins...), nb.Src[at+del:]...)
		out, err := nb.Rebuild(newSrc)
		if err != nil {
			return
		}
		back, err := ParseNotebook(out)
		if err != nil || !bytes.Equal(back.Src, newSrc) {
			t.Fatalf("Rebuild result does not read back: %v", err)
		}
		if start, _, _ := changedRegion(raw, out); start < len(raw) && start < nb.cells[nb.code[0]].valStart {
			t.Fatalf("bytes before the first source value changed at %d", start)
		}
	})
}

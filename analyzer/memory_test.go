package analyzer

import (
	"context"
	"encoding/json"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
)

// TestFindingsShareTheirSource proves that findings on one long line do
// not each keep a copy of that line: n findings on a line of about 13*n
// bytes must retain memory linear in n, where per-finding copies would
// retain n*13*n bytes (about 200 MB here, against a bound of a few MB).
// It measures the live heap, not time.
func TestFindingsShareTheirSource(t *testing.T) {
	const n = 4000
	line := "x = " + strings.Repeat("mlflow.old + ", n-1) + "mlflow.old"
	cellJSON, _ := json.Marshal(line + "\n")
	files := map[string]string{
		"long.py": "import mlflow\n" + line + "\n",
		// A notebook whose cell holds the same line: notebook findings
		// also carry raw-file positions.
		"long.ipynb": `{"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": null, "source": ["import mlflow\n", ` +
			string(cellJSON) + `]}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}` + "\n",
	}
	size := 0
	for _, body := range files {
		size += len(body)
	}
	dir := writeFiles(t, files)

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	res, err := Run(context.Background(), Options{Paths: []string{dir}, Rules: []*analysis.Analyzer{renameRule}, Jobs: 1})
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	if len(res.Findings) != 2*n || len(res.Errors) != 0 {
		t.Fatalf("%d findings, errors %v; want %d findings", len(res.Findings), res.Errors, 2*n)
	}
	retained := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	// A Finding with its Fix and edit is a few hundred bytes; the Sources
	// hold each file (and a notebook's raw text) once.
	limit := int64(n*2*1024 + 8*size)
	t.Logf("retained %d, limit %d", retained, limit)
	if retained > limit {
		t.Errorf("the findings retain %d bytes, more than %d for %d findings on %d bytes of input: findings copy their lines", retained, limit, 2*n, size)
	}
	// Lines are still cut from the source on demand, whole.
	for _, f := range res.Findings[len(res.Findings)-2:] {
		if got := f.Lines(); len(got) != 1 || got[0] != line {
			t.Errorf("%s: Lines() has %d lines, first %d bytes; want the %d-byte line", f.Path, len(got), len(strings.Join(got, "")), len(line))
		}
	}
	nb := res.Findings[0]
	if nb.Raw == nil || !strings.Contains(nb.RawLine(), "mlflow.old + mlflow.old") {
		t.Errorf("notebook finding %s: raw line not found (%v)", nb.Path, nb.Raw)
	}
	runtime.KeepAlive(res)
}

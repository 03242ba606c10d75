package rules_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/mlflowlint/mlflowlint/analyzer/analysistest"
	"github.com/mlflowlint/mlflowlint/parser"
)

// FuzzAnalyze runs parsing, name resolution and every rule over arbitrary
// sources, seeded with the fixtures. No rule may panic (the driver turns a
// panic into an "internal error" file error, which fails here), every
// finding must lie within the file, every fix's edits must be in range,
// sorted and disjoint, and the fixed source must not parse worse than the
// original.
func FuzzAnalyze(f *testing.F) {
	addFixtureSeeds(f)
	f.Add([]byte("import mlflow\nmlflow.evaluate(m, d, custom_metrics=[f], baseline_model=b)\n"), false)
	f.Add([]byte("\xEF\xBB\xBFimport mlflow as m\r\nm.evaluate(\r\n"), false)
	// The fuzzing engine treats an input that runs for 10 s as a hang;
	// bound each parse well below that so slow inputs end as timeouts.
	parser.ParseTimeout = 2 * time.Second
	f.Fuzz(func(t *testing.T, src []byte, notebook bool) {
		name := "fuzz.py"
		if notebook {
			name = "fuzz.ipynb"
		}
		s := setup("3.15")
		s.NoPrefilter = true
		res, fixed, err := analysistest.Analyze(s, name, src, true, true)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range res.Errors {
			if strings.HasPrefix(e.Message, "internal error") {
				t.Fatalf("%s: %s", e.Path, e.Message)
			}
		}
		body := bytes.TrimPrefix(src, []byte("\xEF\xBB\xBF"))
		plain, _, err := analysistest.Analyze(s, name, src, false, false)
		if err != nil {
			t.Fatal(err)
		}
		for _, fd := range plain.Findings {
			if fd.Start.Line < 1 || fd.Start.Col < 1 || fd.End.Line < fd.Start.Line {
				t.Fatalf("%s: bad position %+v-%+v", fd.Code, fd.Start, fd.End)
			}
			if fd.Fix != nil {
				last := 0
				for _, e := range fd.Fix.Edits {
					if e.Start.Offset < last || e.End.Offset < e.Start.Offset {
						t.Fatalf("%s: edits out of order or overlapping: %+v", fd.Code, fd.Fix.Edits)
					}
					last = e.End.Offset
				}
			}
			if notebook {
				continue // offsets are those of the virtual source
			}
			if fd.Start.Offset < 0 || fd.End.Offset < fd.Start.Offset || fd.End.Offset > len(body) {
				t.Fatalf("%s: span [%d,%d) outside the %d-byte file", fd.Code, fd.Start.Offset, fd.End.Offset, len(body))
			}
			if fd.Fix != nil && len(fd.Fix.Edits) > 0 && fd.Fix.Edits[len(fd.Fix.Edits)-1].End.Offset > len(body) {
				t.Fatalf("%s: edit past the end of the file", fd.Code)
			}
		}
		if notebook || bytes.Equal(fixed, src) {
			return
		}
		before, err1 := parser.CheckSyntax(context.Background(), body)
		after, err2 := parser.CheckSyntax(context.Background(), bytes.TrimPrefix(fixed, []byte("\xEF\xBB\xBF")))
		if err1 == nil && err2 == nil && after > before {
			t.Fatalf("fixing raised the syntax errors from %d to %d:\n%s", before, after, fixed)
		}
	})
}

// FuzzPrefilterExact holds the prefilter (trigger strings, trigger words
// and where they are written) to a run without it over arbitrary sources
// that parse without syntax errors, seeded with the fixtures and with
// names of MLflow's API written as members, keywords, strings and
// imports: the findings must be the same. (In a source with syntax errors
// the parser's recovery may read a name Python's tokenizer would not,
// such as `mlflow` out of `00mlflow`, where the prefilter reads words as
// the tokenizer does; and tree-sitter reads "import\nmlflow" as one
// statement, where Python and the prefilter's split end the first line:
// CheckSyntax counts that line as an error.)
func FuzzPrefilterExact(f *testing.F) {
	addFixtureSeeds(f)
	for _, s := range []string{
		"from mlflow import (\n    pipelines,  # )\n    openai as o,\n)\no.utils\ndict(pipelines=1)\n",
		"import mlflow\nx = (mlflow  # c\n    .pipelines.steps)\ngetattr(mlflow, \"recipes\")\n",
		"import mlflow.openai as mo\nfrom mlflow_ext.openai import utils\nmo.utils.x\n",
		"from mlflow.entities import *\nRun(run_uuid=1)\nmock.patch(\"mlflow.tracking.client.Run\")\n",
		"import mlflow\nc = mlflow.tracking.MlflowClient()\nc.list_experiments()\nc.search_runs(run_view_type=1)\n",
	} {
		f.Add([]byte(s), false)
	}
	parser.ParseTimeout = 2 * time.Second
	f.Fuzz(func(t *testing.T, src []byte, notebook bool) {
		name := "fuzz.py"
		if notebook {
			name = "fuzz.ipynb"
		}
		if !notebook {
			if n, err := parser.CheckSyntax(context.Background(), bytes.TrimPrefix(src, []byte("\xEF\xBB\xBF"))); err != nil || n > 0 {
				return
			}
		}
		a, b := analyzeBoth(t, name, src)
		for _, e := range append(a.Errors, b.Errors...) {
			if strings.Contains(e.Message, parser.ErrTimeout.Error()) {
				return // the run without the prefilter parsed what the other skipped, and ran out of time
			}
		}
		// Errors may differ: a file the prefilter skips is not decoded
		// either, so its encoding is not judged.
		if !reflect.DeepEqual(a.Findings, b.Findings) {
			t.Fatalf("findings differ with the prefilter (%d) and without it (%d)", len(a.Findings), len(b.Findings))
		}
	})
}

// addFixtureSeeds seeds f with every Python file and notebook of the
// fixtures.
func addFixtureSeeds(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join("..", "fixtures", "*", "*"))
	for _, p := range paths {
		if strings.HasSuffix(p, ".py") || strings.HasSuffix(p, ".ipynb") {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b, strings.HasSuffix(p, ".ipynb"))
			}
		}
	}
}

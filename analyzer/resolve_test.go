package analyzer

import (
	"context"
	"testing"

	"github.com/mlflowlint/mlflowlint/parser"
)

// lastExpr returns the expression of the last expression statement found
// by a preorder walk (the callee when it is a call).
func lastExpr(f *parser.File) *parser.Node {
	var last *parser.Node
	var walk func(n *parser.Node)
	walk = func(n *parser.Node) {
		for _, c := range parser.NamedChildren(n) {
			if c.Type() == "expression_statement" && c.NamedChild(0).Type() != "assignment" {
				last = c.NamedChild(0)
			}
			walk(c)
		}
	}
	walk(f.Root)
	if last != nil && last.Type() == "call" {
		return parser.Field(last, "function")
	}
	return last
}

func TestResolve(t *testing.T) {
	cases := []struct {
		name, src, want string
	}{
		{"plain import", "import mlflow\nmlflow.evaluate\n", "mlflow.evaluate"},
		{"alias", "import mlflow as mf\nmf.models.evaluate()\n", "mlflow.models.evaluate"},
		{"submodule alias", "import mlflow.models as mm\nmm.MetricThreshold()\n", "mlflow.models.MetricThreshold"},
		{"submodule binds root", "import mlflow.fastai\nmlflow.fastai.autolog()\n", "mlflow.fastai.autolog"},
		{"from import alias", "from mlflow.models import MetricThreshold as MT\nMT()\n", "mlflow.models.MetricThreshold"},
		{"from import function", "from mlflow import evaluate as _evaluate\n_evaluate()\n", "mlflow.evaluate"},
		{"unimported", "evaluate()\n", ""},
		{"method on self", "import mlflow\nclass A:\n    def f(self):\n        self.evaluate()\n", ""},
		{"parameter shadows", "import mlflow\ndef f(mlflow):\n    mlflow.evaluate()\n", ""},
		{"parameter other name", "import mlflow\ndef f(mlflow_module):\n    mlflow_module.evaluate()\n", ""},
		{"later import rebinds", "import mlflow\nfrom getml import mlflow\nmlflow.evaluate()\n", "getml.mlflow.evaluate"},
		{"assignment rebinds", "from mlflow import evaluate\nevaluate = None\nevaluate()\n", ""},
		{"def rebinds", "from mlflow import evaluate\ndef evaluate():\n    pass\nevaluate()\n", ""},
		{"class rebinds", "import mlflow\nclass mlflow:\n    pass\nmlflow.evaluate()\n", ""},
		{"use before rebinding", "from mlflow import evaluate\nevaluate()\nevaluate = None\n", "mlflow.evaluate"},
		{"function local import", "def f():\n    import mlflow as m\n    m.evaluate()\n", "mlflow.evaluate"},
		{"local import invisible outside", "def f():\n    import mlflow\nmlflow.evaluate()\n", ""},
		{"enclosing module import", "import mlflow\ndef f():\n    mlflow.evaluate()\n", "mlflow.evaluate"},
		{"local assignment after use is unbound", "import mlflow\ndef f():\n    mlflow.evaluate()\n    mlflow = 1\n", ""},
		{"global declaration", "import mlflow\ndef f():\n    global mlflow\n    mlflow.evaluate()\n", "mlflow.evaluate"},
		{"class scope invisible to methods", "class A:\n    import mlflow\n    def f(self):\n        mlflow.evaluate()\n", ""},
		{"class body sees its own import", "class A:\n    import mlflow\n    mlflow.evaluate()\n", "mlflow.evaluate"},
		{"alias assignment", "import mlflow\nev = mlflow.evaluate\nev()\n", "mlflow.evaluate"},
		{"except fallback does not hide", "try:\n    from mlflow.models import evaluate\nexcept ImportError:\n    evaluate = None\nevaluate()\n", "mlflow.models.evaluate"},
		{"wildcard of other library hides unbound", "from fastai.vision.all import *\nfastai.x()\n", ""},
		{"explicit after wildcard wins", "from fastai.vision.all import *\nfrom mlflow import fastai\nfastai.autolog()\n", "mlflow.fastai.autolog"},
		{"wildcard keeps mlflow import", "import mlflow\nfrom fastai.vision.all import *\nmlflow.evaluate()\n", "mlflow.evaluate"},
		{"mlflow wildcard", "from mlflow.models import *\nMetricThreshold()\n", "mlflow.models.MetricThreshold"},
		{"relative import", "from . import mlflow\nmlflow.evaluate()\n", ""},
		{"comprehension variable", "import mlflow\n[mlflow for mlflow in xs]\n[mlflow.evaluate for mlflow in xs]\n", ""},
		{"lambda parameter", "import mlflow\nf = lambda mlflow: mlflow.evaluate\nmlflow.evaluate\n", "mlflow.evaluate"},
		{"with target", "import mlflow\nwith open('x') as mlflow:\n    mlflow.evaluate()\n", ""},
		{"for target", "import mlflow\nfor mlflow in []:\n    mlflow.evaluate()\n", ""},
		{"default value uses enclosing", "import mlflow\ndef f(x=mlflow.evaluate):\n    pass\nmlflow.evaluate\n", "mlflow.evaluate"},
		{"syntax error elsewhere", "import mlflow\n%cd /tmp\nmlflow.evaluate()\n", "mlflow.evaluate"},
		{"parenthesized", "import mlflow\n(mlflow).evaluate()\n", "mlflow.evaluate"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := parser.Parse(context.Background(), "x.py", []byte(c.src), nil)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			r := NewResolver(f)
			n := lastExpr(f)
			if n == nil {
				t.Fatal("no expression")
			}
			if got := r.Resolve(n); got != c.want {
				t.Errorf("Resolve(%q) = %q, want %q", f.Text(n), got, c.want)
			}
		})
	}
}

// TestSeen: an import marks its module and every parent package seen, a
// from-import the names it imports too; a relative import marks nothing.
func TestSeen(t *testing.T) {
	_, r := parseResolve(t, "import mlflow.tracking.client as c\nfrom mlflow.models.evaluation import base, validation as v\nfrom . import sklearn\n")
	for m, want := range map[string]bool{
		"mlflow": true, "mlflow.tracking": true, "mlflow.tracking.client": true,
		"mlflow.models": true, "mlflow.models.evaluation": true,
		"mlflow.models.evaluation.base": true, "mlflow.models.evaluation.validation": true,
		"mlflow.track": false, "tracking": false, "mlflow.": false, "sklearn": false, "": false,
	} {
		if got := r.Seen(m); got != want {
			t.Errorf("Seen(%q) = %v, want %v", m, got, want)
		}
	}
}

// parseResolve parses src and builds its resolver; the tree is closed
// when the test ends.
func parseResolve(t *testing.T, src string) (*parser.File, *Resolver) {
	t.Helper()
	f, err := parser.Parse(context.Background(), "x.py", []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Close)
	return f, NewResolver(f)
}

func TestImplicitMLflowInDatabricksExports(t *testing.T) {
	f, r := parseResolve(t, "# Databricks notebook source\nmlflow.evaluate()\n")
	n := lastExpr(f)
	if got := r.Resolve(n); got != "" {
		t.Errorf("plain file: unbound mlflow resolved to %q", got)
	}
	r.ImplicitMLflow = true
	if got := r.Resolve(n); got != "mlflow.evaluate" {
		t.Errorf("Databricks export: got %q", got)
	}
}

func TestGuardedImports(t *testing.T) {
	src := []byte("try:\n    from mlflow.models import MetricThreshold\nexcept ImportError:\n    from mlflow.models.evaluation.base import MetricThreshold\n")
	f, err := parser.Parse(context.Background(), "x.py", src, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := NewResolver(f)
	imps := r.Imports()
	if len(imps) != 2 || !imps[1].Guarded {
		t.Fatalf("imports: %+v", imps)
	}
	if !r.GuardedBy(imps[1], "mlflow.models.MetricThreshold") {
		t.Error("the fallback import should count as guarded by the new spelling")
	}
	if r.GuardedBy(imps[1], "mlflow.other.Thing") {
		t.Error("guarded by a name the shim does not import")
	}
}

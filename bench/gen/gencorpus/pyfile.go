package gencorpus

import (
	"fmt"
	"sort"
	"strings"
)

// buf collects Python source lines at an indentation level.
type buf struct {
	sb    strings.Builder
	depth int
}

func (b *buf) line(format string, args ...any) {
	if format == "" {
		b.sb.WriteByte('\n')
		return
	}
	b.sb.WriteString(strings.Repeat("    ", b.depth))
	fmt.Fprintf(&b.sb, format, args...)
	b.sb.WriteByte('\n')
}

// raw writes s as one line, without formatting.
func (b *buf) raw(s string) {
	b.sb.WriteString(strings.Repeat("    ", b.depth))
	b.sb.WriteString(s)
	b.sb.WriteByte('\n')
}

// lines writes a block of lines given as one string, each at the current
// indentation plus its own leading spaces.
func (b *buf) lines(text string) {
	for _, l := range strings.Split(strings.Trim(text, "\n"), "\n") {
		if strings.TrimSpace(l) == "" {
			b.sb.WriteByte('\n')
			continue
		}
		b.sb.WriteString(strings.Repeat("    ", b.depth))
		b.sb.WriteString(l)
		b.sb.WriteByte('\n')
	}
}

func (b *buf) in()  { b.depth++ }
func (b *buf) out() { b.depth-- }

// pyfile is the state of one generated module: its random stream, the
// spelling it chose for each MLflow name, and the imports those need.
type pyfile struct {
	r *rng
	// m is the name the module binds to the mlflow package ("mlflow", "mf", ...).
	m string
	// tryImport wraps the top-level mlflow import in try/except ImportError.
	tryImport bool
	imports   map[string]bool
	// names caches the chosen spelling per MLflow object.
	names map[string]string
	// used counts generated identifiers so function names stay unique.
	used map[string]int
}

func newPyfile(r *rng) *pyfile {
	p := &pyfile{r: r, imports: map[string]bool{}, names: map[string]string{}, used: map[string]int{}}
	p.m = r.pick([]string{"mlflow", "mlflow", "mlflow", "mlflow", "mf", "ml", "mlf"})
	p.tryImport = r.chance(10)
	return p
}

// ident returns base, or base with a numeric suffix when base was used before.
func (p *pyfile) ident(base string) string {
	n := p.used[base]
	p.used[base] = n + 1
	if n == 0 {
		return base
	}
	return fmt.Sprintf("%s_%d", base, n+1)
}

func (p *pyfile) imp(line string) { p.imports[line] = true }

// flavor returns the expression that names mlflow.<sub> in this file and
// records the import it needs.
func (p *pyfile) flavor(sub string) string {
	key := "flavor:" + sub
	if s, ok := p.names[key]; ok {
		return s
	}
	var s string
	switch p.r.intn(6) {
	case 0:
		s = "mlflow_" + sub
		p.imp(fmt.Sprintf("import mlflow.%s as %s", sub, s))
	case 1:
		s = "ml_" + sub
		p.imp(fmt.Sprintf("from mlflow import %s as %s", sub, s))
	default:
		p.imp("import mlflow." + sub)
		s = p.m + "." + sub
	}
	p.names[key] = s
	return s
}

// pickName returns the spelling for a named MLflow object, choosing among
// forms once per file. A form is either "expr" (an attribute path on the
// mlflow alias, written with {m}) or "import line => expr".
func (p *pyfile) pickName(key string, forms []string) string {
	if s, ok := p.names[key]; ok {
		return s
	}
	f := p.r.pick(forms)
	var s string
	if imp, expr, ok := strings.Cut(f, " => "); ok {
		p.imp(imp)
		s = expr
	} else {
		s = strings.ReplaceAll(f, "{m}", p.m)
	}
	p.names[key] = s
	return s
}

func (p *pyfile) evaluate() string {
	return p.pickName("evaluate", []string{
		"{m}.evaluate",
		"{m}.evaluate",
		"{m}.models.evaluate",
		"from mlflow import evaluate => evaluate",
		"from mlflow.models import evaluate as model_evaluate => model_evaluate",
		"from mlflow.models import evaluate => evaluate",
	})
}

func (p *pyfile) threshold() string {
	return p.pickName("MetricThreshold", []string{
		"from mlflow.models import MetricThreshold => MetricThreshold",
		"from mlflow.models import MetricThreshold => MetricThreshold",
		"from mlflow.models.evaluation import MetricThreshold => MetricThreshold",
		"from mlflow.models.evaluation.base import MetricThreshold => MetricThreshold",
		"from mlflow.models import MetricThreshold as Threshold => Threshold",
		"{m}.models.MetricThreshold",
	})
}

func (p *pyfile) client() string {
	return p.pickName("MlflowClient", []string{
		"from mlflow import MlflowClient => MlflowClient",
		"from mlflow.tracking import MlflowClient => MlflowClient",
		"from mlflow.client import MlflowClient as TrackingClient => TrackingClient",
		"{m}.tracking.MlflowClient",
		"{m}.MlflowClient",
	})
}

func (p *pyfile) makeMetric() string {
	return p.pickName("make_metric", []string{
		"from mlflow.models import make_metric => make_metric",
		"from mlflow.metrics import make_metric => make_metric",
		"{m}.models.make_metric",
		"from mlflow.models import make_metric as build_metric => build_metric",
	})
}

func (p *pyfile) inferSignature() string {
	return p.pickName("infer_signature", []string{
		"from mlflow.models import infer_signature => infer_signature",
		"from mlflow.models.signature import infer_signature => infer_signature",
		"{m}.models.infer_signature",
	})
}

// header renders the module docstring and the sorted import block.
func (p *pyfile) header(doc string, std, third []string) string {
	var b buf
	b.line(`"""%s`, doc)
	b.line("")
	b.line("Run with --help for the options. Meant for the nightly training job.")
	b.line(`"""`)
	b.line("from __future__ import annotations")
	b.line("")
	for _, s := range std {
		b.raw(s)
	}
	b.line("")
	for _, s := range third {
		b.raw(s)
	}
	main := "import mlflow"
	if p.m != "mlflow" {
		main = "import mlflow as " + p.m
	}
	if p.tryImport {
		b.line("try:")
		b.in()
		b.raw(main)
		b.out()
		b.line("except ImportError:  # the scoring image has no tracking client")
		b.in()
		b.line("%s = None", p.m)
		b.out()
	} else {
		b.raw(main)
	}
	var imps []string
	for k := range p.imports {
		imps = append(imps, k)
	}
	sort.Strings(imps)
	for _, s := range imps {
		b.raw(s)
	}
	b.line("")
	return b.sb.String()
}

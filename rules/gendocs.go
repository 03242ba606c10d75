package rules

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/oracle"
)

// notCovered lists the catalog entries (docs mlflow3-breaking-changes.md
// and catalog-research.md) that no rule checks, with the reason. An entry
// whose code gains a rule drops out of the rendered list by itself.
var notCovered = []struct{ Code, What, Reason string }{
	{"MLF024", "`ModelInfo.model_uri` is `models:/m-<id>` in 3.x, so code parsing it as `runs:/<run_id>/<path>` fails", "the parsing happens in user code of any shape (string splitting, regexes, `RunsArtifactRepository`); no pattern finds it without false positives"},
	{"MLF025", "`mlflow.evaluate` no longer logs the SHAP explainer", "only code that later loads the explainer artifact breaks, and nothing ties that load to the evaluate call statically"},
	{"MLF026", "`mlflow.get_artifact_uri()` outside an active run warns", "a warning only, and whether a run is active is a runtime property"},
	{"MLF027", "`mlflow.search_traces()` returns the V3 DataFrame schema", "tracing arrived in 2.14, so code written for 2.9 cannot use it; the column mapping is unsettled"},
	{"MLF028", "a 3.x client against a 2.x tracking server (404 on `/api/2.0/mlflow/logged-models`)", "a property of the deployment, not of the source; MLF040-MLF042 check the pins that are visible"},
	{"MLF029", "on Databricks the registry URI defaults to `databricks-uc`", "depends on the workspace and on whether the code sets a registry URI elsewhere; the release of the change is unsettled"},
	{"MLF030", "the tracking server runs on FastAPI + uvicorn from 3.3", "operations: launch scripts keep working; gunicorn-specific tuning needs review by a person"},
	{"MLF031", "tracking server Host-header and CORS validation from 3.5", "operations: whether a host name is allowed depends on the network the server runs in"},
	{"MLF032", "SQLite is the default tracking backend from 3.7", "operations: code that reads `./mlruns` files directly is not recognisable as such"},
	{"MLF034", "a new top-level `routes:` (traffic split) in gateway configs from 3.5", "not a break; MLF009 only makes sure such a `routes:` list is never renamed"},
	{"MLF035", "scikit-learn pickle serialization deprecated in favour of `skops`", "the releases of the deprecation and of the default change are unsettled"},
	{"", "loading 2.x-logged fastai, mleap or gluon models as pyfunc in 3.x", "a property of stored model artifacts, not visible in source"},
	{"", "`mlflow.pytorch` `requirements_file=`: the exact 3.x failure", "the 3.x pytorch source was not read; MLF017 reports the keyword as the catalog lists it"},
	{"", "option parity of `mlflow gateway start` with the 2.9 `mlflow deployments start-server`", "the 2.9 options were not read; MLF008 only fixes commands that use the four options `gateway start` has"},
	{"", "`mlflow.keras` (dropped in 2.0, back for Keras 3 in 3.x)", "works on a 3.x target; deciding which calls changed needs a Keras 2 against Keras 3 comparison"},
}

var prRe = regexp.MustCompile(`#([0-9]+)`)

// prLinks turns "#15343" references into links to MLflow's pull requests.
func prLinks(pr string) string {
	if strings.TrimSpace(pr) == "" {
		return "-"
	}
	return prRe.ReplaceAllString(pr, "[#$1](https://github.com/mlflow/mlflow/pull/$1)")
}

func fixSummary(d analyzer.RuleDoc) string {
	if d.FixAvailability == "never" {
		return "none"
	}
	return d.FixAvailability + " (" + d.FixSafety + ")"
}

// cell escapes a table cell.
func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// RenderMarkdown renders docs/rules.md from the rule docs: a table of every
// rule, one section per rule (anchored so that RuleDoc.URL lands on it) and
// the catalog entries no rule covers.
func RenderMarkdown() []byte {
	var b bytes.Buffer
	all := AllDocs()
	claims := map[string]oracle.Claims{}
	loaded, err := oracle.Load()
	if err != nil {
		// TestOracleClaims reports it; the page says so rather than hiding it.
		fmt.Fprintf(&b, "<!-- oracle claims: %v -->\n", err)
	}
	for _, c := range loaded {
		claims[c.Rule] = c
	}
	b.WriteString("# mlflowlint rules\n\n")
	b.WriteString("<!-- This file is rendered from rules/docs/*.md by rules.RenderMarkdown; edit those files and run\n")
	b.WriteString("     `go test ./rules/ -run TestRulesMarkdown -update-docs`. -->\n\n")
	b.WriteString("Every rule names the MLflow version whose upgrade breaks the code (`since`); a rule runs only when\n")
	b.WriteString("`--target-version` is at least that version (MLF2nn rules, already broken on 2.x, always run).\n")
	b.WriteString("MLF3nn rules are generic: they compare every MLflow reference with the API data generated from\n")
	b.WriteString("MLflow's wheels, between the source and the target releases, and give way to a hand-written rule\n")
	b.WriteString("that reports the same place.\n")
	b.WriteString("MLF9nn rules report deprecations that still work, as warnings. Fixes marked unsafe are applied\n")
	b.WriteString("only with `--unsafe-fixes`.\n")
	b.WriteString("Each rule's **Oracle** line says what `make oracle` checks in releases installed from PyPI\n")
	b.WriteString("(oracle/claims/MLFnnn.toml): that the rule's example works on the source release, fails on the\n")
	b.WriteString("target (and on the newest installable release, " + oracle.Newest + ") with the error its docs name,\n")
	b.WriteString("and that the fixed form works there.\n\n")
	b.WriteString("| Code | Name | Title | Severity | Since | Fix |\n| --- | --- | --- | --- | --- | --- |\n")
	for _, d := range all {
		fmt.Fprintf(&b, "| [%s](#%s) | %s | %s | %s | %s | %s |\n", d.Code, strings.ToLower(d.Code), cell(d.Name), cell(d.Title), d.Severity, d.Since, fixSummary(d))
	}
	for _, d := range all {
		fmt.Fprintf(&b, "\n<a id=\"%s\"></a>\n\n## %s: %s\n\n", strings.ToLower(d.Code), d.Code, d.Title)
		fmt.Fprintf(&b, "`%s` · severity **%s** · since MLflow %s · fix: %s · MLflow PR: %s", d.Name, d.Severity, d.Since, fixSummary(d), prLinks(d.PR))
		if len(d.Tags) > 0 {
			fmt.Fprintf(&b, " · tags: %s", strings.Join(d.Tags, ", "))
		}
		b.WriteString("\n")
		if c, ok := claims[d.Code]; ok {
			fmt.Fprintf(&b, "\n**Oracle:** %s\n", c.Summary())
		} else {
			b.WriteString("\n**Oracle:** no claims file (oracle/claims/" + d.Code + ".toml).\n")
		}
		for _, sec := range []struct{ name, text string }{
			{"What it does", d.WhatItDoes}, {"Why is this bad?", d.Why}, {"Example", d.Example},
			{"Use instead", d.UseInstead}, {"Fix safety", d.FixSafetyText},
		} {
			fmt.Fprintf(&b, "\n### %s\n\n%s\n", sec.name, sec.text)
		}
	}
	b.WriteString("\n## Not covered\n\nCatalog entries and open questions that no rule checks, and why.\n\n")
	b.WriteString("| Catalog | What | Why not |\n| --- | --- | --- |\n")
	for _, n := range notCovered {
		if _, ok := Doc(n.Code); ok {
			continue
		}
		code := n.Code
		if code == "" {
			code = "-"
		}
		fmt.Fprintf(&b, "| %s | %s | %s |\n", code, cell(n.What), cell(n.Reason))
	}
	return b.Bytes()
}

package rules

import (
	"strings"
	"sync"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/apidb"
	"github.com/mlflowlint/mlflowlint/manifest"
	"github.com/mlflowlint/mlflowlint/parser"
)

// Dependency manifests (requirements files, pyproject.toml, setup.py,
// setup.cfg, conda environments, Pipfiles, pip install lines in
// Dockerfiles and shell scripts) are checked by the manifest package; these
// text rules wrap its checks, one code each.

// MLF040 reports mlflow pins that exclude the target version.
var MLF040 = registerText(manifestRule(manifest.CodePin))

// MLF041 reports Python pins below the target MLflow's floor.
var MLF041 = registerText(manifestRule(manifest.CodePython))

// MLF042 reports companion pins the target MLflow cannot be installed with.
var MLF042 = registerText(manifestRule(manifest.CodeCompanion))

func manifestRule(code string) *analyzer.TextRule {
	return &analyzer.TextRule{
		Code:     code,
		Match:    func(path string) bool { return manifest.KindOf(path) != manifest.KindNone },
		Triggers: [][]byte{[]byte("mlflow")},
		Check: func(path string, src []byte, cfg *analyzer.RunConfig) []analyzer.TextIssue {
			issues := checkManifest(manifestKey{path: path, text: string(src)}, cfg, func() *manifest.Manifest {
				m, err := manifest.Parse(path, src)
				if err != nil {
					return nil
				}
				return m
			})
			return manifestIssues(issues, code)
		},
		CheckPip: func(path string, lines []parser.PipLine, cfg *analyzer.RunConfig) []analyzer.TextIssue {
			var out []analyzer.TextIssue
			for _, l := range lines {
				issues := checkManifest(manifestKey{path: path, text: l.Text, line: l.Line, offset: l.Offset, pip: true}, cfg, func() *manifest.Manifest {
					return manifest.ParseNotebookPip(path, unmagic(l.Text), l.Line, l.Offset)
				})
				out = append(out, manifestIssues(issues, code)...)
			}
			return out
		},
	}
}

// manifestKey names one manifest text (a file, or a notebook's pip line
// at its place) checked at one target.
type manifestKey struct {
	path, text   string
	line, offset int
	pip          bool
	target       string
	api          int
}

// checked memoizes checkManifest: each of the manifest rules reads the
// same texts and keeps its own code of the issues.
var checked sync.Map // manifestKey -> []manifest.Issue

// checkManifest returns the issues of every code of the manifest parse
// reads (nil: none) at cfg's target, parsing and checking it once per run.
func checkManifest(k manifestKey, cfg *analyzer.RunConfig, parse func() *manifest.Manifest) []manifest.Issue {
	k.target, k.api = cfg.Target.String(), restTarget(cfg)
	if is, ok := checked.Load(k); ok {
		return is.([]manifest.Issue)
	}
	var issues []manifest.Issue
	if m := parse(); m != nil {
		issues = manifest.Check(m, k.target, targetRequires(k.api))
	}
	checked.Store(k, issues)
	return issues
}

// manifestIssues converts the manifest package's issues of one code.
func manifestIssues(issues []manifest.Issue, code string) []analyzer.TextIssue {
	var out []analyzer.TextIssue
	for _, is := range issues {
		if is.Code != code {
			continue
		}
		ti := analyzer.TextIssue{Code: is.Code, Message: is.Message, Start: is.Start, End: is.End, Severity: analyzer.Severity(is.Severity)}
		if is.Fix != nil {
			ti.Fix = &analyzer.TextFix{Message: is.Fix.Title, Unsafe: true,
				Edits: []analyzer.TextEdit{{Start: is.Fix.Start, End: is.Fix.End, New: is.Fix.New}}}
		}
		out = append(out, ti)
	}
	return out
}

// unmagic blanks the "# MAGIC" prefixes of a Databricks pip command, keeping
// every offset, so the command reads like a shell line.
func unmagic(text string) string {
	lines := strings.SplitAfter(text, "\n")
	for i, l := range lines {
		trimmed := strings.TrimLeft(l, " \t")
		if strings.HasPrefix(trimmed, "# MAGIC") {
			pad := len(l) - len(trimmed) + len("# MAGIC")
			lines[i] = strings.Repeat(" ", pad) + l[pad:]
		}
	}
	return strings.Join(lines, "")
}

// targetRequires returns what the wheels of release t (an index of the
// release data) declare: the mlflow wheel's Requires-Python and the
// Requires-Dist of mlflow and of the mlflow-skinny release it pins. When
// the data has no mlflow-skinny wheel of that release (3.18.0's is not on
// PyPI), the newest earlier one stands in for it.
func targetRequires(t int) manifest.Requires {
	if r, ok := requiresMemo.Load(t); ok {
		return r.(manifest.Requires)
	}
	meta := apidb.LoadMeta()
	req := manifest.Requires{Python: meta.RequiresPython("mlflow", t), Full: meta.RequiresDist("mlflow", t)}
	for s := t; s >= 0 && req.Skinny == nil; s-- {
		req.Skinny = meta.RequiresDist("mlflow-skinny", s)
	}
	requiresMemo.Store(t, req)
	return req
}

var requiresMemo sync.Map

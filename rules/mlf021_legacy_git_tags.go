package rules

import (
	"regexp"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/parser"
)

// MLF021 reports the legacy git run tags MLflow 3.0 stopped writing:
//   - imports of LEGACY_MLFLOW_GIT_BRANCH_NAME / LEGACY_MLFLOW_GIT_REPO_URL
//     from mlflow.utils.mlflow_tags (deleted: ImportError), with a safe
//     fix to MLFLOW_GIT_BRANCH / MLFLOW_GIT_REPO_URL, present in 2.9 too;
//   - the tag names as strings: a literal whose whole value is
//     "mlflow.gitBranchName" or "mlflow.gitRepoURL", or a search filter
//     naming `tags."mlflow.gitBranchName"` (double quotes, single quotes
//     or backticks). Runs logged by 3.x lack the tag, so lookups raise
//     KeyError or match nothing; the fix to the new tag name is unsafe
//     because runs logged by 2.x only carry the old one.
var MLF021 = register(&analysis.Analyzer{
	Name:             "MLF021",
	Doc:              analyzerDoc("MLF021"),
	URL:              docURL("MLF021"),
	Requires:         shared,
	RunDespiteErrors: true,
	Run:              runMLF021,
})

var _ = triggers("MLF021", "gitBranchName", "gitRepoURL", "LEGACY_MLFLOW_GIT_")

const mlflowTagsModule = "mlflow.utils.mlflow_tags"

// legacyGitConstants pairs the deleted constants with their replacements.
var legacyGitConstants = [][2]string{
	{"LEGACY_MLFLOW_GIT_BRANCH_NAME", "MLFLOW_GIT_BRANCH"},
	{"LEGACY_MLFLOW_GIT_REPO_URL", "MLFLOW_GIT_REPO_URL"},
}

// tagCategory: a legacy tag string still runs (lookups of runs logged by
// 3.x miss it), so it is a warning; its rewrite is unsafe because runs
// logged by 2.x keep the old tag.
const tagCategory = "warning,unsafe"

// legacyGitTags maps the legacy tag names to the tags 3.x writes.
var legacyGitTags = map[string]string{
	"mlflow.gitBranchName": "mlflow.source.git.branch",
	"mlflow.gitRepoURL":    "mlflow.source.git.repoURL",
}

// legacyTagInFilterRe finds a legacy tag named in a search filter, in the
// raw text of a literal (so `\"` escapes count as quotes).
var legacyTagInFilterRe = regexp.MustCompile(`tags\.(\\?["'` + "`" + `])(mlflow\.(?:gitBranchName|gitRepoURL))\\?["'` + "`" + `]`)

func runMLF021(pass *analysis.Pass) (any, error) {
	in := analyzer.In(pass)
	for _, s := range in.Index.Of("string") {
		if isBareStringStmt(s) {
			continue
		}
		if v, ok := parser.StringValue(in.File.Src, s); ok {
			if to, legacy := legacyGitTags[v]; legacy {
				if content := parser.StringContent(s); content != nil {
					d := diag(in.File, content, mlf021TagMsg(v, to), renameFix(in.File, content, to, "Replace `"+v+"` with `"+to+"`"), true)
					d.Category = tagCategory
					pass.Report(d)
					continue
				}
			}
		}
		raw := in.File.Text(s)
		base := int(s.StartByte())
		for _, m := range legacyTagInFilterRe.FindAllStringSubmatchIndex(raw, -1) {
			tag := raw[m[4]:m[5]]
			to := legacyGitTags[tag]
			start, end := base+m[4], base+m[5]
			edit := analysis.TextEdit{Pos: in.File.Tok.Pos(start), End: in.File.Tok.Pos(end), NewText: []byte(to)}
			pass.Report(analysis.Diagnostic{
				Pos: edit.Pos, End: edit.End, Message: mlf021TagMsg(tag, to), Category: tagCategory,
				SuggestedFixes: []analysis.SuggestedFix{{Message: "Replace `" + tag + "` with `" + to + "`", TextEdits: []analysis.TextEdit{edit}}},
			})
		}
	}
	if !in.Resolver.Seen("mlflow") && !in.File.Databricks {
		return nil, nil
	}
	for _, pair := range legacyGitConstants {
		old, to := pair[0], pair[1]
		msg := "`" + mlflowTagsModule + "." + old + "` was removed in MLflow 3.0 (ImportError/AttributeError); use `" + to + "` (the `" + legacyTagFor(old) + "` tag)"
		reportRenamedConstant(pass, in, mlflowTagsModule, old, to, msg, "Replace `"+old+"` with `"+to+"`")
	}
	return nil, nil
}

func mlf021TagMsg(tag, to string) string {
	return "MLflow 3.0 no longer writes the run tag `" + tag + "` (runs logged by 3.x lack it: lookups raise KeyError or return None, filters match nothing); use `" + to + "`, and keep the old tag only to read runs logged by 2.x"
}

func legacyTagFor(constant string) string {
	if strings.Contains(constant, "BRANCH") {
		return "mlflow.source.git.branch"
	}
	return "mlflow.source.git.repoURL"
}

// isBareStringStmt reports a string that is a statement of its own.
func isBareStringStmt(s *parser.Node) bool {
	p := s.Parent()
	return p != nil && !p.IsNull() && p.Type() == "expression_statement" && p.NamedChildCount() == 1
}

// MLF021 reads beyond the statements of its findings: its fix renames
// every use of an imported constant, unless the new name is taken.
func init() { analyzer.ReadsBeyond(MLF021, analyzer.Reading{Words: legacyGitWords()}) }

// legacyGitWords are the old and new names of legacyGitConstants.
func legacyGitWords() []string {
	var out []string
	for _, pair := range legacyGitConstants {
		out = append(out, pair[0], pair[1])
	}
	return out
}

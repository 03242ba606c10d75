package rules

import (
	"fmt"
	"strings"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/apidb"
)

// The command-line rules read `mlflow ...` invocations in scripts,
// Dockerfiles, Makefiles, compose files, workflows, MLproject files and
// notebooks' shell lines, and compare each command word and option with
// the CLI data of the target release (apidb.LoadCLI):
//
//   - MLF214: `--no-conda` on a command that lost it, where the target's
//     command takes `--env-manager` (safe fix: `--env-manager local`);
//   - MLF215: `mlflow run --skip-image-build` (safe fix: delete it; the
//     image is built only with `--build-image` since 2.0);
//   - MLF307: any other command or option an earlier release had and the
//     target does not.
//
// MLF307 stays silent where MLF001 (`mlflow recipes`), MLF008 (`mlflow
// deployments start-server`), MLF214 or MLF215 report.

const (
	codeRemovedCLI = "MLF307"
	noConda        = "--no-conda"
	skipImageBuild = "--skip-image-build"
)

// handCommands are command paths whose removal a hand rule reports.
var handCommands = set("mlflow recipes", "mlflow deployments start-server")

var mlf214 = registerText(&analyzer.TextRule{
	Code: "MLF214", Match: runsCommands, Shell: true,
	Triggers: [][]byte{[]byte(noConda)},
	Check: func(_ string, src []byte, cfg *analyzer.RunConfig) []analyzer.TextIssue {
		return cliIssues(src, cfg, "MLF214")
	},
})

var mlf215 = registerText(&analyzer.TextRule{
	Code: "MLF215", Match: runsCommands, Shell: true,
	Triggers: [][]byte{[]byte(skipImageBuild)},
	Check: func(_ string, src []byte, cfg *analyzer.RunConfig) []analyzer.TextIssue {
		return cliIssues(src, cfg, "MLF215")
	},
})

var mlf307 = registerText(&analyzer.TextRule{
	Code: codeRemovedCLI, Match: runsCommands, Shell: true,
	Triggers: [][]byte{[]byte("mlflow")},
	Check: func(_ string, src []byte, cfg *analyzer.RunConfig) []analyzer.TextIssue {
		return cliIssues(src, cfg, codeRemovedCLI)
	},
})

// apiRange is the run's migration, or the default one.
func apiRange(cfg *analyzer.RunConfig) analyzer.APIRange {
	if cfg == nil || len(cfg.API.Source) == 0 {
		return analyzer.DefaultAPIRange()
	}
	return cfg.API
}

// cliIssues returns the issues of one rule (code) in a command file.
func cliIssues(src []byte, cfg *analyzer.RunConfig, code string) []analyzer.TextIssue {
	tgt := apiRange(cfg).Target
	var out []analyzer.TextIssue
	for _, cmd := range mlflowCommands(src) {
		if !atCommandPosition(src, cmd.Start) {
			continue
		}
		for _, g := range removedCLI(apidb.LoadCLI(), cmd.Args, tgt) {
			if is, ok := g.issue(src, code); ok {
				out = append(out, is)
			}
		}
	}
	return out
}

// cliGone is one word of an invocation the target's CLI lacks.
type cliGone struct {
	db *apidb.CLI
	// path is the command the word belongs to ("mlflow run"); for a
	// removed command, the command itself.
	path     string
	option   string // the option spelling, "" for a command
	word     cliWord
	last     int // the newest release before the target that had it
	tgt      int
	hasEnvMg bool // the target's command takes --env-manager
}

// removedCLI walks the words after `mlflow` through the target's command
// tree and returns the commands and options the target lacks and an
// earlier release had. The walk stops at a word it cannot place: a
// command or option no release had (a typo, or a newer one), a dynamic
// command, a variable where a command name belongs, `--`.
func removedCLI(db *apidb.CLI, args []cliWord, tgt int) []cliGone {
	var out []cliGone
	path := "mlflow"
	for i := 0; i < len(args); i++ {
		w := args[i]
		if w.Text == "--" {
			break
		}
		found, dyn := db.Command(path, tgt)
		if !found || dyn {
			break
		}
		if strings.HasPrefix(w.Text, "-") && len(w.Text) > 1 {
			spelling, _, inline := strings.Cut(w.Text, "=")
			if spelling != w.Text {
				inline = true
			}
			n, ok := db.Option(path, spelling, tgt)
			if !ok {
				last := lastWith(tgt, func(r int) bool { _, has := db.Option(path, spelling, r); return has })
				if last < 0 {
					break
				}
				n, _ = db.Option(path, spelling, last)
				_, envMg := db.Option(path, "--env-manager", tgt)
				out = append(out, cliGone{db: db, path: path, option: spelling, word: w, last: last, tgt: tgt, hasEnvMg: envMg})
			}
			if n < 0 {
				break
			}
			if !inline {
				i += n
			}
			continue
		}
		subs := db.Subcommands(path, tgt)
		if len(subs) == 0 {
			continue // an argument of a command
		}
		child := path + " " + w.Text
		if ok, _ := db.Command(child, tgt); ok {
			path = child
			continue
		}
		if last := lastWith(tgt, func(r int) bool { ok, _ := db.Command(child, r); return ok }); last >= 0 {
			out = append(out, cliGone{db: db, path: child, word: w, last: last, tgt: tgt})
		}
		break
	}
	return out
}

// lastWith returns the newest release before tgt for which has holds, or -1.
func lastWith(tgt int, has func(int) bool) int {
	for r := tgt - 1; r >= 0; r-- {
		if has(r) {
			return r
		}
	}
	return -1
}

// owner is the rule that reports a removed word.
func (g cliGone) owner() string {
	switch {
	case g.option == "" && (handCommands[g.path] || handCommands[parentCommand(g.path)]):
		return "" // MLF001, MLF008
	case g.option == noConda && g.hasEnvMg:
		return "MLF214"
	case g.option == skipImageBuild && g.path == "mlflow run":
		return "MLF215"
	}
	return codeRemovedCLI
}

func parentCommand(path string) string {
	if i := strings.LastIndexByte(path, ' '); i >= 0 {
		return path[:i]
	}
	return ""
}

func (g cliGone) when() string {
	vs := g.db.Versions()
	return fmt.Sprintf("removed in MLflow %s (last in %s)", releaseLabel(vs, g.last+1), vs[g.last])
}

// issue words the finding for rule code, if code owns it.
func (g cliGone) issue(src []byte, code string) (analyzer.TextIssue, bool) {
	if g.owner() != code {
		return analyzer.TextIssue{}, false
	}
	is := analyzer.TextIssue{Start: g.word.Start, End: g.word.End}
	target := g.db.Versions()[g.tgt]
	switch code {
	case "MLF214":
		is.Message = fmt.Sprintf("`%s %s` was %s, so the command fails with \"No such option\"; use `--env-manager local` (MLflow %s)", g.path, noConda, g.when(), target)
		is.Fix = &analyzer.TextFix{Message: "Replace `--no-conda` with `--env-manager local`",
			Edits: []analyzer.TextEdit{{Start: g.word.Start, End: g.word.End, New: replaceWord(src, g.word, "--env-manager", "local")}}}
	case "MLF215":
		is.Message = fmt.Sprintf("`mlflow run %s` was %s, so the command fails with \"No such option\"; delete it: since 2.0 `mlflow run` builds a new image only when given `--build-image`", skipImageBuild, g.when())
		s, e := wordWithBlank(src, g.word)
		is.Fix = &analyzer.TextFix{Message: "Delete `--skip-image-build`", Edits: []analyzer.TextEdit{{Start: s, End: e}}}
	default:
		if g.option == "" {
			is.Message = fmt.Sprintf("the command `%s` was %s, so the line fails with \"No such command\" on MLflow %s", g.path, g.when(), target)
		} else {
			is.Message = fmt.Sprintf("`%s` has no option `%s` in MLflow %s: %s, so the command fails with \"No such option\"", g.path, g.option, target, g.when())
		}
	}
	return is, true
}

// wordWithBlank extends a word's span over the blanks before it on its
// line (else those after it), so deleting the span leaves one separator.
func wordWithBlank(src []byte, w cliWord) (int, int) {
	s := w.Start
	for s > 0 && (src[s-1] == ' ' || src[s-1] == '\t') {
		s--
	}
	if s > 0 && src[s-1] != '\n' && s < w.Start {
		return s, w.End
	}
	e := w.End
	for e < len(src) && (src[e] == ' ' || src[e] == '\t') {
		e++
	}
	return w.Start, e
}

// replaceWord writes words in place of w: JSON array elements in an exec
// form (`["mlflow", "run", ...]`), else shell words quoted as w was.
func replaceWord(src []byte, w cliWord, words ...string) string {
	p := w.Start
	for p > 0 && (src[p-1] == ' ' || src[p-1] == '\t') {
		p--
	}
	sep := " "
	if p > 0 && src[p-1] == ',' && src[w.Start] == '"' {
		sep = ", "
	}
	out := make([]string, len(words))
	for i, x := range words {
		out[i] = requoteWord(src, w, x)
	}
	return strings.Join(out, sep)
}

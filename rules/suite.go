// Package rules is the MLflow 3 rule catalog of mlflowlint: one analyzer
// per rule, named by its code, documented in docs/<CODE>.md.
package rules

import (
	"fmt"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/mlflowlint/mlflowlint/analyzer"
)

// Suite lists every Python rule, sorted by code. Each rule file adds its
// analyzer with register, so rules are added without editing this file.
var Suite []*analysis.Analyzer

// TextSuite lists the rules that read non-Python files, sorted by code.
var TextSuite []*analyzer.TextRule

var (
	registered     []*analysis.Analyzer
	registeredText []*analyzer.TextRule
)

// Triggers maps a rule code to the byte strings without which the rule
// cannot report: a source that contains none of them gets no finding from
// the rule, so the driver need not run it (analyzer.Options.RuleTriggers).
// Each rule declares them next to its analyzer with triggers. They are
// derived from what the rule matches: a qualified name resolves from the
// source only if its last component is written in it (as a name, an
// attribute or an imported name), a keyword argument only if its name is
// written (in the call or as a key of an unpacked dict), a string only if
// its characters are. A rule without an entry always runs.
var Triggers = map[string][][]byte{}

// triggers records the trigger strings of a rule.
func triggers(code string, words ...string) bool {
	for _, w := range words {
		Triggers[code] = append(Triggers[code], []byte(w))
	}
	return true
}

// keywordTriggers is word triggers for a rule that reports keyword
// arguments of those names in calls of funcs and nothing else: the path
// words of a callee with one of the names, where a use of a name may be
// such a keyword (keywordMayStart; read a statement at a time, of the
// statement or of one it uses, which holds a mapping unpacked into the
// call).
func keywordTriggers(code string, funcs map[string]bool, names ...string) *analyzer.Words {
	var alts []string
	for _, n := range names {
		alts = append(alts, pathAlts(funcs, n)...)
	}
	return wordTriggers(code, alts...).Checking(func(src []byte) bool { return mayBeKeyword(src, names) })
}

// mayBeKeyword reports whether src holds one of names where it may be a
// keyword argument (keywordMayStart).
func mayBeKeyword(src []byte, names []string) bool {
	for _, n := range names {
		for _, at := range wordOffsets(src, n) {
			if keywordMayStart(src, at, at+len(n)) {
				return true
			}
		}
	}
	return false
}

// WordTriggers maps a rule code to its trigger words
// (analyzer.Options.RuleWords, with the generic rules' words of WordsFor):
// alternatives of words, each of which a source must hold as whole words
// for that alternative to count; a source holding no whole alternative gets
// no finding from the rule. They are derived like Triggers, and say more:
// a qualified name `mlflow.a.b` resolves only where `a` and `b` are both
// written (the import, the attribute chain or the string names every
// component), and a rule that needs a name and a keyword needs both. A
// rule with word triggers declares no trigger strings.
var WordTriggers = map[string]*analyzer.Words{}

// wordTriggers records the word triggers of a rule that reports only
// where MLflow's API is reached: each alternative is words separated by
// blanks, all of which a source must hold, besides `mlflow` itself (see
// rootWord). A word with a leading "." must be written as a member, and
// analyzer.WrittenMark asks for the alternative's last word in the
// statement itself, where a source is read a statement at a time.
func wordTriggers(code string, alts ...string) *analyzer.Words {
	return wordTriggersFunc(code, rootWord, func() []string { return alts })
}

// rootWord is the word every source that reaches MLflow's API writes:
// paths start at `import mlflow` (relative imports never resolve to
// MLflow), a string naming a path spells it, and a Databricks notebook's
// implicit `mlflow` is still written where it is used. Path words leave
// it out (pathWords); the trigger sets need it once, as a whole word: a
// file of a package named `kedro_mlflow` that never imports mlflow is not
// parsed.
const rootWord = "mlflow"

// wordTriggersFunc is wordTriggers with alternatives computed on first
// use (from data that a run need not load otherwise), needing the word
// need besides them unless it is "" (a rule that also reads environment
// variables, which need not name MLflow's module).
func wordTriggersFunc(code, need string, alts func() []string) *analyzer.Words {
	if _, dup := Triggers[code]; dup {
		panic(code + " declares both trigger strings and trigger words")
	}
	w := analyzer.NewWords(func() analyzer.WordSet { return wordSet(alts()) }).Needing(need)
	WordTriggers[code] = w
	return w
}

// wordSet builds the word set of alternatives (see wordTriggers), keyed by
// each alternative's last word. A word with a leading "." must be written
// as a member (analyzer.WordSet); a key that must be lists itself so in
// its alternative.
func wordSet(alts []string) analyzer.WordSet {
	set := analyzer.WordSet{}
	bare := map[string]bool{}
	for _, a := range alts {
		ws := strings.Fields(a)
		last := ws[len(ws)-1]
		key, member := strings.CutPrefix(last, ".")
		with := ws[:len(ws)-1]
		if member {
			with = ws
		}
		switch {
		case len(with) == 0:
			bare[key] = true
			set[key] = nil
		case !bare[key]:
			set[key] = append(set[key], with)
		}
	}
	return set
}

// writtenMember is the alternative of a rule that reports the member w
// only in the statement that writes it after a dot (an attribute read) or
// as a from-import's name: the path of one component w.
func writtenMember(w string) string { return writtenPath(rootWord + "." + w) }

// writtenPath is pathWords(qn) asked of the statement that writes the
// last component, as an import of the module, an attribute read of it or
// a from-import's name: where moduleUses reports.
func writtenPath(qn string) string { return analyzer.WrittenMark + " " + pathWords(qn) }

// pathWords returns the components of a qualified name after `mlflow`,
// separated by blanks, each with a leading "." (written as a member): the
// words every source that reaches it writes, in an attribute chain, an
// import of mlflow, a patch target or getattr's string.
func pathWords(qn string) string {
	return "." + strings.ReplaceAll(strings.TrimPrefix(qn, "mlflow."), ".", " .")
}

// pathAlts returns an alternative of word triggers per qualified name:
// its path words, then the words of extra.
func pathAlts(names map[string]bool, extra string) []string {
	out := make([]string, 0, len(names))
	for qn := range names {
		out = append(out, strings.TrimSpace(pathWords(qn)+" "+extra))
	}
	sort.Strings(out)
	return out
}

// lastComponent returns the last dotted component of a qualified name.
func lastComponent(qn string) string { return qn[strings.LastIndexByte(qn, '.')+1:] }

// register adds a Python rule to the suite.
func register(a *analysis.Analyzer) *analysis.Analyzer {
	registered = append(registered, a)
	return a
}

// registerText adds a text rule to the suite.
func registerText(t *analyzer.TextRule) *analyzer.TextRule {
	registeredText = append(registeredText, t)
	return t
}

func init() {
	Suite = append([]*analysis.Analyzer(nil), registered...)
	sort.Slice(Suite, func(i, j int) bool { return Suite[i].Name < Suite[j].Name })
	TextSuite = append([]*analyzer.TextRule(nil), registeredText...)
	sort.SliceStable(TextSuite, func(i, j int) bool { return TextSuite[i].Code < TextSuite[j].Code })
}

// Codes returns every rule code, sorted, once each. A text rule may share
// its code with a Python rule (MLF022 reads Python sources and .env files):
// it is one rule with two halves, selected, ignored and documented together.
func Codes() []string {
	seen := map[string]bool{}
	var out []string
	add := func(code string) {
		if !seen[code] {
			seen[code] = true
			out = append(out, code)
		}
	}
	for _, a := range Suite {
		add(a.Name)
	}
	for _, t := range TextSuite {
		add(t.Code)
	}
	sort.Strings(out)
	return out
}

// Selection chooses rules the way ruff does: start from Select (default
// every rule except opt-in ones), add ExtendSelect, drop Ignore. Entries
// are codes or prefixes ("MLF0", "MLF9") or "ALL".
type Selection struct {
	Select, ExtendSelect, Ignore []string
	Target                       analyzer.Version
}

// optIn rules run only when selected explicitly.
var optIn = map[string]bool{"MLF000": true}

// CheckCode reports an error for an entry that names no rule.
func CheckCode(entry string) error {
	if entry == "ALL" {
		return nil
	}
	for _, c := range Codes() {
		if strings.HasPrefix(c, entry) {
			return nil
		}
	}
	return fmt.Errorf("unknown rule code or prefix %q", entry)
}

func matches(code string, entries []string) (bool, int) {
	best := -1
	for _, e := range entries {
		if e == "ALL" && best < 0 {
			best = 0
		} else if strings.HasPrefix(code, e) && len(e) > best {
			best = len(e)
		}
	}
	return best >= 0, best
}

// Enabled reports whether a code is selected, and applies to the target.
func (s Selection) Enabled(code string) bool {
	sel := s.Select
	selected, selLen := true, 0
	if len(sel) > 0 {
		selected, selLen = matches(code, sel)
	} else if optIn[code] {
		selected = false
	}
	if ok, n := matches(code, s.ExtendSelect); ok {
		selected = true
		if n > selLen {
			selLen = n
		}
	}
	if ok, n := matches(code, s.Ignore); ok && n >= selLen {
		selected = false
	}
	if !selected {
		return false
	}
	if d, ok := Doc(code); ok && !s.Target.IsZero() {
		since, err := analyzer.ParseVersion(d.Since)
		// MLF2nn rules are already broken on 2.x: they always apply.
		if err == nil && since.Major >= 3 && s.Target.Less(since) {
			return false
		}
	}
	return true
}

// Select returns the enabled Python and text rules.
func Select(s Selection) ([]*analysis.Analyzer, []*analyzer.TextRule) {
	var py []*analysis.Analyzer
	for _, a := range Suite {
		if s.Enabled(a.Name) {
			py = append(py, a)
		}
	}
	var tx []*analyzer.TextRule
	for _, t := range TextSuite {
		if s.Enabled(t.Code) {
			tx = append(tx, t)
		}
	}
	return py, tx
}

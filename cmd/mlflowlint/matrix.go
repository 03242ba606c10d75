package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/apidb"
	"github.com/mlflowlint/mlflowlint/rules"
)

// wantsMatrix reports whether the report asks for the upgrade matrix: the
// Markdown report always, the text statistics with --upgrade-matrix.
func wantsMatrix(fl *flags, st *settings) bool {
	stdinFix := fl.fix && len(fl.paths) == 1 && fl.paths[0] == "-"
	if fl.diff || fl.addNoqa || fl.showFiles || stdinFix {
		return false
	}
	switch st.format {
	case "markdown":
		return true
	case "full", "concise":
		return fl.statistics && fl.upgradeMatrix
	}
	return false
}

// checkMatrixFlag refuses --upgrade-matrix where no report would show it.
func checkMatrixFlag(fl *flags, st *settings) error {
	if !fl.upgradeMatrix || st.format == "markdown" || fl.statistics && (st.format == "full" || st.format == "concise") {
		return nil
	}
	return fmt.Errorf("--upgrade-matrix goes with --statistics (full or concise output) or --output-format markdown")
}

// matrixMinors lists the 3.x minors of the API data, oldest first.
func matrixMinors() []string {
	var out []string
	for _, v := range apidb.Releases("3") {
		minor := v[:strings.LastIndexByte(v, '.')]
		if !slices.Contains(out, minor) {
			out = append(out, minor)
		}
	}
	return out
}

// matrixVariants are the migrations of the upgrade matrix other than the
// run's own: each 3.x minor's newest release, from the run's source
// releases, with the rules the selection enables at that target. A minor
// no source release is older than is left out. The run's own migration is
// counted from its findings (see withOwnTally).
func matrixVariants(st *settings) []analyzer.Variant {
	var out []analyzer.Variant
	var rngs []analyzer.APIRange
	for _, minor := range matrixMinors() {
		rng, err := analyzer.NewAPIRange(st.sourceReleases, minor)
		if err != nil || rng.Target == st.api.Target {
			continue
		}
		sel := st.sel
		sel.Target = rng.TargetVersion()
		py, text := rules.Select(sel)
		out = append(out, analyzer.Variant{
			Target:    sel.Target,
			API:       rng,
			Rules:     py,
			TextRules: text,
			Shadow:    unselected(py),
		})
		rngs = append(rngs, rng)
	}
	// One set of trigger words for every variant: computing a set per
	// target cost a second each, and the variants analyse the same files.
	words := rules.WordsForAny(rngs)
	for i := range out {
		out[i].RuleWords = words
	}
	return out
}

// withOwnTally adds the run's own migration to the matrix when its target
// is the newest release of a minor (a row the variants left out), counted
// from the findings the run reports.
func withOwnTally(res *analyzer.Result, st *settings) {
	own := false
	for _, minor := range matrixMinors() {
		if rng, err := analyzer.NewAPIRange(st.sourceReleases, minor); err == nil && rng.Target == st.api.Target {
			own = true
		}
	}
	if !own {
		return
	}
	res.Matrix = append(res.Matrix, analyzer.CountFindings(st.target, res.Findings))
	slices.SortFunc(res.Matrix, func(a, b analyzer.Tally) int { return a.Target.Compare(b.Target) })
}

package report

import (
	"bytes"
	"fmt"
	"strconv"

	"github.com/mlflowlint/mlflowlint/analyzer"
)

// matrixRow is one target of the upgrade matrix, ready to print.
type matrixRow struct {
	target                       string
	own                          bool // the report's own target
	findings, breaking, warnings int
	safe, unsafe, manual, files  int
}

// release names a version as MLflow numbers its releases: 3.2.0, not 3.2.
func release(v analyzer.Version) string { return fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch) }

func (r *renderer) matrixRows() []matrixRow {
	var rows []matrixRow
	target, err := analyzer.ParseVersion(r.opt.Target)
	own := err == nil
	for _, t := range r.res.Matrix {
		rows = append(rows, matrixRow{
			target:   release(t.Target),
			own:      own && t.Target == target,
			findings: t.Findings,
			breaking: t.Findings - t.Warnings,
			warnings: t.Warnings,
			safe:     t.Safe,
			unsafe:   t.Unsafe,
			manual:   t.Findings - t.Safe - t.Unsafe,
			files:    t.Files,
		})
	}
	return rows
}

// markdownMatrix writes the upgrade matrix: for each 3.x target, what
// the upgrade costs.
func (r *renderer) markdownMatrix(buf *bytes.Buffer) {
	rows := r.matrixRows()
	if len(rows) == 0 {
		return
	}
	buf.WriteString("\n## Upgrade matrix\n\n")
	buf.WriteString("The findings for each MLflow 3 minor release as the target (its newest release), with this report's settings. " +
		"Safe fixes are applied by `mlflowlint --fix`, unsafe ones by `mlflowlint --fix --unsafe-fixes`; the rest are manual migrations.")
	if first := r.res.Matrix[0].Target; first.Major == 3 && first.Minor > 0 {
		fmt.Fprintf(buf, " Targets before %d.%d are left out: the code is written for a release that is not older.", first.Major, first.Minor)
	}
	buf.WriteString("\n\n")
	buf.WriteString("| Target | Findings | Breaking | Deprecations | Safe fixes | Unsafe fixes | Manual | Files |\n")
	buf.WriteString("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for _, m := range rows {
		target := m.target
		if m.own {
			target = "**" + target + "** (this report)"
		}
		fmt.Fprintf(buf, "| %s | %d | %d | %d | %d | %d | %d | %d |\n",
			target, m.findings, m.breaking, m.warnings, m.safe, m.unsafe, m.manual, m.files)
	}
}

// statisticsMatrix writes the upgrade matrix after the per-rule counts of
// --statistics, as aligned columns; "*" marks the run's own target.
func (r *renderer) statisticsMatrix(buf *bytes.Buffer) {
	rows := r.matrixRows()
	if len(rows) == 0 {
		return
	}
	head := []string{"target", "findings", "safe-fix", "unsafe-fix", "manual", "files"}
	cells := [][]string{head}
	for _, m := range rows {
		t := m.target
		if m.own {
			t += " *"
		}
		cells = append(cells, []string{t, strconv.Itoa(m.findings), strconv.Itoa(m.safe),
			strconv.Itoa(m.unsafe), strconv.Itoa(m.manual), strconv.Itoa(m.files)})
	}
	width := make([]int, len(head))
	for _, row := range cells {
		for i, c := range row {
			width[i] = max(width[i], len(c))
		}
	}
	buf.WriteString("\nFindings per target (the newest release of each MLflow 3 minor; * this run's target):\n")
	for _, row := range cells {
		fmt.Fprintf(buf, "  %-*s", width[0], row[0])
		for i := 1; i < len(row); i++ {
			fmt.Fprintf(buf, "  %*s", width[i], row[i])
		}
		buf.WriteString("\n")
	}
}

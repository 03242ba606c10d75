package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// matrixProject is a project whose findings change with the target:
// train.py breaks from 3.0 (MLF002 three times, MLF011 with a safe fix,
// MLF013 twice, one with an unsafe fix), forecast.py breaks from 3.0
// (MLF010, a safe fix) and uses mlflow.diviner (MLF005 twice: warnings
// for 3.6, errors from 3.7), tracking.py sets a file store (MLF033, from
// 3.13).
const matrixProject = "testdata/matrix"

// matrixRow is one row of the Markdown upgrade matrix, by column.
type matrixRow struct {
	target                                                    string
	findings, breaking, warnings, safe, unsafe, manual, files int
}

var matrixLine = regexp.MustCompile(`^\| (?:\*\*)?(3\.\d+\.\d+)(?:\*\* \(this report\))? \| (\d+) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \|$`)

// matrixRows reads the upgrade matrix of a Markdown report, by minor
// ("3.6"), and which minor is marked as the report's own.
func matrixRows(t *testing.T, report string) (map[string]matrixRow, string) {
	t.Helper()
	i := strings.Index(report, "## Upgrade matrix\n")
	if i < 0 {
		t.Fatalf("no upgrade matrix in:\n%s", report)
	}
	rows := map[string]matrixRow{}
	own := ""
	for _, l := range strings.Split(report[i:], "\n") {
		m := matrixLine.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		n := make([]int, 7)
		for k := range n {
			n[k], _ = strconv.Atoi(m[k+2])
		}
		minor := m[1][:strings.LastIndexByte(m[1], '.')]
		rows[minor] = matrixRow{m[1], n[0], n[1], n[2], n[3], n[4], n[5], n[6]}
		if strings.Contains(l, "(this report)") {
			own = minor
		}
	}
	return rows, own
}

// matrixReport runs a Markdown report on a copy of the fixture project
// with args and returns the copy and the report's matrix.
func matrixReport(t *testing.T, args ...string) (string, map[string]matrixRow, string) {
	t.Helper()
	return matrixReportOf(t, copyTree(t, matrixProject), args...)
}

// matrixReportOf runs a Markdown report on dir with args.
func matrixReportOf(t *testing.T, dir string, args ...string) (string, map[string]matrixRow, string) {
	t.Helper()
	o := runCLI(t, "", append([]string{"--isolated", "--output-format", "markdown", dir}, args...)...)
	if o.code != 1 {
		t.Fatalf("exit %d: %s", o.code, o.stderr)
	}
	rows, own := matrixRows(t, o.stdout)
	return dir, rows, own
}

// TestUpgradeMatrixCounts checks the matrix of the fixture project against
// counts derived from its files (see matrixProject), for targets on each
// side of the releases where they change.
func TestUpgradeMatrixCounts(t *testing.T) {
	_, rows, own := matrixReport(t, "--target-version", "3.6")
	if own != "3.6" {
		t.Errorf("the row marked as the report's own is %q, want 3.6", own)
	}
	// 3.0-3.5: train.py's 6 (1 safe, 1 unsafe, 4 manual) and MLF010 (safe).
	// 3.6: MLF005's two deprecation warnings come in; from 3.7 they are
	// errors. From 3.13 MLF033 adds one manual finding in a third file.
	type want struct {
		findings, warnings, safe, unsafe, files int
	}
	for minor, w := range map[string]want{
		"3.0":  {7, 0, 2, 1, 2},
		"3.5":  {7, 0, 2, 1, 2},
		"3.6":  {9, 2, 2, 1, 2},
		"3.7":  {9, 0, 2, 1, 2},
		"3.12": {9, 0, 2, 1, 2},
		"3.13": {10, 0, 2, 1, 3},
		"3.18": {10, 0, 2, 1, 3},
	} {
		r, ok := rows[minor]
		if !ok {
			t.Errorf("no row for %s in %v", minor, rows)
			continue
		}
		got := want{r.findings, r.warnings, r.safe, r.unsafe, r.files}
		if got != w {
			t.Errorf("%s: got %+v, want %+v", minor, got, w)
		}
		if r.breaking != r.findings-r.warnings || r.manual != r.findings-r.safe-r.unsafe {
			t.Errorf("%s: columns do not add up: %+v", minor, r)
		}
	}
	if len(rows) != len(matrixMinors()) {
		t.Errorf("%d rows, want one per 3.x minor (%d)", len(rows), len(matrixMinors()))
	}
}

// TestUpgradeMatrixMatchesTargetRuns checks every row against a run at
// that target: the matrix counts what --target-version would report. The
// projects hold Python files, a notebook and a Databricks export (the
// bundled example), and a 3.4.0 pin, which leaves out the rows up to 3.4.
func TestUpgradeMatrixMatchesTargetRuns(t *testing.T) {
	pinned := copyTree(t, matrixProject)
	if err := os.WriteFile(filepath.Join(pinned, "requirements.txt"), []byte("mlflow==3.4.0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		dir   string
		first string // the first minor with a row
	}{{copyTree(t, example), "3.0"}, {copyTree(t, matrixProject), "3.0"}, {pinned, "3.5"}} {
		_, rows, own := matrixReportOf(t, tc.dir, "--no-cache")
		minors := matrixMinors()
		if want := minors[len(minors)-1]; own != want {
			t.Errorf("own row %q, want the default target %s", own, want)
		}
		first := slices.Index(minors, tc.first)
		if len(rows) != len(minors)-first {
			t.Errorf("%s: %d rows, want one for each minor from %s", tc.dir, len(rows), tc.first)
		}
		for _, minor := range minors[first:] {
			r, ok := rows[minor]
			if !ok {
				t.Errorf("%s: no row for %s", tc.dir, minor)
				continue
			}
			j := runCLI(t, "", "--isolated", "--no-cache", "--unsafe-fixes", "--target-version", minor, "--output-format", "json", tc.dir)
			var items []struct {
				Filename string `json:"filename"`
				Fix      *struct {
					Applicability string `json:"applicability"`
				} `json:"fix"`
			}
			if err := json.Unmarshal([]byte(j.stdout), &items); err != nil {
				t.Fatalf("%s: %v", minor, err)
			}
			safe, unsafe, files := 0, 0, map[string]bool{}
			for _, it := range items {
				files[it.Filename] = true
				switch {
				case it.Fix == nil:
				case it.Fix.Applicability == "safe":
					safe++
				default:
					unsafe++
				}
			}
			if len(items) != r.findings || safe != r.safe || unsafe != r.unsafe || len(files) != r.files {
				t.Errorf("%s at %s: matrix %d findings (%d safe, %d unsafe) in %d files, a run: %d (%d, %d) in %d",
					tc.dir, minor, r.findings, r.safe, r.unsafe, r.files, len(items), safe, unsafe, len(files))
			}
		}
	}
}

// TestUpgradeMatrixAfterFix checks that with --fix the matrix counts what
// the run leaves: the two safe fixes applied, five findings remain from
// 3.0 on, and none of them has a safe fix.
func TestUpgradeMatrixAfterFix(t *testing.T) {
	_, rows, _ := matrixReport(t, "--no-cache", "--fix")
	for minor, w := range map[string][2]int{"3.0": {5, 1}, "3.6": {7, 1}, "3.13": {8, 1}} {
		if r := rows[minor]; r.findings != w[0] || r.safe != 0 || r.unsafe != w[1] {
			t.Errorf("%s after --fix: %+v, want %d findings, 0 safe, %d unsafe", minor, r, w[0], w[1])
		}
	}
}

// TestUpgradeMatrixAcrossJobs checks that the Markdown report, matrix
// included, and the statistics are the same whatever the parallelism.
func TestUpgradeMatrixAcrossJobs(t *testing.T) {
	for _, project := range []string{example, matrixProject} {
		dir := copyTree(t, project)
		for _, args := range [][]string{{"--output-format", "markdown"}, {"--statistics", "--upgrade-matrix"}} {
			var first string
			for _, j := range []string{"1", "8"} {
				o := runCLI(t, "", append([]string{"--isolated", "--no-cache", "-j", j, dir}, args...)...)
				if j == "1" {
					first = o.stdout
				} else if o.stdout != first {
					t.Errorf("%s %v: -j 8 differs from -j 1:\n%s\n---\n%s", project, args, o.stdout, first)
				}
			}
		}
	}
}

// TestUpgradeMatrixCache checks that the matrix's targets go through the
// cache under the keys of runs at those targets: after one Markdown
// report, a run at any minor is served without parsing, and a second
// report is the same.
func TestUpgradeMatrixCache(t *testing.T) {
	dir := copyTree(t, matrixProject)
	cache := filepath.Join(t.TempDir(), "cache")
	first := runCLI(t, "", "--isolated", "--verbose", "--cache-dir", cache, "--output-format", "markdown", dir)
	if !strings.Contains(first.stderr, "3 files considered, 3 parsed\n") {
		t.Fatalf("cold run:\n%s", first.stderr)
	}
	for _, minor := range []string{"3.0", "3.7", "3.13"} {
		o := runCLI(t, "", "--isolated", "--verbose", "--cache-dir", cache, "--target-version", minor, dir)
		if !strings.Contains(o.stderr, "0 parsed, 3 from the cache") {
			t.Errorf("a run at %s after the report was not served from the cache:\n%s", minor, o.stderr)
		}
	}
	again := runCLI(t, "", "--isolated", "--verbose", "--cache-dir", cache, "--output-format", "markdown", dir)
	if again.stdout != first.stdout || !strings.Contains(again.stderr, "0 parsed, 3 from the cache") {
		t.Errorf("warm report differs or parsed again:\n%s", again.stderr)
	}
}

// TestUpgradeMatrixStatistics checks the matrix after --statistics: the
// per-rule rows as before, then one line per minor with the run's own
// target starred; without --upgrade-matrix the rows alone.
func TestUpgradeMatrixStatistics(t *testing.T) {
	dir := copyTree(t, matrixProject)
	plain := runCLI(t, "", "--isolated", "--statistics", "--target-version", "3.13", dir)
	with := runCLI(t, "", "--isolated", "--statistics", "--upgrade-matrix", "--target-version", "3.13", dir)
	if !strings.HasPrefix(with.stdout, plain.stdout+"\n") || strings.Contains(plain.stdout, "target") {
		t.Fatalf("statistics:\n%s\nwith the matrix:\n%s", plain.stdout, with.stdout)
	}
	lines := strings.Split(strings.TrimSuffix(with.stdout[len(plain.stdout)+1:], "\n"), "\n")
	if len(lines) != 2+len(matrixMinors()) {
		t.Fatalf("matrix lines:\n%s", strings.Join(lines, "\n"))
	}
	if f := strings.Fields(lines[1]); strings.Join(f, " ") != "target findings safe-fix unsafe-fix manual files" {
		t.Errorf("header %q", lines[1])
	}
	starred := 0
	for _, l := range lines[2:] {
		f := strings.Fields(l)
		if len(f) == 7 && f[1] == "*" {
			starred++
			if !strings.HasPrefix(f[0], "3.13.") || strings.Join(f[2:], " ") != "10 2 1 7 3" {
				t.Errorf("own row %q, want 3.13 with 10 findings, 2 safe, 1 unsafe, 7 manual, 3 files", l)
			}
		}
	}
	if starred != 1 {
		t.Errorf("%d starred rows, want 1:\n%s", starred, with.stdout)
	}
	if o := runCLI(t, "", "--isolated", "--upgrade-matrix", "--output-format", "json", dir); o.code != 2 || !strings.Contains(o.stderr, "--upgrade-matrix goes with --statistics") {
		t.Errorf("--upgrade-matrix with JSON: exit %d, %s", o.code, o.stderr)
	}
}

// TestUpgradeMatrixGolden keeps the whole Markdown report of the fixture
// project at 3.6, matrix included.
func TestUpgradeMatrixGolden(t *testing.T) {
	want, err := filepath.Abs(filepath.Join("testdata", "matrix.markdown"))
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(copyTree(t, matrixProject))
	o := runCLI(t, "", "--isolated", "--target-version", "3.6", "--output-format", "markdown", ".")
	if o.code != 1 {
		t.Fatalf("exit %d: %s", o.code, o.stderr)
	}
	golden(t, want, o.stdout)
}

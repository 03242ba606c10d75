package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// export writes a file shaped like hyperfine's --export-json output.
func export(t *testing.T, dir, name string, medians map[string]float64) {
	t.Helper()
	var parts []string
	for cmd, med := range medians {
		parts = append(parts, `{"command": "`+cmd+`", "mean": 9.9, "median": `+strconv.FormatFloat(med, 'g', -1, 64)+`, "times": [1, 2]}`)
	}
	doc := `{"results": [` + strings.Join(parts, ", ") + `]}`
	if err := os.WriteFile(filepath.Join(dir, name), []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestLoadMediansReadsHyperfineExport(t *testing.T) {
	dir := t.TempDir()
	export(t, dir, fileWhole, map[string]float64{nameRG: 0.05, nameLint: 0.125})
	m, err := loadMedians(filepath.Join(dir, fileWhole))
	if err != nil {
		t.Fatal(err)
	}
	if m[nameRG] != 0.05 || m[nameLint] != 0.125 || len(m) != 2 {
		t.Fatalf("got %v", m)
	}
	missing, err := loadMedians(filepath.Join(dir, "absent.json"))
	if err != nil || len(missing) != 0 {
		t.Fatalf("missing file: got %v, %v; want empty map and no error", missing, err)
	}
	if err := os.WriteFile(filepath.Join(dir, "bad.json"), []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := loadMedians(filepath.Join(dir, "bad.json")); err == nil {
		t.Fatal("broken JSON gave no error")
	}
}

func TestLoadReadsPeakRSS(t *testing.T) {
	dir := t.TempDir()
	doc := `{"results": [{"command": "mlflowlint", "median": 0.5, "max_rss_kb": 40960}, {"command": "rg", "median": 0.1}]}`
	if err := os.WriteFile(filepath.Join(dir, fileWhole), []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	m, rss, err := load(filepath.Join(dir, fileWhole))
	if err != nil || m[nameLint] != 0.5 || rss[nameLint] != 40960 || len(rss) != 1 {
		t.Fatalf("got %v %v %v", m, rss, err)
	}
}

func verdicts(checks []check) map[string]string {
	out := map[string]string{}
	for _, c := range checks {
		switch {
		case !c.known:
			out[c.name] = "n/a"
		case c.pass:
			out[c.name] = "PASS"
		default:
			out[c.name] = "FAIL"
		}
	}
	return out
}

func TestEvaluateAllGoalsMet(t *testing.T) {
	in := inputs{
		whole:    medians{nameRG: 0.05, nameLint: 0.12, nameWarm: 0.07, nameAstGrep: 5},
		parsed:   medians{nameRG: 0.01, nameLint: 0.5, nameAstGrep: 1.5},
		workers:  medians{nameJ1: 1.0, nameJ2: 0.55},
		double:   medians{nameSingle: 0.12, nameDouble: 0.23},
		real:     medians{nameRG: 0.02, nameLint: 0.4, nameAstGrep: 0.6, nameRuff: 1.0},
		repo:     medians{nameRG: 0.04, nameLint: 0.1, nameWarm: 0.05, nameAstGrep: 3},
		users:    medians{nameRG: 0.01, nameLint: 0.05, nameAstGrep: 0.06, nameRuff: 0.2},
		corpusMB: 68, parsedMB: 4.4, rssKB: 40 * 1024, rss2KB: 42 * 1024, repoRSSKB: 30 * 1024,
		repoMB: 65, usersMB: 0.9,
	}
	checks := evaluate(in)
	if len(checks) != 12 {
		t.Fatalf("got %d checks, want 12", len(checks))
	}
	for name, v := range verdicts(checks) {
		if v != "PASS" {
			t.Errorf("%s: %s, want PASS", name, v)
		}
	}
	text := render("machine: test", in, checks)
	for _, want := range []string{"machine: test", "2.40x", "41.7x", "8.80 vs 2.93", "1.82x", "1.92x", "40.0, 42.0 MB",
		"1.40x", "1.50x", "ruff 2.50x", "repository (65.00 MB)", "2.50x", "1.25x", "1.20x", "30.0 MB",
		"MLflow-using packages (0.90 MB)", "ruff 4.00x", "goals met: 12, missed: 0, not measured: 0"} {
		if !strings.Contains(text, want) {
			t.Errorf("summary lacks %q:\n%s", want, text)
		}
	}
}

func TestEvaluateEachGoalCanFail(t *testing.T) {
	in := inputs{
		whole:    medians{nameRG: 0.05, nameLint: 0.2, nameWarm: 0.1, nameAstGrep: 3},
		parsed:   medians{nameLint: 2, nameAstGrep: 1.5},
		real:     medians{nameLint: 0.7, nameAstGrep: 0.6},
		workers:  medians{nameJ1: 1.0, nameJ2: 0.7},
		double:   medians{nameSingle: 0.1, nameDouble: 0.25},
		repo:     medians{nameRG: 0.04, nameLint: 0.13, nameWarm: 0.07},
		users:    medians{nameLint: 0.07, nameAstGrep: 0.06},
		corpusMB: 68, parsedMB: 4.4, rssKB: 50 * 1024, rss2KB: 90 * 1024, repoRSSKB: 64 * 1024,
	}
	for name, v := range verdicts(evaluate(in)) {
		if v != "FAIL" {
			t.Errorf("%s: %s, want FAIL", name, v)
		}
	}
	// Growth alone fails the memory goal even under the cap.
	in.rss2KB = 63 * 1024
	in.rssKB = 40 * 1024
	for _, c := range evaluate(in) {
		if strings.HasPrefix(c.name, "peak RSS") && c.pass {
			t.Errorf("RSS growing from 40 to 63 MB passed")
		}
	}
}

func TestEvaluateWithoutMlflowlintRuns(t *testing.T) {
	in := inputs{
		whole:    medians{nameRG: 0.05, nameAstGrep: 5},
		parsed:   medians{nameRG: 0.01, nameAstGrep: 1.5},
		workers:  medians{},
		double:   medians{},
		corpusMB: 68, parsedMB: 4.4,
	}
	checks := evaluate(in)
	for name, v := range verdicts(checks) {
		if v != "n/a" {
			t.Errorf("%s: %s, want n/a", name, v)
		}
	}
	text := render("", in, checks)
	for _, want := range []string{"rg 0.050 s", "ast-grep 5.000 s", "mlflowlint -", "? vs 2.93", "goals met: 0, missed: 0, not measured: 12"} {
		if !strings.Contains(text, want) {
			t.Errorf("summary lacks %q:\n%s", want, text)
		}
	}
}

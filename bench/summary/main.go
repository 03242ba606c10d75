// Command summary reads the JSON exports that bench/run.sh writes (bench/alt,
// in hyperfine's shape) and prints the medians and the ratios that issue 7
// sets as goals, each with PASS or FAIL. It also writes the text to
// DIR/summary.txt.
//
//	go run ./bench/summary -dir bench/out -corpus-mb 68.2 -parsed-mb 4.4 -rss-kb 50000 -rss2-kb 51000
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Names given to hyperfine with -n, and the JSON files run.sh exports.
const (
	fileWhole   = "whole.json"   // rg, mlflowlint, ast-grep on the whole corpus
	fileParsed  = "parsed.json"  // the same three on the MLflow-heavy part, 2 threads
	fileWorkers = "workers.json" // mlflowlint -j 1 and -j 2 on the MLflow-heavy part
	fileDouble  = "double.json"  // mlflowlint on the corpus and on it copied twice
	fileReal    = "real.json"    // every tool on the real MLflow code (PyPI sdists)
	fileRepo    = "repo.json"    // rg, mlflowlint cold and warm, ast-grep on the Debian part and the MLflow-using packages
	fileUsers   = "users.json"   // every tool on the MLflow-using packages alone

	nameRG      = "rg"
	nameLint    = "mlflowlint"
	nameWarm    = "mlflowlint warm"
	nameRuff    = "ruff"
	nameAstGrep = "ast-grep"
	nameJ1      = "mlflowlint -j 1"
	nameJ2      = "mlflowlint -j 2"
	nameSingle  = "single"
	nameDouble  = "doubled"
)

// medians maps a command name to its median wall time in seconds.
type medians map[string]float64

// peakRSS maps a command name to its peak RSS in KiB.
type peakRSS map[string]float64

// loadMedians reads one export. A missing file gives an empty map: that
// part of the run was skipped.
func loadMedians(path string) (medians, error) {
	m, _, err := load(path)
	return m, err
}

// load reads the medians and, where recorded, the peak RSS of one export.
func load(path string) (medians, peakRSS, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return medians{}, peakRSS{}, nil
	}
	if err != nil {
		return nil, nil, err
	}
	var doc struct {
		Results []struct {
			Command  string  `json:"command"`
			Median   float64 `json:"median"`
			MaxRSSKB float64 `json:"max_rss_kb"`
		} `json:"results"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	m, rss := medians{}, peakRSS{}
	for _, r := range doc.Results {
		m[r.Command] = r.Median
		if r.MaxRSSKB > 0 {
			rss[r.Command] = r.MaxRSSKB
		}
	}
	return m, rss, nil
}

// inputs is everything a summary is computed from.
type inputs struct {
	whole, parsed, workers, double medians
	real                           medians
	repo, users                    medians
	corpusMB, parsedMB, realMB     float64
	repoMB, usersMB                float64
	repoRSSKB                      float64 // peak RSS of the cold run on the repository
	rssKB, rss2KB                  float64 // peak RSS on the corpus and on the doubled corpus; 0 if not measured
}

// check is one goal of the issue. Known is false when a number it needs was
// not measured.
type check struct {
	name  string
	value string
	goal  string
	known bool
	pass  bool
}

func ratio(a, b float64) (float64, bool) {
	if a <= 0 || b <= 0 {
		return 0, false
	}
	return a / b, true
}

func evaluate(in inputs) []check {
	var out []check
	add := func(name, goal string, v float64, ok bool, pass func(float64) bool, format string) {
		c := check{name: name, goal: goal, known: ok}
		if ok {
			c.value = fmt.Sprintf(format, v)
			c.pass = pass(v)
		}
		out = append(out, c)
	}
	r, ok := ratio(in.whole[nameLint], in.whole[nameRG])
	add("whole corpus, cold: mlflowlint / rg -c mlflow", "<= 3x", r, ok, func(v float64) bool { return v <= 3 }, "%.2fx")
	r, ok = ratio(in.whole[nameWarm], in.whole[nameRG])
	add("whole corpus, warm cache: mlflowlint / rg -c mlflow", "<= 1.5x", r, ok, func(v float64) bool { return v <= 1.5 }, "%.2fx")
	r, ok = ratio(in.real[nameAstGrep], in.real[nameLint])
	add("real MLflow code, cold: ast-grep / mlflowlint", "> 1x", r, ok, func(v float64) bool { return v > 1 }, "%.2fx")
	r, ok = ratio(in.whole[nameAstGrep], in.whole[nameLint])
	add("whole corpus: ast-grep / mlflowlint", ">= 20x", r, ok, func(v float64) bool { return v >= 20 }, "%.1fx")
	// The same goals on a repository where few files use MLflow.
	r, ok = ratio(in.repo[nameLint], in.repo[nameRG])
	add("repository, cold: mlflowlint / rg -c mlflow", "<= 3x", r, ok, func(v float64) bool { return v <= 3 }, "%.2fx")
	r, ok = ratio(in.repo[nameWarm], in.repo[nameRG])
	add("repository, warm cache: mlflowlint / rg -c mlflow", "<= 1.5x", r, ok, func(v float64) bool { return v <= 1.5 }, "%.2fx")
	r, ok = ratio(in.users[nameAstGrep], in.users[nameLint])
	add("MLflow-using packages, cold: ast-grep / mlflowlint", "> 1x", r, ok, func(v float64) bool { return v > 1 }, "%.2fx")
	add("peak RSS, repository", "< 64 MB", in.repoRSSKB/1024, in.repoRSSKB > 0, func(v float64) bool { return v < 64 }, "%.1f MB")

	lintMBs, ok1 := ratio(in.parsedMB, in.parsed[nameLint])
	agMBs, ok2 := ratio(in.parsedMB, in.parsed[nameAstGrep])
	c := check{name: "MLflow-heavy part, 2 threads: MB/s mlflowlint vs ast-grep", goal: ">= ast-grep", known: ok1 && ok2}
	switch {
	case ok1 && ok2:
		c.value = fmt.Sprintf("%.2f vs %.2f", lintMBs, agMBs)
		c.pass = lintMBs >= agMBs
	case ok2:
		c.value = fmt.Sprintf("? vs %.2f", agMBs)
	}
	out = append(out, c)

	r, ok = ratio(in.workers[nameJ1], in.workers[nameJ2])
	add("MLflow-heavy part: speedup -j 2 over -j 1", ">= 1.6x", r, ok, func(v float64) bool { return v >= 1.6 }, "%.2fx")
	r, ok = ratio(in.double[nameDouble], in.double[nameSingle])
	add("doubled corpus / corpus (time)", "<= 2.0x", r, ok, func(v float64) bool { return v <= 2 }, "%.2fx")

	c = check{name: "peak RSS (corpus, doubled corpus)", goal: "< 64 MB, flat", known: in.rssKB > 0}
	if in.rssKB > 0 {
		mb, mb2 := in.rssKB/1024, in.rss2KB/1024
		c.value = fmt.Sprintf("%.1f MB", mb)
		c.pass = mb < 64
		if in.rss2KB > 0 {
			c.value = fmt.Sprintf("%.1f, %.1f MB", mb, mb2)
			// "Not growing with the number of files": twice the files may
			// cost a little more for findings, not a second corpus of trees.
			c.pass = c.pass && mb2 < 64 && mb2 <= mb*1.25
		}
	}
	out = append(out, c)
	return out
}

func seconds(m medians, name string) string {
	if v, ok := m[name]; ok {
		return fmt.Sprintf("%.3f s", v)
	}
	return "-"
}

// render formats the summary; header is printed first as given.
func render(header string, in inputs, checks []check) string {
	var b strings.Builder
	if header != "" {
		b.WriteString(strings.TrimRight(header, "\n"))
		b.WriteString("\n\n")
	}
	fmt.Fprintf(&b, "medians (alternating runs)\n")
	row := func(label string, cols ...string) {
		line := fmt.Sprintf("  %-40s", label)
		for _, c := range cols {
			line += fmt.Sprintf(" %-24s", c)
		}
		b.WriteString(strings.TrimRight(line, " ") + "\n")
	}
	row(fmt.Sprintf("whole corpus (%.2f MB)", in.corpusMB),
		"rg "+seconds(in.whole, nameRG), "mlflowlint "+seconds(in.whole, nameLint), "ast-grep "+seconds(in.whole, nameAstGrep))
	row(fmt.Sprintf("MLflow-heavy part (%.2f MB), 2 threads", in.parsedMB),
		"rg "+seconds(in.parsed, nameRG), "mlflowlint "+seconds(in.parsed, nameLint), "ast-grep "+seconds(in.parsed, nameAstGrep))
	row("MLflow-heavy part, workers",
		"-j 1 "+seconds(in.workers, nameJ1), "-j 2 "+seconds(in.workers, nameJ2))
	row("mlflowlint, corpus vs doubled",
		"single "+seconds(in.double, nameSingle), "doubled "+seconds(in.double, nameDouble))
	row(fmt.Sprintf("real MLflow code (%.2f MB)", in.realMB),
		"rg "+seconds(in.real, nameRG), "mlflowlint "+seconds(in.real, nameLint), "ast-grep "+seconds(in.real, nameAstGrep))
	row("", "ruff "+seconds(in.real, nameRuff), "mlflowlint warm "+seconds(in.real, nameWarm))
	row("whole corpus, more", "ruff "+seconds(in.whole, nameRuff), "mlflowlint warm "+seconds(in.whole, nameWarm))
	row(fmt.Sprintf("repository (%.2f MB)", in.repoMB),
		"rg "+seconds(in.repo, nameRG), "mlflowlint "+seconds(in.repo, nameLint), "ast-grep "+seconds(in.repo, nameAstGrep))
	row("", "mlflowlint warm "+seconds(in.repo, nameWarm))
	row(fmt.Sprintf("MLflow-using packages (%.2f MB)", in.usersMB),
		"rg "+seconds(in.users, nameRG), "mlflowlint "+seconds(in.users, nameLint), "ast-grep "+seconds(in.users, nameAstGrep))
	row("", "ruff "+seconds(in.users, nameRuff))
	b.WriteString("\nratios to mlflowlint (cold; above 1: slower than mlflowlint)\n")
	for _, part := range []struct {
		label string
		m     medians
	}{{"whole corpus", in.whole}, {"real MLflow code", in.real}, {"repository", in.repo}, {"MLflow-using packages", in.users}} {
		var cols []string
		for _, name := range []string{nameRG, nameWarm, nameAstGrep, nameRuff} {
			if r, ok := ratio(part.m[name], part.m[nameLint]); ok {
				cols = append(cols, fmt.Sprintf("%s %.2fx", name, r))
			}
		}
		row(part.label, cols...)
	}
	b.WriteString("\ngoals (issue 7)\n")
	pass, fail, unknown := 0, 0, 0
	for _, c := range checks {
		verdict := "n/a"
		switch {
		case !c.known:
			unknown++
		case c.pass:
			verdict = "PASS"
			pass++
		default:
			verdict = "FAIL"
			fail++
		}
		v := c.value
		if v == "" {
			v = "-"
		}
		fmt.Fprintf(&b, "  %-58s %-16s %-14s %s\n", c.name, v, c.goal, verdict)
	}
	fmt.Fprintf(&b, "\ngoals met: %d, missed: %d, not measured: %d\n", pass, fail, unknown)
	return b.String()
}

func main() {
	dir := flag.String("dir", "bench/out", "directory with the hyperfine JSON files; summary.txt is written there")
	corpusMB := flag.Float64("corpus-mb", 0, "size of the whole corpus in MB")
	parsedMB := flag.Float64("parsed-mb", 0, "size of the MLflow-heavy part in MB")
	realMB := flag.Float64("real-mb", 0, "size of the real MLflow code in MB")
	repoMB := flag.Float64("repo-mb", 0, "size of the repository (Debian part and MLflow-using packages) in MB")
	usersMB := flag.Float64("users-mb", 0, "size of the MLflow-using packages in MB")
	rssKB := flag.Float64("rss-kb", 0, "peak RSS of one mlflowlint run on the corpus, in KiB")
	rss2KB := flag.Float64("rss2-kb", 0, "peak RSS of one mlflowlint run on the doubled corpus, in KiB")
	headerFile := flag.String("header", "", "file whose text opens the summary (machine, versions)")
	strict := flag.Bool("strict", false, "exit 1 when a goal fails or was not measured")
	flag.Parse()

	in := inputs{corpusMB: *corpusMB, parsedMB: *parsedMB, realMB: *realMB, repoMB: *repoMB, usersMB: *usersMB, rssKB: *rssKB, rss2KB: *rss2KB}
	rss := map[string]peakRSS{}
	for _, p := range []struct {
		m    *medians
		file string
	}{{&in.whole, fileWhole}, {&in.parsed, fileParsed}, {&in.workers, fileWorkers}, {&in.double, fileDouble}, {&in.real, fileReal},
		{&in.repo, fileRepo}, {&in.users, fileUsers}} {
		m, r, err := load(filepath.Join(*dir, p.file))
		if err != nil {
			fmt.Fprintln(os.Stderr, "summary:", err)
			os.Exit(1)
		}
		*p.m, rss[p.file] = m, r
	}
	// Without -rss-kb, the peaks the runs recorded: the cold run on the
	// corpus and the run on the doubled corpus.
	if in.rssKB == 0 {
		in.rssKB = rss[fileWhole][nameLint]
	}
	if in.rss2KB == 0 {
		in.rss2KB = rss[fileDouble][nameDouble]
	}
	in.repoRSSKB = rss[fileRepo][nameLint]
	var header string
	if *headerFile != "" {
		data, err := os.ReadFile(*headerFile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "summary:", err)
			os.Exit(1)
		}
		header = string(data)
	}
	checks := evaluate(in)
	text := render(header, in, checks)
	fmt.Print(text)
	if err := os.WriteFile(filepath.Join(*dir, "summary.txt"), []byte(text), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "summary:", err)
		os.Exit(1)
	}
	if *strict {
		for _, c := range checks {
			if !c.known || !c.pass {
				os.Exit(1)
			}
		}
	}
}

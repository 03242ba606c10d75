// Command mlflowlint finds Python code broken by the MLflow 2.x to 3.x
// upgrade and rewrites what can be rewritten mechanically.
package main

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/config"
	"github.com/mlflowlint/mlflowlint/report"
	"github.com/mlflowlint/mlflowlint/rules"
)

func main() {
	tuneGC()
	tuneProcs()
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// exit codes
const (
	exitClean    = 0
	exitFindings = 1
	exitError    = 2
)

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "rule" {
		return runRule(args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "versions" {
		return runVersions(args[1:], stdout, stderr)
	}
	if len(args) > 0 && args[0] == "check" {
		args = args[1:]
	}
	fl, err := parseFlags(args)
	if err != nil {
		fmt.Fprintf(stderr, "mlflowlint: %v\n", err)
		return exitError
	}
	if fl.help {
		fmt.Fprint(stdout, usage())
		return exitClean
	}
	if fl.version {
		fmt.Fprintln(stdout, versionLine(toolVersion(), dataVersion()))
		return exitClean
	}
	st, err := settle(fl)
	if err != nil {
		fmt.Fprintf(stderr, "mlflowlint: %v\n", err)
		return exitError
	}
	if fl.memProfile != "" {
		runtime.MemProfileRate = memProfileRate
	}
	if fl.cpuProfile != "" {
		pf, err := os.Create(fl.cpuProfile)
		if err != nil {
			fmt.Fprintf(stderr, "mlflowlint: %v\n", err)
			return exitError
		}
		defer pf.Close()
		if err := pprof.StartCPUProfile(pf); err != nil {
			fmt.Fprintf(stderr, "mlflowlint: %v\n", err)
			return exitError
		}
		defer pprof.StopCPUProfile()
	}
	code := execute(fl, st, stdin, stdout, stderr)
	if fl.memProfile != "" {
		if mf, err := os.Create(fl.memProfile); err == nil {
			runtime.GC()
			_ = pprof.WriteHeapProfile(mf)
			mf.Close()
		}
	}
	return code
}

// settings is the command line merged over the configuration file.
type settings struct {
	cfg    *config.Config
	target analyzer.Version
	api    analyzer.APIRange
	// source says where the source releases came from, for messages;
	// sourceReleases are they (nil: every 2.x release).
	source         string
	sourceReleases []int
	sel            rules.Selection
	format         string
	unsafe         bool
	opt            analyzer.Options
}

func settle(fl *flags) (*settings, error) {
	st := &settings{}
	var cfg *config.Config
	var err error
	switch {
	case fl.isolated:
	case fl.configPath != "":
		cfg, err = config.Load(fl.configPath)
	default:
		wd, _ := os.Getwd()
		cfg, err = config.Find(wd)
	}
	if err != nil {
		return nil, err
	}
	if cfg != nil {
		if err := cfg.CheckCodes(knownCodes()); err != nil {
			return nil, err
		}
	} else {
		cfg = &config.Config{}
	}
	st.cfg = cfg
	paths := fl.paths
	if len(paths) == 0 {
		paths = []string{"."}
	}
	if err := settleAPI(st, fl, cfg, paths); err != nil {
		return nil, err
	}
	st.sel = rules.Selection{Select: cfg.Select, Ignore: cfg.Ignore, ExtendSelect: cfg.ExtendSelect, Target: st.target}
	if fl.selSet {
		st.sel.Select = fl.sel
	}
	if fl.ignoreSet {
		st.sel.Ignore = append(append([]string{}, st.sel.Ignore...), fl.ignore...)
	}
	st.sel.ExtendSelect = append(append([]string{}, st.sel.ExtendSelect...), fl.extendSel...)
	for _, list := range [][]string{st.sel.Select, st.sel.Ignore, st.sel.ExtendSelect} {
		for _, c := range list {
			if err := checkCode(c); err != nil {
				return nil, err
			}
		}
	}
	st.format = "full"
	if cfg.OutputFormat != "" {
		st.format = cfg.OutputFormat
	}
	if fl.outputFormat != "" {
		st.format = fl.outputFormat
	}
	if !validFormat(st.format) {
		return nil, fmt.Errorf("unknown output format %q (want one of %s)", st.format, strings.Join(report.Formats(), ", "))
	}
	st.unsafe = cfg.UnsafeFixes != nil && *cfg.UnsafeFixes
	if fl.unsafeFixes {
		st.unsafe = true
	}
	if fl.noUnsafeFixes {
		st.unsafe = false
	}
	if len(fl.excludes) > 0 {
		cfg.Exclude = fl.excludes
	}
	cfg.ExtendExclude = append(cfg.ExtendExclude, fl.extendExclude...)
	respect := cfg.RespectGitignore == nil || *cfg.RespectGitignore
	if fl.noRespectGitignore {
		respect = false
	}
	py, text := rules.Select(st.sel)
	st.opt = analyzer.Options{
		Paths:        paths,
		Jobs:         cmp.Or(fl.jobs, defaultJobs),
		Rules:        py,
		TextRules:    text,
		Target:       st.target,
		Fix:          fl.fix && !fl.diff,
		Diff:         fl.diff,
		UnsafeFixes:  st.unsafe,
		NoPrefilter:  fl.noPrefilter,
		RuleTriggers: rules.Triggers,
		RuleWords:    rules.WordsFor(st.api),
		API:          &st.api,
		Yield:        rules.Yield,
		Shadow:       unselected(py),
		Walk: analyzer.WalkOptions{
			Include:          includeFor(text),
			Exclude:          func(p string, _ bool) bool { return cfg.Excluded(p) },
			ForceExclude:     fl.forceExclude,
			RespectGitignore: respect,
		},
		IgnoreFor: func(p string) []string { return cfg.IgnoredFor(p) },
	}
	st.opt.ReportUnusedNoqa = reportUnusedNoqa(st.sel)
	if err := checkMatrixFlag(fl, st); err != nil {
		return nil, err
	}
	return st, nil
}

func validFormat(f string) bool {
	for _, x := range report.Formats() {
		if x == f {
			return true
		}
	}
	return false
}

// includeFor selects Python files and the files text rules read.
func includeFor(text []*analyzer.TextRule) func(string) bool {
	return func(p string) bool {
		if analyzer.IsPython(p) {
			return true
		}
		for _, t := range text {
			if t.Match(p) {
				return true
			}
		}
		return false
	}
}

func execute(fl *flags, st *settings, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx := context.Background()
	opt := st.opt
	if len(fl.paths) == 1 && fl.paths[0] == "-" {
		src, err := io.ReadAll(stdin)
		if err != nil {
			fmt.Fprintf(stderr, "mlflowlint: reading standard input: %v\n", err)
			return exitError
		}
		name := fl.stdinFilename
		if name == "" {
			name = "-.py"
		}
		opt.Stdin = &analyzer.Stdin{Name: name, Src: src}
		opt.Fix = fl.fix
	}
	if fl.showFiles {
		targets, errs := analyzer.Walk(opt.Paths, opt.Walk)
		for _, t := range targets {
			fmt.Fprintln(stdout, t.Path)
		}
		printErrors(stderr, errs)
		return exitClean
	}
	if opt.Stdin == nil {
		// A path that does not exist is a command-line error: nothing is
		// analysed, fixed or reported, so no output format can claim that
		// all checks passed.
		if errs := analyzer.MissingPaths(opt.Paths); len(errs) > 0 {
			printErrors(stderr, errs)
			return exitError
		}
	}
	if fl.addNoqa {
		return addNoqa(ctx, opt, stdout, stderr)
	}
	if opt.Stdin == nil {
		opt.Cache, opt.CacheKeyExtra = openCache(fl, stderr)
	}
	matrix := wantsMatrix(fl, st)
	if matrix {
		opt.Matrix = matrixVariants(st)
	}
	var progress *analyzer.Progress
	if !fl.quiet && analyzer.IsTerminal(stderr) {
		progress = analyzer.NewProgress(stderr, analyzer.ProgressThreshold, analyzer.ProgressInterval)
		opt.Progress = progress.Update
	}
	res, err := analyzer.Run(ctx, opt)
	if progress != nil {
		progress.Finish()
	}
	if err != nil {
		fmt.Fprintf(stderr, "mlflowlint: %v\n", err)
		return exitError
	}
	if matrix {
		withOwnTally(res, st)
	}
	printErrors(stderr, res.Errors)
	if fl.verbose {
		for _, n := range res.Notes {
			fmt.Fprintf(stderr, "%s: note: %s\n", n.Path, n.Message)
		}
		fmt.Fprintf(stderr, "mlflowlint: %d files considered, %d parsed", res.Files, res.Parsed)
		if res.ParsedBytes < res.ParsedSize {
			fmt.Fprintf(stderr, " (%s of their %s read by the parser)", sizeText(res.ParsedBytes), sizeText(res.ParsedSize))
		}
		if res.Cached > 0 {
			fmt.Fprintf(stderr, ", %d from the cache", res.Cached)
		}
		if res.Unread > 0 {
			fmt.Fprintf(stderr, ", %d unread (unchanged, no MLflow)", res.Unread)
		}
		fmt.Fprintln(stderr)
	} else {
		for _, n := range res.Notes {
			fmt.Fprintf(stderr, "%s: warning: %s\n", n.Path, n.Message)
		}
	}
	remaining := 0
	for _, f := range res.Findings {
		if !f.Suppressed {
			remaining++
		}
	}
	var out io.Writer = stdout
	var outFile *os.File
	if fl.outputFile != "" {
		outFile, err = os.Create(fl.outputFile)
		if err != nil {
			fmt.Fprintf(stderr, "mlflowlint: %v\n", err)
			return exitError
		}
		out = outFile
	}
	switch {
	case opt.Stdin != nil && fl.fix:
		// Editors read the fixed source from standard output.
		_, _ = stdout.Write(opt.Stdin.Fixed)
		if remaining > 0 && !fl.quiet {
			report.Write(stderr, res, reportOptions(st, fl, "concise"))
		}
	case fl.diff:
		for _, d := range res.Diffs {
			fmt.Fprint(out, unifiedDiff(d.Path, d.Old, d.New))
		}
		if !fl.quiet {
			if res.Fixed > 0 {
				fmt.Fprintf(stderr, "Would fix %d error%s.\n", res.Fixed, pluralS(res.Fixed))
			} else {
				fmt.Fprintln(stderr, "No errors would be fixed.")
			}
		}
	default:
		ro := reportOptions(st, fl, st.format)
		if fl.quiet && (st.format == "full" || st.format == "concise") && remaining == 0 {
			break
		}
		if err := report.Write(out, res, ro); err != nil {
			fmt.Fprintf(stderr, "mlflowlint: %v\n", err)
			return exitError
		}
	}
	if outFile != nil {
		if err := outFile.Close(); err != nil {
			fmt.Fprintf(stderr, "mlflowlint: %v\n", err)
			return exitError
		}
	}
	for _, e := range res.Errors {
		if e.Fatal || strings.HasPrefix(e.Message, "internal error") {
			return exitError
		}
	}
	switch {
	case fl.exitZero:
		return exitClean
	case fl.exitNonZero && res.Fixed > 0:
		return exitFindings
	case fl.diff && len(res.Diffs) > 0:
		return exitFindings
	case remaining > 0:
		return exitFindings
	}
	return exitClean
}

// openCache opens the result cache unless it is turned off. A cache that
// cannot be opened (a read-only checkout) only costs the run its speed-up.
func openCache(fl *flags, stderr io.Writer) (*analyzer.Cache, string) {
	if fl.noCache || os.Getenv("MLFLOWLINT_NO_CACHE") == "1" {
		return nil, ""
	}
	dir := cmp.Or(fl.cacheDir, os.Getenv("MLFLOWLINT_CACHE_DIR"), analyzer.DefaultCacheDir)
	c, err := analyzer.OpenCache(dir, 0)
	if err != nil {
		if fl.verbose {
			fmt.Fprintf(stderr, "mlflowlint: running without a cache: %v\n", err)
		}
		return nil, ""
	}
	return c, cacheKeyExtra()
}

// cacheKeyExtra identifies this build for cache keys: the version, and
// the executable's size and modification time, so that a rebuilt binary
// of the same version does not serve its predecessor's results.
func cacheKeyExtra() string {
	key := "mlflowlint " + version
	if exe, err := os.Executable(); err == nil {
		if st, err := os.Stat(exe); err == nil {
			key += fmt.Sprintf(" %s %d %d", exe, st.Size(), st.ModTime().UnixNano())
		}
	}
	return key
}

func reportOptions(st *settings, fl *flags, format string) report.Options {
	wd, _ := os.Getwd()
	return report.Options{
		Format:      format,
		Rules:       rules.AllDocs(),
		UnsafeFixes: st.unsafe,
		FixMode:     fl.fix,
		Target:      st.target.String(),
		ToolVersion: toolVersion(),
		Statistics:  fl.statistics,
		Color:       false,
		SrcRoot:     wd,
		Category:    fl.sarifCategory,
	}
}

func pluralS(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func printErrors(w io.Writer, errs []analyzer.FileError) {
	for _, e := range errs {
		fmt.Fprintf(w, "%s: error: %s\n", e.Path, e.Message)
	}
}

// runRule prints rule documentation.
func runRule(args []string, stdout, stderr io.Writer) int {
	all := false
	format := "text"
	var codes []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--all":
			all = true
		case a == "--output-format" && i+1 < len(args):
			i++
			format = args[i]
		case strings.HasPrefix(a, "--output-format="):
			format = strings.TrimPrefix(a, "--output-format=")
		case strings.HasPrefix(a, "-"):
			fmt.Fprintf(stderr, "mlflowlint rule: unknown flag %s\n", a)
			return exitError
		default:
			codes = append(codes, strings.ToUpper(a))
		}
	}
	var docs []analyzer.RuleDoc
	if all {
		docs = rules.AllDocs()
	} else {
		if len(codes) == 0 {
			fmt.Fprintln(stderr, "mlflowlint rule: name a rule code (mlflowlint rule MLF011) or --all")
			return exitError
		}
		for _, c := range codes {
			d, ok := rules.Doc(c)
			if !ok {
				fmt.Fprintf(stderr, "mlflowlint rule: unknown rule %s\n", c)
				return exitError
			}
			docs = append(docs, d)
		}
	}
	switch format {
	case "json":
		var v any = docs
		if !all && len(docs) == 1 {
			v = docs[0]
		}
		b, _ := json.MarshalIndent(v, "", "  ")
		fmt.Fprintf(stdout, "%s\n", b)
	case "text", "markdown", "full":
		for i, d := range docs {
			if i > 0 {
				fmt.Fprintln(stdout)
			}
			fmt.Fprint(stdout, ruleText(d))
		}
	default:
		fmt.Fprintf(stderr, "mlflowlint rule: unknown output format %q (text or json)\n", format)
		return exitError
	}
	return exitClean
}

func ruleText(d analyzer.RuleDoc) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s (%s)\n\n", d.Title, d.Code)
	fmt.Fprintf(&b, "Derived from MLflow %s", d.Since)
	if d.PR != "" {
		fmt.Fprintf(&b, " (%s)", d.PR)
	}
	fmt.Fprintf(&b, ". Severity: %s. Fix: %s", d.Severity, d.FixAvailability)
	if d.FixSafety != "" {
		fmt.Fprintf(&b, " (%s)", d.FixSafety)
	}
	b.WriteString(".\n\n")
	for _, s := range []struct{ h, t string }{
		{"What it does", d.WhatItDoes}, {"Why is this bad?", d.Why}, {"Example", d.Example},
		{"Use instead", d.UseInstead}, {"Fix safety", d.FixSafetyText},
	} {
		fmt.Fprintf(&b, "## %s\n%s\n\n", s.h, s.t)
	}
	fmt.Fprintf(&b, "%s\n", d.URL)
	return b.String()
}

// unselected returns the Python rules of the suite that are not selected:
// generic findings still give way to them (analyzer.Options.Shadow).
func unselected(selected []*analysis.Analyzer) []*analysis.Analyzer {
	var out []*analysis.Analyzer
	for _, a := range rules.Suite {
		if !slices.Contains(selected, a) {
			out = append(out, a)
		}
	}
	return out
}

// sizeText writes a number of bytes in decimal units: 812 B, 12.3 kB,
// 6.12 MB.
func sizeText(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 1000*1000:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	}
	return fmt.Sprintf("%.2f MB", float64(n)/1e6)
}

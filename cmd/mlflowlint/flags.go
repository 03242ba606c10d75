package main

import (
	"fmt"
	"strconv"
	"strings"
)

// flags holds the command line. Flags and paths may be mixed in any order
// ("mlflowlint . --fix"); "--" ends the flags.
type flags struct {
	paths                   []string
	fix, diff, unsafeFixes  bool
	noUnsafeFixes           bool
	outputFormat            string
	outputFile              string
	target, source          string
	jobs                    int
	sel, ignore, extendSel  []string
	selSet, ignoreSet       bool
	exitZero, exitNonZero   bool
	quiet, verbose          bool
	version, help           bool
	statistics              bool
	upgradeMatrix           bool
	configPath              string
	isolated                bool
	forceExclude            bool
	noRespectGitignore      bool
	stdinFilename           string
	addNoqa                 bool
	showFiles               bool
	cpuProfile, memProfile  string
	noPrefilter             bool
	excludes, extendExclude []string
	sarifCategory           string
	noCache                 bool
	cacheDir                string
}

type flagSpec struct {
	names []string
	value bool // takes a value
	set   func(f *flags, v string) error
	help  string
}

func list(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

var specs = []flagSpec{
	{[]string{"--fix"}, false, func(f *flags, _ string) error { f.fix = true; return nil }, "apply fixes in place"},
	{[]string{"--diff"}, false, func(f *flags, _ string) error { f.diff = true; return nil }, "print the unified diff of what --fix would change, write nothing"},
	{[]string{"--unsafe-fixes"}, false, func(f *flags, _ string) error { f.unsafeFixes = true; return nil }, "also apply fixes marked unsafe"},
	{[]string{"--no-unsafe-fixes"}, false, func(f *flags, _ string) error { f.noUnsafeFixes = true; return nil }, "do not apply unsafe fixes even if configured"},
	{[]string{"--output-format"}, true, func(f *flags, v string) error { f.outputFormat = v; return nil }, "full (default), concise, json, sarif, markdown, github"},
	{[]string{"--sarif-category"}, true, func(f *flags, v string) error { f.sarifCategory = v; return nil }, "SARIF automationDetails.id: the code scanning category (default mlflowlint)"},
	{[]string{"-o", "--output-file"}, true, func(f *flags, v string) error { f.outputFile = v; return nil }, "write the report to this file"},
	{[]string{"--target-version"}, true, func(f *flags, v string) error { f.target = v; return nil }, "MLflow 3.x release or minor to migrate to (default: the newest release; `mlflowlint versions` lists them)"},
	{[]string{"--source-version"}, true, func(f *flags, v string) error { f.source = v; return nil }, "MLflow release, minor or major the code was written for (default: the project's mlflow pin, else any 2.x)"},
	{[]string{"-j", "--jobs"}, true, func(f *flags, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return fmt.Errorf("--jobs wants a positive number, got %q", v)
		}
		f.jobs = n
		return nil
	}, "files analysed in parallel (default: number of CPUs)"},
	{[]string{"--select"}, true, func(f *flags, v string) error { f.sel = append(f.sel, list(v)...); f.selSet = true; return nil }, "rule codes or prefixes to enable (comma-separated)"},
	{[]string{"--extend-select"}, true, func(f *flags, v string) error { f.extendSel = append(f.extendSel, list(v)...); return nil }, "codes or prefixes to enable on top of the selection"},
	{[]string{"--ignore"}, true, func(f *flags, v string) error {
		f.ignore = append(f.ignore, list(v)...)
		f.ignoreSet = true
		return nil
	}, "codes or prefixes to disable"},
	{[]string{"--exclude"}, true, func(f *flags, v string) error { f.excludes = append(f.excludes, list(v)...); return nil }, "globs to exclude (replaces configured excludes)"},
	{[]string{"--extend-exclude"}, true, func(f *flags, v string) error { f.extendExclude = append(f.extendExclude, list(v)...); return nil }, "globs to exclude in addition"},
	{[]string{"--exit-zero"}, false, func(f *flags, _ string) error { f.exitZero = true; return nil }, "exit 0 even when findings remain"},
	{[]string{"--exit-non-zero-on-fix"}, false, func(f *flags, _ string) error { f.exitNonZero = true; return nil }, "exit 1 when fixes were applied, even if nothing remains"},
	{[]string{"-q", "--quiet"}, false, func(f *flags, _ string) error { f.quiet = true; return nil }, "print findings only, no summary"},
	{[]string{"-v", "--verbose"}, false, func(f *flags, _ string) error { f.verbose = true; return nil }, "also print skipped files and timings"},
	{[]string{"-V", "--version"}, false, func(f *flags, _ string) error { f.version = true; return nil }, "print the version"},
	{[]string{"-h", "--help"}, false, func(f *flags, _ string) error { f.help = true; return nil }, "print this help"},
	{[]string{"--statistics"}, false, func(f *flags, _ string) error { f.statistics = true; return nil }, "print counts per rule"},
	{[]string{"--upgrade-matrix"}, false, func(f *flags, _ string) error { f.upgradeMatrix = true; return nil }, "with --statistics, also count the findings for each 3.x target (the markdown report always does)"},
	{[]string{"--config"}, true, func(f *flags, v string) error { f.configPath = v; return nil }, "read this configuration file"},
	{[]string{"--isolated"}, false, func(f *flags, _ string) error { f.isolated = true; return nil }, "ignore configuration files"},
	{[]string{"--force-exclude"}, false, func(f *flags, _ string) error { f.forceExclude = true; return nil }, "apply excludes to files named explicitly too (for pre-commit)"},
	{[]string{"--no-respect-gitignore"}, false, func(f *flags, _ string) error { f.noRespectGitignore = true; return nil }, "analyse files .gitignore excludes"},
	{[]string{"--stdin-filename"}, true, func(f *flags, v string) error { f.stdinFilename = v; return nil }, "name of the source read from '-'"},
	{[]string{"--add-noqa"}, false, func(f *flags, _ string) error { f.addNoqa = true; return nil }, "add # noqa comments for every current finding"},
	{[]string{"--show-files"}, false, func(f *flags, _ string) error { f.showFiles = true; return nil }, "list the files that would be analysed"},
	{[]string{"--cpuprofile"}, true, func(f *flags, v string) error { f.cpuProfile = v; return nil }, "write a CPU profile"},
	{[]string{"--memprofile"}, true, func(f *flags, v string) error { f.memProfile = v; return nil }, "write a heap profile"},
	{[]string{"--no-cache"}, false, func(f *flags, _ string) error { f.noCache = true; return nil }, "do not read or write the cache (also MLFLOWLINT_NO_CACHE=1)"},
	{[]string{"--cache-dir"}, true, func(f *flags, v string) error { f.cacheDir = v; return nil }, "keep the cache here (default .mlflowlint_cache; also MLFLOWLINT_CACHE_DIR)"},
	{[]string{"--no-prefilter"}, false, func(f *flags, _ string) error { f.noPrefilter = true; return nil }, "parse every file whole, even those that never mention MLflow"},
}

func parseFlags(args []string) (*flags, error) {
	f := &flags{}
	byName := map[string]*flagSpec{}
	for i := range specs {
		for _, n := range specs[i].names {
			byName[n] = &specs[i]
		}
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			f.paths = append(f.paths, args[i+1:]...)
			break
		}
		if a == "-" || !strings.HasPrefix(a, "-") {
			f.paths = append(f.paths, a)
			continue
		}
		name, val, hasVal := strings.Cut(a, "=")
		spec := byName[name]
		if spec == nil {
			return nil, fmt.Errorf("unknown flag %s (see --help)", name)
		}
		if spec.value && !hasVal {
			if i+1 >= len(args) {
				return nil, fmt.Errorf("%s needs a value", name)
			}
			i++
			val = args[i]
		} else if !spec.value && hasVal {
			return nil, fmt.Errorf("%s takes no value", name)
		}
		if err := spec.set(f, val); err != nil {
			return nil, err
		}
	}
	return f, nil
}

func usage() string {
	var b strings.Builder
	b.WriteString(`mlflowlint finds Python code broken by the MLflow 2.x -> 3.x upgrade, and fixes it.

Usage:
  mlflowlint [flags] [PATH ...]        check files and directories (default: .)
  mlflowlint - --stdin-filename F      check the source on standard input
  mlflowlint rule CODE | --all         explain a rule (--output-format json for all)

Flags:
`)
	for _, s := range specs {
		names := strings.Join(s.names, ", ")
		if s.value {
			names += " VALUE"
		}
		fmt.Fprintf(&b, "  %-28s %s\n", names, s.help)
	}
	b.WriteString("\nExit status: 0 no findings left, 1 findings left, 2 usage, configuration or internal error.\n")
	return b.String()
}

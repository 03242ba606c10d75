package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/rules"
)

// knownCodes are the codes a configuration may name: every rule, and
// MLF000, which the driver computes instead of an analyzer.
func knownCodes() []string {
	return append(rules.Codes(), analyzer.UnusedNoqaCode)
}

// checkCode accepts what rules.CheckCode accepts, and MLF000 and its
// prefixes.
func checkCode(entry string) error {
	if entry != "" && strings.HasPrefix(analyzer.UnusedNoqaCode, entry) {
		return nil
	}
	return rules.CheckCode(entry)
}

// reportUnusedNoqa tells whether MLF000 runs: it must be enabled and named
// by its full code in select or extend-select, so that `select = ["MLF"]`
// or "ALL" do not turn every stale comment into a finding by surprise.
func reportUnusedNoqa(sel rules.Selection) bool {
	named := slices.Contains(sel.Select, analyzer.UnusedNoqaCode) || slices.Contains(sel.ExtendSelect, analyzer.UnusedNoqaCode)
	return named && sel.Enabled(analyzer.UnusedNoqaCode)
}

// addNoqa adds a `# noqa: CODES` comment for every current finding, so
// that a codebase can adopt mlflowlint and see only new breakage.
func addNoqa(ctx context.Context, opt analyzer.Options, stdout, stderr io.Writer) int {
	if opt.Stdin != nil {
		fmt.Fprintln(stderr, "mlflowlint: --add-noqa edits files; it cannot read standard input")
		return exitError
	}
	opt.Fix, opt.Diff = false, false
	res, err := analyzer.Run(ctx, opt)
	if err != nil {
		fmt.Fprintf(stderr, "mlflowlint: %v\n", err)
		return exitError
	}
	printErrors(stderr, res.Errors)
	code := exitClean
	for _, e := range res.Errors {
		if e.Fatal {
			code = exitError
		}
	}
	byFile := map[string]map[int][]string{}
	var notPython []string
	for _, f := range res.Findings {
		if f.Suppressed || f.Code == analyzer.UnusedNoqaCode {
			continue
		}
		if !analyzer.IsPython(f.Path) || strings.EqualFold(filepath.Ext(f.Path), ".ipynb") {
			if !slices.Contains(notPython, f.Path) {
				notPython = append(notPython, f.Path)
			}
			continue
		}
		if byFile[f.Path] == nil {
			byFile[f.Path] = map[int][]string{}
		}
		byFile[f.Path][f.NoqaLine] = append(byFile[f.Path][f.NoqaLine], f.Code)
	}
	for _, p := range notPython {
		fmt.Fprintf(stderr, "%s: noqa not added: only Python sources (.py, .pyi) take noqa comments\n", p)
	}
	paths := make([]string, 0, len(byFile))
	for p := range byFile {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	added := 0
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			fmt.Fprintf(stderr, "%s: error: %v\n", p, err)
			code = exitError
			continue
		}
		out, n, skips, err := analyzer.AddNoqa(ctx, src, byFile[p])
		for _, s := range skips {
			fmt.Fprintf(stderr, "%s:%d: noqa not added: %s\n", p, s.Line, s.Reason)
		}
		if err != nil {
			fmt.Fprintf(stderr, "%s: error: %v\n", p, err)
			code = exitError
			continue
		}
		if n == 0 {
			continue
		}
		if err := analyzer.WriteFileAtomic(p, src, out); err != nil {
			fmt.Fprintf(stderr, "%s: error: noqa comments not written: %v\n", p, err)
			code = exitError
			continue
		}
		added += n
	}
	fmt.Fprintf(stderr, "Added %d noqa directive%s.\n", added, pluralS(added))
	return code
}

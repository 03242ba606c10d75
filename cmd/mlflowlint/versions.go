package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/apidb"
	"github.com/mlflowlint/mlflowlint/config"
	"github.com/mlflowlint/mlflowlint/manifest"
)

// settleAPI chooses the migration: the target release (flag, then
// configuration, then the newest release of the API data) and the source
// releases (flag, then the project's own mlflow pin, then any 2.x).
func settleAPI(st *settings, fl *flags, cfg *config.Config, paths []string) error {
	target := fl.target
	what := "--target-version"
	if target == "" && cfg.TargetVersion != "" {
		target, what = cfg.TargetVersion, "target-version"
	}
	var source []int
	switch {
	case fl.source != "":
		sel, err := apidb.Select(fl.source)
		if err != nil {
			return fmt.Errorf("--source-version: %v", err)
		}
		source, st.source = sel, "--source-version "+fl.source
	default:
		if sel, where := pinnedSource(paths); sel != nil {
			source, st.source = sel, where
		} else {
			st.source = "any 2.x release"
		}
	}
	rng, err := analyzer.NewAPIRange(source, target)
	if err != nil {
		return fmt.Errorf("%s: %v", what, err)
	}
	st.api = rng
	st.target = rng.TargetVersion()
	st.sourceReleases = source
	return nil
}

// pinnedSource reads the mlflow pin of the project: the manifests at the
// top of the first directory named (requirements*.txt, pyproject.toml,
// setup.py, setup.cfg, Pipfile, conda environment files). The source is
// every release of the data the pin admits; nil when there is no pin or it
// admits none.
func pinnedSource(paths []string) ([]int, string) {
	dir := ""
	for _, p := range paths {
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			dir = p
			break
		}
	}
	if dir == "" {
		return nil, ""
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, ""
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if !e.IsDir() && manifest.KindOf(e.Name()) != manifest.KindNone {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	for _, name := range names {
		p := filepath.Join(dir, name)
		src, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		m, err := manifest.Parse(p, src)
		if err != nil {
			continue
		}
		for _, r := range m.Requirements {
			if (r.Name != "mlflow" && r.Name != "mlflow-skinny") || r.Marker != "" || r.Specifier == "" {
				continue
			}
			var sel []int
			for i, v := range apidb.Versions() {
				if ok, err := manifest.AdmitsIn(r.Syntax, r.Specifier, v); err == nil && ok {
					sel = append(sel, i)
				}
			}
			if sel != nil {
				return sel, fmt.Sprintf("the pin %s%s in %s", r.Name, r.Specifier, filepath.ToSlash(p))
			}
		}
	}
	return nil, ""
}

// runVersions lists the MLflow releases of the API data.
func runVersions(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		fmt.Fprintf(stderr, "mlflowlint: versions takes no arguments\n")
		return exitError
	}
	byMinor := map[string][]string{}
	var minors []string
	for _, v := range apidb.Versions() {
		minor := v[:strings.LastIndexByte(v, '.')]
		if _, ok := byMinor[minor]; !ok {
			minors = append(minors, minor)
		}
		byMinor[minor] = append(byMinor[minor], v)
	}
	fmt.Fprintf(stdout, "MLflow releases in the API data (targets: 3.x; default target %s):\n", apidb.Newest())
	for _, m := range minors {
		fmt.Fprintf(stdout, "  %-6s %s\n", m, strings.Join(byMinor[m], " "))
	}
	return exitClean
}

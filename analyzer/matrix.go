package analyzer

import (
	"bytes"
	"context"
	"crypto/sha256"
	"go/token"
	"slices"

	"golang.org/x/tools/go/analysis"

	"github.com/mlflowlint/mlflowlint/parser"
)

// Variant is another migration a run counts its findings for (the upgrade
// matrix): what a run with these settings, and every other option the
// same, would report without fixing anything.
type Variant struct {
	Target    Version
	API       APIRange
	Rules     []*analysis.Analyzer
	TextRules []*TextRule
	Shadow    []*analysis.Analyzer
	RuleWords map[string]*Words
}

// Tally counts the findings a Variant reports (suppressed ones left out).
type Tally struct {
	Target Version
	// Findings counts every finding; Warnings the deprecations among them.
	Findings, Warnings int
	// Safe counts the findings with a safe fix; Unsafe those whose fix is
	// applied only with --unsafe-fixes.
	Safe, Unsafe int
	// Files counts the files with at least one finding.
	Files int
}

// add counts the findings of one file.
func (t *Tally) add(fs []Finding) {
	n := 0
	for i := range fs {
		f := &fs[i]
		if f.Suppressed {
			continue
		}
		n++
		if f.Severity == SeverityWarning {
			t.Warnings++
		}
		switch {
		case f.Fixable(false):
			t.Safe++
		case f.Fixable(true):
			t.Unsafe++
		}
	}
	t.Findings += n
	if n > 0 {
		t.Files++
	}
}

// CountFindings tallies the findings of a run at target.
func CountFindings(target Version, fs []Finding) Tally {
	t := Tally{Target: target}
	byPath := map[string][]Finding{}
	var paths []string
	for _, f := range fs {
		if byPath[f.Path] == nil {
			paths = append(paths, f.Path)
		}
		byPath[f.Path] = append(byPath[f.Path], f)
	}
	for _, p := range paths {
		t.add(byPath[p])
	}
	return t
}

// newVariants makes a driver per variant of d's Options.Matrix. They
// analyse and never fix; the cache keys of their results are those of a
// run with the variant's settings, so a later run at that target is
// served from them. A variant whose trigger strings are d's shares d's
// automaton, and so the scans of each file.
func (d *driver) newVariants() ([]*driver, error) {
	opt := d.opt
	var out []*driver
	for _, v := range opt.Matrix {
		vo := opt
		vo.Target, vo.Rules, vo.TextRules, vo.Shadow, vo.RuleWords = v.Target, v.Rules, v.TextRules, v.Shadow, v.RuleWords
		api := v.API
		vo.API = &api
		vo.Fix, vo.Diff, vo.Matrix, vo.Stdin, vo.Progress = false, false, nil, nil, nil
		vd, err := newDriver(vo)
		if err != nil {
			return nil, err
		}
		if slices.EqualFunc(vd.triggers.patterns, d.triggers.patterns, bytes.Equal) {
			vd.triggers.m = d.triggers.m
		}
		out = append(out, vd)
	}
	return out, nil
}

// tallies counts, for every variant, the findings in src: the bytes of a
// file as the run leaves it. sp is the parse of src the main analysis
// made, or nil.
func (d *driver) tallies(ctx context.Context, path string, src []byte, explicit bool, sp *sharedParse) []Tally {
	if len(d.variants) == 0 {
		return nil
	}
	if sp == nil {
		sp = &sharedParse{}
		defer sp.close()
	}
	out := make([]Tally, len(d.variants))
	for i, vd := range d.variants {
		out[i].Target = vd.opt.Target
		vo := vd.processSource(ctx, path, src, explicit, vd.opt.Cache != nil, sp)
		// Exact duplicates count once, as in a run's Result.
		out[i].add(SortFindings(vo.findings))
	}
	return out
}

// sharedParse keeps one file's parse, and the results of the analyzers
// that do not depend on the run's settings, for the drivers that analyse
// the same bytes (the main run and the variants of its matrix).
type sharedParse struct {
	// view is the view of the bytes, copied for each driver (a view
	// caches which of its driver's triggers it holds).
	view    *view
	fset    *token.FileSet
	file    *parser.File
	err     *FileError
	done    bool
	results map[*analysis.Analyzer]any
	// sum is the SHA-256 of the bytes, once hashed (cache keys).
	sum *[sha256.Size]byte
}

// digest is the SHA-256 of src, the bytes sp is for (nil: computed).
func (sp *sharedParse) digest(src []byte) [sha256.Size]byte {
	if sp == nil {
		return sha256.Sum256(src)
	}
	if sp.sum == nil {
		s := sha256.Sum256(src)
		sp.sum = &s
	}
	return *sp.sum
}

// newSharedParse returns a sharedParse for a file's bytes when d has
// variants to share them with, else nil: a run without a matrix parses
// and closes as it goes.
func (d *driver) newSharedParse() *sharedParse {
	if len(d.variants) == 0 {
		return nil
	}
	return &sharedParse{}
}

func (sp *sharedParse) close() {
	if sp != nil && sp.file != nil {
		sp.file.Close()
		sp.file = nil
	}
}

// viewOf makes the view of src, once per sharedParse.
func (sp *sharedParse) viewOf(path string, src []byte) (*view, error) {
	if sp == nil {
		return newView(path, src)
	}
	if sp.view == nil {
		v, err := newView(path, src)
		if err != nil {
			return nil, err
		}
		// Line starts, the findings' Source and the trigger scans are
		// made once, when first needed, for every copy to share: a file
		// skipped by its triggers or served from the cache without
		// findings needs none of them.
		v.shared = &viewMemo{}
		v.scanned = &scanMemo{}
		sp.view = v
	}
	v := *sp.view
	v.trig = nil
	return &v, nil
}

// parse parses v once per sharedParse (nil: every call parses, and the
// caller closes the file).
func (sp *sharedParse) parse(ctx context.Context, path string, v *view) (*parser.File, *token.FileSet, *FileError) {
	if sp != nil && sp.done {
		return sp.file, sp.fset, sp.err
	}
	fset := token.NewFileSet()
	f, err := parser.Parse(ctx, path, v.parse, fset)
	var ferr *FileError
	if err != nil {
		ferr = &FileError{Path: path, Message: "not analysed: " + err.Error()}
	}
	if sp != nil {
		sp.done, sp.file, sp.fset, sp.err = true, f, fset, ferr
	}
	return f, fset, ferr
}

// settingsFree reports whether an analyzer's result is the same whatever
// the run's settings: a shared analyzer that does not require Config,
// directly or through another.
func settingsFree(a *analysis.Analyzer) bool {
	if a == Config {
		return false
	}
	shared := false
	for _, s := range Shared {
		if s == a {
			shared = true
		}
	}
	if !shared {
		return false
	}
	for _, r := range a.Requires {
		if !settingsFree(r) {
			return false
		}
	}
	return true
}

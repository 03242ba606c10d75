package analyzer

import (
	"bytes"
	"context"
	"fmt"
	"go/token"
	"io"
	"io/fs"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/sourcegraph/conc"
	"github.com/sourcegraph/conc/panics"
	"golang.org/x/tools/go/analysis"

	"github.com/mlflowlint/mlflowlint/parser"
)

// Options configure one run.
type Options struct {
	Paths []string
	// Jobs bounds the files analysed at once (default: the number of CPUs).
	Jobs int
	// Rules are the Python rules to run; their Requires are added.
	Rules []*analysis.Analyzer
	// TextRules check non-Python files (manifests, scripts, configs).
	TextRules []*TextRule
	Target    Version
	// API is the migration the generic rules check (default: any 2.x
	// release to the newest).
	API *APIRange
	// Fix writes fixes; Diff computes them without writing.
	Fix, Diff   bool
	UnsafeFixes bool
	Walk        WalkOptions
	// NoPrefilter parses every file, even those that never mention MLflow,
	// and runs every rule on it, whatever RuleTriggers say (used by tests
	// to prove the prefilter exact).
	NoPrefilter bool
	// RuleTriggers maps a rule code to byte strings of which a source must
	// contain at least one for that rule to report anything on it. A rule
	// runs only on sources that contain one of its triggers; a rule without
	// an entry always runs. When every rule run has triggers, a Python file
	// none of whose rules is triggered is not parsed at all.
	RuleTriggers map[string][][]byte
	// RuleWords maps a rule code to trigger words of which a source must
	// contain one (as a whole word, in code or in a string, with one of its
	// companion words when it lists any) for that rule to report anything
	// on it: for rules with thousands of triggers, where a set lookup per
	// word beats an automaton.
	RuleWords map[string]*Words
	// MaxFileSize skips larger files with a note (default 10 MiB).
	MaxFileSize int64
	// IgnoreFor returns codes disabled for a path (per-file ignores).
	IgnoreFor func(path string) []string
	// Stdin, when set, is analysed instead of walking Paths.
	Stdin *Stdin
	// Yield lists rule codes whose findings give way to another rule's
	// finding at an overlapping place in the same file (generic rules that
	// hand-written rules refine).
	Yield map[string]bool
	// Shadow are rules that are not selected but still give way to: they
	// run (where triggered) only to drop the Yield findings they overlap,
	// and report nothing, so that ignoring a hand-written rule does not
	// bring its generic counterpart's finding back. Rules ignored for a
	// path (IgnoreFor) act the same way there.
	Shadow []*analysis.Analyzer
	// ReportUnusedNoqa enables MLF000, unused noqa codes (see suppress.go).
	ReportUnusedNoqa bool
	// Cache, when set, serves the results of files analysed before with
	// the same bytes and settings, and stores new ones (see Cache).
	Cache *Cache
	// CacheKeyExtra is added to every cache key: the command's version
	// and build, and any data the rules depend on, so that results of
	// another release are not served.
	CacheKeyExtra string
	// Matrix, when set, has the run also count the findings of each of
	// these migrations (Result.Matrix), on the files as the run leaves
	// them, parsing each file once for all of them.
	Matrix []Variant
	// Progress, when set, is called after each walked file with the number
	// of files done and the total (from several goroutines at once).
	Progress func(done, total int)
}

// Stdin is a source read from standard input.
type Stdin struct {
	Name string
	Src  []byte
	// Fixed receives the fixed source when Fix is set.
	Fixed []byte
}

// DefaultMaxFileSize is the size above which files are skipped.
const DefaultMaxFileSize = 10 << 20

// maxFixRounds bounds the fix loop.
const maxFixRounds = 8

// Triggers are the byte strings whose absence lets the driver skip a file
// without parsing it: every Python rule matches names rooted at `mlflow`
// or strings naming MLflow's tags and variables, so a file that mentions
// neither spelling cannot produce a finding.
var Triggers = [][]byte{[]byte("mlflow"), []byte("MLFLOW")}

// Mentions reports whether src contains one of the triggers.
func Mentions(src []byte, triggers [][]byte) bool {
	for _, t := range triggers {
		if containsRare(src, t) {
			return true
		}
	}
	return false
}

// commonBytes lists the bytes most frequent in source text, most frequent
// first; a byte not listed counts as rarer than all of them.
const commonBytes = " etaoinsrlcdmpu_f.h(),=\n\"'gyb:xv0w1k2/TSEARINOCLDPMF"

// containsRare is bytes.Contains that looks for the pattern's rarest
// byte (by commonBytes) and compares around each one: memchr on a byte
// such as `w` skips further than on the first byte `m` of "mlflow", which
// is common in any code.
func containsRare(src, pat []byte) bool {
	if len(pat) < 2 {
		return bytes.Contains(src, pat)
	}
	at, rank := 0, -1
	for i, c := range pat {
		r := strings.IndexByte(commonBytes, c)
		if r < 0 {
			r = len(commonBytes)
		}
		if rank < 0 || r > rank {
			at, rank = i, r
		}
	}
	c := pat[at]
	for i := at; i < len(src); {
		j := bytes.IndexByte(src[i:], c)
		if j < 0 {
			return false
		}
		i += j
		if s := i - at; s+len(pat) <= len(src) && bytes.Equal(src[s:s+len(pat)], pat) {
			return true
		}
		i++
	}
	return false
}

type driver struct {
	opt    Options
	order  []*analysis.Analyzer // topological, shared first
	rules  map[*analysis.Analyzer]bool
	config *RunConfig
	// allTriggered is set when every rule has triggers (RuleTriggers).
	allTriggered bool
	// shadow are Options.Shadow; yielding is set when a selected rule
	// yields (Options.Yield), without which shadows need not run.
	shadow   map[*analysis.Analyzer]bool
	yielding bool
	triggers *ruleTriggers
	// cacheSettings hashes the settings cache keys depend on.
	cacheSettings []byte
	// variants are the drivers of Options.Matrix.
	variants []*driver
	// quiet, when set, lets walked files that never mention MLflow go
	// unread (quietIndex).
	quiet *quietIndex
	// shareable are the analyzers whose results the variants reuse.
	shareable map[*analysis.Analyzer]bool
}

// Run analyses the files named by opt and applies fixes when asked.
func Run(ctx context.Context, opt Options) (*Result, error) {
	if opt.Jobs <= 0 {
		opt.Jobs = runtime.GOMAXPROCS(0)
	}
	if opt.MaxFileSize <= 0 {
		opt.MaxFileSize = DefaultMaxFileSize
	}
	if opt.Target.IsZero() {
		opt.Target = DefaultTarget
	}
	d, err := newDriver(opt)
	if err != nil {
		return nil, err
	}
	res := &Result{}
	for _, v := range opt.Matrix {
		res.Matrix = append(res.Matrix, Tally{Target: v.Target})
	}
	if opt.Stdin != nil {
		sp := d.newSharedParse()
		out := d.processSource(ctx, opt.Stdin.Name, opt.Stdin.Src, true, false, sp)
		compactSources(out.findings)
		if out.diff != nil {
			opt.Stdin.Fixed = out.diff.New
			sp.close()
			sp = nil
		} else {
			opt.Stdin.Fixed = opt.Stdin.Src
		}
		out.tallies = d.tallies(ctx, opt.Stdin.Name, opt.Stdin.Fixed, true, sp)
		sp.close()
		d.merge(res, out)
		res.Findings = SortFindings(res.Findings)
		return res, nil
	}
	if opt.Cache != nil && !opt.NoPrefilter && len(d.variants) == 0 {
		if roots, ok := quietRoots(opt.Paths); ok {
			d.quiet = openQuietIndex(opt.Cache, opt.CacheKeyExtra, opt.MaxFileSize, roots, time.Now())
		}
	}
	// The workers analyse files while the walk goes on; the results are
	// merged in path order, as if the walk had finished first.
	var done, found atomic.Int64
	queue := newFileQueue(opt.Jobs, walkBatch, maxQueued)
	outs := make([][]walkedOut, opt.Jobs)
	// counted holds, by worker, the counts of the files that gave
	// nothing to merge in order (most of a tree): they are added up
	// rather than kept and sorted.
	counted := make([]Result, opt.Jobs)
	var wg conc.WaitGroup
	for w := range outs {
		wg.Go(func() {
			// A panic ends this worker, and Wait raises it again once the
			// walk is over; until then the queue is drained so that the
			// walk never blocks.
			var batch []Target
			defer func() {
				for len(queue.take(batch)) > 0 {
				}
			}()
			// Each worker parses on one thread: glibc gives every thread
			// that calls malloc an arena of its own and keeps an arena's
			// peak (a large file's syntax tree) after the tree is freed,
			// so trees parsed on whichever threads the scheduler picked
			// left several such peaks behind.
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			for {
				batch = queue.take(batch)
				if len(batch) == 0 {
					return
				}
				for _, t := range batch {
					out := d.processFile(ctx, t)
					if out.countsOnly() {
						d.merge(&counted[w], out)
					} else {
						outs[w] = append(outs[w], walkedOut{t.Path, out})
					}
					if opt.Progress != nil {
						opt.Progress(int(done.Add(1)), int(found.Load()))
					}
				}
			}
		})
	}
	werrs := walkEach(opt.Paths, opt.Walk, opt.Jobs, func(ts []Target) {
		found.Add(int64(len(ts)))
		queue.push(ts)
	})
	queue.close()
	wg.Wait()
	res.Errors = append(res.Errors, werrs...)
	var all []*walkedOut
	for w := range outs {
		for i := range outs[w] {
			all = append(all, &outs[w][i])
		}
		res.addCounts(&counted[w])
	}
	slices.SortFunc(all, func(a, b *walkedOut) int { return strings.Compare(a.path, b.path) })
	for _, o := range all {
		d.merge(res, o.out)
	}
	if d.quiet != nil {
		d.quiet.save()
	}
	if opt.Cache != nil {
		opt.Cache.trim()
	}
	res.Findings = SortFindings(res.Findings)
	return res, nil
}

// walkBatch is the most walked files handed to a worker at once, and
// maxQueued the most that wait for a worker before the walk waits.
const (
	walkBatch = 16
	maxQueued = 1024
)

// walkedOut is the result of one walked file.
type walkedOut struct {
	path string
	out  fileOut
}

// countsOnly reports whether merging out only adds to the counts of a
// Result (merge), which the order of the files does not change.
func (out *fileOut) countsOnly() bool {
	return len(out.findings) == 0 && len(out.errs) == 0 && len(out.notes) == 0 && out.fixed == 0 && out.diff == nil && len(out.tallies) == 0
}

// addCounts adds the counts of c, a Result that only results that give
// counts were merged into (countsOnly), to res.
func (res *Result) addCounts(c *Result) {
	res.Files += c.Files
	res.Parsed += c.Parsed
	res.ParsedSize += c.ParsedSize
	res.ParsedBytes += c.ParsedBytes
	res.Cached += c.Cached
	res.Unread += c.Unread
}

func (d *driver) merge(res *Result, out fileOut) {
	res.Files++
	if out.parsed {
		res.Parsed++
		res.ParsedSize += int64(out.size)
		res.ParsedBytes += int64(out.parsedBytes)
	}
	if out.cached {
		res.Cached++
	}
	if out.unread {
		res.Unread++
	}
	res.Findings = append(res.Findings, out.findings...)
	res.Errors = append(res.Errors, out.errs...)
	res.Notes = append(res.Notes, out.notes...)
	res.Fixed += out.fixed
	if out.diff != nil {
		res.Diffs = append(res.Diffs, *out.diff)
	}
	for i, t := range out.tallies {
		m := &res.Matrix[i]
		m.Findings += t.Findings
		m.Warnings += t.Warnings
		m.Safe += t.Safe
		m.Unsafe += t.Unsafe
		m.Files += t.Files
	}
}

func newDriver(opt Options) (*driver, error) {
	all := append(append(slices.Clone(Shared), opt.Rules...), opt.Shadow...)
	err := analysis.Validate(all)
	if err != nil {
		return nil, err
	}
	d := &driver{opt: opt, rules: map[*analysis.Analyzer]bool{}, config: &RunConfig{Target: opt.Target}}
	if opt.API != nil {
		d.config.API = *opt.API
	} else {
		d.config.API = DefaultAPIRange()
	}
	seen := map[*analysis.Analyzer]bool{}
	var visit func(a *analysis.Analyzer)
	visit = func(a *analysis.Analyzer) {
		if seen[a] {
			return
		}
		seen[a] = true
		for _, r := range a.Requires {
			visit(r)
		}
		d.order = append(d.order, a)
	}
	for _, a := range all {
		if len(a.FactTypes) > 0 {
			return nil, fmt.Errorf("analyzer %s uses facts, which mlflowlint does not support", a.Name)
		}
		visit(a)
	}
	d.triggers = newRuleTriggers(append(slices.Clone(opt.Rules), opt.Shadow...), opt.RuleTriggers, opt.RuleWords)
	d.shadow = map[*analysis.Analyzer]bool{}
	for _, a := range opt.Shadow {
		d.shadow[a] = true
	}
	if opt.Cache != nil {
		d.cacheSettings = cacheSettings(opt)
	}
	if len(opt.Matrix) > 0 {
		if d.variants, err = d.newVariants(); err != nil {
			return nil, err
		}
	}
	d.shareable = map[*analysis.Analyzer]bool{}
	for _, a := range Shared {
		if settingsFree(a) {
			d.shareable[a] = true
		}
	}
	d.allTriggered = true
	for _, a := range opt.Rules {
		d.rules[a] = true
		if opt.Yield[a.Name] {
			d.yielding = true
		}
		_, byWords := opt.RuleWords[a.Name]
		if _, ok := opt.RuleTriggers[a.Name]; !ok && !byWords {
			d.allTriggered = false
		}
	}
	return d, nil
}

type fileOut struct {
	findings []Finding
	errs     []FileError
	notes    []FileError
	fixed    int
	parsed   bool
	// size is the number of bytes of the parsed text; parsedBytes those
	// the parser read (fewer when it read some statements only).
	size, parsedBytes int
	cached            bool
	// quiet is set for a file that never mentions MLflow (Mentions):
	// nothing came of it, and nothing will while it is unchanged.
	quiet bool
	// unread is set when the quiet index vouched for the file unread.
	unread bool
	diff   *FileDiff
	// tallies count the findings of each variant (Options.Matrix).
	tallies []Tally
}

// sourceFile is a file opened by openSource.
type sourceFile interface {
	io.ReadCloser
	// Stat returns the file's mode and size.
	Stat() (fs.FileMode, int64, error)
}

// readBufs holds read buffers for reuse; buffers larger than
// maxPooledRead are left to the collector.
var readBufs = sync.Pool{New: func() any { return new([]byte) }}

const maxPooledRead = 1 << 20

// processFile reads, analyses and (when asked) fixes one file.
func (d *driver) processFile(ctx context.Context, t Target) fileOut {
	// A file named on the command line that cannot be read means the
	// request cannot be honoured (exit 2); a walked one is reported and the
	// run goes on.
	fail := func(msg string) fileOut {
		return fileOut{errs: []FileError{{Path: t.Path, Message: msg, Fatal: t.Explicit}}}
	}
	if d.quiet != nil && !t.Explicit && d.quiet.known(t.Path) {
		return fileOut{quiet: true, unread: true}
	}
	fh, err := openSource(t.Path)
	if err != nil {
		return fail("cannot read: " + describeErr(err))
	}
	defer fh.Close()
	mode, size, err := fh.Stat()
	if err != nil {
		return fail("cannot read: " + describeErr(err))
	}
	if !mode.IsRegular() {
		// FIFOs, devices and directories would block or never end.
		return fail(fmt.Sprintf("skipped: not a regular file (%s)", fileKind(mode)))
	}
	if size > d.opt.MaxFileSize {
		return fileOut{notes: []FileError{{Path: t.Path, Message: fmt.Sprintf("skipped: file is %d bytes, larger than the %d-byte limit", size, d.opt.MaxFileSize)}}}
	}
	// Read at most one byte past the limit: the file may grow after Stat.
	bp := readBufs.Get().(*[]byte)
	src, err := readUpTo(fh, (*bp)[:0], size, d.opt.MaxFileSize+1)
	if err != nil {
		return fail("cannot read: " + describeErr(err))
	}
	if int64(len(src)) > d.opt.MaxFileSize {
		return fileOut{notes: []FileError{{Path: t.Path, Message: fmt.Sprintf("skipped: file grew past the %d-byte limit while being read", d.opt.MaxFileSize)}}}
	}
	sp := d.newSharedParse()
	defer func() { sp.close() }()
	out := d.processSource(ctx, t.Path, src, t.Explicit, d.opt.Cache != nil, sp)
	if d.quiet != nil && out.quiet && !t.Explicit {
		if id, ok := sourceID(fh); ok && id.size == int64(len(src)) {
			d.quiet.record(t.Path, id)
		}
	}
	// The file's text goes; the lines its findings need stay.
	compactSources(out.findings)
	if d.opt.Fix && out.diff != nil {
		if err := writeAtomic(t.Path, src, out.diff.New, mode); err != nil {
			out.errs = append(out.errs, FileError{Path: t.Path, Message: "fix not written: " + err.Error()})
			out.fixed = 0
			out.diff = nil
		}
	}
	if len(d.variants) > 0 {
		// The matrix counts what the run leaves: the fixed bytes when
		// there are any, which the main analysis did not parse as such.
		if out.diff != nil {
			src = out.diff.New
			sp.close()
			sp = d.newSharedParse()
		}
		out.tallies = d.tallies(ctx, t.Path, src, t.Explicit, sp)
	}
	if len(d.variants) == 0 && out.diff == nil && cap(src) <= maxPooledRead {
		// Nothing holds the file's text now: findings keep copies of
		// their lines (compactSources), messages are formatted, and only
		// a diff would keep the bytes; the buffer serves the next file.
		*bp = src[:0]
		readBufs.Put(bp)
	}
	return out
}

// processSource analyses src and computes its fixes, through the cache
// when useCache is set. sp, when set, shares the view and parse of src
// with the other drivers analysing the same bytes.
func (d *driver) processSource(ctx context.Context, path string, src []byte, explicit, useCache bool, sp *sharedParse) fileOut {
	var out fileOut
	if !IsPython(path) {
		// Python files that text rules also read (setup.py) take the
		// Python path; analyze adds the text rules' findings.
		for _, tr := range d.opt.TextRules {
			if tr.Match(path) {
				return d.processText(path, src)
			}
		}
	}
	if !IsPython(path) && !explicit {
		return out
	}
	if !d.opt.NoPrefilter && !Mentions(src, Triggers) {
		out.quiet = true
		return out
	}
	if i := bytes.IndexByte(src, 0); i >= 0 {
		out.errs = append(out.errs, FileError{Path: path, Message: fmt.Sprintf("skipped: binary file (NUL byte at offset %d)", i)})
		return out
	}
	if !utf8.Valid(src) {
		off := firstInvalidUTF8(src)
		out.errs = append(out.errs, FileError{Path: path, Message: fmt.Sprintf("skipped: not valid UTF-8 (invalid byte at offset %d)", off)})
		return out
	}
	v, err := sp.viewOf(path, src)
	if err != nil {
		out.errs = append(out.errs, FileError{Path: path, Message: err.Error()})
		return out
	}
	// The cache is asked before the triggers are scanned: hashing the
	// text costs less than the scan, and a file the triggers skip is
	// stored too, with no findings.
	var key cacheKey
	if useCache {
		key = d.fileKey(path, explicit, src, sp)
		if e, ok := d.opt.Cache.get(key); ok && !d.mustFix(e.Findings) {
			src := v.cachedSource(e.Findings)
			for i := range e.Findings {
				e.Findings[i].Src = src
			}
			return fileOut{findings: e.Findings, cached: true}
		}
	}
	if d.skipUntriggered(path, v) {
		if useCache {
			d.opt.Cache.put(key, &cached{})
		}
		return out
	}
	out = d.analyzeAndFix(ctx, path, src, v, sp)
	// A result is stored only when it is the findings of src itself: no
	// error, nothing fixed.
	if useCache && len(out.errs) == 0 && out.fixed == 0 && out.diff == nil {
		d.opt.Cache.put(key, &cached{Findings: out.findings})
	}
	return out
}

// mustFix reports whether a run that fixes has to analyse a file whose
// cached findings are these: when one of them has a fix it would apply.
// Without one, the fix loop would stop before its first round and return
// the findings unchanged, so serving them is the same.
func (d *driver) mustFix(findings []Finding) bool {
	if !d.opt.Fix && !d.opt.Diff {
		return false
	}
	for i := range findings {
		if !findings[i].Suppressed && findings[i].Fixable(d.opt.UnsafeFixes) {
			return true
		}
	}
	return false
}

func (d *driver) analyzeAndFix(ctx context.Context, path string, src []byte, v *view, sp *sharedParse) fileOut {
	var out fileOut
	findings, perr := d.analyze(ctx, path, v, sp)
	out.parsed = true
	out.size, out.parsedBytes = len(v.parse), v.parsedBytes
	if perr != nil {
		out.errs = append(out.errs, *perr)
		return out
	}
	if !d.opt.Fix && !d.opt.Diff {
		out.findings = findings
		return out
	}
	return d.fixLoop(ctx, path, src, v, findings)
}

// skipUntriggered reports whether a view need not be parsed: no rule can
// report on it, when unused noqa comments are not reported either (that
// needs the comments of every file). Notebooks, Databricks exports and
// files that text rules read (setup.py) may still have findings that need
// no parse: their pip lines, shell commands and text rules are checked
// here, and a file with such a finding takes the full path, where noqa
// comments, which the parse finds, apply to it.
func (d *driver) skipUntriggered(path string, v *view) bool {
	if d.opt.NoPrefilter || !d.allTriggered || d.opt.ReportUnusedNoqa {
		return false
	}
	var ignored map[string]bool
	if d.opt.IgnoreFor != nil {
		ignored = map[string]bool{}
		for _, c := range d.opt.IgnoreFor(path) {
			ignored[c] = true
		}
	}
	t := d.triggersOf(v)
	for a := range d.rules {
		if !codeIgnored(ignored, a.Name) && t.runs(a) {
			return false
		}
	}
	if len(d.pipFindings(path, v, ignored)) > 0 || len(d.shellFindings(path, v, ignored)) > 0 {
		return false
	}
	if !v.notebook && d.textRuleMatches(path) {
		if tf, ferr := d.checkText(path, v); ferr != nil || len(tf) > 0 {
			return false
		}
	}
	return true
}

// fileKind names a non-regular file type for messages.
func fileKind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "mode " + m.String()
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// analyze runs every analyzer over one view and returns its findings. sp,
// when set, holds the parse of the view's bytes (made on first use) and
// the results of the analyzers that do not depend on the settings.
func (d *driver) analyze(ctx context.Context, path string, v *view, sp *sharedParse) (findings []Finding, ferr *FileError) {
	var f *parser.File
	var fset *token.FileSet
	v.parsedBytes = len(v.parse)
	if ranges := d.regionRanges(path, v); ranges != nil && sp == nil {
		f, fset, ferr = parseRegions(ctx, path, v, ranges)
	} else {
		f, fset, ferr = sp.parse(ctx, path, v)
	}
	if ferr != nil {
		return nil, ferr
	}
	if sp == nil {
		defer f.Close()
	}
	v.syntaxErrs = f.ErrorCount()
	f.Virtual = v.virtual
	f.Databricks = v.databricks
	results := map[*analysis.Analyzer]any{File: f, Config: d.config}
	if sp != nil {
		if sp.results == nil {
			sp.results = map[*analysis.Analyzer]any{}
		}
		for a, r := range sp.results {
			results[a] = r
		}
	}
	ignored := map[string]bool{}
	if d.opt.IgnoreFor != nil {
		for _, c := range d.opt.IgnoreFor(path) {
			ignored[c] = true
		}
	}
	trig := d.triggersOf(v)
	var shadows []Finding
	for _, a := range d.order {
		if _, done := results[a]; done {
			continue
		}
		isRule := d.rules[a]
		shadow := d.shadow[a] || isRule && codeIgnored(ignored, a.Name)
		if isRule || shadow {
			if shadow && !d.yielding || !d.opt.NoPrefilter && !trig.runs(a) {
				continue
			}
		}
		pass := &analysis.Pass{
			Analyzer:   a,
			Fset:       fset,
			OtherFiles: []string{path},
			ReadFile: func(name string) ([]byte, error) {
				if name == path {
					return v.parse, nil
				}
				return nil, fmt.Errorf("%s is not part of this pass", name)
			},
			ResultOf: make(map[*analysis.Analyzer]any, len(a.Requires)),
			Report: func(diag analysis.Diagnostic) {
				if !isRule && !shadow {
					return
				}
				if fd, ok := d.toFinding(a, f, v, path, diag); ok {
					if shadow {
						shadows = append(shadows, fd)
					} else {
						findings = append(findings, fd)
					}
				}
			},
		}
		for _, r := range a.Requires {
			pass.ResultOf[r] = results[r]
		}
		var result any
		var runErr error
		rec := panics.Try(func() { result, runErr = a.Run(pass) })
		if rec != nil {
			return nil, &FileError{Path: path, Message: fmt.Sprintf("internal error in %s: %v", a.Name, rec.Value)}
		}
		if runErr != nil {
			return nil, &FileError{Path: path, Message: fmt.Sprintf("internal error in %s: %v", a.Name, runErr)}
		}
		results[a] = result
		if sp != nil && d.shareable[a] {
			sp.results[a] = result
		}
	}
	findings = yieldFindings(findings, shadows, d.opt.Yield)
	findings = append(findings, d.pipFindings(path, v, ignored)...)
	findings = append(findings, d.shellFindings(path, v, ignored)...)
	if !v.notebook && d.textRuleMatches(path) {
		tf, ferr := d.checkText(path, v)
		if ferr != nil {
			return nil, ferr
		}
		findings = append(findings, tf...)
	}
	findings = applySuppressions(findings, f, v, path, d.noqaChecker(ignored))
	return findings, nil
}

func codeIgnored(ignored map[string]bool, code string) bool {
	for c := range ignored {
		if strings.HasPrefix(code, c) {
			return true
		}
	}
	return false
}

// toFinding makes a diagnostic concrete.
func (d *driver) toFinding(a *analysis.Analyzer, f *parser.File, v *view, path string, diag analysis.Diagnostic) (Finding, bool) {
	tf := f.Tok
	start := tf.Offset(diag.Pos)
	end := start
	if diag.End.IsValid() {
		end = tf.Offset(diag.End)
	}
	fd := Finding{
		Code:     a.Name,
		Message:  diag.Message,
		Severity: SeverityError,
		Path:     filepath.ToSlash(path),
	}
	warning, unsafe := categoryFlags(diag.Category)
	if warning || strings.HasPrefix(a.Name, "MLF9") {
		fd.Severity = SeverityWarning
	}
	v.locate(&fd, start, end)
	if len(diag.SuggestedFixes) > 0 {
		sf := diag.SuggestedFixes[0]
		fx := &Fix{Message: sf.Message, Unsafe: unsafe}
		for _, e := range sf.TextEdits {
			s := tf.Offset(e.Pos)
			en := s
			if e.End.IsValid() {
				en = tf.Offset(e.End)
			}
			if s < 0 || en < s || en > len(v.body) {
				return fd, true // an invalid fix is dropped; the finding stays
			}
			fx.Edits = append(fx.Edits, Edit{Start: v.position(s), End: v.position(en), New: v.matchEOL(s, string(e.NewText))})
		}
		slices.SortFunc(fx.Edits, func(x, y Edit) int { return x.Start.Offset - y.Start.Offset })
		for i := 1; i < len(fx.Edits); i++ {
			if fx.Edits[i].Start.Offset < fx.Edits[i-1].End.Offset {
				return fd, true // overlapping edits within one fix: drop the fix
			}
		}
		fd.Fix = fx
	}
	return fd, true
}

// categoryFlags reads a diagnostic's Category: a comma-separated set of
// "unsafe" (its fix is opt-in) and "warning" (a deprecation that still
// works, reported with warning severity).
func categoryFlags(c string) (warning, unsafe bool) {
	for _, p := range strings.Split(c, ",") {
		switch strings.TrimSpace(p) {
		case "warning":
			warning = true
		case "unsafe":
			unsafe = true
		}
	}
	return warning, unsafe
}

// textRuleMatches reports whether a text rule reads this path too.
func (d *driver) textRuleMatches(path string) bool {
	for _, tr := range d.opt.TextRules {
		if tr.Match(path) {
			return true
		}
	}
	return false
}

// readUpTo reads r to its end or to limit bytes, into buf when it is large
// enough. A new buffer is sized for the expected size (plus one byte to
// see growth), so the usual read allocates at most once instead of
// doubling its way up.
func readUpTo(r io.Reader, buf []byte, size, limit int64) ([]byte, error) {
	capacity := min(size+1, limit)
	if capacity < 512 {
		capacity = 512
	}
	if int64(cap(buf)) < capacity {
		buf = make([]byte, 0, capacity)
	}
	lr := io.LimitReader(r, limit)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := lr.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// yieldFindings drops the findings of yielding codes that overlap a
// finding of another code, reported or shadow (ranges that share a byte,
// or empty ranges at the same offset). Offsets are those of the analysed
// view, unique across a notebook's cells.
func yieldFindings(fs, shadows []Finding, yield map[string]bool) []Finding {
	if len(yield) == 0 {
		return fs
	}
	others := slices.Clone(shadows)
	mine := 0
	for _, f := range fs {
		if !yield[f.Code] {
			others = append(others, f)
		} else {
			mine++
		}
	}
	if mine == 0 || len(others) == 0 {
		return fs
	}
	slices.SortFunc(others, func(a, b Finding) int { return a.Start.Offset - b.Start.Offset })
	// maxEnd[i] is the largest end among others[:i+1], an empty range
	// counting one byte so that it meets a range starting at its offset.
	maxEnd := make([]int, len(others))
	for i, g := range others {
		maxEnd[i] = max(g.End.Offset, g.Start.Offset+1)
		if i > 0 {
			maxEnd[i] = max(maxEnd[i], maxEnd[i-1])
		}
	}
	out := fs[:0]
	for _, f := range fs {
		if yield[f.Code] {
			end := max(f.End.Offset, f.Start.Offset+1)
			// others[:k] start before f ends.
			k := sort.Search(len(others), func(i int) bool { return others[i].Start.Offset >= end })
			if k > 0 && maxEnd[k-1] > f.Start.Offset {
				continue
			}
		}
		out = append(out, f)
	}
	// The dropped findings must not stay behind in fs's array: they
	// would keep their file's whole Source alive, which compactSources
	// replaces only in the findings returned.
	clear(fs[len(out):])
	return out
}

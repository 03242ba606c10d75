// Package analysistest runs mlflowlint rules over annotated Python fixtures,
// in the spirit of golang.org/x/tools/go/analysis/analysistest.
//
// A fixture line expects findings through a comment holding one or more
// Go-quoted or backquoted regular expressions:
//
//	MetricThreshold(higher_is_better=True)  # want "higher_is_better"
//
// Each expectation must match the message of one finding that starts on
// that line, and every finding must be expected. Next to fixture.py, the
// file fixture.py.golden holds the source after --fix, and
// fixture.py.unsafe.golden the source after --fix --unsafe-fixes. The
// harness also checks that fixed sources parse without new errors and
// that a second fix round changes nothing.
package analysistest

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/parser"
)

var update = flag.Bool("update", false, "rewrite .golden files")

// Setup holds the rules a fixture runs with.
type Setup struct {
	Rules     []*analysis.Analyzer
	TextRules []*analyzer.TextRule
	Target    analyzer.Version
	// NoPrefilter parses files that never mention MLflow too, and runs
	// rules whatever RuleTriggers say.
	NoPrefilter bool
	// RuleTriggers are the rules' trigger strings (analyzer.Options).
	RuleTriggers map[string][][]byte
	// RuleWords, Yield and API are as in analyzer.Options.
	RuleWords map[string]*analyzer.Words
	Yield     map[string]bool
	API       *analyzer.APIRange
}

// Analyze runs the setup over one source, as the command line would for a
// file given on standard input.
func Analyze(s Setup, path string, src []byte, fix, unsafe bool) (*analyzer.Result, []byte, error) {
	in := &analyzer.Stdin{Name: path, Src: src}
	res, err := analyzer.Run(context.Background(), analyzer.Options{
		Rules: s.Rules, TextRules: s.TextRules, Target: s.Target, Stdin: in,
		Fix: fix, UnsafeFixes: unsafe, NoPrefilter: s.NoPrefilter, RuleTriggers: s.RuleTriggers, Jobs: 1,
		RuleWords: s.RuleWords, Yield: s.Yield, API: s.API,
	})
	if err != nil {
		return nil, nil, err
	}
	return res, in.Fixed, nil
}

// Run checks every fixture file in dir (.py, .pyi, .ipynb and any file a
// text rule matches) against its want comments and golden files.
func Run(t *testing.T, dir string, s Setup) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("reading fixtures: %v", err)
	}
	n := 0
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasSuffix(name, ".golden") || strings.HasSuffix(name, ".md") {
			continue
		}
		n++
		path := filepath.Join(dir, name)
		t.Run(name, func(t *testing.T) { RunFile(t, path, s) })
	}
	if n == 0 {
		t.Fatalf("no fixtures in %s", dir)
	}
}

// RunFile checks one fixture.
func RunFile(t *testing.T, path string, s Setup) {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	res, _, err := Analyze(s, path, src, false, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range res.Errors {
		t.Errorf("%s: %s", e.Path, e.Message)
	}
	wants, err := Wants(path, src)
	if err != nil {
		t.Fatal(err)
	}
	CheckWants(t, path, res.Findings, wants)
	for _, g := range []struct {
		suffix string
		unsafe bool
	}{{".golden", false}, {".unsafe.golden", true}} {
		golden := path + g.suffix
		_, statErr := os.Stat(golden)
		if statErr != nil && !*update {
			continue
		}
		fres, fixed, err := Analyze(s, path, src, true, g.unsafe)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range fres.Errors {
			t.Errorf("fixing: %s", e.Message)
		}
		if *update {
			if statErr == nil || !bytes.Equal(fixed, src) {
				if err := os.WriteFile(golden, fixed, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			continue
		}
		want, _ := os.ReadFile(golden)
		if !bytes.Equal(fixed, want) {
			t.Errorf("%s: fixed source differs from %s\n--- got ---\n%s\n--- want ---\n%s", path, filepath.Base(golden), fixed, want)
		}
		if filepath.Ext(path) == ".py" {
			before, _ := parser.CheckSyntax(context.Background(), src)
			after, _ := parser.CheckSyntax(context.Background(), fixed)
			if after > before {
				t.Errorf("%s: fixed source has %d syntax errors, the original %d", path, after, before)
			}
		}
		// A second round must change nothing.
		_, again, err := Analyze(s, path, fixed, true, g.unsafe)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(again, fixed) {
			t.Errorf("%s: a second fix round changed the source again:\n%s", path, again)
		}
	}
}

// Want is one expectation.
type Want struct {
	Line int
	Re   *regexp.Regexp
}

var wantRe = regexp.MustCompile(`#\s*want\s+(.*)$`)

// Wants reads the want comments of a fixture. For Python files only real
// comments count (a "# want" inside a string does not); other files are
// read line by line.
func Wants(path string, src []byte) ([]Want, error) {
	var out []Want
	var comments [][2]int
	isPy := strings.HasSuffix(path, ".py") || strings.HasSuffix(path, ".pyi")
	if strings.HasSuffix(path, ".ipynb") {
		// Notebook expectations are comments in the cells, matched against
		// the lines of the notebook's virtual source.
		nb, err := parser.ParseNotebook(src)
		if err != nil {
			return nil, err
		}
		comments = commentRanges(nb.Src)
		src = nb.Original()
		isPy = true
	} else if isPy {
		comments = commentRanges(src)
	}
	lines := strings.Split(string(src), "\n")
	for i, line := range lines {
		m := wantRe.FindStringSubmatchIndex(line)
		if m == nil {
			continue
		}
		if isPy && !inRanges(comments, lineOffset(lines, i)+m[0]) {
			continue
		}
		rest := line[m[2]:m[3]]
		res, err := parsePatterns(rest)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", path, i+1, err)
		}
		for _, r := range res {
			out = append(out, Want{Line: i + 1, Re: r})
		}
	}
	return out, nil
}

func lineOffset(lines []string, i int) int {
	off := 0
	for j := 0; j < i; j++ {
		off += len(lines[j]) + 1
	}
	return off
}

// commentRanges returns the byte ranges of the comments of a Python source.
func commentRanges(src []byte) [][2]int {
	f, err := parser.Parse(context.Background(), "", src, nil)
	if err != nil {
		return nil
	}
	defer f.Close()
	idx := parser.NewIndex(f.Root)
	var out [][2]int
	for _, c := range idx.Of("comment") {
		out = append(out, [2]int{int(c.StartByte()), int(c.EndByte())})
	}
	return out
}

func inRanges(rs [][2]int, off int) bool {
	for _, r := range rs {
		if r[0] <= off && off < r[1] {
			return true
		}
	}
	return false
}

func parsePatterns(s string) ([]*regexp.Regexp, error) {
	var out []*regexp.Regexp
	s = strings.TrimSpace(s)
	for s != "" {
		q, err := strconv.QuotedPrefix(s)
		if err != nil {
			return nil, fmt.Errorf("want: expected a quoted regexp at %q", s)
		}
		pat, err := strconv.Unquote(q)
		if err != nil {
			return nil, err
		}
		re, err := regexp.Compile(pat)
		if err != nil {
			return nil, err
		}
		out = append(out, re)
		s = strings.TrimSpace(s[len(q):])
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("want: no pattern")
	}
	return out, nil
}

// CheckWants matches findings (unsuppressed) against expectations.
func CheckWants(t *testing.T, path string, findings []analyzer.Finding, wants []Want) {
	t.Helper()
	used := make([]bool, len(wants))
	for _, f := range findings {
		if f.Suppressed {
			continue
		}
		line := f.NoqaLine
		ok := false
		for i, w := range wants {
			if !used[i] && w.Line == line && w.Re.MatchString(f.Code+" "+f.Message) {
				used[i] = true
				ok = true
				break
			}
		}
		if !ok {
			t.Errorf("%s:%d:%d: unexpected finding: %s %s", path, f.Start.Line, f.Start.Col, f.Code, f.Message)
		}
	}
	var missing []string
	for i, w := range wants {
		if !used[i] {
			missing = append(missing, fmt.Sprintf("%s:%d: no finding matched %q", path, w.Line, w.Re))
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Error(m)
	}
}

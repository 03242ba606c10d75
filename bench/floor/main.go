// Command floor measures what a cold run over a corpus cannot go below
// while it parses as mlflowlint does: the parse of the statements that
// hold its findings, and of the imports of their files, into the flat tree
// (parser.Parse: tree-sitter's parse, the copy and the index), with nothing
// else done.
//
// It reads mlflowlint's JSON output (the findings), takes from each file
// with findings the smallest statement around each finding's line (the
// header alone of a compound statement whose body starts below the line)
// and every import statement, writes them one after another, dedented, as
// one module per file, and times the parse of those modules on -j
// workers: wall time and CPU time, medians of -runs rounds.
//
// A tool that knew which statements hold findings, and neither looked for
// them, resolved a name nor checked a call, would still parse these bytes;
// bench/README.md compares the figure with `rg -c mlflow`. With -parse DIR
// it parses the modules -out wrote to DIR once and exits, a command for
// bench/alt to time beside rg as a whole process:
//
//	bin/mlflowlint --isolated --no-cache --exit-zero --output-format json bench/corpus > findings.json
//	go run ./bench/floor -findings findings.json -j 2 -runs 11 -out mods
//	go build -o floor ./bench/floor && go run ./bench/alt rg='rg -c mlflow bench/corpus' floor='./floor -parse mods'
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/mlflowlint/mlflowlint/parser"
)

// finding is what floor reads of one finding of the JSON output.
type finding struct {
	Filename string `json:"filename"`
	Location struct {
		Row int `json:"row"`
	} `json:"location"`
}

func main() {
	findings := flag.String("findings", "", "mlflowlint's JSON output (--output-format json); - for stdin")
	jobs := flag.Int("j", 2, "parsing workers")
	runs := flag.Int("runs", 11, "timed rounds")
	out := flag.String("out", "", "a directory to write the modules to (optional)")
	parse := flag.String("parse", "", "parse the modules in this directory once and exit")
	flag.Parse()
	if (*findings == "") == (*parse == "") || *jobs < 1 || *runs < 1 || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: floor -findings FILE [-j N] [-runs N] [-out DIR], or floor -parse DIR [-j N]")
		os.Exit(2)
	}
	var err error
	if *parse != "" {
		err = parseDir(*parse, *jobs, os.Stdout)
	} else {
		err = run(*findings, *jobs, *runs, *out, os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
}

func run(findingsPath string, jobs, runs int, outDir string, w io.Writer) error {
	var data []byte
	var err error
	if findingsPath == "-" {
		data, err = io.ReadAll(os.Stdin)
	} else {
		data, err = os.ReadFile(findingsPath)
	}
	if err != nil {
		return err
	}
	var fs []finding
	if err := json.Unmarshal(data, &fs); err != nil {
		return fmt.Errorf("%s: not mlflowlint's JSON output: %v", findingsPath, err)
	}
	rows := map[string][]int{}
	for _, f := range fs {
		if strings.HasSuffix(f.Filename, ".py") {
			rows[f.Filename] = append(rows[f.Filename], f.Location.Row)
		}
	}
	names := make([]string, 0, len(rows))
	for name := range rows {
		names = append(names, name)
	}
	sort.Strings(names)
	var mods [][]byte
	var size, floorSize int
	for _, name := range names {
		src, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		f, err := parser.Parse(context.Background(), name, src, nil)
		if err != nil {
			return fmt.Errorf("%s: %v", name, err)
		}
		mod := floorModule(f, rows[name])
		f.Close()
		size += len(src)
		floorSize += len(mod)
		mods = append(mods, mod)
		if outDir != "" {
			if err := os.MkdirAll(outDir, 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(fmt.Sprintf("%s/%04d.py", outDir, len(mods)-1), mod, 0o644); err != nil {
				return err
			}
		}
	}
	if len(mods) == 0 {
		return errors.New("no finding in a .py file")
	}
	var walls, cpus []float64
	for r := 0; r <= runs; r++ { // round 0 warms up
		wall, cpu := timeParse(mods, jobs)
		if r > 0 {
			walls = append(walls, wall.Seconds())
			cpus = append(cpus, cpu.Seconds())
		}
	}
	fmt.Fprintf(w, "findings %d in %d files (%.3f MB)\n", len(fs), len(mods), float64(size)/1e6)
	fmt.Fprintf(w, "their statements and imports: %.3f MB\n", float64(floorSize)/1e6)
	fmt.Fprintf(w, "their parse, %d workers, median of %d: %.3f s wall, %.3f s CPU (%.2f MB/s of CPU)\n",
		jobs, runs, median(walls), median(cpus), float64(floorSize)/1e6/median(cpus))
	return nil
}

// parseDir parses the .py files of dir (not below it) once on jobs
// workers.
func parseDir(dir string, jobs int, w io.Writer) error {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var mods [][]byte
	size := 0
	for _, e := range ents {
		if e.Type().IsRegular() && strings.HasSuffix(e.Name(), ".py") {
			b, err := os.ReadFile(dir + "/" + e.Name())
			if err != nil {
				return err
			}
			mods = append(mods, b)
			size += len(b)
		}
	}
	if len(mods) == 0 {
		return fmt.Errorf("%s: no .py file", dir)
	}
	wall, cpu := timeParse(mods, jobs)
	fmt.Fprintf(w, "%d modules, %.3f MB: %.3f s wall, %.3f s CPU\n", len(mods), float64(size)/1e6, wall.Seconds(), cpu.Seconds())
	return nil
}

// timeParse parses mods on jobs workers and returns the wall time and the
// process's CPU time it took.
func timeParse(mods [][]byte, jobs int) (wall, cpu time.Duration) {
	next := make(chan []byte)
	var wg sync.WaitGroup
	cpu0 := cpuTime()
	start := time.Now()
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for src := range next {
				if f, err := parser.Parse(context.Background(), "floor.py", src, nil); err == nil {
					f.Close()
				}
			}
		}()
	}
	for _, m := range mods {
		next <- m
	}
	close(next)
	wg.Wait()
	return time.Since(start), cpuTime() - cpu0
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if n := len(s); n%2 == 1 {
		return s[n/2]
	} else {
		return (s[n/2-1] + s[n/2]) / 2
	}
}

// span is a run of lines, from and to 0-based and inclusive; header marks
// the header of a compound statement taken without its body.
type span struct {
	from, to int
	header   bool
}

// floorModule returns the statements of f that hold the 1-based rows,
// and its import statements, dedented one by one, in the order of the
// source; a header taken alone gets `pass` as its body.
func floorModule(f *parser.File, rows []int) []byte {
	src, root := f.Src, f.Root
	f.Tok.SetLinesForContent(src)
	// line is the 0-based line of an offset.
	line := func(off uint32) int { return f.Tok.Line(f.Tok.Pos(int(off))) - 1 }
	// last is the line of a node's last byte.
	last := func(n *parser.Node) int { return line(max(n.StartByte()+1, n.EndByte()) - 1) }
	spans := map[int]span{}
	add := func(s span) {
		if old, ok := spans[s.from]; !ok || s.to > old.to {
			spans[s.from] = s
		}
	}
	var imports func(n *parser.Node)
	imports = func(n *parser.Node) {
		switch n.Type() {
		case "import_statement", "import_from_statement", "future_import_statement":
			add(span{from: line(n.StartByte()), to: last(n)})
			return
		}
		for i := range int(n.NamedChildCount()) {
			imports(n.NamedChild(i))
		}
	}
	imports(root)
	for _, row := range rows {
		if s, ok := statementAt(root, row-1, line, last); ok {
			add(s)
		}
	}
	keys := make([]int, 0, len(spans))
	for k := range spans {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	lines := bytes.SplitAfter(src, []byte("\n"))
	var out bytes.Buffer
	end := -1 // the last line written
	for _, k := range keys {
		s := spans[k]
		if s.to <= end {
			continue // inside a statement written already
		}
		from := max(s.from, end+1)
		indent := leadingBlanks(lines[from])
		for i := from; i <= s.to && i < len(lines); i++ {
			out.Write(bytes.TrimPrefix(lines[i], indent))
		}
		if out.Len() > 0 && out.Bytes()[out.Len()-1] != '\n' {
			out.WriteByte('\n')
		}
		if s.header {
			out.WriteString("    pass\n")
		}
		end = s.to
	}
	return out.Bytes()
}

func leadingBlanks(line []byte) []byte {
	i := 0
	for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
		i++
	}
	return line[:i]
}

// statementAt returns the smallest statement of the tree at root that
// holds the 0-based row: its lines, or those of its header alone where it
// is compound and its body starts below the row. line gives the 0-based
// line of an offset, last that of a node's last byte.
func statementAt(root *parser.Node, row int, line func(uint32) int, last func(*parser.Node) int) (span, bool) {
	var best *parser.Node
	n := root
	for {
		var inner *parser.Node
		for i := range int(n.NamedChildCount()) {
			c := n.NamedChild(i)
			if line(c.StartByte()) <= row && row <= last(c) {
				inner = c
				break
			}
		}
		if inner == nil {
			break
		}
		if isStatement(inner.Type()) {
			best = inner
		}
		n = inner
	}
	if best == nil {
		return span{}, false
	}
	s := span{from: line(best.StartByte()), to: last(best)}
	body := best.ChildByFieldName("body")
	if def := best.ChildByFieldName("definition"); body == nil && def != nil {
		body = def.ChildByFieldName("body") // a decorated def or class
	}
	if body != nil {
		if b := line(body.StartByte()); b > row && b > s.from {
			s.to, s.header = b-1, true
		}
	}
	return s, true
}

// isStatement reports whether a node of type t is a statement of
// tree-sitter-python's grammar.
func isStatement(t string) bool {
	switch t {
	case "function_definition", "class_definition", "decorated_definition":
		return true
	}
	return strings.HasSuffix(t, "_statement")
}

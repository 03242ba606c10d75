// Command alt times shell commands in alternation: run i of every command
// before run i+1 of any, so that a machine that slows down or speeds up
// during the measurement (other work, thermal limits, the page cache)
// weighs on all of them alike. It writes the wall-time medians, with the
// CPU time and peak RSS of each command, as JSON that bench/summary reads:
//
//	go run ./bench/alt -runs 5 -warmup 1 -out whole.json rg='rg -c mlflow dir' lint='mlflowlint dir'
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"time"
)

// result is one command's measurement; Command and Median are the fields
// bench/summary reads.
type result struct {
	Command   string    `json:"command"`
	Shell     string    `json:"shell"`
	Median    float64   `json:"median"`
	Times     []float64 `json:"times"`
	CPUMedian float64   `json:"cpu_median"`
	MaxRSSKB  int64     `json:"max_rss_kb"`
}

// runOnce runs a shell command with its output discarded and returns its
// wall time, CPU time (user and system, children included) and peak RSS.
func runOnce(shell string) (wall, cpu time.Duration, rssKB int64, err error) {
	cmd := exec.Command("sh", "-c", shell)
	cmd.Stdout = nil
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	err = cmd.Run()
	wall = time.Since(start)
	if ps := cmd.ProcessState; ps != nil {
		cpu = ps.UserTime() + ps.SystemTime()
		if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
			rssKB = ru.Maxrss
		}
	}
	if err != nil {
		err = fmt.Errorf("%s: %v\n%s", shell, err, stderr.String())
	}
	return wall, cpu, rssKB, err
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func main() {
	runs := flag.Int("runs", 5, "timed runs of each command")
	warmup := flag.Int("warmup", 1, "untimed runs of each command first")
	out := flag.String("out", "", "JSON file to write")
	flag.Parse()
	if *runs < 1 || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: alt [-runs N] [-warmup N] -out FILE NAME=COMMAND ...")
		os.Exit(2)
	}
	var results []*result
	for _, arg := range flag.Args() {
		name, shell, ok := strings.Cut(arg, "=")
		if !ok || name == "" {
			fmt.Fprintf(os.Stderr, "alt: %q is not NAME=COMMAND\n", arg)
			os.Exit(2)
		}
		results = append(results, &result{Command: name, Shell: shell})
	}
	cpus := make([][]float64, len(results))
	for i := 0; i < *warmup+*runs; i++ {
		for k, r := range results {
			wall, cpu, rss, err := runOnce(r.Shell)
			if err != nil {
				fmt.Fprintln(os.Stderr, "alt:", err)
				os.Exit(1)
			}
			if i < *warmup {
				continue
			}
			r.Times = append(r.Times, wall.Seconds())
			cpus[k] = append(cpus[k], cpu.Seconds())
			r.MaxRSSKB = max(r.MaxRSSKB, rss)
		}
	}
	for k, r := range results {
		r.Median = median(r.Times)
		r.CPUMedian = median(cpus[k])
		fmt.Fprintf(os.Stderr, "  %-24s median %.3f s (min %.3f, max %.3f), cpu %.3f s, peak RSS %.1f MB\n",
			r.Command, r.Median, slices.Min(r.Times), slices.Max(r.Times), r.CPUMedian, float64(r.MaxRSSKB)/1024)
	}
	data, err := json.MarshalIndent(map[string]any{"results": results}, "", "  ")
	if err == nil && *out != "" {
		err = os.WriteFile(*out, append(data, '\n'), 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "alt:", err)
		os.Exit(1)
	}
}

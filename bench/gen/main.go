// Command gen writes MLflow-heavy Python modules for the benchmark corpus.
// The output depends only on -n and -seed:
//
//	go run ./bench/gen -out bench/corpus/mlflow -n 350 -seed 1
//
// The generator itself is package gencorpus, which benchmarks import.
//
// Each module mixes ordinary code (helpers, classes, pandas, argparse) with
// MLflow 2.9-era usage: imports under many aliases, evaluate with
// custom_metrics and baseline_model, MetricThreshold(higher_is_better=...),
// run.info.run_uuid, log_model(artifact_path=...), mlflow.fastai, removed
// modules, registry stages, and lookalikes that are not MLflow's.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/mlflowlint/mlflowlint/bench/gen/gencorpus"
)

func main() {
	out := flag.String("out", "", "output directory (created; existing files with the same names are overwritten)")
	n := flag.Int("n", 350, "number of modules")
	seed := flag.Int64("seed", 1, "seed")
	flag.Parse()
	if *out == "" || *n < 0 {
		flag.Usage()
		os.Exit(2)
	}
	files := gencorpus.Generate(*seed, *n)
	if err := gencorpus.Write(*out, files); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	var size int
	for _, f := range files {
		size += len(f.Data)
	}
	fmt.Printf("gen: wrote %d files, %d bytes to %s\n", len(files), size, *out)
}

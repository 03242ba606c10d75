// Package gencorpus generates the MLflow-heavy Python modules of the
// benchmark corpus (see bench/README.md): the same seed and count give the
// same bytes on any Go release.
package gencorpus

import (
	"fmt"
	"os"
	"path/filepath"
)

// File is one generated Python module, Path relative to the output directory.
type File struct {
	Path string
	Data []byte
}

var (
	projects = []string{"forecasting", "recsys", "risk-models", "ml-platform", "growth", "nlp-service", "vision-lab"}
	subdirs  = []string{"training", "evaluation", "pipelines", "jobs", "notebooks_export", "serving", "utils"}
	// alwaysStd and alwaysThird are the imports the generated code relies on.
	alwaysStd = []string{"import argparse", "import functools", "import json", "import logging", "import os",
		"import sys", "import time", "from dataclasses import dataclass, field", "from pathlib import Path",
		"from typing import Any, Dict, Iterable, List, Optional, Tuple"}
	alwaysThird = []string{"import numpy as np", "import pandas as pd",
		"from sklearn.ensemble import RandomForestClassifier",
		"from sklearn.metrics import accuracy_score, f1_score",
		"from sklearn.model_selection import train_test_split"}
)

// Generate returns n modules for seed. The same (seed, n) gives the same bytes,
// and module i does not depend on n.
func Generate(seed int64, n int) []File {
	out := make([]File, n)
	for i := range out {
		out[i] = generateOne(seed, i)
	}
	return out
}

func generateOne(seed int64, i int) File {
	r := newRNG(seed, uint64(i))
	p := newPyfile(r)

	// Sizes follow a long tail: many short scripts, some long modules.
	var nPlain int
	switch k := r.intn(100); {
	case k < 45:
		nPlain = r.between(1, 5)
	case k < 85:
		nPlain = r.between(5, 14)
	case k < 97:
		nPlain = r.between(14, 35)
	default:
		nPlain = r.between(35, 70)
	}
	fams := []int{i % len(families)}
	for j, n := 0, r.between(1, 5); j < n; j++ {
		fams = append(fams, r.intn(len(families)))
	}
	// Interleave: the MLflow blocks land at random places among the plain ones.
	kinds := make([]int, 0, nPlain+len(fams))
	for j := 0; j < nPlain; j++ {
		kinds = append(kinds, -1)
	}
	kinds = append(kinds, fams...)
	for j := len(kinds) - 1; j > 0; j-- {
		k := r.intn(j + 1)
		kinds[j], kinds[k] = kinds[k], kinds[j]
	}

	var body buf
	body.line("LOGGER = logging.getLogger(__name__)")
	body.line("DEFAULT_SEED = %d", r.between(0, 99999))
	body.line("DATA_DIR = Path(os.environ.get(\"DATA_DIR\", %q))", "/data/"+r.pick(subjects))
	body.line("")
	body.line("")
	for _, k := range kinds {
		if k < 0 {
			p.plainBlock(&body)
			continue
		}
		families[k].write(p, &body)
		body.line("")
		body.line("")
	}
	body.lines(`
def main(argv: Optional[List[str]] = None) -> int:
    logging.basicConfig(level=logging.INFO)
    LOGGER.info("starting %s with seed %d", __file__, DEFAULT_SEED)
    frame = pd.read_csv(DATA_DIR / "train.csv")
    LOGGER.info("loaded %d rows", len(frame))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))`)

	std := append([]string(nil), alwaysStd...)
	if r.chance(40) {
		std = append(std, r.pick([]string{"import random", "import itertools", "import hashlib", "import tempfile"}))
	}
	doc := fmt.Sprintf("%s %s for the %s model.", title(r.pick(verbs)), r.pick(nouns), r.pick(subjects))
	src := p.header(doc, std, alwaysThird) + "\n" + body.sb.String()

	path := fmt.Sprintf("%s/%s/%s_%s_%03d.py", projects[i%len(projects)], r.pick(subdirs),
		r.pick(verbs), r.pick(subjects), i)
	return File{Path: path, Data: []byte(src)}
}

// Write writes files under dir, creating directories as needed.
func Write(dir string, files []File) error {
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

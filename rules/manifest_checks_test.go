package rules_test

import (
	"testing"

	"github.com/mlflowlint/mlflowlint/analyzer/analysistest"
)

// TestManifestChecksPerTarget: the manifest rules check a text once per
// run and target; the same requirements file read at two targets in one
// process gets each target's findings (mlflow<3.1 admits 3.0.1 but not
// 3.15), and a notebook's pip line the same.
func TestManifestChecksPerTarget(t *testing.T) {
	req := []byte("mlflow<3.1\n")
	nb := []byte(`{"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": null, "source": ["%pip install 'mlflow<3.1'\n"]}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}`)
	for _, tc := range []struct {
		name string
		src  []byte
	}{{"requirements.txt", req}, {"setup.ipynb", nb}} {
		for _, run := range []struct {
			target string
			want   int
		}{{"3.15", 1}, {"3.0.1", 0}, {"3.15", 1}} {
			res, _, err := analysistest.Analyze(setup(run.target), tc.name, tc.src, false, false)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, f := range res.Findings {
				if f.Code == "MLF040" {
					n++
				}
			}
			if n != run.want {
				t.Errorf("%s at %s: %d MLF040 findings, want %d", tc.name, run.target, n, run.want)
			}
		}
	}
}

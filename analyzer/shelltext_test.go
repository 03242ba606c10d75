package analyzer

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/mlflowlint/mlflowlint/parser"
)

func TestShellText(t *testing.T) {
	cell := func(src ...string) map[string]any {
		return map[string]any{"cell_type": "code", "metadata": map[string]any{}, "outputs": []any{}, "execution_count": nil, "source": src}
	}
	raw, err := json.Marshal(map[string]any{
		"cells": []any{
			cell("import os\n", "!mlflow run . \\\n", "  --no-conda\n", "s = \"\"\"\n", "!not a shell line\n", "\"\"\""),
			cell("%%bash\n", "mlflow server --port 5000"),
			cell("%%writefile x.sh\n", "mlflow ui"),
		},
		"metadata": map[string]any{}, "nbformat": 4, "nbformat_minor": 5,
	})
	if err != nil {
		t.Fatal(err)
	}
	nb, err := parser.ParseNotebook(raw)
	if err != nil {
		t.Fatal(err)
	}
	got := shellText(nb, nb.Original(), nb.Src)
	if len(got) != len(nb.Src) {
		t.Fatalf("length %d, want %d", len(got), len(nb.Src))
	}
	// Blank out runs of spaces to compare what was kept.
	kept := strings.Fields(string(got))
	want := []string{"mlflow", "run", ".", "\\", "--no-conda", "mlflow", "server", "--port", "5000"}
	if strings.Join(kept, " ") != strings.Join(want, " ") {
		t.Errorf("kept %q, want %q", kept, want)
	}
	// Offsets are those of the virtual source.
	if i := strings.Index(string(got), "mlflow server"); string(nb.Original()[i:i+13]) != "mlflow server" {
		t.Errorf("offset %d does not hold the command in the virtual source", i)
	}
}

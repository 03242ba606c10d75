package parser

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestIsDatabricksExport(t *testing.T) {
	cases := map[string]bool{
		"# Databricks notebook source\nimport mlflow\n":     true,
		"\xEF\xBB\xBF# Databricks notebook source\nx = 1\n": true,
		"# Databricks notebook source\r\nx = 1\r\n":         true,
		"# Databricks notebook source":                      true,
		"# Databricks notebook source  \n":                  true,
		"import mlflow\n# Databricks notebook source\n":     false,
		"#Databricks notebook source\n":                     false,
		" # Databricks notebook source\n":                   false,
		"# Databricks notebook source code for training\n":  false,
		"": false,
	}
	for src, want := range cases {
		if got := IsDatabricksExport([]byte(src)); got != want {
			t.Errorf("IsDatabricksExport(%q) = %v", src, got)
		}
	}
}

func TestMaskDatabricks(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"pip", "%pip install x\nimport y\n", "#             \nimport y\n"},
		{"shell", "!ls /dbfs\n", "#        \n"},
		{"run", "%run ./helpers", "#             "},
		{"indented", "if a:\n    %cd /tmp\n    b = 1\n", "if a:\n    #       \n    b = 1\n"},
		{"continued", "!pip install a \\\n  b\nc = 1\n", "#               \n#  \nc = 1\n"},
		{"magic comments stay", "# MAGIC %pip install x\n# MAGIC %sql SELECT 1\n", "# MAGIC %pip install x\n# MAGIC %sql SELECT 1\n"},
		{"modulo", "v = (10\n     % 3)\n", "v = (10\n     % 3)\n"},
		{"in string", "s = \"\"\"\n%not\n!this\n\"\"\"\n", "s = \"\"\"\n%not\n!this\n\"\"\"\n"},
		{"help is python here", "x?\n?y\n", "x?\n?y\n"},
		{"crlf", "%pip install x\r\ny = 1\r\n", "#             \r\ny = 1\r\n"},
		{"non-ascii", "!echo é\n", "#       \n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, _ := MaskDatabricks([]byte(tc.src))
			if string(got) != tc.want {
				t.Fatalf("MaskDatabricks(%q)\n got %q\nwant %q", tc.src, got, tc.want)
			}
		})
	}
}

func TestDatabricksExportFile(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "notebooks", "databricks_export.py"))
	if err != nil {
		t.Fatal(err)
	}
	if !IsDatabricksExport(src) {
		t.Fatal("export not recognised")
	}
	orig := bytes.Clone(src)
	masked, pip := MaskDatabricks(src)
	if !bytes.Equal(src, orig) {
		t.Fatal("MaskDatabricks changed its input")
	}
	if len(masked) != len(src) || bytes.Count(masked, []byte{'\n'}) != bytes.Count(src, []byte{'\n'}) {
		t.Fatalf("length or lines changed")
	}
	// every line keeps its length, so lines and columns need no mapping
	ol, ml := strings.Split(string(src), "\n"), strings.Split(string(masked), "\n")
	for i := range ol {
		if len(ol[i]) != len(ml[i]) {
			t.Errorf("line %d: %q became %q", i+1, ol[i], ml[i])
		}
	}
	for _, gone := range []string{"%pip install mlflow-skinny", "!ls", "%run"} {
		if bytes.Contains(masked, []byte(gone)) {
			t.Errorf("%q still present", gone)
		}
	}
	if n, regions := syntaxErrors(t, masked); n != 0 {
		t.Fatalf("%d syntax errors in masked export at %v:\n%s", n, regions, masked)
	}
	if got := DatabricksCells(src); len(got) != 4 || got[0] != 1 || got[1] != 5 || got[2] != 10 || got[3] != 18 {
		t.Fatalf("DatabricksCells = %v", got)
	}
	starts := DatabricksCells(src)
	for line, cell := range map[int]int{1: 1, 4: 1, 5: 2, 9: 2, 12: 3, 18: 4, 21: 4} {
		if got := DatabricksCell(starts, line); got != cell {
			t.Errorf("DatabricksCell(line %d) = %d, want %d", line, got, cell)
		}
	}
	want := []PipLine{
		{Cell: 2, Line: 7, Text: "# MAGIC %pip install 'mlflow<3' \\\n# MAGIC   scikit-learn", Command: "pip install 'mlflow<3' scikit-learn"},
		{Cell: 3, Line: 12, Text: "%pip install mlflow-skinny==2.9.2", Command: "pip install mlflow-skinny==2.9.2"},
	}
	if len(pip) != len(want) {
		t.Fatalf("pip lines %+v", pip)
	}
	for i, w := range want {
		p := pip[i]
		if p.Cell != w.Cell || p.Line != w.Line || p.Text != w.Text || p.Command != w.Command {
			t.Errorf("pip %d = %+v, want %+v", i, p, w)
		}
		if !strings.HasPrefix(string(src[p.Offset:]), p.Text) {
			t.Errorf("pip %d: Offset %d does not point at its text", i, p.Offset)
		}
	}
	if got := strings.Join(pip[0].Args(), " "); got != "mlflow<3 scikit-learn" {
		t.Errorf("Args = %q", got)
	}
}

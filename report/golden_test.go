package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/mlflowlint/mlflowlint/analyzer"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// schemaFile is the shipped SARIF schema: the checkout sits beside the
// shared folder, locally and in CI.
const schemaFile = "../../shared/schemas/sarif-schema-2.1.0.json"

func schemaPath(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat(schemaFile); err != nil {
		t.Fatalf("the SARIF schema must be at %s (a shared/ folder beside the checkout): %v", schemaFile, err)
	}
	return schemaFile
}

func render(t *testing.T, res *analyzer.Result, opt Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, res, opt); err != nil {
		t.Fatalf("Write(%q): %v", opt.Format, err)
	}
	return buf.Bytes()
}

type goldenCase struct {
	name string
	res  func(*testing.T) *analyzer.Result
	opt  func(*Options)
}

func emptyResult(*testing.T) *analyzer.Result { return &analyzer.Result{Files: 12, Parsed: 4} }

var goldenCases = []goldenCase{
	{"full", fixtureResult, func(o *Options) {}},
	{"full_color", fixtureResult, func(o *Options) { o.Color = true }},
	{"full_unsafe", fixtureResult, func(o *Options) { o.UnsafeFixes = true }},
	{"full_fixmode", fixtureResult, func(o *Options) { o.FixMode = true }},
	{"concise", fixtureResult, func(o *Options) { o.Format = "concise" }},
	{"statistics", fixtureResult, func(o *Options) { o.Format = "concise"; o.Statistics = true }},
	{"statistics_json", fixtureResult, func(o *Options) { o.Format = "json"; o.Statistics = true }},
	{"json", fixtureResult, func(o *Options) { o.Format = "json" }},
	{"sarif", fixtureResult, func(o *Options) { o.Format = "sarif" }},
	{"markdown", fixtureResult, func(o *Options) { o.Format = "markdown" }},
	{"markdown_fixmode", fixtureResult, func(o *Options) { o.Format = "markdown"; o.FixMode = true; o.UnsafeFixes = true }},
	{"github", fixtureResult, func(o *Options) { o.Format = "github" }},
	{"empty_full", emptyResult, func(o *Options) {}},
	{"empty_json", emptyResult, func(o *Options) { o.Format = "json" }},
	{"empty_sarif", emptyResult, func(o *Options) { o.Format = "sarif"; o.SrcRoot = ""; o.Category = "mlflowlint/api" }},
	{"empty_markdown", emptyResult, func(o *Options) { o.Format = "markdown" }},
	{"empty_github", emptyResult, func(o *Options) { o.Format = "github" }},
}

func goldenOutput(t *testing.T, c goldenCase) []byte {
	t.Helper()
	opt := fixtureOptions()
	c.opt(&opt)
	res := c.res(t)
	if opt.FixMode {
		res.Fixed = 3
	}
	return render(t, res, opt)
}

func TestGolden(t *testing.T) {
	for _, c := range goldenCases {
		t.Run(c.name, func(t *testing.T) {
			got := goldenOutput(t, c)
			path := filepath.Join("testdata", c.name+".golden")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./report -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("output differs from %s (rerun with -update if intended)\n--- got\n%s\n--- want\n%s", path, got, want)
			}
			again := goldenOutput(t, c)
			if !bytes.Equal(got, again) {
				t.Errorf("two runs over the same result gave different bytes")
			}
		})
	}
}

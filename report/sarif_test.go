package report

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/report/sarifcheck"
)

func sarifOf(t *testing.T, res *analyzer.Result, opt Options) []byte {
	t.Helper()
	opt.Format = "sarif"
	return render(t, res, opt)
}

func TestSARIFValidates(t *testing.T) {
	schema := schemaPath(t)
	cases := map[string][]byte{
		"fixture":      sarifOf(t, fixtureResult(t), fixtureOptions()),
		"empty":        sarifOf(t, &analyzer.Result{}, Options{}),
		"unsafe fixes": sarifOf(t, fixtureResult(t), Options{UnsafeFixes: true, ToolVersion: "v0.2.0-dev+abc"}),
		"no rule docs": sarifOf(t, fixtureResult(t), Options{}),
	}
	for name, data := range cases {
		if err := sarifcheck.Validate(data, schema); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

type sarifDoc struct {
	Runs []struct {
		Tool struct {
			Driver struct {
				Version         string `json:"version"`
				SemanticVersion string `json:"semanticVersion"`
				Rules           []struct {
					ID         string         `json:"id"`
					Properties map[string]any `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		AutomationDetails  struct{ ID string }             `json:"automationDetails"`
		ColumnKind         string                          `json:"columnKind"`
		OriginalURIBaseIDs map[string]struct{ URI string } `json:"originalUriBaseIds"`
		Invocations        []map[string]json.RawMessage    `json:"invocations"`
		Results            []map[string]json.RawMessage    `json:"results"`
	} `json:"runs"`
}

func decodeSARIF(t *testing.T, data []byte) sarifDoc {
	t.Helper()
	var d sarifDoc
	if err := json.Unmarshal(data, &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Runs) != 1 {
		t.Fatalf("%d runs", len(d.Runs))
	}
	return d
}

func field[T any](t *testing.T, m map[string]json.RawMessage, key string) T {
	t.Helper()
	var v T
	raw, ok := m[key]
	if !ok {
		t.Fatalf("no %q in %v", key, m)
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("%s: %v", key, err)
	}
	return v
}

type region struct{ StartLine, StartColumn, EndLine, EndColumn int }

type location struct {
	PhysicalLocation struct {
		ArtifactLocation struct{ URI, URIBaseID string }
		Region           region
	}
}

func TestSARIFContent(t *testing.T) {
	data := sarifOf(t, fixtureResult(t), fixtureOptions())
	if strings.Contains(string(data), "partialFingerprints") || strings.Contains(string(data), "security-severity") {
		t.Errorf("SARIF must carry neither partialFingerprints nor security-severity")
	}
	run := decodeSARIF(t, data).Runs[0]
	if got := len(run.Tool.Driver.Rules); got != len(fixtureDocs()) {
		t.Errorf("%d rules, want every rule doc (%d), with or without findings", got, len(fixtureDocs()))
	}
	if run.Tool.Driver.SemanticVersion != "0.1.0" || run.ColumnKind != "utf16CodeUnits" || run.AutomationDetails.ID != "mlflowlint/" {
		t.Errorf("driver/run metadata: %+v %q %q", run.Tool.Driver.SemanticVersion, run.ColumnKind, run.AutomationDetails.ID)
	}
	if u := run.OriginalURIBaseIDs["%SRCROOT%"].URI; u != "file:///home/dev/my%20repo/" {
		t.Errorf("originalUriBaseIds %q", u)
	}
	if len(run.Results) != 8 {
		t.Fatalf("%d results, want 8 (suppressed included)", len(run.Results))
	}
	suppressed := 0
	for _, r := range run.Results {
		s := field[[]map[string]string](t, r, "suppressions")
		if len(s) == 1 && s[0]["kind"] == "inSource" {
			suppressed++
		} else if len(s) != 0 {
			t.Errorf("suppressions %v", s)
		}
		idx := field[int](t, r, "ruleIndex")
		if run.Tool.Driver.Rules[idx].ID != field[string](t, r, "ruleId") {
			t.Errorf("ruleIndex %d does not name %s", idx, field[string](t, r, "ruleId"))
		}
	}
	if suppressed != 1 {
		t.Errorf("%d suppressed results, want 1", suppressed)
	}
	byURI := func(uri string, line int) map[string]json.RawMessage {
		for _, r := range run.Results {
			loc := field[[]location](t, r, "locations")[0].PhysicalLocation
			if loc.ArtifactLocation.URI == uri && loc.Region.StartLine == line {
				return r
			}
		}
		t.Fatalf("no result at %s:%d", uri, line)
		return nil
	}
	// print("🚀"); ... : the emoji is a surrogate pair, so custom_metrics
	// starts at UTF-16 column 43 (byte column 45, code point column 42).
	emoji := byURI("src/eval.py", 9)
	if got := field[[]location](t, emoji, "locations")[0].PhysicalLocation.Region; got != (region{9, 43, 9, 57}) {
		t.Errorf("emoji region %+v", got)
	}
	fixes := field[[]struct {
		ArtifactChanges []struct {
			Replacements []struct {
				DeletedRegion   region
				InsertedContent struct{ Text string }
			}
		}
	}](t, emoji, "fixes")
	if rep := fixes[0].ArtifactChanges[0].Replacements[0]; rep.DeletedRegion != (region{9, 43, 9, 57}) || rep.InsertedContent.Text != "extra_metrics" {
		t.Errorf("fix replacement %+v", rep)
	}
	if _, ok := byURI("src/my%20project/log.py", 3)["fixes"]; ok {
		t.Errorf("an unsafe fix was emitted as a SARIF fix")
	}
	if lvl := field[string](t, byURI("src/my%20project/log.py", 3), "level"); lvl != "warning" {
		t.Errorf("deprecation level %q", lvl)
	}
	multi := field[[]location](t, byURI("src/eval.py", 12), "locations")[0].PhysicalLocation.Region
	if multi != (region{12, 34, 13, 23}) {
		t.Errorf("multi-line region %+v", multi)
	}
	nb := byURI("notebooks/explore.ipynb", 27)
	if got := field[[]location](t, nb, "locations")[0].PhysicalLocation.Region; got != (region{27, 43, 27, 57}) {
		t.Errorf("notebook raw region %+v", got)
	}
	if p := field[map[string]int](t, nb, "properties"); p["cell"] != 3 || p["cellLine"] != 2 || p["cellColumn"] != 38 {
		t.Errorf("notebook properties %v", p)
	}
	if msg := field[sarifText](t, nb, "message").Text; !strings.Contains(msg, "cell 3, line 2, column 38") ||
		!strings.HasPrefix(msg, "`custom_metrics` is no longer accepted") {
		t.Errorf("notebook message %q", msg)
	}
	if _, ok := nb["fixes"]; ok {
		t.Errorf("notebook results must not carry fixes in cell coordinates")
	}
	notes := field[[]sarifNotification](t, run.Invocations[0], "toolExecutionNotifications")
	if len(notes) != 1 || notes[0].Level != "error" || notes[0].Locations[0].PhysicalLocation.ArtifactLocation.URI != "src/broken.py" {
		t.Errorf("file errors as notifications: %+v", notes)
	}
}

func TestSARIFUnknownCodeAndCategory(t *testing.T) {
	f := analyzer.Finding{Code: "MLF777", Path: "a.py", Message: "gone", Src: analyzer.NewSource(0, "x"),
		Start: analyzer.Position{Line: 1, Col: 1}, End: analyzer.Position{Offset: 1, Line: 1, Col: 2}}
	data := sarifOf(t, &analyzer.Result{Findings: []analyzer.Finding{f}},
		Options{Rules: fixtureDocs(), Category: "mlflowlint/backend"})
	if err := sarifcheck.Validate(data, schemaPath(t)); err != nil {
		t.Fatal(err)
	}
	run := decodeSARIF(t, data).Runs[0]
	rules := run.Tool.Driver.Rules
	if last := rules[len(rules)-1]; last.ID != "MLF777" || field[int](t, run.Results[0], "ruleIndex") != len(rules)-1 {
		t.Errorf("a code without a doc needs its own rule entry; rules end with %s", last.ID)
	}
	if run.AutomationDetails.ID != "mlflowlint/backend/" {
		t.Errorf("automationDetails.id %q: the category must stay whole before the last slash", run.AutomationDetails.ID)
	}
	if run.Tool.Driver.Version != "" || run.OriginalURIBaseIDs != nil {
		t.Errorf("unset version/SrcRoot should be left out")
	}
}

// mutate decodes the fixture SARIF, changes it and encodes it again.
func mutate(t *testing.T, change func(run map[string]any)) []byte {
	t.Helper()
	var log map[string]any
	if err := json.Unmarshal(sarifOf(t, fixtureResult(t), fixtureOptions()), &log); err != nil {
		t.Fatal(err)
	}
	change(log["runs"].([]any)[0].(map[string]any))
	data, err := json.Marshal(log)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func firstResult(run map[string]any) map[string]any {
	return run["results"].([]any)[0].(map[string]any)
}

func firstPhysical(run map[string]any) map[string]any {
	return firstResult(run)["locations"].([]any)[0].(map[string]any)["physicalLocation"].(map[string]any)
}

func TestValidateSARIFRejects(t *testing.T) {
	schema := schemaPath(t)
	for _, c := range []struct {
		name, want string
		change     func(run map[string]any)
	}{
		{"ruleIndex disagrees", "ruleIndex", func(run map[string]any) { firstResult(run)["ruleIndex"] = 0.0 }},
		{"ruleIndex out of range", "out of range", func(run map[string]any) { firstResult(run)["ruleIndex"] = 99.0 }},
		{"file URI", "not relative", func(run map[string]any) {
			firstPhysical(run)["artifactLocation"] = map[string]any{"uri": "file:///home/dev/x.py"}
		}},
		{"absolute path", "not relative", func(run map[string]any) {
			firstPhysical(run)["artifactLocation"].(map[string]any)["uri"] = "/home/dev/x.py"
		}},
		{"dot dot", "leaves the source root", func(run map[string]any) {
			firstPhysical(run)["artifactLocation"].(map[string]any)["uri"] = "src/../../x.py"
		}},
		{"space in URI", "uri-reference", func(run map[string]any) {
			firstPhysical(run)["artifactLocation"].(map[string]any)["uri"] = "my project/x.py"
		}},
		{"start line 0", "schema", func(run map[string]any) {
			firstPhysical(run)["region"].(map[string]any)["startLine"] = 0.0
		}},
		{"no end column", "region needs", func(run map[string]any) {
			delete(firstPhysical(run)["region"].(map[string]any), "endColumn")
		}},
		{"security severity", "security-severity", func(run map[string]any) {
			rule := run["tool"].(map[string]any)["driver"].(map[string]any)["rules"].([]any)[0].(map[string]any)
			rule["properties"].(map[string]any)["security-severity"] = "5.0"
		}},
		{"helpUri not absolute", "schema", func(run map[string]any) {
			rule := run["tool"].(map[string]any)["driver"].(map[string]any)["rules"].([]any)[0].(map[string]any)
			rule["helpUri"] = "docs/rules/MLF002.md"
		}},
		{"bad percent escape", "uri-reference", func(run map[string]any) {
			firstPhysical(run)["artifactLocation"].(map[string]any)["uri"] = "src/50%zz.py"
		}},
		{"context outside region", "does not enclose", func(run map[string]any) {
			firstPhysical(run)["contextRegion"] = map[string]any{"startLine": 90.0, "startColumn": 1.0, "endLine": 91.0, "endColumn": 1.0}
		}},
		{"no columnKind", "columnKind", func(run map[string]any) { delete(run, "columnKind") }},
		{"no location", "no location", func(run map[string]any) { firstResult(run)["locations"] = []any{} }},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := sarifcheck.Validate(mutate(t, c.change), schema)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("ValidateSARIF = %v, want an error mentioning %q", err, c.want)
			}
		})
	}
	t.Run("two runs", func(t *testing.T) {
		var log map[string]any
		if err := json.Unmarshal(sarifOf(t, fixtureResult(t), fixtureOptions()), &log); err != nil {
			t.Fatal(err)
		}
		runs := log["runs"].([]any)
		log["runs"] = append(runs, runs[0])
		data, _ := json.Marshal(log)
		if err := sarifcheck.Validate(data, schema); err == nil || !strings.Contains(err.Error(), "2 runs") {
			t.Errorf("ValidateSARIF = %v, want a runs error", err)
		}
	})
	t.Run("missing schema", func(t *testing.T) {
		if err := sarifcheck.Validate([]byte("{}"), "testdata/no-such-schema.json"); err == nil {
			t.Errorf("a missing schema file must be an error")
		}
	})
}

// TestSARIFSnippets: a region carries its exact text, and the context
// region the lines around it (CRLF endings kept inside, the last one
// dropped); on a long line the context is a window of that line.
func TestSARIFSnippets(t *testing.T) {
	type region struct {
		StartLine, StartColumn, EndLine, EndColumn int
		Snippet                                    *struct{ Text string }
	}
	type physical struct {
		Region        region
		ContextRegion *region
	}
	locate := func(f analyzer.Finding) physical {
		t.Helper()
		data := sarifOf(t, &analyzer.Result{Findings: []analyzer.Finding{f}}, Options{Rules: fixtureDocs()})
		if err := sarifcheck.Validate(data, schemaPath(t)); err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Runs []struct {
				Results []struct {
					Locations []struct{ PhysicalLocation physical }
				}
			}
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		return doc.Runs[0].Results[0].Locations[0].PhysicalLocation
	}

	// "import mlflow\r\n" and "x = 1\r\n" put line 3 at offset 22;
	// "mlflow.evaluate(m, " is 19 bytes, so the keyword starts at 41.
	src := "import mlflow\r\nx = 1\r\nmlflow.evaluate(m, custom_metrics=c)\r\ny = 2\r\n"
	f := analyzer.Finding{Code: "MLF012", Path: "a.py", Message: "m", Src: analyzer.NewSource(0, src),
		Start: analyzer.Position{Offset: 41, Line: 3, Col: 20}, End: analyzer.Position{Offset: 55, Line: 3, Col: 34}}
	got := locate(f)
	if got.Region.Snippet == nil || got.Region.Snippet.Text != "custom_metrics" {
		t.Errorf("region snippet %+v, want custom_metrics", got.Region.Snippet)
	}
	want := region{StartLine: 2, StartColumn: 1, EndLine: 4, EndColumn: 6,
		Snippet: &struct{ Text string }{"x = 1\r\nmlflow.evaluate(m, custom_metrics=c)\r\ny = 2"}}
	if c := got.ContextRegion; c == nil || c.Snippet == nil || c.StartLine != want.StartLine || c.StartColumn != want.StartColumn ||
		c.EndLine != want.EndLine || c.EndColumn != want.EndColumn || c.Snippet.Text != want.Snippet.Text {
		t.Errorf("context region %+v, want %+v", c, want)
	}

	// 2,413 bytes on one line: the finding at byte 1200 gets a context of
	// bytes 1160..1253, 40 either side.
	line := strings.Repeat("a + ", 300) + "mlflow.fastai" + strings.Repeat(" + b", 300)
	f = analyzer.Finding{Code: "MLF002", Path: "a.py", Message: "m", Src: analyzer.NewSource(0, line),
		Start: analyzer.Position{Offset: 1200, Line: 1, Col: 1201}, End: analyzer.Position{Offset: 1213, Line: 1, Col: 1214}}
	got = locate(f)
	if c := got.ContextRegion; c == nil || c.Snippet == nil || c.StartLine != 1 || c.EndLine != 1 ||
		c.StartColumn != 1161 || c.EndColumn != 1254 || c.Snippet.Text != line[1160:1253] {
		t.Errorf("long-line context region %+v", c)
	}

	// A region longer than the bound gets no snippet at all.
	f.End = analyzer.Position{Offset: len(line), Line: 1, Col: len(line) + 1}
	if got = locate(f); got.Region.Snippet != nil || got.ContextRegion != nil {
		t.Errorf("a %d-byte region got snippets: %+v", len(line)-1200, got)
	}
}

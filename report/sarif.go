package report

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/mlflowlint/mlflowlint/analyzer"
)

const (
	sarifSchemaURI  = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion    = "2.1.0"
	informationURI  = "https://github.com/mlflowlint/mlflowlint"
	srcRootBaseID   = "%SRCROOT%"
	defaultCategory = "mlflowlint/"
	maxRuleTags     = 20 // GitHub rejects more tags per rule
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                        `json:"tool"`
	AutomationDetails  sarifAutomation                  `json:"automationDetails"`
	ColumnKind         string                           `json:"columnKind"`
	OriginalURIBaseIDs map[string]sarifArtifactLocation `json:"originalUriBaseIds,omitempty"`
	Invocations        []sarifInvocation                `json:"invocations"`
	Results            []sarifResult                    `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name            string      `json:"name"`
	Version         string      `json:"version,omitempty"`
	SemanticVersion string      `json:"semanticVersion,omitempty"`
	InformationURI  string      `json:"informationUri"`
	Rules           []sarifRule `json:"rules"`
}

type sarifAutomation struct {
	ID string `json:"id"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifMultiformat struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string           `json:"id"`
	Name                 string           `json:"name,omitempty"`
	ShortDescription     sarifText        `json:"shortDescription"`
	FullDescription      sarifText        `json:"fullDescription"`
	Help                 sarifMultiformat `json:"help"`
	HelpURI              string           `json:"helpUri,omitempty"`
	DefaultConfiguration sarifRuleConfig  `json:"defaultConfiguration"`
	Properties           sarifRuleProps   `json:"properties"`
}

type sarifRuleConfig struct {
	Level string `json:"level"`
}

type sarifRuleProps struct {
	Tags            []string `json:"tags,omitempty"`
	Precision       string   `json:"precision"`
	ProblemSeverity string   `json:"problem.severity"`
}

type sarifResult struct {
	RuleID       string             `json:"ruleId"`
	RuleIndex    int                `json:"ruleIndex"`
	Level        string             `json:"level"`
	Message      sarifText          `json:"message"`
	Locations    []sarifLocation    `json:"locations"`
	Fixes        []sarifFix         `json:"fixes,omitempty"`
	Suppressions []sarifSuppression `json:"suppressions"`
	Properties   *sarifCellProps    `json:"properties,omitempty"`
}

type sarifCellProps struct {
	Cell       int `json:"cell"`
	CellLine   int `json:"cellLine"`
	CellColumn int `json:"cellColumn"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           *sarifRegion          `json:"region,omitempty"`
	ContextRegion    *sarifRegion          `json:"contextRegion,omitempty"`
}

type sarifArtifactLocation struct {
	URI       string `json:"uri,omitempty"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
	EndLine     int `json:"endLine"`
	EndColumn   int `json:"endColumn"`
	// Snippet is the region's text, when it is short enough to include.
	Snippet *sarifText `json:"snippet,omitempty"`
}

type sarifFix struct {
	Description     sarifText             `json:"description"`
	ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
}

type sarifArtifactChange struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Replacements     []sarifReplacement    `json:"replacements"`
}

type sarifReplacement struct {
	DeletedRegion   sarifRegion `json:"deletedRegion"`
	InsertedContent *sarifText  `json:"insertedContent,omitempty"`
}

type sarifSuppression struct {
	Kind string `json:"kind"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
}

var semverRE = regexp.MustCompile(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$`)

// sarif writes one SARIF 2.1.0 log with a single run.
func (r *renderer) sarif(buf *bytes.Buffer) error {
	rules, index := r.sarifRules()
	driver := sarifDriver{Name: "mlflowlint", InformationURI: informationURI, Rules: rules}
	if v := r.opt.ToolVersion; v != "" {
		driver.Version = v
		if s := strings.TrimPrefix(v, "v"); semverRE.MatchString(s) {
			driver.SemanticVersion = s
		}
	}
	run := sarifRun{
		Tool:              sarifTool{Driver: driver},
		AutomationDetails: sarifAutomation{ID: automationID(r.opt.Category)},
		ColumnKind:        "utf16CodeUnits",
		Invocations:       []sarifInvocation{r.sarifInvocation()},
		Results:           []sarifResult{},
	}
	if r.opt.SrcRoot != "" {
		run.OriginalURIBaseIDs = map[string]sarifArtifactLocation{srcRootBaseID: {URI: fileURI(r.opt.SrcRoot)}}
	}
	// The log is encoded with no result, and the results are encoded one
	// by one into its empty list, as encodeJSON would lay them out: the
	// whole list never exists twice in memory (as structs, then as JSON,
	// then indented), which for 100,000 findings is most of a run's memory.
	var doc bytes.Buffer
	if err := encodeJSON(&doc, sarifLog{Schema: sarifSchemaURI, Version: sarifVersion, Runs: []sarifRun{run}}); err != nil {
		return err
	}
	const empty = "\n      \"results\": []"
	head, tail, ok := bytes.Cut(doc.Bytes(), []byte(empty))
	if !ok {
		return fmt.Errorf("SARIF: no results list in the encoded log")
	}
	buf.Write(head)
	buf.WriteString(empty[:len(empty)-1])
	var one bytes.Buffer
	enc := json.NewEncoder(&one)
	enc.SetEscapeHTML(false)
	enc.SetIndent("        ", "  ")
	for i := range r.res.Findings {
		f := &r.res.Findings[i]
		one.Reset()
		if err := enc.Encode(r.sarifResult(f, index[f.Code])); err != nil {
			return err
		}
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteString("\n        ")
		buf.Write(bytes.TrimSuffix(one.Bytes(), []byte{'\n'}))
	}
	if len(r.res.Findings) > 0 {
		buf.WriteString("\n      ")
	}
	buf.WriteByte(']')
	buf.Write(tail)
	return nil
}

// automationID is the run's automationDetails.id. GitHub reads everything
// before the last "/" as the analysis category, so the id always ends in
// "/": the category is then exactly what the user chose.
func automationID(category string) string {
	if category == "" {
		category = defaultCategory
	}
	if !strings.HasSuffix(category, "/") {
		category += "/"
	}
	return category
}

// sarifRules builds the driver's rules from every rule doc, sorted by code,
// plus a minimal entry for any finding whose code has no doc.
func (r *renderer) sarifRules() ([]sarifRule, map[string]int) {
	docs := slices.Clone(r.opt.Rules)
	slices.SortStableFunc(docs, func(a, b analyzer.RuleDoc) int { return cmp.Compare(a.Code, b.Code) })
	docs = slices.CompactFunc(docs, func(a, b analyzer.RuleDoc) bool { return a.Code == b.Code })
	var extra []analyzer.RuleDoc
	known := map[string]bool{}
	for _, d := range docs {
		known[d.Code] = true
	}
	for _, f := range r.res.Findings {
		if !known[f.Code] {
			known[f.Code] = true
			extra = append(extra, analyzer.RuleDoc{Code: f.Code, Severity: f.Severity})
		}
	}
	slices.SortFunc(extra, func(a, b analyzer.RuleDoc) int { return cmp.Compare(a.Code, b.Code) })
	docs = append(docs, extra...)
	rules := make([]sarifRule, len(docs))
	index := make(map[string]int, len(docs))
	for i := range docs {
		rules[i] = sarifRuleOf(&docs[i])
		index[docs[i].Code] = i
	}
	return rules, index
}

func sarifRuleOf(d *analyzer.RuleDoc) sarifRule {
	short := cmp.Or(d.Title, d.Name, d.Code)
	level := levelOf(d.Severity)
	tags := []string{}
	wanted := d.Tags
	if len(wanted) == 0 {
		wanted = []string{"mlflow", "migration"}
	}
	for _, t := range wanted {
		if t != "" && !slices.Contains(tags, t) && len(tags) < maxRuleTags {
			tags = append(tags, t)
		}
	}
	return sarifRule{
		ID:                   d.Code,
		Name:                 d.Name,
		ShortDescription:     sarifText{Text: short},
		FullDescription:      sarifText{Text: cmp.Or(joinNonEmpty(" ", d.WhatItDoes, d.Why), short)},
		Help:                 sarifMultiformat{Text: helpText(d, short), Markdown: helpMarkdown(d)},
		HelpURI:              d.URL,
		DefaultConfiguration: sarifRuleConfig{Level: level},
		Properties:           sarifRuleProps{Tags: tags, Precision: "very-high", ProblemSeverity: level},
	}
}

func joinNonEmpty(sep string, parts ...string) string {
	var kept []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, sep)
}

// versionNote is "MLflow 3.0 (mlflow/mlflow#15343)" or what is known of it.
func versionNote(d *analyzer.RuleDoc) string {
	if d.Since == "" {
		return ""
	}
	s := "Changed in MLflow " + d.Since
	if d.PR != "" {
		s += " (mlflow/mlflow" + d.PR + ")"
	}
	return s + "."
}

func helpText(d *analyzer.RuleDoc, short string) string {
	var parts []string
	add := func(label, body string) {
		if body = strings.TrimSpace(body); body != "" {
			parts = append(parts, label+body)
		}
	}
	add("", d.WhatItDoes)
	add("Why it breaks: ", d.Why)
	add("Example:\n", d.Example)
	add("Use instead:\n", d.UseInstead)
	add("Fix safety: ", d.FixSafetyText)
	add("", versionNote(d))
	if len(parts) == 0 {
		return short
	}
	return strings.Join(parts, "\n\n")
}

func helpMarkdown(d *analyzer.RuleDoc) string {
	var parts []string
	section := func(title, body string) {
		if body = strings.TrimSpace(body); body != "" {
			parts = append(parts, "## "+title+"\n"+body)
		}
	}
	section("What it does", d.WhatItDoes)
	section("Why it breaks", d.Why)
	if ex := strings.TrimSpace(d.Example); ex != "" {
		section("Example", fenced("python", ex))
	}
	if ui := strings.TrimSpace(d.UseInstead); ui != "" {
		section("Use instead", fenced("python", ui))
	}
	section("Fix safety", d.FixSafetyText)
	if note := versionNoteMarkdown(d); note != "" {
		parts = append(parts, note)
	}
	return strings.Join(parts, "\n\n")
}

// versionNoteMarkdown is versionNote with the pull request linked.
func versionNoteMarkdown(d *analyzer.RuleDoc) string {
	if d.Since == "" {
		return ""
	}
	s := "Changed in MLflow " + d.Since
	if link := prLink(d.PR); link != "" {
		s += " (" + link + ")"
	}
	return s + "."
}

// prLink links an MLflow pull request given as "#15343".
func prLink(pr string) string {
	num := strings.TrimPrefix(pr, "#")
	if num == "" || strings.Trim(num, "0123456789") != "" {
		return pr
	}
	return fmt.Sprintf("[mlflow/mlflow#%s](https://github.com/mlflow/mlflow/pull/%s)", num, num)
}

// fenced wraps code in a fence longer than any backtick run inside it.
func fenced(lang, code string) string {
	fence := "```"
	for strings.Contains(code, fence) {
		fence += "`"
	}
	return fence + lang + "\n" + strings.TrimRight(code, "\n") + "\n" + fence
}

func (r *renderer) sarifInvocation() sarifInvocation {
	inv := sarifInvocation{ExecutionSuccessful: true}
	add := func(level string, e analyzer.FileError) {
		n := sarifNotification{Level: level, Message: sarifText{Text: cmp.Or(e.Message, "problem with "+e.Path)}}
		if e.Path != "" {
			n.Locations = []sarifLocation{{PhysicalLocation: sarifPhysical{ArtifactLocation: r.artifact(e.Path)}}}
		}
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, n)
	}
	for _, e := range r.res.Errors {
		add("error", e)
		if e.Fatal {
			inv.ExecutionSuccessful = false
		}
	}
	for _, e := range r.res.Notes {
		add("note", e)
	}
	return inv
}

func (r *renderer) artifact(p string) sarifArtifactLocation {
	uri, rel := artifactURI(p, r.opt.SrcRoot)
	loc := sarifArtifactLocation{URI: uri}
	if rel {
		loc.URIBaseID = srcRootBaseID
	}
	return loc
}

func (r *renderer) sarifResult(f *analyzer.Finding, ruleIndex int) sarifResult {
	res := sarifResult{
		RuleID:       f.Code,
		RuleIndex:    ruleIndex,
		Level:        levelOf(f.Severity),
		Message:      sarifText{Text: cmp.Or(f.Message, cmp.Or(r.docTitle(f.Code), f.Code))},
		Suppressions: []sarifSuppression{},
	}
	loc := sarifPhysical{ArtifactLocation: r.artifact(f.Path)}
	if f.Cell > 0 {
		col := findingCharCol(f, f.Start)
		res.Message.Text = withCellContext(res.Message.Text, f.Cell, f.Start.Line, col)
		res.Properties = &sarifCellProps{Cell: f.Cell, CellLine: f.Start.Line, CellColumn: col}
		loc.Region = rawRegion(f.Raw, f.RawLine())
	} else {
		loc.Region = findingRegion(f)
		loc.Region.Snippet, loc.ContextRegion = regionSnippets(f)
		if fix, ok := r.sarifFix(f, loc.ArtifactLocation); ok {
			res.Fixes = []sarifFix{fix}
		}
	}
	res.Locations = []sarifLocation{{PhysicalLocation: loc}}
	if f.Suppressed {
		res.Suppressions = []sarifSuppression{{Kind: "inSource"}}
	}
	return res
}

func (r *renderer) docTitle(code string) string {
	if d := r.doc(code); d != nil {
		return d.Title
	}
	return ""
}

// withCellContext appends "(cell N, line L, column C)" to a message, keeping
// its first sentence, the part GitHub shows when space is short, intact.
func withCellContext(msg string, cell, line, col int) string {
	ctx := fmt.Sprintf(" (notebook cell %d, line %d, column %d)", cell, line, col)
	if m, ok := strings.CutSuffix(msg, "."); ok {
		return m + ctx + "."
	}
	return msg + ctx
}

// findingRegion is the finding's span with UTF-16 columns and an exclusive
// end column.
func findingRegion(f *analyzer.Finding) *sarifRegion {
	start, _ := findingUTF16Col(f, f.Start)
	end, _ := findingUTF16Col(f, f.End)
	return normRegion(f.Start.Line, start, f.End.Line, end)
}

// maxSnippet bounds the bytes of a snippet: a region longer than that
// gets none, and a context region shrinks to a window of its line.
const maxSnippet = 1024

// regionSnippets returns the snippet of a finding's region and its context
// region: the lines around it with their text, or, on a long line, a
// window of that line around the finding (see window). Snippets are the
// file's exact text; when that cannot be bounded they are left out.
func regionSnippets(f *analyzer.Finding) (*sarifText, *sarifRegion) {
	text, ok := f.Src.Slice(f.Start.Offset, f.End.Offset)
	if !ok || text == "" || len(text) > maxSnippet {
		return nil, nil
	}
	snippet := &sarifText{Text: text}
	// A context region must be a proper superset of the region.
	if ctx, before, ok := f.Src.Context(f.Start.Offset, f.End.Offset, 1); ok && len(ctx) <= maxSnippet {
		if len(ctx) == len(text) {
			return snippet, nil
		}
		first := f.Start.Line - before
		last := ctx[strings.LastIndexByte(ctx, '\n')+1:]
		return snippet, &sarifRegion{StartLine: first, StartColumn: 1,
			EndLine: first + strings.Count(ctx, "\n"), EndColumn: UTF16Col(last, len(last)+1), Snippet: &sarifText{Text: ctx}}
	}
	line, ok := lineText(f, f.Start.Line)
	lo, hi := f.Start.Col-1, f.End.Col-1
	if !ok || f.End.Line != f.Start.Line || hi > len(line) {
		return snippet, nil
	}
	a, b := window(line, lo, hi)
	if a > lo || b < hi || a == lo && b == hi {
		return snippet, nil
	}
	lineStart := f.Start.Offset - lo
	col := func(c int) int {
		if f.Src.ASCIIBefore(lineStart + c) {
			return c + 1
		}
		return UTF16Col(line, c+1)
	}
	return snippet, &sarifRegion{StartLine: f.Start.Line, StartColumn: col(a), EndLine: f.Start.Line, EndColumn: col(b),
		Snippet: &sarifText{Text: line[a:b]}}
}

func normRegion(sl, sc, el, ec int) *sarifRegion {
	sl, sc, ec = max(sl, 1), max(sc, 1), max(ec, 1)
	if el <= sl {
		el = sl
		ec = max(ec, sc)
	}
	return &sarifRegion{StartLine: sl, StartColumn: sc, EndLine: el, EndColumn: ec}
}

// rawRegion locates a notebook finding in the raw .ipynb text. Only the
// start line's text is known, so an end on another line keeps its byte
// column (exact for ASCII JSON).
func rawRegion(raw *analyzer.RawSpan, text string) *sarifRegion {
	if raw == nil {
		// No raw position: point clearly at the top of the file.
		return normRegion(1, 1, 1, 1)
	}
	start := UTF16Col(text, raw.Start.Col)
	end := raw.End.Col
	if raw.End.Line == raw.Start.Line {
		end = UTF16Col(text, raw.End.Col)
	}
	return normRegion(raw.Start.Line, start, raw.End.Line, end)
}

// sarifFix expresses a safe fix as line/column replacements. Fixes whose
// edits reach lines the finding does not carry are left out rather than
// given columns that could be wrong.
func (r *renderer) sarifFix(f *analyzer.Finding, art sarifArtifactLocation) (sarifFix, bool) {
	if !f.Fixable(false) {
		return sarifFix{}, false
	}
	change := sarifArtifactChange{ArtifactLocation: art}
	for _, e := range f.Fix.Edits {
		sc, ok1 := findingUTF16Col(f, e.Start)
		ec, ok2 := findingUTF16Col(f, e.End)
		if !ok1 || !ok2 {
			return sarifFix{}, false
		}
		rep := sarifReplacement{DeletedRegion: *normRegion(e.Start.Line, sc, e.End.Line, ec)}
		if e.New != "" {
			rep.InsertedContent = &sarifText{Text: e.New}
		}
		change.Replacements = append(change.Replacements, rep)
	}
	return sarifFix{
		Description:     sarifText{Text: cmp.Or(f.Fix.Message, "Apply the suggested change")},
		ArtifactChanges: []sarifArtifactChange{change},
	}, true
}

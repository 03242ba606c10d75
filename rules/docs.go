package rules

import (
	"embed"
	"fmt"
	"sort"
	"strings"

	"github.com/mlflowlint/mlflowlint/analyzer"
)

// Every rule is documented once, in docs/<CODE>.md: a front matter of
// `key: value` lines between `---` fences (code, name, title, severity,
// since, pr, fix, safety, tags), then the sections "What it does", "Why is
// this bad?", "Example", "Use instead" and "Fix safety". `mlflowlint rule`,
// the reports and docs/rules.md are all produced from these files.
//
//go:embed docs/*.md
var docFS embed.FS

// DocsURL is where the rendered rule pages live.
const DocsURL = "https://github.com/mlflowlint/mlflowlint/blob/main/docs/rules.md"

var docs = loadDocs()

func loadDocs() map[string]analyzer.RuleDoc {
	out := map[string]analyzer.RuleDoc{}
	entries, err := docFS.ReadDir("docs")
	if err != nil {
		panic(err)
	}
	for _, e := range entries {
		b, err := docFS.ReadFile("docs/" + e.Name())
		if err != nil {
			panic(err)
		}
		d, err := ParseDoc(string(b))
		if err != nil {
			panic(fmt.Sprintf("rules/docs/%s: %v", e.Name(), err))
		}
		if d.Code+".md" != e.Name() {
			panic(fmt.Sprintf("rules/docs/%s documents %s", e.Name(), d.Code))
		}
		out[d.Code] = d
	}
	return out
}

// Sections are the body sections every rule doc has, in order.
var Sections = []string{"What it does", "Why is this bad?", "Example", "Use instead", "Fix safety"}

// ParseDoc reads one rule doc.
func ParseDoc(s string) (analyzer.RuleDoc, error) {
	var d analyzer.RuleDoc
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if !strings.HasPrefix(s, "---\n") {
		return d, fmt.Errorf("missing front matter")
	}
	fm, body, ok := strings.Cut(s[4:], "\n---\n")
	if !ok {
		return d, fmt.Errorf("unterminated front matter")
	}
	for _, line := range strings.Split(fm, "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			return d, fmt.Errorf("front matter line %q is not key: value", line)
		}
		v = strings.TrimSpace(v)
		switch strings.TrimSpace(k) {
		case "code":
			d.Code = v
		case "name":
			d.Name = v
		case "title":
			d.Title = v
		case "severity":
			d.Severity = analyzer.Severity(v)
		case "since":
			d.Since = v
		case "pr":
			d.PR = v
		case "fix":
			d.FixAvailability = v
		case "safety":
			d.FixSafety = v
		case "tags":
			for _, t := range strings.Split(v, ",") {
				if t = strings.TrimSpace(t); t != "" {
					d.Tags = append(d.Tags, t)
				}
			}
		default:
			return d, fmt.Errorf("unknown front matter key %q", k)
		}
	}
	// A section runs from its "## " line to the next one; its text is
	// sliced from the doc, not copied (every process parses every doc).
	secs := map[string]string{}
	rest := "\n" + body
	for {
		i := strings.Index(rest, "\n## ")
		if i < 0 {
			break
		}
		rest = rest[i+4:]
		name, text, _ := strings.Cut(rest, "\n")
		if j := strings.Index(text, "\n## "); j >= 0 {
			text = text[:j]
		}
		secs[strings.TrimSpace(name)] = strings.TrimSpace(text)
		rest = rest[len(name):]
	}
	for _, name := range Sections {
		if secs[name] == "" {
			return d, fmt.Errorf("%s: missing section %q", d.Code, name)
		}
	}
	d.WhatItDoes, d.Why, d.Example, d.UseInstead, d.FixSafetyText = secs["What it does"], secs["Why is this bad?"], secs["Example"], secs["Use instead"], secs["Fix safety"]
	switch {
	case d.Code == "" || d.Name == "" || d.Title == "" || d.Since == "":
		return d, fmt.Errorf("front matter needs code, name, title and since")
	case d.Severity != analyzer.SeverityError && d.Severity != analyzer.SeverityWarning:
		return d, fmt.Errorf("%s: severity must be error or warning", d.Code)
	case d.FixAvailability != "always" && d.FixAvailability != "sometimes" && d.FixAvailability != "never":
		return d, fmt.Errorf("%s: fix must be always, sometimes or never", d.Code)
	case d.FixAvailability != "never" && d.FixSafety != "safe" && d.FixSafety != "unsafe":
		return d, fmt.Errorf("%s: safety must be safe or unsafe when a fix exists", d.Code)
	}
	if _, err := analyzer.ParseVersion(d.Since); err != nil {
		return d, fmt.Errorf("%s: since: %v", d.Code, err)
	}
	d.URL = DocsURL + "#" + strings.ToLower(d.Code)
	return d, nil
}

// Doc returns the documentation of a rule.
func Doc(code string) (analyzer.RuleDoc, bool) {
	d, ok := docs[code]
	return d, ok
}

// AllDocs returns every rule doc, sorted by code.
func AllDocs() []analyzer.RuleDoc {
	out := make([]analyzer.RuleDoc, 0, len(docs))
	for _, d := range docs {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// analyzerDoc is the Doc string of a rule's analyzer.
func analyzerDoc(code string) string {
	d, ok := docs[code]
	if !ok {
		panic("rules: no docs/" + code + ".md")
	}
	return d.Title + "\n\n" + d.WhatItDoes
}

func docURL(code string) string { return DocsURL + "#" + strings.ToLower(code) }

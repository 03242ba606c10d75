package analyzer

// RuleDoc describes one rule for `mlflowlint rule`, the reports and the
// generated docs. Rules fill it from their doc sections; reports read it.
type RuleDoc struct {
	Code     string   `json:"code"`
	Name     string   `json:"name"`  // kebab-case slug, e.g. "metric-threshold-higher-is-better"
	Title    string   `json:"title"` // one line, lower case, no full stop
	Severity Severity `json:"severity"`
	// Since is the MLflow version whose upgrade breaks the code ("3.0");
	// for MLF2nn rules the version that already removed it ("2.0").
	Since string `json:"since"`
	PR    string `json:"pr,omitempty"` // e.g. "#15343"
	// FixAvailability is "always", "sometimes" or "never"; FixSafety says
	// whether offered fixes are "safe" or "unsafe" ("" when none).
	FixAvailability string   `json:"fix_availability"`
	FixSafety       string   `json:"fix_safety,omitempty"`
	WhatItDoes      string   `json:"what_it_does"`
	Why             string   `json:"why"`
	Example         string   `json:"example"`
	UseInstead      string   `json:"use_instead"`
	FixSafetyText   string   `json:"fix_safety_text"`
	URL             string   `json:"url"`
	Tags            []string `json:"tags,omitempty"`
}

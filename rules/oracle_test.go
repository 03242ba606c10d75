package rules_test

import (
	"testing"

	"github.com/mlflowlint/mlflowlint/oracle"
	"github.com/mlflowlint/mlflowlint/rules"
)

// TestOracleClaims fails when a rule has no claims file with checks (or
// samples) or a reason it cannot be confirmed, and when a claims file names
// a rule that does not exist.
func TestOracleClaims(t *testing.T) {
	claims, err := oracle.Load()
	if err != nil {
		t.Fatal(err)
	}
	byRule := map[string]oracle.Claims{}
	for _, c := range claims {
		byRule[c.Rule] = c
	}
	for _, d := range rules.AllDocs() {
		c, ok := byRule[d.Code]
		if !ok {
			t.Errorf("%s has no oracle/claims/%s.toml", d.Code, d.Code)
			continue
		}
		if len(c.Checks) == 0 && !c.Samples && c.Unconfirmable == "" {
			t.Errorf("%s: claims file has neither checks nor a reason it cannot be confirmed", d.Code)
		}
		delete(byRule, d.Code)
	}
	for rule := range byRule {
		t.Errorf("oracle/claims/%s.toml names no existing rule", rule)
	}
}

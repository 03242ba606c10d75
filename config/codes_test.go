package config

import (
	"errors"
	"testing"
)

var knownCodes = []string{"MLF001", "MLF011", "MLF012", "MLF021", "MLF201", "MLF901", "MLF902"}

func TestCheckCodesValidity(t *testing.T) {
	tests := []struct {
		code  string
		valid bool
	}{
		{"ALL", true},
		{"MLF", true},
		{"MLF0", true},
		{"MLF01", true},
		{"MLF011", true},
		{"MLF9", true},
		{"MLF90", true},
		{"MLF3", false},
		{"MLF0111", false},
		{"MLF013", false},
		{"mlf011", false},
		{"all", false},
		{"", false},
		{"E501", false},
	}
	for _, tt := range tests {
		for _, field := range []string{"select", "ignore", "extend-select", "per-file-ignores"} {
			cfg := &Config{}
			list := []string{"MLF0", tt.code}
			switch field {
			case "select":
				cfg.Select = list
			case "ignore":
				cfg.Ignore = list
			case "extend-select":
				cfg.ExtendSelect = list
			default:
				cfg.PerFileIgnores = map[string][]string{"tests/": list}
			}
			err := cfg.CheckCodes(knownCodes)
			if (err == nil) != tt.valid {
				t.Errorf("%s = %q: CheckCodes = %v, want valid %v", field, tt.code, err, tt.valid)
			}
		}
	}
}

func TestCheckCodesPositions(t *testing.T) {
	const path = "testdata/codes/mlflowlint.toml"
	cfg, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	// Each step fixes the reported code and expects the next one, in file order.
	steps := []struct {
		line, col int
		msg       string
		fix       func()
	}{
		{4, 5, `unknown rule code "MLF404" in ignore`, func() { cfg.Ignore = cfg.Ignore[:1] }},
		{6, 18, `unknown rule code "mlf011" in extend-select`, func() { cfg.ExtendSelect = nil }},
		{9, 24, `unknown rule code "MLF7" in per-file-ignores "tests/**"`, func() { cfg.PerFileIgnores = nil }},
	}
	for _, s := range steps {
		err := cfg.CheckCodes(knownCodes)
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("CheckCodes = %v, want *Error %q", err, s.msg)
		}
		if e.File != path || e.Line != s.line || e.Col != s.col || e.Msg != s.msg {
			t.Errorf("CheckCodes = %s:%d:%d: %s, want %s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg, path, s.line, s.col, s.msg)
		}
		s.fix()
	}
	if err := cfg.CheckCodes(knownCodes); err != nil {
		t.Errorf("CheckCodes after fixing every code = %v", err)
	}

	// A code that did not come from the file (a flag, say) has no position.
	cfg.Select = []string{"MLF0", "MLF999"}
	err = cfg.CheckCodes(knownCodes)
	if err == nil || err.Error() != `unknown rule code "MLF999" in select` {
		t.Errorf("CheckCodes with a replaced select = %v", err)
	}
	var none *Config
	if err := none.CheckCodes(knownCodes); err != nil {
		t.Errorf("nil Config: CheckCodes = %v", err)
	}
}

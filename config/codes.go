package config

import (
	"fmt"
	"strings"
)

// CheckCodes reports the first rule code in select, ignore, extend-select or
// per-file-ignores that names no rule. A code is valid when it is "ALL",
// equals a known code, or is a prefix of at least one ("MLF", "MLF0",
// "MLF01"). Codes read from a file are reported at the line where they were
// written.
func (c *Config) CheckCodes(known []string) error {
	if c == nil {
		return nil
	}
	valid := func(code string) bool {
		if code == "ALL" {
			return true
		}
		if code == "" {
			return false
		}
		for _, k := range known {
			if strings.HasPrefix(k, code) {
				return true
			}
		}
		return false
	}
	check := func(key, glob string, list []string) error {
		for i, code := range list {
			if valid(code) {
				continue
			}
			where := key
			if glob != "" {
				where = fmt.Sprintf("per-file-ignores %q", glob)
			}
			e := &Error{Msg: fmt.Sprintf("unknown rule code %q in %s", code, where)}
			if at, ok := c.codeSite(key, glob, i, code); ok {
				e.File, e.Line, e.Col = c.Path, at.line, at.col
			}
			return e
		}
		return nil
	}
	var errs []*Error
	add := func(err error) {
		if err != nil {
			errs = append(errs, err.(*Error))
		}
	}
	add(check("select", "", c.Select))
	add(check("ignore", "", c.Ignore))
	add(check("extend-select", "", c.ExtendSelect))
	for _, g := range sortedKeys(c.PerFileIgnores) {
		add(check("per-file-ignores", g, c.PerFileIgnores[g]))
	}
	if len(errs) == 0 {
		return nil
	}
	// Report the error written first in the file; ones with no position last.
	first := errs[0]
	for _, e := range errs[1:] {
		if e.Line > 0 && (first.Line == 0 || e.Line < first.Line || e.Line == first.Line && e.Col < first.Col) {
			first = e
		}
	}
	return first
}

// codeSite finds where a code was written, if it still sits where Load read it.
func (c *Config) codeSite(key, glob string, index int, code string) (pos, bool) {
	for _, s := range c.codes {
		if s.key == key && s.glob == glob && s.index == index && s.code == code {
			return s.at, true
		}
	}
	return pos{}, false
}

package manifest

import (
	"fmt"
	"strconv"
	"strings"
)

// Syntax is the constraint language a specifier is written in.
type Syntax int

const (
	// SyntaxPEP440 is a PEP 440 specifier set ("<3,>=2.9").
	SyntaxPEP440 Syntax = iota
	// SyntaxPoetry is a Poetry constraint ("^2.9", "~2.9", "2.9.2",
	// ">=2.9 <3", "^2.9 || ^3.0").
	SyntaxPoetry
	// SyntaxConda is a conda match-spec version ("=2.9.2", "2.9.*",
	// ">=2.9,<3", "=2.9.2=py_0", "2.9.2 py_0").
	SyntaxConda
	// SyntaxPipfile is PEP 440 where "*" means any version.
	SyntaxPipfile
	// SyntaxPythonVersion is a bare version meaning that release series
	// ("3.8" is 3.8.*): Pipfile python_version, a python image tag.
	SyntaxPythonVersion
)

// alternatives turns a specifier in any syntax into PEP 440 specifier sets,
// any of which may admit a version.
func alternatives(syn Syntax, spec string) ([]string, error) {
	spec = strings.TrimSpace(spec)
	switch syn {
	case SyntaxPoetry:
		return poetryAlternatives(spec)
	case SyntaxConda:
		return condaAlternatives(spec)
	case SyntaxPipfile:
		if spec == "*" || spec == "" {
			return []string{""}, nil
		}
		if spec != "" && isDigit(spec[0]) {
			return []string{"==" + spec}, nil
		}
		return []string{spec}, nil
	case SyntaxPythonVersion:
		if spec == "" {
			return []string{""}, nil
		}
		if strings.Count(spec, ".") >= 2 {
			return []string{"==" + spec}, nil
		}
		return []string{"==" + strings.TrimSuffix(spec, ".*") + ".*"}, nil
	}
	return []string{spec}, nil
}

// admitter evaluates a specifier in any syntax against many versions.
type admitter [][]clause

func newAdmitter(syn Syntax, spec string) (admitter, error) {
	alts, err := alternatives(syn, spec)
	if err != nil {
		return nil, err
	}
	var a admitter
	for _, alt := range alts {
		cs, err := parseSpecifierSet(alt)
		if err != nil {
			return nil, err
		}
		a = append(a, cs)
	}
	return a, nil
}

func (a admitter) admits(v version, raw string) bool {
	for _, cs := range a {
		if admitsAll(cs, v, raw) {
			return true
		}
	}
	return false
}

// AdmitsIn is Admits for a specifier written in the given syntax.
func AdmitsIn(syn Syntax, spec, ver string) (bool, error) {
	a, err := newAdmitter(syn, spec)
	if err != nil {
		return false, err
	}
	v, err := parseVersion(ver)
	if err != nil {
		return false, err
	}
	return a.admits(v, ver), nil
}

// poetryAlternatives translates a Poetry constraint: "^X" is
// ">=X,<(X with its first non-zero segment bumped)", "~X" bumps the minor
// (the major when X has one segment), a bare version is exact, "*" is any,
// "||" separates alternatives and commas or spaces join constraints.
func poetryAlternatives(spec string) ([]string, error) {
	var out []string
	for alt := range strings.SplitSeq(spec, "||") {
		var parts []string
		for _, tok := range constraintTokens(alt) {
			p, err := poetryClause(tok)
			if err != nil {
				return nil, err
			}
			if p != "" {
				parts = append(parts, p)
			}
		}
		out = append(out, strings.Join(parts, ","))
	}
	return out, nil
}

// constraintTokens splits "a, b" or "a b" into constraints, keeping an
// operator written apart from its version (">= 2.9") in one token.
func constraintTokens(s string) []string {
	var toks []string
	pending := ""
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		if strings.Trim(f, "<>=!~^") == "" {
			pending += f
			continue
		}
		toks = append(toks, pending+f)
		pending = ""
	}
	if pending != "" {
		toks = append(toks, pending)
	}
	return toks
}

func poetryClause(tok string) (string, error) {
	switch {
	case tok == "*" || tok == "":
		return "", nil
	case strings.HasPrefix(tok, "^"):
		return bumpRange(tok[1:], caretIndex)
	case strings.HasPrefix(tok, "~") && !strings.HasPrefix(tok, "~="):
		return bumpRange(tok[1:], func(rel []int) int { return min(1, len(rel)-1) })
	case strings.HasPrefix(tok, "="):
		if strings.HasPrefix(tok, "==") {
			return tok, nil
		}
		return "=" + tok, nil
	case isDigit(tok[0]):
		return "==" + tok, nil
	}
	return tok, nil
}

// caretIndex is the segment a caret constraint bumps: the first non-zero
// one, or the last when all are zero.
func caretIndex(rel []int) int {
	for i, n := range rel {
		if n != 0 {
			return i
		}
	}
	return len(rel) - 1
}

func bumpRange(text string, index func([]int) int) (string, error) {
	v, err := parseVersion(strings.TrimSuffix(text, ".*"))
	if err != nil {
		return "", fmt.Errorf("invalid constraint %q: %w", text, err)
	}
	i := index(v.release)
	upper := append([]int(nil), v.release[:i+1]...)
	upper[i]++
	return fmt.Sprintf(">=%s,<%s", text, joinInts(upper)), nil
}

func joinInts(ns []int) string {
	var buf [32]byte
	b := buf[:0]
	for i, n := range ns {
		if i > 0 {
			b = append(b, '.')
		}
		b = strconv.AppendInt(b, int64(n), 10)
	}
	return string(b)
}

// condaAlternatives translates a conda version spec: "|" separates
// alternatives, "," joins; "=X" and "X*" match the release series X, a
// bare "X" is exact; a build string ("=X=build", "X build") is dropped.
func condaAlternatives(spec string) ([]string, error) {
	if i := strings.IndexAny(spec, " \t"); i >= 0 {
		spec = spec[:i] // "2.9.2 py_0": the build string
	}
	if strings.HasPrefix(spec, "=") && !strings.HasPrefix(spec, "==") {
		if i := strings.IndexByte(spec[1:], '='); i >= 0 {
			spec = spec[:i+1] // "=2.9.2=py_0"
		}
	}
	var out []string
	for alt := range strings.SplitSeq(spec, "|") {
		var parts []string
		for tok := range strings.SplitSeq(alt, ",") {
			tok = strings.TrimSpace(tok)
			switch {
			case tok == "" || tok == "*":
			case strings.HasPrefix(tok, "=") && !strings.HasPrefix(tok, "=="):
				parts = append(parts, "=="+seriesOf(tok[1:]))
			case isDigit(tok[0]):
				if strings.HasSuffix(tok, "*") {
					parts = append(parts, "=="+seriesOf(tok))
				} else {
					parts = append(parts, "=="+tok)
				}
			default:
				parts = append(parts, strings.TrimSuffix(tok, "*"))
			}
		}
		out = append(out, strings.Join(parts, ","))
	}
	return out, nil
}

// seriesOf turns "2.9", "2.9*" or "2.9.*" into "2.9.*".
func seriesOf(s string) string {
	s = strings.TrimSuffix(strings.TrimSuffix(s, "*"), ".")
	return s + ".*"
}

package analyzer

import (
	"fmt"
	"path"
	"strings"
)

// IgnorePattern is one compiled gitignore-style glob, as written in a
// .gitignore file or in the exclude setting.
type IgnorePattern struct {
	Negate  bool     // leading "!": re-includes
	DirOnly bool     // trailing "/": matches directories only
	segs    []string // slash-separated parts; "**" matches any number of parts
	// kind tells how part i matches a name (segLiteral: by equality,
	// segSuffix: "*" and a literal, by suffix; segGlob: path.Match);
	// after[i] is how many "**" parts follow part i.
	kind  []uint8
	after []int
}

const (
	segLiteral = iota
	segSuffix
	segGlob
)

// CompileIgnorePattern reads a gitignore-style glob. A pattern with a slash before
// its last character is anchored at the root; one without matches a name at
// any depth.
func CompileIgnorePattern(s string) (IgnorePattern, error) {
	var p IgnorePattern
	raw := s
	// Trailing blanks are dropped unless escaped with a backslash.
	for strings.HasSuffix(s, " ") && !strings.HasSuffix(s, `\ `) {
		s = s[:len(s)-1]
	}
	if strings.HasPrefix(s, "!") {
		p.Negate = true
		s = s[1:]
	} else if strings.HasPrefix(s, `\!`) || strings.HasPrefix(s, `\#`) {
		s = s[1:]
	}
	if strings.HasSuffix(s, "/") {
		p.DirOnly = true
		s = strings.TrimRight(s, "/")
	}
	if s == "" {
		return p, fmt.Errorf("empty pattern %q", raw)
	}
	anchored := strings.Contains(s, "/")
	s = strings.TrimPrefix(s, "/")
	if s == "" {
		return p, fmt.Errorf("pattern %q matches the whole root", raw)
	}
	if !anchored {
		p.segs = []string{"**"}
	}
	for _, seg := range strings.Split(s, "/") {
		if seg == "" {
			continue // "a//b" means "a/b"
		}
		if seg != "**" {
			seg = negatedClasses(seg)
			if strings.Contains(seg, "**") {
				// Like git, two stars inside a segment act as one.
				for strings.Contains(seg, "**") {
					seg = strings.ReplaceAll(seg, "**", "*")
				}
			}
			if _, err := path.Match(seg, ""); err != nil {
				return p, fmt.Errorf("invalid glob %q: %v", raw, err)
			}
		}
		// Consecutive "**" parts mean the same as one.
		if seg == "**" && len(p.segs) > 0 && p.segs[len(p.segs)-1] == "**" {
			continue
		}
		p.segs = append(p.segs, seg)
	}
	p.kind = make([]uint8, len(p.segs))
	p.after = make([]int, len(p.segs))
	stars := 0
	for i := len(p.segs) - 1; i >= 0; i-- {
		p.after[i] = stars
		if p.segs[i] == "**" {
			stars++
		}
		switch seg := p.segs[i]; {
		case !strings.ContainsAny(seg, `*?[\`):
			p.kind[i] = segLiteral
		case seg[0] == '*' && !strings.ContainsAny(seg[1:], `*?[\`):
			p.kind[i] = segSuffix
		default:
			p.kind[i] = segGlob
		}
	}
	return p, nil
}

// Match reports whether the pattern matches the path given as its parts
// (relative to where the pattern applies), isDir telling whether the path
// is a directory. Only the path itself is matched, not its ancestors.
func (p IgnorePattern) Match(parts []string, isDir bool) bool {
	if p.DirOnly && !isDir {
		return false
	}
	return p.matchFrom(0, parts)
}

// matchFrom matches the pattern's parts from k on against parts.
func (p IgnorePattern) matchFrom(k int, parts []string) bool {
	for ; k < len(p.segs); k++ {
		if p.segs[k] == "**" {
			if k+1 == len(p.segs) {
				// A trailing "/**" matches everything inside, not the directory itself.
				return len(parts) > 0
			}
			if p.after[k] == 0 {
				// The rest has no "**": it matches exactly as many
				// parts as it has, the last ones.
				i := len(parts) - (len(p.segs) - k - 1)
				return i >= 0 && p.matchFrom(k+1, parts[i:])
			}
			for i := 0; i <= len(parts); i++ {
				if p.matchFrom(k+1, parts[i:]) {
					return true
				}
			}
			return false
		}
		if len(parts) == 0 {
			return false
		}
		switch p.kind[k] {
		case segLiteral:
			if p.segs[k] != parts[0] {
				return false
			}
		case segSuffix:
			// A part holds no slash, so "*" spans any prefix.
			if !strings.HasSuffix(parts[0], p.segs[k][1:]) {
				return false
			}
		default:
			if ok, _ := path.Match(p.segs[k], parts[0]); !ok {
				return false
			}
		}
		parts = parts[1:]
	}
	return len(parts) == 0
}

// negatedClasses writes git's negated character class "[!...]" the way
// path.Match spells it, "[^...]".
func negatedClasses(seg string) string {
	b := []byte(seg)
	for i := 0; i < len(b); i++ {
		switch {
		case b[i] == '\\':
			i++ // an escaped character
		case b[i] == '[' && i+1 < len(b) && b[i+1] == '!':
			b[i+1] = '^'
		}
	}
	return string(b)
}

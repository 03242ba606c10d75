package manifest

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// version is a parsed PEP 440 version. Local labels are kept only to decide
// the few comparisons that look at them and are otherwise ignored.
type version struct {
	epoch   int
	release []int
	// pre is the pre-release phase (0 a, 1 b, 2 rc) and number; hasPre
	// tells whether there is one.
	hasPre  bool
	preKind int
	preNum  int
	hasPost bool
	postNum int
	hasDev  bool
	devNum  int
	local   string
}

// parseVersion reads a PEP 440 version in any of its accepted spellings
// ("v1.0", "1.0-rc.1", "1.0.post2", "1!2.0+local").
func parseVersion(s string) (version, error) {
	var v version
	orig := s
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimPrefix(s, "v")
	if i := strings.IndexByte(s, '+'); i >= 0 {
		v.local = s[i+1:]
		s = s[:i]
		if !validLocal(v.local) {
			return v, fmt.Errorf("invalid version %q", orig)
		}
	}
	if i := strings.IndexByte(s, '!'); i >= 0 {
		n, err := strconv.Atoi(s[:i])
		if err != nil || n < 0 {
			return v, fmt.Errorf("invalid version %q", orig)
		}
		v.epoch = n
		s = s[i+1:]
	}
	// Release segments.
	for {
		n, rest, ok := leadingNumber(s)
		if !ok {
			return v, fmt.Errorf("invalid version %q", orig)
		}
		v.release = append(v.release, n)
		s = rest
		if len(s) > 1 && s[0] == '.' && isDigit(s[1]) {
			s = s[1:]
			continue
		}
		break
	}
	// Pre-release.
	if kind, rest, ok := preLabel(s); ok {
		v.hasPre, v.preKind = true, kind
		n, r := optionalNumber(rest)
		v.preNum, s = n, r
	}
	// Post-release: ".post1", "-1", "rev1", "r1".
	if len(s) > 1 && s[0] == '-' && isDigit(s[1]) {
		n, rest, _ := leadingNumber(s[1:])
		v.hasPost, v.postNum, s = true, n, rest
	} else if rest, ok := label(s, "post", "rev", "r"); ok {
		n, r := optionalNumber(rest)
		v.hasPost, v.postNum, s = true, n, r
	}
	if rest, ok := label(s, "dev"); ok {
		n, r := optionalNumber(rest)
		v.hasDev, v.devNum, s = true, n, r
	}
	if s != "" {
		return version{}, fmt.Errorf("invalid version %q", orig)
	}
	return v, nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// validLocal reports whether s is a local label: runs of ASCII letters and
// digits separated by single ".", "-" or "_".
func validLocal(s string) bool {
	prevSep := true // no separator first
	for i := 0; i < len(s); i++ {
		sep := s[i] == '.' || s[i] == '-' || s[i] == '_'
		if sep && prevSep || !sep && !isAlnum(s[i]) {
			return false
		}
		prevSep = sep
	}
	return !prevSep // nor last, nor an empty label
}

// maxDigits bounds a numeric segment so that it fits an int exactly.
// PEP 440 sets no bound; versions with longer numbers are refused as
// invalid, so their pins are skipped rather than misjudged.
const maxDigits = 18

// leadingNumber reads the decimal number at the start of s.
func leadingNumber(s string) (int, string, bool) {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	digits := strings.TrimLeft(s[:i], "0")
	if i == 0 || len(digits) > maxDigits {
		return 0, s, false
	}
	n, _ := strconv.Atoi(cmp.Or(digits, "0"))
	return n, s[i:], true
}

// optionalNumber reads an optional separator and number after a label; a
// missing number means 0. The separator is taken even when no number
// follows it ("1.0a-" is 1.0a0), since the next label may begin with one
// of its own.
func optionalNumber(s string) (int, string) {
	if s != "" && (s[0] == '.' || s[0] == '-' || s[0] == '_') {
		s = s[1:]
	}
	if n, rest, ok := leadingNumber(s); ok {
		return n, rest
	}
	return 0, s
}

// label matches one of the words at the start of s, after an optional
// separator, and returns what follows.
func label(s string, words ...string) (string, bool) {
	t := s
	if t != "" && (t[0] == '.' || t[0] == '-' || t[0] == '_') {
		t = t[1:]
	}
	for _, w := range words {
		if strings.HasPrefix(t, w) {
			return t[len(w):], true
		}
	}
	return s, false
}

func preLabel(s string) (int, string, bool) {
	// Longer spellings first so "alpha" is not read as "a" + "lpha".
	for _, p := range []struct {
		word string
		kind int
	}{{"alpha", 0}, {"beta", 1}, {"preview", 2}, {"pre", 2}, {"rc", 2}, {"a", 0}, {"b", 1}, {"c", 2}} {
		if rest, ok := label(s, p.word); ok {
			return p.kind, rest, true
		}
	}
	return 0, s, false
}

// isPre reports whether v is a pre-release or a development release.
func (v version) isPre() bool { return v.hasPre || v.hasDev }

// compareRelease compares release segments as if padded with zeros.
func compareRelease(a, b []int) int {
	for i := range max(len(a), len(b)) {
		x, y := 0, 0
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if c := cmp.Compare(x, y); c != 0 {
			return c
		}
	}
	return 0
}

// compareVersions orders public versions as PEP 440 does (local labels
// are not compared).
func compareVersions(a, b version) int {
	if c := cmp.Compare(a.epoch, b.epoch); c != 0 {
		return c
	}
	if c := compareRelease(a.release, b.release); c != 0 {
		return c
	}
	if c := cmp.Compare(preKey(a), preKey(b)); c != 0 {
		return c
	}
	if c := cmp.Compare(postKey(a), postKey(b)); c != 0 {
		return c
	}
	return cmp.Compare(devKey(a), devKey(b))
}

// The keys below follow the PEP 440 ordering: a bare dev release sorts
// before the pre-releases of its version, a final release after them.
func preKey(v version) int {
	switch {
	case v.hasPre:
		return v.preKind*1_000_000_000 + v.preNum
	case v.hasDev && !v.hasPost:
		return math.MinInt
	default:
		return math.MaxInt
	}
}

func postKey(v version) int {
	if v.hasPost {
		return v.postNum
	}
	return -1
}

func devKey(v version) int {
	if v.hasDev {
		return v.devNum
	}
	return math.MaxInt
}

// clause is one comparison of a specifier set.
type clause struct {
	op       string
	ver      version
	raw      string // the version text as written
	wildcard bool   // "==1.2.*" / "!=1.2.*"
}

var operators = []string{"===", "~=", "==", "!=", "<=", ">=", "<", ">"}

// parseSpecifierSet reads a comma-separated PEP 440 specifier set. The
// empty set admits every version.
func parseSpecifierSet(spec string) ([]clause, error) {
	var out []clause
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return nil, nil
	}
	for part := range strings.SplitSeq(spec, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue // as packaging's SpecifierSet does: ">=1.0," is ">=1.0"
		}
		c, err := parseClause(part)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

func parseClause(s string) (clause, error) {
	var c clause
	for _, op := range operators {
		if strings.HasPrefix(s, op) {
			c.op = op
			break
		}
	}
	if c.op == "" {
		return c, fmt.Errorf("invalid specifier %q: missing operator", s)
	}
	c.raw = strings.TrimSpace(s[len(c.op):])
	if c.raw == "" {
		return c, fmt.Errorf("invalid specifier %q: missing version", s)
	}
	if c.op == "===" {
		if strings.ContainsAny(c.raw, " \t\n\r\v\f;)") {
			return c, fmt.Errorf("invalid specifier %q: === takes one word", s)
		}
		return c, nil
	}
	text := c.raw
	if strings.HasSuffix(text, ".*") {
		if c.op != "==" && c.op != "!=" {
			return c, fmt.Errorf("invalid specifier %q: wildcard only allowed with == and !=", s)
		}
		c.wildcard = true
		text = strings.TrimSuffix(text, ".*")
	}
	v, err := parseVersion(text)
	if err != nil {
		return c, fmt.Errorf("invalid specifier %q: %w", s, err)
	}
	if v.local != "" && c.op != "==" && c.op != "!=" {
		return c, fmt.Errorf("invalid specifier %q: local version only allowed with == and !=", s)
	}
	if c.wildcard && (v.local != "" || v.isPre() || v.hasPost) {
		return c, fmt.Errorf("invalid specifier %q: wildcard needs a plain release prefix", s)
	}
	if c.op == "~=" && (len(v.release) < 2 || v.local != "") {
		return c, fmt.Errorf("invalid specifier %q: ~= needs at least two release segments", s)
	}
	c.ver = v
	return c, nil
}

func (c clause) admits(v version, vraw string) bool {
	switch c.op {
	case "===":
		return strings.EqualFold(strings.TrimSpace(vraw), c.raw)
	case "==":
		return c.equal(v)
	case "!=":
		return !c.equal(v)
	case "~=":
		prefix := clause{op: "==", wildcard: true, ver: version{epoch: c.ver.epoch, release: c.ver.release[:len(c.ver.release)-1]}}
		return prefix.equal(v) && compareVersions(v, c.ver) >= 0
	case "<=":
		return compareVersions(v, c.ver) <= 0
	case ">=":
		return compareVersions(v, c.ver) >= 0
	case "<":
		if compareVersions(v, c.ver) >= 0 {
			return false
		}
		if c.ver.isPre() || !sameRelease(v, c.ver) {
			return true
		}
		// "<3.0" admits nothing of the 3.0 family (3.0rc1, 3.0.dev1);
		// "<3.0.post1" excludes only the dev releases of 3.0.post1 itself.
		return c.ver.hasPost && !(v.hasDev && !v.hasPre && v.hasPost && v.postNum == c.ver.postNum)
	case ">":
		if compareVersions(v, c.ver) <= 0 {
			return false
		}
		if c.ver.hasDev || c.ver.hasPost || !sameRelease(v, c.ver) {
			return true
		}
		// ">3.0" and ">3.0rc1" do not admit their own post-releases
		// (3.0.post1, 3.0rc1.post1), which share their pre-release part.
		return v.hasPre != c.ver.hasPre || v.hasPre && (v.preKind != c.ver.preKind || v.preNum != c.ver.preNum)
	}
	return false
}

func sameRelease(a, b version) bool {
	return a.epoch == b.epoch && compareRelease(a.release, b.release) == 0
}

// equal implements == matching: prefix matching for wildcards, zero
// padding, and local labels compared only when the specifier has one.
func (c clause) equal(v version) bool {
	if c.wildcard {
		if v.epoch != c.ver.epoch {
			return false
		}
		n := len(c.ver.release)
		rel := slices.Clone(v.release)
		for len(rel) < n {
			rel = append(rel, 0)
		}
		return slices.Equal(rel[:n], c.ver.release)
	}
	if compareVersions(v, c.ver) != 0 {
		return false
	}
	return c.ver.local == "" || c.ver.local == v.local
}

// Admits reports whether the PEP 440 specifier set spec (for example
// "<3,>=2.9" or "==2.*") admits version. An empty spec admits everything.
// Pre-releases are judged like any other version: the caller names the
// version it asks about, as with pip's --pre.
func Admits(spec string, ver string) (bool, error) {
	clauses, err := parseSpecifierSet(spec)
	if err != nil {
		return false, err
	}
	v, err := parseVersion(ver)
	if err != nil {
		// "===" compares strings, so it can admit a version that is not
		// PEP 440 ("===foobar").
		if len(clauses) > 0 && !slices.ContainsFunc(clauses, func(c clause) bool { return c.op != "===" }) {
			return admitsAll(clauses, v, ver), nil
		}
		return false, err
	}
	return admitsAll(clauses, v, ver), nil
}

func admitsAll(clauses []clause, v version, raw string) bool {
	for _, c := range clauses {
		if !c.admits(v, raw) {
			return false
		}
	}
	return true
}

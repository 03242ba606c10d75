package manifest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// The PEP 440 code is checked against Python's packaging library, the
// reference implementation pip uses, on generated versions and specifier
// sets. .ci/run installs a pinned packaging into a cached virtual
// environment and names its interpreter in MLFLOWLINT_PEP440_PYTHON.

// oraclePython returns a Python interpreter that can import packaging.
func oraclePython(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("MLFLOWLINT_PEP440_PYTHON"); p != "" {
		return p
	}
	if os.Getenv("CI") != "" {
		t.Fatal("MLFLOWLINT_PEP440_PYTHON is not set: in CI, .ci/run creates a virtual environment with packaging and sets it")
	}
	p, err := exec.LookPath("python3")
	if err == nil {
		err = exec.Command(p, "-c", "import packaging.specifiers").Run()
	}
	if err != nil {
		t.Skipf("no python3 with packaging (%v); set MLFLOWLINT_PEP440_PYTHON as .ci/run does", err)
	}
	return p
}

// askPackaging sends the queries to testdata/pep440_oracle.py and returns
// its answers, one per query.
func askPackaging(t *testing.T, queries [][]string) []string {
	t.Helper()
	var in bytes.Buffer
	for _, q := range queries {
		b, err := json.Marshal(q)
		if err != nil {
			t.Fatal(err)
		}
		in.Write(b)
		in.WriteByte('\n')
	}
	cmd := exec.Command(oraclePython(t), "testdata/pep440_oracle.py")
	cmd.Stdin = &in
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pep440_oracle.py: %v\n%s", err, stderr.String())
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != len(queries)+1 {
		t.Fatalf("pep440_oracle.py answered %d lines for %d queries", len(lines)-1, len(queries))
	}
	t.Log(lines[0])
	return lines[1:]
}

// pep440Gen generates version and specifier texts, valid and not, in the
// spellings PEP 440 normalizes.
type pep440Gen struct{ r *rand.Rand }

func (g pep440Gen) pick(xs ...string) string { return xs[g.r.IntN(len(xs))] }

func (g pep440Gen) chance(p float64) bool { return g.r.Float64() < p }

func (g pep440Gen) number() string {
	switch {
	case g.chance(0.05):
		return g.pick("00", "007", "010")
	case g.chance(0.02):
		return g.pick("1234567890", "99999999999999999999")
	}
	return fmt.Sprint(g.r.IntN(12))
}

func (g pep440Gen) sep() string { return g.pick("", "", ".", "-", "_") }

// release is a plain release such as "2.9.2".
func (g pep440Gen) release(maxParts int) string {
	parts := make([]string, 1+g.r.IntN(maxParts))
	for i := range parts {
		parts[i] = g.number()
	}
	return strings.Join(parts, ".")
}

// version is a version text: mostly valid, in any accepted spelling.
func (g pep440Gen) version(local bool) string {
	var b strings.Builder
	if g.chance(0.05) {
		b.WriteString(g.pick("v", "V"))
	}
	if g.chance(0.1) {
		b.WriteString(fmt.Sprint(g.r.IntN(3)) + "!")
	}
	b.WriteString(g.release(4))
	if g.chance(0.35) {
		b.WriteString(g.sep() + g.pick("a", "b", "c", "rc", "alpha", "beta", "pre", "preview", "RC", "A"))
		if g.chance(0.8) {
			b.WriteString(g.sep() + g.number())
		}
	}
	if g.chance(0.25) {
		if g.chance(0.3) {
			b.WriteString("-" + g.number())
		} else {
			b.WriteString(g.sep() + g.pick("post", "rev", "r", "POST"))
			if g.chance(0.8) {
				b.WriteString(g.sep() + g.number())
			}
		}
	}
	if g.chance(0.25) {
		b.WriteString(g.sep() + g.pick("dev", "DEV"))
		if g.chance(0.8) {
			b.WriteString(g.sep() + g.number())
		}
	}
	if local && g.chance(0.12) {
		b.WriteString("+" + g.pick("cpu", "ubuntu.1", "1.2", "abc-1_x", "CU118", "a..b", ""))
	}
	s := b.String()
	if g.chance(0.06) {
		// A damaged spelling.
		s = g.pick(s+".", s+"-", "."+s, s+"a1a", s+"..1", s+" x", "", "a"+s, s+"+", s+"!")
	}
	if g.chance(0.05) {
		s = g.pick(" ", "\t", "  ") + s + g.pick(" ", "", "\n")
	}
	return s
}

// clause is one specifier, sometimes invalid (a wildcard after an
// ordering operator, ~= with one segment, a local label with >=).
func (g pep440Gen) clause() string {
	op := g.pick("==", "!=", "<=", ">=", "<", ">", "~=", "===", "==", "~=")
	sp := func() string { return g.pick("", "", " ", "  ", "\t") }
	var v string
	switch {
	case op == "===":
		v = g.pick(g.version(true), "foobar", "2.9.2", "1.0.0")
	case (op == "==" || op == "!=" || g.chance(0.03)) && g.chance(0.35):
		v = g.release(3) + ".*"
		if g.chance(0.08) {
			v = g.pick(g.release(2)+"a1.*", g.release(2)+".*.1", g.release(2)+"*", "1!"+v)
		}
	default:
		v = g.version(op == "==" || op == "!=" || g.chance(0.05))
	}
	return sp() + op + sp() + strings.TrimSpace(v) + sp()
}

func (g pep440Gen) specifierSet() string {
	n := g.r.IntN(4)
	if g.chance(0.03) {
		return g.pick(",", ">=1.0,", "1.0", ">=", "=>1.0", "== 1.0 2")
	}
	parts := make([]string, n)
	for i := range parts {
		parts[i] = g.clause()
	}
	return strings.Join(parts, ",")
}

func TestPEP440AgreesWithPackaging(t *testing.T) {
	g := pep440Gen{rand.New(rand.NewPCG(440, 2026))}
	var queries [][]string
	versions := make([]string, 4000)
	for i := range versions {
		versions[i] = g.version(true)
		queries = append(queries, []string{"version", versions[i]})
	}
	// Comparisons of public versions (local labels are not ordered here).
	var public []string
	for _, v := range versions {
		if pv, err := parseVersion(v); err == nil && pv.local == "" {
			public = append(public, v)
		}
	}
	for range 4000 {
		a, b := public[g.r.IntN(len(public))], public[g.r.IntN(len(public))]
		if g.chance(0.2) {
			b = a + g.pick(".0", "a0", ".post0", ".dev0", "-0", ".0.0")
		}
		queries = append(queries, []string{"compare", a, b})
	}
	for range 8000 {
		queries = append(queries, []string{"admits", g.specifierSet(), versions[g.r.IntN(len(versions))]})
	}
	answers := askPackaging(t, queries)

	valid := map[string]bool{}
	var disagree []string
	report := func(q []string, want, got string) {
		disagree = append(disagree, fmt.Sprintf("%q: packaging %s, mlflowlint %s", q, want, got))
	}
	// Numbers longer than maxDigits are refused on purpose (see
	// leadingNumber); packaging accepts any length.
	tooLong := regexp.MustCompile(`[1-9][0-9]{18}`)
	skipped := 0
	for i, q := range queries {
		want := answers[i]
		if tooLong.MatchString(strings.Join(q[1:], " ")) {
			skipped++
			if _, err := parseVersion(q[1]); q[0] == "version" && err == nil {
				report(q, want, "ok, despite a number over maxDigits")
			}
			continue
		}
		switch q[0] {
		case "version":
			_, err := parseVersion(q[1])
			valid[q[1]] = want == "ok"
			if got := map[bool]string{true: "ok", false: "invalid"}[err == nil]; got != want {
				report(q, want, got)
			}
		case "compare":
			a, errA := parseVersion(q[1])
			b, errB := parseVersion(q[2])
			got := "invalid"
			if errA == nil && errB == nil {
				got = fmt.Sprint(compareVersions(a, b))
			}
			if got != want {
				report(q, want, got)
			}
		case "admits":
			if !valid[q[2]] {
				continue // packaging answers false, Admits an error: both refuse
			}
			var got string
			if _, err := parseSpecifierSet(q[1]); err != nil {
				got = "invalid-spec"
			} else if ok, err := Admits(q[1], q[2]); err != nil {
				got = "error: " + err.Error()
			} else {
				got = fmt.Sprint(ok)
			}
			if got != want {
				report(q, want, got)
			}
		}
	}
	counts := map[string]int{}
	for i, q := range queries {
		counts[q[0]+" "+answers[i]]++
	}
	t.Logf("answers by kind: %v; %d with a number over maxDigits", counts, skipped)
	for _, d := range disagree[:min(len(disagree), 40)] {
		t.Error(d)
	}
	if len(disagree) > 0 {
		t.Errorf("%d of %d answers differ from packaging", len(disagree), len(queries))
	}
}

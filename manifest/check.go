package manifest

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Issue is one problem Check found in a manifest. Start..End is the byte
// span of the requirement or pin; Line is the 1-based line of Start.
type Issue struct {
	Code     string
	Message  string
	Start    int
	End      int
	Line     int
	Fix      *Replacement
	Severity string // "error" or "warning"
}

// Replacement is an edit of the manifest: bytes Start..End become New.
// Every replacement this package offers is an unsafe fix: it changes
// which versions get installed.
type Replacement struct {
	Start int
	End   int
	New   string
	Title string
}

// Codes of the manifest checks.
const (
	CodePin       = "MLF040" // mlflow pin excludes the target
	CodePython    = "MLF041" // Python pin below the target's floor
	CodeCompanion = "MLF042" // companion pin the target cannot install with
)

// target is the MLflow version checked against.
type target struct {
	major, minor, patch int
	hasPatch            bool
	v                   version
	raw                 string // "3.4"
	full                string // "3.4.0"
}

func parseTarget(s string) (target, bool) {
	v, err := parseVersion(s)
	if err != nil || v.isPre() || v.hasPost || v.local != "" || v.epoch != 0 || len(v.release) > 3 {
		return target{}, false
	}
	t := target{raw: strings.TrimSpace(s), major: v.release[0]}
	if len(v.release) > 1 {
		t.minor = v.release[1]
	}
	if len(v.release) > 2 {
		t.patch, t.hasPatch = v.release[2], true
	}
	t.full = fmt.Sprintf("%d.%d.%d", t.major, t.minor, t.patch)
	t.v, _ = parseVersion(t.full)
	return t, true
}

func (t target) atLeast(major, minor int) bool {
	return t.major > major || t.major == major && t.minor >= minor
}

// mlflowPackages are the distributions whose pins MLF040 checks.
var mlflowPackages = map[string]bool{"mlflow": true, "mlflow-skinny": true}

// Check runs MLF040-MLF042 on m for the target MLflow version ("3.4";
// "3.4" is judged as 3.4.0). An invalid target gives no issues. Specifiers
// that cannot be read (a shell variable, a typo) are skipped. MLF041 and
// MLF042 report only in manifests that themselves require mlflow or
// mlflow-skinny, so that a project's unrelated files stay quiet.
func Check(m *Manifest, targetVersion string) []Issue {
	t, ok := parseTarget(targetVersion)
	if !ok || m == nil {
		return nil
	}
	var out []Issue
	usesMLflow := false
	for _, r := range m.Requirements {
		if !mlflowPackages[r.Name] {
			continue
		}
		usesMLflow = true
		if is, ok := checkPin(r, t); ok {
			out = append(out, is)
		}
	}
	if usesMLflow && t.major >= 3 {
		for _, p := range m.Python {
			if is, ok := checkPython(p, t); ok {
				out = append(out, is)
			}
		}
		if t.atLeast(3, 6) {
			for _, r := range m.Requirements {
				if r.Name == "pydantic" {
					if is, ok := checkPydantic(r, t); ok {
						out = append(out, is)
					}
				}
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Issue) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.Code, b.Code))
	})
	return out
}

func checkPin(r Requirement, t target) (Issue, bool) {
	if strings.TrimSpace(r.Specifier) == "" {
		return Issue{}, false
	}
	a, err := newAdmitter(r.Syntax, r.Specifier)
	if err != nil || a.admits(t.v, t.full) {
		return Issue{}, false
	}
	is := Issue{
		Code:     CodePin,
		Severity: "error",
		Start:    r.Start,
		End:      r.End,
		Line:     r.Line,
		Message: fmt.Sprintf("%s pinned to `%s`, which excludes MLflow %s: the upgrade cannot be installed until the pin admits it",
			r.Name, r.Specifier, t.raw),
	}
	if spec := newSpecifier(r.Syntax, r.Specifier, t); spec != "" && r.SpecEnd > r.SpecStart {
		is.Fix = &Replacement{Start: r.SpecStart, End: r.SpecEnd, New: spec,
			Title: fmt.Sprintf("Change the %s pin to `%s`", r.Name, spec)}
	}
	return is, true
}

// newSpecifier is the fix policy of MLF040 (see the package comment): an
// exact pin becomes a pin on the target's release series, a compatible
// release or caret/tilde constraint keeps its operator, anything else
// becomes ">=target,<next major".
func newSpecifier(syn Syntax, spec string, t target) string {
	series := fmt.Sprintf("%d.%d", t.major, t.minor)
	exact := series + ".*"
	if t.hasPatch {
		series = t.full
		exact = t.full
	}
	rng := fmt.Sprintf(">=%s,<%d", series, t.major+1)
	spec = strings.TrimSpace(spec)
	switch syn {
	case SyntaxPEP440, SyntaxPipfile:
		if syn == SyntaxPipfile && spec != "" && isDigit(spec[0]) {
			return exact
		}
		cs, err := parseSpecifierSet(spec)
		if err != nil || len(cs) != 1 {
			return rng
		}
		c := cs[0]
		switch {
		case c.op == "==" && c.wildcard && len(c.ver.release) == 1:
			return fmt.Sprintf("==%d.*", t.major)
		case c.op == "==" || c.op == "===":
			return "==" + exact
		case c.op == "~=" && len(c.ver.release) == 2:
			return fmt.Sprintf("~=%d.%d", t.major, t.minor)
		case c.op == "~=":
			return "~=" + t.full
		}
		return rng
	case SyntaxPoetry:
		toks := constraintTokens(spec)
		if strings.Contains(spec, "||") || len(toks) != 1 {
			return rng
		}
		tok := toks[0]
		switch {
		case strings.HasPrefix(tok, "^"):
			return "^" + series
		case strings.HasPrefix(tok, "~") && !strings.HasPrefix(tok, "~="):
			return "~" + series
		case strings.HasSuffix(tok, ".*") && strings.Count(tok, ".") == 1:
			return fmt.Sprintf("%d.*", t.major)
		case isDigit(tok[0]):
			return exact
		case strings.HasPrefix(tok, "=") && !strings.HasPrefix(tok, "=="):
			return exact
		case strings.HasPrefix(tok, "=="):
			return "==" + exact
		}
		return rng
	case SyntaxConda:
		v := spec
		if i := strings.IndexAny(v, " \t"); i >= 0 {
			v = v[:i]
		}
		if strings.ContainsAny(v, ",|<>!~") {
			return rng
		}
		if strings.HasPrefix(v, "=") {
			return "=" + series
		}
		return exact
	}
	return ""
}

func checkPython(p PythonPin, t target) (Issue, bool) {
	floorMinor := 9
	if t.atLeast(3, 2) {
		floorMinor = 10
	}
	a, err := newAdmitter(p.Syntax, p.Spec)
	if err != nil {
		return Issue{}, false
	}
	below, above := probeAdmits(a, p.Spec, []int{3, floorMinor})
	if above || !below {
		return Issue{}, false
	}
	why := "no MLflow 3 release supports Python 3.8 or older"
	if floorMinor == 10 {
		why = fmt.Sprintf("MLflow %s requires Python 3.10 or newer", t.raw)
	}
	return Issue{
		Code:     CodePython,
		Severity: "error",
		Start:    p.Start,
		End:      p.End,
		Line:     p.Line,
		Message: fmt.Sprintf("Python pinned to `%s`, which admits only Python older than 3.%d: %s",
			p.Spec, floorMinor, why),
	}, true
}

func checkPydantic(r Requirement, t target) (Issue, bool) {
	if strings.TrimSpace(r.Specifier) == "" {
		return Issue{}, false
	}
	a, err := newAdmitter(r.Syntax, r.Specifier)
	if err != nil {
		return Issue{}, false
	}
	below, above := probeAdmits(a, r.Specifier, []int{2, 0})
	if above || !below {
		return Issue{}, false
	}
	return Issue{
		Code:     CodeCompanion,
		Severity: "error",
		Start:    r.Start,
		End:      r.End,
		Line:     r.Line,
		Message: fmt.Sprintf("pydantic pinned to `%s`, which admits no pydantic 2 release: MLflow %s requires pydantic>=2",
			r.Specifier, t.raw),
	}, true
}

var versionText = regexp.MustCompile(`\d+(\.\d+)*`)

// probeAdmits tells whether a admits some version below floor and some
// version at or above it. It tries a grid of releases around the floor's
// major version and every version the specifier mentions, with each one's
// last segment bumped, which finds an admitted version for any specifier
// made of the PEP 440 operators.
func probeAdmits(a admitter, spec string, floor []int) (below, above bool) {
	fv := version{release: floor}
	try := func(rel []int) {
		v := version{release: rel}
		if !a.admits(v, joinInts(rel)) {
			return
		}
		if compareVersions(v, fv) < 0 {
			below = true
		} else {
			above = true
		}
	}
	for major := max(0, floor[0]-1); major <= floor[0]+1; major++ {
		for minor := 0; minor <= 30; minor++ {
			for patch := 0; patch <= 25; patch++ {
				try([]int{major, minor, patch})
			}
		}
	}
	for _, text := range versionText.FindAllString(spec, -1) {
		v, err := parseVersion(text)
		if err != nil {
			continue
		}
		rel := v.release
		try(rel)
		bumped := slices.Clone(rel)
		bumped[len(bumped)-1]++
		try(bumped)
		try(append(slices.Clone(rel), 1))
	}
	return below, above
}

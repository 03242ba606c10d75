package manifest

import (
	"cmp"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"
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

// Requires is what the target release's wheels declare, from MLflow's
// release data: the caller supplies it (the rules read it from package
// apidb), so MLF041 and MLF042 hold no hand tables of their own.
type Requires struct {
	// Python is the mlflow wheel's Requires-Python (">=3.10"); "" when
	// the data has none.
	Python string
	// Full and Skinny are the Requires-Dist values of the mlflow and
	// mlflow-skinny wheels as written ("pydantic<3,>=2.0.0"); values with
	// an environment marker or an extra are not checked.
	Full, Skinny []string
}

// Check runs MLF040-MLF042 on m for the target MLflow version ("3.4";
// "3.4" is judged as 3.4.0) whose wheels declare req. An invalid target
// gives no issues. Specifiers that cannot be read (a shell variable, a
// typo) are skipped. MLF041 and MLF042 report only in manifests that
// themselves require mlflow or mlflow-skinny, so that a project's
// unrelated files stay quiet; MLF042 checks the companions of mlflow-skinny
// for either, and those of mlflow only where mlflow itself is required.
func Check(m *Manifest, targetVersion string, req Requires) []Issue {
	t, ok := parseTarget(targetVersion)
	if !ok || m == nil {
		return nil
	}
	var out []Issue
	usesFull, usesSkinny := false, false
	for _, r := range m.Requirements {
		if !mlflowPackages[r.Name] {
			continue
		}
		usesFull = usesFull || r.Name == "mlflow"
		usesSkinny = usesSkinny || r.Name == "mlflow-skinny"
		if is, ok := checkPin(r, t, m.Compiled); ok {
			out = append(out, is)
		}
	}
	if (usesFull || usesSkinny) && t.major >= 3 {
		if floor, ok := lowerBound(req.Python); ok && len(floor) >= 2 && floor[0] == 3 {
			for _, p := range m.Python {
				if is, ok := checkPython(p, t, floor[1]); ok {
					out = append(out, is)
				}
			}
		}
		companions := companionFloors(req.Skinny)
		if usesFull {
			for name, f := range companionFloors(req.Full) {
				if old, ok := companions[name]; !ok || compareVersions(version{release: f.floor}, version{release: old.floor}) > 0 {
					companions[name] = f
				}
			}
		}
		for _, r := range m.Requirements {
			if f, ok := companions[r.Name]; ok {
				if is, ok := checkCompanion(r, t, f); ok {
					out = append(out, is)
				}
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Issue) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.Code, b.Code))
	})
	return out
}

// companionFloor is the lowest release of a package the target admits.
type companionFloor struct {
	floor []int
	spec  string // the specifier as the wheel declares it
}

// companionFloors reads the `>=` lower bounds of unconditional
// Requires-Dist values ("pydantic<3,>=2.0.0" -> pydantic 2.0.0).
func companionFloors(dists []string) map[string]companionFloor {
	key := strings.Join(dists, "\n")
	if m, ok := floorsMemo.Load(key); ok {
		return maps.Clone(m.(map[string]companionFloor))
	}
	m := readFloors(dists)
	floorsMemo.Store(key, m)
	return maps.Clone(m)
}

// floorsMemo memoizes companionFloors by its dists: a run checks every
// manifest against the same target's requirements.
var floorsMemo sync.Map

func readFloors(dists []string) map[string]companionFloor {
	out := map[string]companionFloor{}
	for _, d := range dists {
		if strings.ContainsAny(d, ";[") {
			continue
		}
		i := strings.IndexAny(d, " (<>=!~")
		if i <= 0 {
			continue
		}
		spec := strings.Trim(strings.TrimSpace(d[i:]), "()")
		if floor, ok := lowerBound(spec); ok {
			out[NormalizeName(d[:i])] = companionFloor{floor: floor, spec: strings.ReplaceAll(spec, " ", "")}
		}
	}
	return out
}

// lowerBound returns the greatest `>=` bound of a PEP 440 specifier set.
func lowerBound(spec string) ([]int, bool) {
	var best []int
	for _, clause := range strings.Split(spec, ",") {
		clause = strings.TrimSpace(clause)
		if !strings.HasPrefix(clause, ">=") {
			continue
		}
		v, err := parseVersion(strings.TrimSpace(clause[2:]))
		if err != nil || v.isPre() {
			continue
		}
		if best == nil || compareVersions(v, version{release: best}) > 0 {
			best = v.release
		}
	}
	return best, best != nil
}

func checkPin(r Requirement, t target, lock *Compiled) (Issue, bool) {
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
	if lock == nil && r.Hashed {
		lock = &Compiled{}
	}
	if lock != nil && lock.Input == "" {
		is.Message += "; its `--hash` options name the files of the pinned release: change the pin where the file is generated, with its hashes"
		return is, true
	}
	if lock != nil {
		// Editing one pin of a lock leaves it inconsistent (and breaks
		// pip's hash-checking mode): the input changes, the lock is rebuilt.
		tool := lock.Tool
		if tool == "" {
			tool = "pip-compile or uv"
		}
		is.Message += fmt.Sprintf("; this file is compiled (%s): change the %s requirement in `%s` and recompile it", tool, r.Name, lock.Input)
		return is, true
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

func checkPython(p PythonPin, t target, floorMinor int) (Issue, bool) {
	below, above, ok := probe(p.Syntax, p.Spec, []int{3, floorMinor})
	if !ok || above || !below {
		return Issue{}, false
	}
	// Every MLflow 3 release requires Python 3.9 or newer.
	why := "no MLflow 3 release supports Python 3.8 or older"
	if floorMinor > 9 {
		why = fmt.Sprintf("MLflow %s requires Python 3.%d or newer", t.raw, floorMinor)
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

// checkCompanion reports a pin of a package the target requires at least
// f.floor of that admits only older releases.
func checkCompanion(r Requirement, t target, f companionFloor) (Issue, bool) {
	if strings.TrimSpace(r.Specifier) == "" {
		return Issue{}, false
	}
	below, above, ok := probe(r.Syntax, r.Specifier, f.floor)
	if !ok || above || !below {
		return Issue{}, false
	}
	floor := joinInts(f.floor)
	need := r.Name + ">=" + floor
	what := "no " + r.Name + " release at or above " + floor
	if !slices.ContainsFunc(f.floor[1:], func(x int) bool { return x != 0 }) {
		// A major release floor (2.0.0): "no pydantic 2 release".
		what = fmt.Sprintf("no %s %d release", r.Name, f.floor[0])
		need = fmt.Sprintf("%s>=%d", r.Name, f.floor[0])
	}
	return Issue{
		Code:     CodeCompanion,
		Severity: "error",
		Start:    r.Start,
		End:      r.End,
		Line:     r.Line,
		Message: fmt.Sprintf("%s pinned to `%s`, which admits %s: MLflow %s requires %s",
			r.Name, r.Specifier, what, t.raw, need),
	}, true
}

var versionText = regexp.MustCompile(`\d+(\.\d+)*`)

// probes memoizes probe: a repository's manifests repeat a few pins, and
// each manifest rule checks every pin of a file.
var probes sync.Map // probeKey -> [2]bool

type probeKey struct {
	syn         Syntax
	spec, floor string
}

// probe is probeAdmits of the specifier spec in syntax syn; ok is false
// when spec does not parse.
func probe(syn Syntax, spec string, floor []int) (below, above, ok bool) {
	k := probeKey{syn, spec, joinInts(floor)}
	if r, hit := probes.Load(k); hit {
		r := r.([3]bool)
		return r[0], r[1], r[2]
	}
	if a, err := newAdmitter(syn, spec); err == nil {
		below, above = probeAdmits(a, spec, floor)
		ok = true
	}
	probes.Store(k, [3]bool{below, above, ok})
	return below, above, ok
}

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

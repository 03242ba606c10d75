package rules

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/apidb"
	"github.com/mlflowlint/mlflowlint/manifest"
	"github.com/mlflowlint/mlflowlint/parser"
)

// MLF044 reports checks of MLflow's own version whose outcome the upgrade
// flips: a comparison (or `.startswith`) of `mlflow.__version__`,
// `mlflow.version.VERSION`, `importlib.metadata.version("mlflow")` or
// `pkg_resources.get_distribution("mlflow").version` (through imports,
// aliases and local variables, wrapped in packaging's Version/parse or
// LooseVersion, split into parts, `.major`, `.release[0]`, `int(...)`)
// with literals. The rule evaluates the check on every source release and
// on the target, the way Python would (strings compare character by
// character, Version objects by PEP 440), and reports when the target's
// outcome differs from every source's. No fix: what the check guards is
// the author's call.
var MLF044 = register(&analysis.Analyzer{
	Name:             "MLF044",
	Doc:              analyzerDoc("MLF044"),
	URL:              docURL("MLF044"),
	Requires:         shared,
	RunDespiteErrors: true,
	Run:              runMLF044,
})

// The version is read as mlflow.__version__ or [mlflow.][version.]VERSION,
// from importlib.metadata / importlib_metadata (version, or distribution
// and its .version), or from pkg_resources.get_distribution(...).version.
var _ = wordTriggers("MLF044", "__version__", "VERSION", "metadata version", "importlib_metadata version", "get_distribution version").Checking(mlf044MayReport)

// mlflowDistNames are the distributions whose version is MLflow's.
var mlflowDistNames = []string{"mlflow", "mlflow-skinny"}

// mlflowVersionNames are the names whose value is MLflow's version string.
var mlflowVersionNames = set("mlflow.__version__", "mlflow.VERSION", "mlflow.version.VERSION")

// distVersionFuncs return the version string of the distribution named by
// their first argument; distFuncs return a distribution whose `.version`
// is that string.
var (
	distVersionFuncs = set("importlib.metadata.version", "importlib_metadata.version")
	distFuncs        = set("importlib.metadata.distribution", "importlib_metadata.distribution", "pkg_resources.get_distribution")
	mlflowDists      = set(mlflowDistNames...)
	versionClasses   = set("packaging.version.Version", "packaging.version.parse", "pkg_resources.parse_version", "pkg_resources.extern.packaging.version.Version")
	looseClasses     = set("distutils.version.LooseVersion", "distutils.version.StrictVersion", "looseversion.LooseVersion", "setuptools._distutils.version.LooseVersion")
)

// vkind is the Python type of an evaluated value.
type vkind int

const (
	vStr   vkind = iota // str
	vVer                // packaging Version (s holds the version)
	vLoose              // LooseVersion of a numeric version (items hold the numbers)
	vInt                // int
	vTuple              // tuple
	vList               // list
	vBool               // bool
)

type pyVal struct {
	kind  vkind
	s     string
	n     int
	b     bool
	items []pyVal
}

// versionEval evaluates an expression for one concrete MLflow version.
type versionEval struct {
	in analyzer.Inputs
	// version is MLflow's version in this evaluation.
	version string
	// asVersions compares two version-like strings as versions instead of
	// character by character (what the author of a string comparison
	// usually meant).
	asVersions bool
	// hit records that the expression read MLflow's version.
	hit bool
	// strOrder records a `<`-style comparison of two strings.
	strOrder bool
}

func runMLF044(pass *analysis.Pass) (any, error) {
	in := analyzer.In(pass)
	rng := in.Config.API
	if len(rng.Source) == 0 {
		rng = analyzer.DefaultAPIRange()
	}
	versions := apidb.Versions()
	var sources []string
	for _, i := range rng.Source {
		sources = append(sources, versions[i])
	}
	target := versions[rng.Target]
	var done [][2]uint32
	inside := func(n *parser.Node) bool {
		for _, d := range done {
			if n.StartByte() >= d[0] && n.EndByte() <= d[1] {
				return true
			}
		}
		return false
	}
	check := func(n *parser.Node) {
		if inside(n) {
			return
		}
		msg, evaluated := versionCheckMessage(in, n, sources, target)
		if !evaluated {
			return
		}
		done = append(done, [2]uint32{n.StartByte(), n.EndByte()})
		if msg != "" {
			d := diag(in.File, n, msg, nil, false)
			d.Category = "warning"
			pass.Report(d)
		}
	}
	// Outer comparisons first, so `v.startswith("2.") == True` is one check.
	for _, c := range comparisons(in) {
		check(c)
	}
	for _, c := range in.Index.Of("call") {
		if fn := parser.Field(c, "function"); fn != nil && fn.Type() == "attribute" {
			switch in.File.Text(parser.Field(fn, "attribute")) {
			case "startswith", "endswith":
				check(c)
			}
		}
	}
	return nil, nil
}

// comparisons returns the comparison expressions of the file, outermost
// first: the parse index does not keep them, so they are found above the
// identifiers they compare.
func comparisons(in analyzer.Inputs) []*parser.Node {
	seen := map[uint64]bool{}
	var out []*parser.Node
	for _, id := range in.Index.Of("identifier") {
		for n, up := id.Parent(), 0; n != nil && !n.IsNull() && up < 10; n, up = n.Parent(), up+1 {
			t := n.Type()
			if t == "comparison_operator" {
				key := uint64(n.StartByte())<<32 | uint64(n.EndByte())
				if !seen[key] {
					seen[key] = true
					out = append(out, n)
				}
			}
			if strings.HasSuffix(t, "_statement") || t == "block" || t == "module" || t == "lambda" {
				break
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.StartByte() != b.StartByte() {
			return a.StartByte() < b.StartByte()
		}
		return a.EndByte() > b.EndByte()
	})
	return out
}

// versionCheckMessage evaluates the check n on every release. evaluated
// tells whether n is a check of MLflow's version the rule can evaluate;
// the message is empty when the upgrade does not change its outcome.
func versionCheckMessage(in analyzer.Inputs, n *parser.Node, sources []string, target string) (string, bool) {
	outcome := func(v string, asVersions bool) (bool, bool, bool) {
		e := &versionEval{in: in, version: v, asVersions: asVersions}
		val, ok := e.eval(n, 0)
		if !ok || !e.hit || val.kind != vBool {
			return false, false, false
		}
		return val.b, e.strOrder, true
	}
	tgt, strOrder, ok := outcome(target, false)
	if !ok {
		return "", false
	}
	src, ok := sameOutcome(sources, func(v string) (bool, bool) {
		b, _, ok := outcome(v, false)
		return b, ok
	})
	if !ok {
		return "", true
	}
	if tgt && asserted(n) {
		// An assertion that starts to hold breaks nothing.
		return "", true
	}
	check := "`" + checkText(in.File.Text(n)) + "`"
	from := sourceLabel(sources)
	if !strOrder {
		if src == tgt {
			return "", true
		}
		return fmt.Sprintf("%s is %s on MLflow %s (%s on %s): review this check", check, pyBool(tgt), target, pyBool(src), from), true
	}
	// A string comparison: say what it would be as versions when that
	// differs.
	vt, _, vok := outcome(target, true)
	vs, vsok := sameOutcome(sources, func(v string) (bool, bool) {
		b, _, ok := outcome(v, true)
		return b, ok
	})
	switch {
	case src != tgt && vok && vt != tgt:
		return fmt.Sprintf("%s is %s on MLflow %s (%s on %s): it compares strings character by character, and as versions it would be %s: compare `packaging.version.Version` objects", check, pyBool(tgt), target, pyBool(src), from, pyBool(vt)), true
	case src != tgt:
		return fmt.Sprintf("%s is %s on MLflow %s (%s on %s): review this check", check, pyBool(tgt), target, pyBool(src), from), true
	case vok && vsok && vs != vt && vt != tgt:
		// As versions the check flips, as Python runs it it does not:
		// the check is wrong on the target.
		return fmt.Sprintf("%s is %s on MLflow %s, as on %s, because it compares strings character by character: as versions it would be %s: compare `packaging.version.Version` objects", check, pyBool(tgt), target, from, pyBool(vt)), true
	}
	return "", true
}

// asserted reports whether n is the condition of an assert statement.
func asserted(n *parser.Node) bool {
	for p := n.Parent(); p != nil && !p.IsNull(); n, p = p, p.Parent() {
		switch p.Type() {
		case "parenthesized_expression":
			continue
		case "assert_statement":
			return p.NamedChildCount() > 0 && p.NamedChild(0).StartByte() == n.StartByte() && p.NamedChild(0).EndByte() == n.EndByte()
		}
		return false
	}
	return false
}

// sameOutcome returns the outcome every source release gives, or false
// when one cannot be evaluated or the sources disagree.
func sameOutcome(sources []string, eval func(string) (bool, bool)) (bool, bool) {
	var first bool
	for i, v := range sources {
		b, ok := eval(v)
		if !ok || i > 0 && b != first {
			return false, false
		}
		first = b
	}
	return first, len(sources) > 0
}

func pyBool(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

// checkText is the check as written, on one line and at most 100 bytes.
func checkText(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 100 {
		s = s[:97] + "..."
	}
	return s
}

// sourceLabel names the source releases: one release, "2.x" when they are
// every release of one major version in the data, else the first and last.
func sourceLabel(sources []string) string {
	if len(sources) == 1 {
		return "MLflow " + sources[0]
	}
	major := func(v string) string { return v[:strings.IndexByte(v+".", '.')] }
	m := major(sources[0])
	all := 0
	for _, v := range apidb.Versions() {
		if major(v) == m {
			all++
		}
	}
	same := true
	for _, v := range sources {
		same = same && major(v) == m
	}
	if same && all == len(sources) {
		return m + ".x"
	}
	return sources[0] + " to " + sources[len(sources)-1]
}

const maxEvalDepth = 12

// eval computes the value of e, or false when it is not known.
func (x *versionEval) eval(e *parser.Node, depth int) (pyVal, bool) {
	e = parser.Unparen(e)
	if e == nil || depth > maxEvalDepth {
		return pyVal{}, false
	}
	src := x.in.File.Src
	switch e.Type() {
	case "string":
		s, ok := parser.StringValue(src, e)
		return pyVal{kind: vStr, s: s}, ok
	case "true", "false":
		return pyVal{kind: vBool, b: e.Type() == "true"}, true
	case "integer":
		n, err := strconv.Atoi(x.in.File.Text(e))
		return pyVal{kind: vInt, n: n}, err == nil
	case "unary_operator":
		if op := parser.Field(e, "operator"); op != nil && x.in.File.Text(op) == "-" {
			if v, ok := x.eval(parser.Field(e, "argument"), depth+1); ok && v.kind == vInt {
				return pyVal{kind: vInt, n: -v.n}, true
			}
		}
	case "tuple", "list":
		kind := vTuple
		if e.Type() == "list" {
			kind = vList
		}
		out := pyVal{kind: kind}
		for _, c := range parser.NamedChildren(e) {
			v, ok := x.eval(c, depth+1)
			if !ok {
				return pyVal{}, false
			}
			out.items = append(out.items, v)
		}
		return out, true
	case "identifier", "attribute":
		if qn := x.in.Resolver.Resolve(e); qn != "" {
			if mlflowVersionNames[qn] {
				x.hit = true
				return pyVal{kind: vStr, s: x.version}, true
			}
			return pyVal{}, false
		}
		if e.Type() == "identifier" {
			if v, how := x.in.Resolver.ValueOf(e); v != nil && how == analyzer.HowAssigned {
				return x.eval(v, depth+1)
			}
			return pyVal{}, false
		}
		return x.attribute(e, depth)
	case "subscript":
		return x.subscript(e, depth)
	case "call":
		return x.call(e, depth)
	case "comparison_operator":
		return x.compareChain(e, depth)
	}
	return pyVal{}, false
}

// attribute evaluates `<value>.<name>` for the attributes of versions and
// distributions.
func (x *versionEval) attribute(e *parser.Node, depth int) (pyVal, bool) {
	obj := parser.Field(e, "object")
	name := x.in.File.Text(parser.Field(e, "attribute"))
	if name == "version" && parser.Unparen(obj) != nil && parser.Unparen(obj).Type() == "call" {
		if x.distCall(parser.Unparen(obj), distFuncs) {
			x.hit = true
			return pyVal{kind: vStr, s: x.version}, true
		}
		return pyVal{}, false
	}
	v, ok := x.eval(obj, depth+1)
	if !ok || v.kind != vVer {
		return pyVal{}, false
	}
	rel, err := manifest.Release(v.s)
	if err != nil {
		return pyVal{}, false
	}
	part := func(i int) pyVal {
		if i < len(rel) {
			return pyVal{kind: vInt, n: rel[i]}
		}
		return pyVal{kind: vInt}
	}
	switch name {
	case "major":
		return part(0), true
	case "minor":
		return part(1), true
	case "micro":
		return part(2), true
	case "release":
		t := pyVal{kind: vTuple}
		for _, n := range rel {
			t.items = append(t.items, pyVal{kind: vInt, n: n})
		}
		return t, true
	}
	return pyVal{}, false
}

// distCall reports a call of one of funcs with "mlflow" as its argument.
func (x *versionEval) distCall(c *parser.Node, funcs map[string]bool) bool {
	if !funcs[x.in.Resolver.Callee(c)] {
		return false
	}
	args := parser.NamedChildren(parser.Field(c, "arguments"))
	if len(args) != 1 {
		return false
	}
	s, ok := parser.StringValue(x.in.File.Src, args[0])
	return ok && mlflowDists[s]
}

func (x *versionEval) subscript(e *parser.Node, depth int) (pyVal, bool) {
	v, ok := x.eval(parser.Field(e, "value"), depth+1)
	if !ok || v.kind != vStr && v.kind != vTuple && v.kind != vList {
		return pyVal{}, false
	}
	subs := parser.NamedChildren(e)
	if len(subs) != 2 {
		return pyVal{}, false
	}
	subs = subs[1:]
	items := v.items
	if v.kind == vStr {
		items = nil
		for i := range len(v.s) {
			items = append(items, pyVal{kind: vStr, s: v.s[i : i+1]})
		}
	}
	norm := func(i int) int {
		if i < 0 {
			i += len(items)
		}
		return min(max(i, 0), len(items))
	}
	sub := subs[0]
	if sub.Type() == "slice" {
		bounds := [2]int{0, len(items)}
		parts := parser.Children(sub)
		k := 0
		for _, p := range parts {
			switch {
			case p.Type() == ":":
				k++
			case k < 2:
				n, ok := x.eval(p, depth+1)
				if !ok || n.kind != vInt {
					return pyVal{}, false
				}
				bounds[k] = n.n
			default:
				return pyVal{}, false // a step
			}
		}
		lo, hi := norm(bounds[0]), norm(bounds[1])
		if hi < lo {
			hi = lo
		}
		if v.kind == vStr {
			return pyVal{kind: vStr, s: v.s[lo:hi]}, true
		}
		return pyVal{kind: v.kind, items: items[lo:hi]}, true
	}
	i, ok := x.eval(sub, depth+1)
	if !ok || i.kind != vInt {
		return pyVal{}, false
	}
	idx := i.n
	if idx < 0 {
		idx += len(items)
	}
	if idx < 0 || idx >= len(items) {
		return pyVal{}, false // IndexError
	}
	return items[idx], true
}

func (x *versionEval) call(c *parser.Node, depth int) (pyVal, bool) {
	args := parser.NamedChildren(parser.Field(c, "arguments"))
	fn := parser.Unparen(parser.Field(c, "function"))
	if fn == nil {
		return pyVal{}, false
	}
	qn := x.in.Resolver.Callee(c)
	switch {
	case distVersionFuncs[qn]:
		if x.distCall(c, distVersionFuncs) {
			x.hit = true
			return pyVal{kind: vStr, s: x.version}, true
		}
		return pyVal{}, false
	case versionClasses[qn] || looseClasses[qn]:
		if len(args) != 1 {
			return pyVal{}, false
		}
		s, ok := x.eval(args[0], depth+1)
		if !ok || s.kind != vStr {
			return pyVal{}, false
		}
		if versionClasses[qn] {
			if _, err := manifest.Release(s.s); err != nil {
				return pyVal{}, false
			}
			return pyVal{kind: vVer, s: s.s}, true
		}
		return looseVersion(s.s)
	case qn == "" && fn.Type() == "identifier" && x.in.File.Text(fn) == "int" && x.in.Resolver.BindingOf(fn) == nil:
		if len(args) != 1 {
			return pyVal{}, false
		}
		s, ok := x.eval(args[0], depth+1)
		if !ok {
			return pyVal{}, false
		}
		switch s.kind {
		case vInt:
			return s, true
		case vStr:
			n, err := strconv.Atoi(strings.TrimSpace(s.s))
			return pyVal{kind: vInt, n: n}, err == nil
		}
		return pyVal{}, false
	case qn == "" && fn.Type() == "identifier" && (x.in.File.Text(fn) == "tuple" || x.in.File.Text(fn) == "list") && x.in.Resolver.BindingOf(fn) == nil:
		return x.intSequence(c, x.in.File.Text(fn) == "tuple", depth)
	case fn.Type() == "attribute":
		return x.method(fn, args, depth)
	}
	return pyVal{}, false
}

// intSequence evaluates the idioms that turn a version's parts into
// numbers: `tuple(map(int, parts))` and `tuple(int(p) for p in parts)`
// (or list(...)).
func (x *versionEval) intSequence(c *parser.Node, tuple bool, depth int) (pyVal, bool) {
	arg := parser.Field(c, "arguments")
	var iter *parser.Node
	switch {
	case arg != nil && arg.Type() == "generator_expression":
		body, clause := parser.Field(arg, "body"), parser.NamedChildren(arg)
		if body == nil || len(clause) != 2 || clause[1].Type() != "for_in_clause" || body.Type() != "call" {
			return pyVal{}, false
		}
		loopVar := parser.Field(clause[1], "left")
		f := parser.Field(body, "function")
		bargs := parser.NamedChildren(parser.Field(body, "arguments"))
		if loopVar == nil || loopVar.Type() != "identifier" || f == nil || x.in.File.Text(f) != "int" || x.in.Resolver.BindingOf(f) != nil ||
			len(bargs) != 1 || bargs[0].Type() != "identifier" || x.in.File.Text(bargs[0]) != x.in.File.Text(loopVar) {
			return pyVal{}, false
		}
		iter = parser.Field(clause[1], "right")
	default:
		args := parser.NamedChildren(arg)
		if len(args) != 1 || args[0].Type() != "call" {
			return pyVal{}, false
		}
		f := parser.Field(args[0], "function")
		margs := parser.NamedChildren(parser.Field(args[0], "arguments"))
		if f == nil || x.in.File.Text(f) != "map" || x.in.Resolver.BindingOf(f) != nil || len(margs) != 2 ||
			x.in.File.Text(margs[0]) != "int" || x.in.Resolver.BindingOf(margs[0]) != nil {
			return pyVal{}, false
		}
		iter = margs[1]
	}
	parts, ok := x.eval(iter, depth+1)
	if !ok || parts.kind != vList && parts.kind != vTuple {
		return pyVal{}, false
	}
	out := pyVal{kind: vList}
	if tuple {
		out.kind = vTuple
	}
	for _, p := range parts.items {
		if p.kind != vStr {
			return pyVal{}, false
		}
		n, err := strconv.Atoi(strings.TrimSpace(p.s))
		if err != nil {
			return pyVal{}, false // ValueError
		}
		out.items = append(out.items, pyVal{kind: vInt, n: n})
	}
	return out, true
}

// method evaluates the string methods version checks use.
func (x *versionEval) method(fn *parser.Node, args []*parser.Node, depth int) (pyVal, bool) {
	name := x.in.File.Text(parser.Field(fn, "attribute"))
	switch name {
	case "startswith", "endswith", "split":
	default:
		return pyVal{}, false
	}
	recv, ok := x.eval(parser.Field(fn, "object"), depth+1)
	if !ok || recv.kind != vStr || len(args) != 1 {
		return pyVal{}, false
	}
	arg, ok := x.eval(args[0], depth+1)
	if !ok {
		return pyVal{}, false
	}
	if name == "split" {
		if arg.kind != vStr || arg.s == "" {
			return pyVal{}, false
		}
		out := pyVal{kind: vList}
		for _, p := range strings.Split(recv.s, arg.s) {
			out.items = append(out.items, pyVal{kind: vStr, s: p})
		}
		return out, true
	}
	test := strings.HasPrefix
	if name == "endswith" {
		test = strings.HasSuffix
	}
	var affixes []string
	switch arg.kind {
	case vStr:
		affixes = []string{arg.s}
	case vTuple:
		for _, a := range arg.items {
			if a.kind != vStr {
				return pyVal{}, false
			}
			affixes = append(affixes, a.s)
		}
	default:
		return pyVal{}, false
	}
	for _, a := range affixes {
		if test(recv.s, a) {
			return pyVal{kind: vBool, b: true}, true
		}
	}
	return pyVal{kind: vBool}, true
}

// looseVersion reads a numeric dotted version as LooseVersion does; other
// spellings are not evaluated (LooseVersion mixes numbers and letters).
func looseVersion(s string) (pyVal, bool) {
	out := pyVal{kind: vLoose}
	for _, p := range strings.Split(s, ".") {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return pyVal{}, false
		}
		out.items = append(out.items, pyVal{kind: vInt, n: n})
	}
	return out, true
}

// compareChain evaluates `a < b <= c ...` as Python does.
func (x *versionEval) compareChain(e *parser.Node, depth int) (pyVal, bool) {
	var operands []*parser.Node
	var ops []string
	for _, c := range parser.Children(e) {
		if c.IsNamed() {
			operands = append(operands, c)
		} else {
			ops = append(ops, strings.Join(strings.Fields(x.in.File.Text(c)), " "))
		}
	}
	if len(operands) != len(ops)+1 || len(ops) == 0 {
		return pyVal{}, false
	}
	vals := make([]pyVal, len(operands))
	for i, o := range operands {
		v, ok := x.eval(o, depth+1)
		if !ok {
			return pyVal{}, false
		}
		vals[i] = v
	}
	result := true
	for i, op := range ops {
		b, ok := x.compare(op, vals[i], vals[i+1])
		if !ok {
			return pyVal{}, false
		}
		result = result && b
	}
	return pyVal{kind: vBool, b: result}, true
}

// compare applies one comparison operator; false when Python would raise
// or the rule does not model the operands.
func (x *versionEval) compare(op string, a, b pyVal) (bool, bool) {
	switch op {
	case "in", "not in":
		found, ok := contains(b, a)
		return found == (op == "in"), ok
	case "==", "!=":
		c, ok := x.order(a, b, true)
		return (c == 0) == (op == "=="), ok
	case "<", "<=", ">", ">=":
		c, ok := x.order(a, b, false)
		if !ok {
			return false, false
		}
		switch op {
		case "<":
			return c < 0, true
		case "<=":
			return c <= 0, true
		case ">":
			return c > 0, true
		}
		return c >= 0, true
	}
	return false, false
}

// contains is Python's `item in container` for strings, tuples and lists.
func contains(container, item pyVal) (bool, bool) {
	switch container.kind {
	case vStr:
		if item.kind != vStr {
			return false, false
		}
		return strings.Contains(container.s, item.s), true
	case vTuple, vList:
		for _, c := range container.items {
			if c.kind == item.kind && equalVals(c, item) {
				return true, true
			}
		}
		return false, true
	}
	return false, false
}

func equalVals(a, b pyVal) bool {
	switch a.kind {
	case vStr:
		return a.s == b.s
	case vInt:
		return a.n == b.n
	case vBool:
		return a.b == b.b
	case vVer:
		c, err := manifest.CompareVersions(a.s, b.s)
		return err == nil && c == 0
	}
	if len(a.items) != len(b.items) {
		return false
	}
	for i := range a.items {
		if a.items[i].kind != b.items[i].kind || !equalVals(a.items[i], b.items[i]) {
			return false
		}
	}
	return true
}

// order compares two values of the same type: -1, 0 or 1. A LooseVersion
// compares with a string by reading it as a LooseVersion. eq asks for
// equality only (tuples and lists of different lengths are unequal).
func (x *versionEval) order(a, b pyVal, eq bool) (int, bool) {
	if a.kind == vLoose && b.kind == vStr {
		lb, ok := looseVersion(b.s)
		if !ok {
			return 0, false
		}
		return x.order(a, lb, eq)
	}
	if a.kind == vStr && b.kind == vLoose {
		la, ok := looseVersion(a.s)
		if !ok {
			return 0, false
		}
		return x.order(la, b, eq)
	}
	if a.kind != b.kind {
		return 0, false
	}
	switch a.kind {
	case vStr:
		if !eq {
			x.strOrder = true
			if x.asVersions {
				if c, err := manifest.CompareVersions(a.s, b.s); err == nil {
					return c, true
				}
			}
		}
		return strings.Compare(a.s, b.s), true
	case vInt:
		return cmpInt(a.n, b.n), true
	case vBool:
		if a.b == b.b {
			return 0, true
		}
		if eq {
			return 1, true
		}
		return 0, false
	case vVer:
		c, err := manifest.CompareVersions(a.s, b.s)
		return c, err == nil
	}
	// Tuples, lists and LooseVersions compare item by item.
	for i := range min(len(a.items), len(b.items)) {
		c, ok := x.order(a.items[i], b.items[i], eq)
		if !ok || c != 0 {
			return c, ok
		}
	}
	return cmpInt(len(a.items), len(b.items)), true
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

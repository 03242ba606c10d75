package rules

import (
	"fmt"
	"reflect"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"

	"github.com/mlflowlint/mlflowlint/analyzer"
	"github.com/mlflowlint/mlflowlint/apidb"
	"github.com/mlflowlint/mlflowlint/parser"
)

// The generic API rules (MLF3nn) compare every reference to MLflow's API
// with the API data generated from MLflow's wheels (package apidb): the
// migration is from the source releases (the code was written for any of
// them) to the target release. A reference is an import, an attribute
// chain rooted at an import, a member of an object whose MLflow class is
// inferred (analyzer.Typer), a call of one of those, a functools.partial
// of one, or a string that names one (mock patch targets, patch.object
// and monkeypatch.setattr attributes, importlib.import_module, getattr).
// Hand-written rules that report the same place win (the driver drops
// the generic finding; see analyzer.Options.Generic).
const (
	codeRemoved         = "MLF301"
	codeAlreadyRemoved  = "MLF302"
	codeRemovedKeyword  = "MLF303"
	codePositional      = "MLF304"
	codeDeprecated      = "MLF305"
	codeDeprecatedParam = "MLF306"
)

// GenericCodes are the codes of the generic API rules.
var GenericCodes = []string{codeRemoved, codeAlreadyRemoved, codeRemovedKeyword, codePositional, codeDeprecated, codeDeprecatedParam}

// apiIssue is one finding of a generic rule.
type apiIssue struct {
	code string
	node *parser.Node
	msg  string
}

type apiResult struct{ issues []apiIssue }

// apiAnalyzer checks a file once for every generic rule.
var apiAnalyzer = &analysis.Analyzer{
	Name:             "mlflowapi",
	Doc:              "compare MLflow API references with the API data of the source and target releases",
	Requires:         shared,
	ResultType:       reflect.TypeFor[*apiResult](),
	RunDespiteErrors: true,
	Run:              runAPI,
}

func init() {
	for _, code := range GenericCodes {
		register(&analysis.Analyzer{
			Name:             code,
			Doc:              analyzerDoc(code),
			URL:              docURL(code),
			Requires:         append(append([]*analysis.Analyzer(nil), shared...), apiAnalyzer),
			RunDespiteErrors: true,
			Run: func(pass *analysis.Pass) (any, error) {
				in := analyzer.In(pass)
				for _, is := range pass.ResultOf[apiAnalyzer].(*apiResult).issues {
					if is.code != code {
						continue
					}
					d := diag(in.File, is.node, is.msg, nil, false)
					if code == codeDeprecated || code == codeDeprecatedParam {
						d.Category = "warning"
					}
					pass.Report(d)
				}
				return nil, nil
			},
		})
	}
}

// apiChecker holds one file's check.
type apiChecker struct {
	in    analyzer.Inputs
	db    *apidb.DB
	src   []int
	tgt   int
	typer *analyzer.Typer
	res   *apiResult
	seen  map[issueKey]bool
}

type issueKey struct {
	code       string
	start, end uint32
}

func runAPI(pass *analysis.Pass) (any, error) {
	in := analyzer.In(pass)
	res := &apiResult{}
	rng := in.Config.API
	if len(rng.Source) == 0 {
		rng = analyzer.DefaultAPIRange()
	}
	db := apidb.Load()
	c := &apiChecker{in: in, db: db, src: rng.Source, tgt: rng.Target, res: res, seen: map[issueKey]bool{}}
	c.typer = in.Types
	calls := in.Index.Of("call")
	strs := in.Resolver.StringRefs(calls)
	if !in.Resolver.Seen("mlflow") && !in.File.Databricks && len(strs) == 0 {
		return res, nil
	}
	c.imports()
	c.attributes()
	c.strings(strs)
	c.calls(calls)
	return res, nil
}

func (c *apiChecker) report(code string, n *parser.Node, msg string) {
	if n == nil {
		return
	}
	k := issueKey{code, n.StartByte(), n.EndByte()}
	if c.seen[k] {
		return
	}
	c.seen[k] = true
	c.res.issues = append(c.res.issues, apiIssue{code: code, node: n, msg: msg})
}

// resolver gives what a reference resolves to in a release.
type resolver func(rel int) apidb.Resolved

func (c *apiChecker) path(p string) resolver {
	return func(rel int) apidb.Resolved { return c.db.Resolve(p, rel) }
}

func (c *apiChecker) member(class, name string) resolver {
	return func(rel int) apidb.Resolved { return c.db.Member(class, name, rel) }
}

// gone describes a reference missing in the target (or in every source
// release): which component, and when it went.
type gone struct {
	code string
	// at is the index of the missing path component (for dotted paths).
	at int
	// last is the newest release that had it, before removed.
	last, removed int
	// had is what it resolved to in release last.
	had apidb.Resolved
}

// missing decides whether a reference is broken by the migration
// (MLF301) or already broken in the source releases (MLF302). sub gives
// the resolver of the reference's first at+1 components, for the
// releases in which they went.
func (c *apiChecker) missing(res resolver, sub func(at int) resolver) (gone, bool) {
	rt := res(c.tgt)
	if rt.Status != apidb.Missing {
		return gone{}, false
	}
	// Whether some source release has it: asked from the newest, which
	// has most of what the target lost, and no further than the first.
	found := false
	for i := len(c.src) - 1; i >= 0 && !found; i-- {
		found = res(c.src[i]).Status == apidb.Found
	}
	if found {
		part := sub(rt.At)
		last := -1
		for i := c.tgt - 1; i >= 0; i-- {
			if r := part(i); r.Status == apidb.Found {
				last = i
				break
			}
		}
		if last < 0 {
			return gone{}, false
		}
		return gone{code: codeRemoved, at: rt.At, last: last, removed: last + 1, had: part(last)}, true
	}
	at := -1
	for _, s := range c.src {
		r := res(s)
		if r.Status != apidb.Missing {
			return gone{}, false
		}
		at = r.At
	}
	part := sub(at)
	for i := c.src[0] - 1; i >= 0; i-- {
		if r := part(i); r.Status == apidb.Found {
			return gone{code: codeAlreadyRemoved, at: at, last: i, removed: i + 1, had: r}, true
		}
	}
	return gone{}, false
}

// releaseName names the release that removed something: its minor when it
// is the first release of that minor in the data ("3.0"), else in full.
func (c *apiChecker) releaseName(i int) string { return releaseLabel(c.db.Versions(), i) }

// releaseLabel names release i of versions as releaseName does.
func releaseLabel(versions []string, i int) string {
	v := versions[i]
	minor := v[:strings.LastIndexByte(v, '.')]
	if i == 0 || !strings.HasPrefix(versions[i-1], minor+".") {
		return minor
	}
	return v
}

// sourceName names the source releases for messages.
func (c *apiChecker) sourceName() string {
	first, last := c.db.Version(c.src[0]), c.db.Version(c.src[len(c.src)-1])
	if first == last {
		return first
	}
	major := first[:strings.IndexByte(first, '.')]
	if all, err := c.db.Selection(major); err == nil && len(all) == len(c.src) && all[0] == c.src[0] {
		return major + ".x"
	}
	return first + "-" + last
}

// goneMessage words a missing reference.
func (c *apiChecker) goneMessage(g gone, what string) string {
	when := fmt.Sprintf("removed in MLflow %s (last in %s)", c.releaseName(g.removed), c.db.Version(g.last))
	msg := ""
	if g.code == codeRemoved {
		msg = fmt.Sprintf("%s was %s", what, when)
	} else {
		msg = fmt.Sprintf("%s is already broken on MLflow %s: %s", what, c.sourceName(), when)
	}
	if use := c.replacement(g); use != "" {
		msg += "; use `" + use + "`"
	}
	return msg
}

// replacement is what the data shows replacing a removed object: the
// object's own public path when that still exists in the target (the name
// was a re-export that went), or the replacement its deprecation named.
func (c *apiChecker) replacement(g gone) string {
	if g.had.Status != apidb.Found {
		return ""
	}
	if g.had.Entry.Alt() != "" {
		return g.had.Entry.Alt()
	}
	p := g.had.Node.Path()
	if isPublic(p) && c.db.Resolve(p, c.tgt).Status == apidb.Found {
		return p
	}
	return ""
}

func isPublic(p string) bool {
	for _, comp := range strings.Split(p, ".") {
		if strings.HasPrefix(comp, "_") {
			return false
		}
	}
	return true
}

// checkPath reports a dotted path's removal; node gives the place to
// report for the missing component. It returns the resolution in the
// target.
func (c *apiChecker) checkPath(p string, node func(at int) *parser.Node, prefix string) apidb.Resolved {
	comps := strings.Split(p, ".")
	sub := func(at int) resolver { return c.path(strings.Join(comps[:at+1], ".")) }
	if g, ok := c.missing(c.path(p), sub); ok {
		what := "`" + strings.Join(comps[:g.at+1], ".") + "`"
		if prefix != "" {
			if g.at == len(comps)-1 {
				what = prefix + " " + what
			} else {
				what = prefix + " `" + p + "`: " + what
			}
		}
		c.report(g.code, node(g.at), c.goneMessage(g, what))
	}
	return c.db.Resolve(p, c.tgt)
}

// deprecated reports a reference the target marks deprecated.
func (c *apiChecker) deprecated(r apidb.Resolved, n *parser.Node, what string) {
	if r.Status != apidb.Found || !r.Entry.Deprecated() {
		return
	}
	msg := fmt.Sprintf("%s is deprecated since MLflow %s", what, c.releaseName(c.deprecatedSince(r.Node)))
	if r.Entry.Alt() != "" {
		msg += "; use `" + r.Entry.Alt() + "`"
	}
	c.report(codeDeprecated, n, msg)
}

// deprecatedSince is the first release of the run of releases up to the
// target in which the object is marked deprecated.
func (c *apiChecker) deprecatedSince(n *apidb.Node) int {
	since := c.tgt
	for i := c.tgt - 1; i >= 0; i-- {
		e := n.At(i)
		if e == nil || !e.Deprecated() {
			break
		}
		since = i
	}
	return since
}

func isMLflowPath(p string) bool { return p == "mlflow" || strings.HasPrefix(p, "mlflow.") }

// imports checks every import of MLflow.
func (c *apiChecker) imports() {
	all := c.in.Resolver.Imports()
	for _, imp := range all {
		if imp.Relative || !isMLflowPath(imp.Module) || c.shimmed(imp, all) {
			continue
		}
		modDepth := strings.Count(imp.Module, ".")
		p := imp.Full
		if imp.Name == "*" {
			p = imp.Module
		}
		node := func(at int) *parser.Node {
			if imp.Name != "" && at <= modDepth {
				if imp != firstOfStmt(all, imp) {
					return nil // one finding per statement for its module
				}
				return imp.ModuleNode
			}
			return imp.Node
		}
		r := c.checkPath(p, node, "")
		if imp.Name != "" && imp.Name != "*" {
			c.deprecated(r, imp.Node, "`"+p+"`")
		}
	}
}

// shimmed reports whether an import is one branch of a compatibility shim:
// it sits in a try statement catching ImportError whose other branch binds
// the same name from a path the target release has.
func (c *apiChecker) shimmed(imp *analyzer.Import, all []*analyzer.Import) bool {
	if !imp.Guarded || imp.Try == nil {
		return false
	}
	for _, other := range all {
		if other == imp || other.Try == nil || other.Try.StartByte() != imp.Try.StartByte() || other.Bound != imp.Bound {
			continue
		}
		p := other.Full
		if other.Name == "" {
			p = other.Module
		}
		if !isMLflowPath(p) || c.db.Resolve(p, c.tgt).Status == apidb.Found {
			return true
		}
	}
	return false
}

// attributes checks attribute chains that reach MLflow, and members of
// objects whose MLflow class is known.
func (c *apiChecker) attributes() {
	f := c.in.File
	for _, a := range c.in.Index.Of("attribute") {
		attr := parser.Field(a, "attribute")
		if attr == nil {
			continue
		}
		if qn := c.in.Resolver.Resolve(a); qn != "" {
			if !isMLflowPath(qn) {
				continue
			}
			last := strings.Count(qn, ".")
			r := c.checkPath(qn, func(at int) *parser.Node {
				if at == last {
					return attr
				}
				return nil // an earlier component is reported where it is written
			}, "")
			c.deprecated(r, attr, "`"+qn+"`")
			continue
		}
		if isStoreTarget(a) {
			continue
		}
		name := f.Text(attr)
		class, label := c.receiverOf(parser.Field(a, "object"), name)
		if class == "" {
			continue
		}
		what := "`" + label + "." + name + "`"
		res := c.member(class, name)
		if g, ok := c.missing(res, func(int) resolver { return res }); ok {
			c.report(g.code, attr, c.goneMessage(g, what))
			continue
		}
		c.deprecated(res(c.tgt), attr, what)
	}
}

// receiverClass returns the MLflow class of an object expression and the
// class's name for messages: an inferred instance, or self in a user class
// that derives from an MLflow class (for members the class does not
// define itself).
func (c *apiChecker) receiverClass(obj *parser.Node) (string, string) {
	obj = parser.Unparen(obj)
	if obj == nil {
		return "", ""
	}
	class := c.typer.TypeOf(obj)
	if class == "" || strings.HasPrefix(class, "[") {
		return "", ""
	}
	return class, class[strings.LastIndexByte(class, '.')+1:]
}

// receiverOf returns the MLflow class whose member obj.name is, and the
// class's name: obj's inferred class, or the MLflow base of a user class
// whose self obj is, when the user class does not define name itself.
func (c *apiChecker) receiverOf(obj *parser.Node, name string) (string, string) {
	if class, label := c.receiverClass(obj); class != "" {
		return class, label
	}
	if base := c.selfMember(parser.Unparen(obj), name); base != "" {
		return base, base[strings.LastIndexByte(base, '.')+1:]
	}
	return "", ""
}

// selfMember returns the MLflow base class of a user class's self when
// name is not defined by the user class.
func (c *apiChecker) selfMember(obj *parser.Node, name string) string {
	cls := c.typer.SelfClass(obj)
	if cls == nil || c.typer.DefinesMember(cls, name) {
		return ""
	}
	return c.typer.MLflowBase(cls)
}

// strings checks strings that name MLflow objects.
func (c *apiChecker) strings(refs []analyzer.StringRef) {
	for _, s := range refs {
		n := s.Node
		switch s.Kind {
		case analyzer.RefPatch, analyzer.RefImport:
			if !isMLflowPath(s.Value) || !validDotted(s.Value) {
				continue
			}
			prefix := "patch target"
			if s.Kind == analyzer.RefImport {
				prefix = "imported module"
			}
			r := c.checkPath(s.Value, func(int) *parser.Node { return n }, prefix)
			c.deprecated(r, n, prefix+" `"+s.Value+"`")
		case analyzer.RefAttr:
			if !validDotted(s.Value) || strings.Contains(s.Value, ".") {
				continue
			}
			obj := parser.Unparen(s.Object)
			if qn := c.in.Resolver.Resolve(obj); qn != "" {
				if isMLflowPath(qn) {
					p := qn + "." + s.Value
					last := strings.Count(p, ".")
					c.checkPath(p, func(at int) *parser.Node {
						if at == last {
							return n
						}
						return nil
					}, "")
				}
				continue
			}
			class, label := c.receiverOf(obj, s.Value)
			if class == "" {
				continue
			}
			res := c.member(class, s.Value)
			if g, ok := c.missing(res, func(int) resolver { return res }); ok {
				c.report(g.code, n, c.goneMessage(g, "`"+label+"."+s.Value+"`"))
			}
		}
	}
}

func validDotted(s string) bool {
	if s == "" {
		return false
	}
	for _, part := range strings.Split(s, ".") {
		if part == "" {
			return false
		}
		for i, r := range part {
			if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
				return false
			}
		}
	}
	return true
}

// callee is what a call invokes, resolved per release.
type callee struct {
	res   resolver
	label string
	// bound is set when the object is passed as the first parameter
	// (a method called on an instance, or a class's __init__).
	bound bool
}

// calleeOf resolves the function expression of a call.
func (c *apiChecker) calleeOf(fn *parser.Node) (callee, bool) {
	fn = parser.Unparen(fn)
	if fn == nil {
		return callee{}, false
	}
	if qn := c.in.Resolver.Resolve(fn); qn != "" {
		if !isMLflowPath(qn) {
			return callee{}, false
		}
		return callee{res: c.path(qn), label: qn}, true
	}
	if fn.Type() != "attribute" {
		return callee{}, false
	}
	name := c.in.File.Text(parser.Field(fn, "attribute"))
	class, label := c.receiverOf(parser.Field(fn, "object"), name)
	if class == "" {
		return callee{}, false
	}
	return callee{res: c.member(class, name), label: label + "." + name, bound: true}, true
}

// calls checks the arguments of calls of MLflow callables.
func (c *apiChecker) calls(calls []*parser.Node) {
	for _, call := range calls {
		fn := parser.Unparen(parser.Field(call, "function"))
		skip := 0
		if c.in.Resolver.Resolve(fn) == "functools.partial" {
			pos := positional(call)
			if len(pos) == 0 {
				continue
			}
			fn, skip = pos[0], 1
		}
		ce, ok := c.calleeOf(fn)
		if !ok {
			continue
		}
		c.checkArgs(call, ce, skip)
	}
}

// signature returns the parameters a call binds to in release rel, with a
// bound first parameter dropped, and whether they are known.
func (c *apiChecker) signature(ce callee, rel int) ([]apidb.Param, bool) {
	r := ce.res(rel)
	if r.Status != apidb.Found {
		return nil, false
	}
	e := r.Entry
	bound := ce.bound && !e.Static()
	switch e.Kind {
	case apidb.Function:
		if e.Dynamic() {
			return nil, false // replaced by a decorator: not this signature
		}
	case apidb.Class:
		init := c.db.Member(r.Node.Path(), "__init__", rel)
		if init.Status != apidb.Found || init.Entry.Kind != apidb.Function {
			return nil, false
		}
		e, bound = init.Entry, true
	default:
		return nil, false
	}
	ps := e.Params()
	if bound && len(ps) > 0 && ps[0].Kind <= apidb.PositionalOrKeyword {
		ps = ps[1:]
	}
	return ps, true
}

func namedParam(ps []apidb.Param, name string) bool {
	for _, p := range ps {
		if p.Name == name && (p.Kind == apidb.PositionalOrKeyword || p.Kind == apidb.KeywordOnly) {
			return true
		}
	}
	return false
}

func hasKind(ps []apidb.Param, k apidb.ParamKind) bool {
	for _, p := range ps {
		if p.Kind == k {
			return true
		}
	}
	return false
}

func positionalCap(ps []apidb.Param) int {
	n := 0
	for _, p := range ps {
		if p.Kind == apidb.PositionalOnly || p.Kind == apidb.PositionalOrKeyword {
			n++
		}
	}
	return n
}

// checkArgs checks a call's keywords and positional arguments against the
// target's signature; skip positional arguments go to functools.partial.
func (c *apiChecker) checkArgs(call *parser.Node, ce callee, skip int) {
	pt, ok := c.signature(ce, c.tgt)
	if !ok {
		return
	}
	for _, k := range keywords(c.in, call) {
		if namedParam(pt, k.Name) {
			r := ce.res(c.tgt)
			if r.Status == apidb.Found && hasString(r.Entry.DeprecatedParams(), k.Name) {
				c.report(codeDeprecatedParam, k.NameNode, fmt.Sprintf("`%s(%s=...)` is deprecated in MLflow %s", ce.label, k.Name, c.db.Version(c.tgt)))
			}
			continue
		}
		if hasKind(pt, apidb.VarKeyword) {
			continue
		}
		c.removedKeyword(ce, k)
	}
	if hasSplat(call) || hasKind(pt, apidb.VarPositional) {
		return
	}
	pos := positional(call)
	n := len(pos) - skip
	capT := positionalCap(pt)
	if n <= capT {
		return
	}
	for i := len(c.src) - 1; i >= 0; i-- {
		s := c.src[i]
		ps, ok := c.signature(ce, s)
		if ok && (n <= positionalCap(ps) || hasKind(ps, apidb.VarPositional)) {
			c.report(codePositional, pos[skip+capT], fmt.Sprintf("`%s()` takes at most %d positional arguments in MLflow %s, and this call passes %d (MLflow %s took them); pass the rest by keyword",
				ce.label, capT, c.db.Version(c.tgt), n, c.db.Version(s)))
			return
		}
	}
}

// removedKeyword reports a keyword the target's signature rejects: one a
// source release's signature named (MLF303), or one that only a release
// before every source release named (MLF302, already broken).
func (c *apiChecker) removedKeyword(ce callee, k kwarg) {
	accepts := func(rel int) (named, known bool) {
		ps, ok := c.signature(ce, rel)
		if !ok {
			return false, false
		}
		return namedParam(ps, k.Name), !hasKind(ps, apidb.VarKeyword)
	}
	last, open := -1, false
	for _, s := range c.src {
		named, known := accepts(s)
		if named {
			last = s
		} else if !known {
			open = true // unknown there, or taken by **kwargs
		}
	}
	code, broken := codeRemovedKeyword, ""
	if last >= 0 {
		for i := c.tgt - 1; i > last; i-- {
			if named, _ := accepts(i); named {
				last = i
				break
			}
		}
	} else {
		if open {
			return
		}
		for i := c.src[0] - 1; i >= 0; i-- {
			if named, _ := accepts(i); named {
				last = i
				break
			}
		}
		if last < 0 {
			return
		}
		code, broken = codeAlreadyRemoved, fmt.Sprintf(" (already broken on MLflow %s)", c.sourceName())
	}
	c.report(code, k.NameNode, fmt.Sprintf("`%s()` no longer takes `%s=`%s: removed in MLflow %s (last in %s)",
		ce.label, k.Name, broken, c.releaseName(last+1), c.db.Version(last)))
}

func hasString(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// WordsFor returns the word triggers for a migration
// (analyzer.Options.RuleWords): for the generic rules, the names the API
// data knows as changed between the source releases and the target (one
// set, shared by every generic rule, memoized per migration), and the
// other rules' WordTriggers.
func WordsFor(rng analyzer.APIRange) map[string]*analyzer.Words {
	if len(rng.Source) == 0 {
		rng = analyzer.DefaultAPIRange()
	}
	return wordsOf(fmt.Sprint(rng.Source, rng.Target), [][]int{rng.Source}, []int{rng.Target})
}

// WordsForAny is WordsFor for several migrations of the same files at
// once (the upgrade matrix): one set of words for the generic rules that
// fires wherever any migration's would, so that the analyses share one
// vocabulary and one scan per file, and the set is computed once.
func WordsForAny(rngs []analyzer.APIRange) map[string]*analyzer.Words {
	src := make([][]int, len(rngs))
	tgt := make([]int, len(rngs))
	for i, r := range rngs {
		if len(r.Source) == 0 {
			r = analyzer.DefaultAPIRange()
		}
		src[i], tgt[i] = r.Source, r.Target
	}
	return wordsOf(fmt.Sprint("any", src, tgt), src, tgt)
}

// wordsOf builds the word triggers of the generic rules for the
// migrations from src[i] to tgt[i] (read on demand from the precomputed
// triggers where they cover them, else computed from the data), beside
// the other rules' WordTriggers, memoized under key.
func wordsOf(key string, src [][]int, tgt []int) map[string]*analyzer.Words {
	wordsMu.Lock()
	defer wordsMu.Unlock()
	if w, ok := wordsMemo[key]; ok {
		return w
	}
	words := analyzer.NewWordsFrom(func() analyzer.WordSource {
		// The words are built for the first source that mentions MLflow;
		// the generic rules will likely need the data soon after. Parse
		// it now, beside the words and that source's parse, rather than
		// later with every worker waiting for it. (A panic here would
		// end the process outside any file's recovery; the rules' own
		// Load panics again where it is caught.)
		go func() {
			defer func() { _ = recover() }()
			apidb.Load()
		}()
		if x, ok := apidb.PrecomputedIndex(src, tgt); ok {
			return x
		}
		return analyzer.GatedWordSet{Words: apidb.TriggerWordsAny(src, tgt), Gates: apidb.TriggerGatesAny(src, tgt)}
	}).Needing(rootWord)
	w := make(map[string]*analyzer.Words, len(GenericCodes)+len(WordTriggers))
	for _, code := range GenericCodes {
		w[code] = words
	}
	for code, ws := range WordTriggers {
		w[code] = ws
	}
	wordsMemo[key] = w
	return w
}

var (
	wordsMu   sync.Mutex
	wordsMemo = map[string]map[string]*analyzer.Words{}
)

// Yield lists the codes whose findings give way to another rule's finding
// at the same place (analyzer.Options.Yield): the generic rules, whose
// hand-written counterparts have better messages and fixes.
var Yield = func() map[string]bool {
	m := map[string]bool{}
	for _, c := range GenericCodes {
		m[c] = true
	}
	return m
}()

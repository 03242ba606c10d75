package apidb

import (
	"slices"
	"strconv"
	"strings"
)

// CallGate says which calls of a trigger's name the generic rules can
// report, for a trigger all of whose objects are callables that stay
// callables of a known signature in every target, neither gone nor
// deprecated there: the generic rules then report nothing where such a
// name is imported, read or passed on, only a call whose arguments the
// target's signature rejects (rules.checkArgs). A call that passes no
// more positional arguments than Cap (AttrCap when the name is written
// after a dot, where a method binds its first parameter) and no keyword
// that holds (see KeywordHolds) breaks nothing, and a statement whose
// only uses of the name are such calls (or plain imports of it) need not
// be parsed for this trigger.
type CallGate struct {
	// Cap and AttrCap are the fewest positional arguments any target
	// takes at a call of the name alone and at one written after a dot;
	// -1 for any number (*args).
	Cap, AttrCap int
	// Open is set when every target takes any keyword (**kwargs):
	// Keywords are then those that hold (deprecated ones); otherwise
	// Keywords are those that pass, every other one holds. Sorted.
	Open     bool
	Keywords []string
	// Splat makes positional arguments count beside an unpacked
	// sequence (`*args`) too, for a rule that counts those before it;
	// the generic rules check no positional argument of such a call, and
	// mlflow.triggers does not keep it.
	Splat bool
}

// KeywordHolds reports whether a call that passes keyword name may be
// reported.
func (g *CallGate) KeywordHolds(name string) bool {
	_, found := slices.BinarySearch(g.Keywords, name)
	return found == g.Open
}

// PositionalHolds reports whether a call that passes n positional
// arguments may be reported, attr telling whether the name is written
// after a dot.
func (g *CallGate) PositionalHolds(n int, attr bool) bool {
	c := g.Cap
	if attr {
		c = g.AttrCap
	}
	return c >= 0 && n > c
}

// String writes g as mlflow.triggers keeps it: "=", the caps, "o" or
// "c" for Open, then the keywords, separated by commas.
func (g *CallGate) String() string {
	var b strings.Builder
	b.WriteByte('=')
	b.WriteString(strconv.Itoa(g.Cap))
	b.WriteByte(',')
	b.WriteString(strconv.Itoa(g.AttrCap))
	if g.Open {
		b.WriteString(",o")
	} else {
		b.WriteString(",c")
	}
	for _, k := range g.Keywords {
		b.WriteByte(',')
		b.WriteString(k)
	}
	return b.String()
}

// ParseCallGate reads String's output.
func ParseCallGate(s string) (*CallGate, bool) {
	s, ok := strings.CutPrefix(s, "=")
	if !ok {
		return nil, false
	}
	parts := strings.Split(s, ",")
	if len(parts) < 3 {
		return nil, false
	}
	var g CallGate
	var err1, err2 error
	g.Cap, err1 = strconv.Atoi(parts[0])
	g.AttrCap, err2 = strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil || g.Cap < -1 || g.AttrCap < -1 {
		return nil, false
	}
	switch parts[2] {
	case "o":
		g.Open = true
	case "c":
	default:
		return nil, false
	}
	if kws := parts[3:]; len(kws) > 0 {
		if !slices.IsSorted(kws) || slices.Contains(kws, "") {
			return nil, false
		}
		g.Keywords = kws
	}
	return &g, true
}

// mergeGates returns the gate of a trigger whose calls may reach the
// objects of a or b: the smaller caps, and a keyword holds where it holds
// for either.
func mergeGates(a, b *CallGate) *CallGate {
	capMin := func(x, y int) int {
		switch {
		case x < 0:
			return y
		case y < 0:
			return x
		}
		return min(x, y)
	}
	g := &CallGate{Cap: capMin(a.Cap, b.Cap), AttrCap: capMin(a.AttrCap, b.AttrCap), Splat: a.Splat || b.Splat}
	switch {
	case a.Open && b.Open:
		g.Open = true
		g.Keywords = slices.Concat(a.Keywords, b.Keywords)
	case a.Open:
		g.Keywords = slices.DeleteFunc(slices.Clone(b.Keywords), func(k string) bool { return a.KeywordHolds(k) })
	case b.Open:
		g.Keywords = slices.DeleteFunc(slices.Clone(a.Keywords), func(k string) bool { return b.KeywordHolds(k) })
	default:
		g.Keywords = slices.DeleteFunc(slices.Clone(a.Keywords), func(k string) bool { return b.KeywordHolds(k) })
	}
	slices.Sort(g.Keywords)
	g.Keywords = slices.Compact(g.Keywords)
	if len(g.Keywords) == 0 {
		g.Keywords = nil
	}
	return g
}

// sameGate reports whether a and b are both nil or equal.
func sameGate(a, b *CallGate) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Cap == b.Cap && a.AttrCap == b.AttrCap && a.Open == b.Open && a.Splat == b.Splat && slices.Equal(a.Keywords, b.Keywords)
}

// gateOfParams is the gate of one signature: member tells that the
// callable is a class's (a method, or __init__ for a class's calls),
// whose first parameter a call through an instance binds. A function of
// a module keeps it at a call of its name alone; written after a dot, it
// may be a class's alias of the function, which binds it too. The first
// parameter's name is no keyword that passes, as a bound call does not
// name it. deprecated are the parameters whose use warns.
func gateOfParams(ps []Param, static, member bool, deprecated []string) *CallGate {
	capN, varPos := positionalCapacity(ps)
	first := !static && len(ps) > 0 && ps[0].Kind <= PositionalOrKeyword
	g := &CallGate{Cap: capN, AttrCap: capN}
	if first {
		g.AttrCap--
		if member {
			g.Cap--
		}
	}
	if varPos {
		g.Cap, g.AttrCap = -1, -1
	}
	if slices.ContainsFunc(ps, func(p Param) bool { return p.Kind == VarKeyword }) {
		g.Open = true
		g.Keywords = slices.Clone(deprecated)
	} else {
		for i, p := range ps {
			if first && i == 0 || p.Kind != PositionalOrKeyword && p.Kind != KeywordOnly || slices.Contains(deprecated, p.Name) {
				continue
			}
			g.Keywords = append(g.Keywords, p.Name)
		}
	}
	slices.Sort(g.Keywords)
	g.Keywords = slices.Compact(g.Keywords)
	if len(g.Keywords) == 0 {
		g.Keywords = nil
	}
	return g
}

// neverGate is the gate of a callable whose calls the generic rules do
// not check in a target (no signature to check against): no call holds.
var neverGate = CallGate{Cap: -1, AttrCap: -1, Open: true}

// funcGate returns the gate of the calls of function n in the targets
// tgts, member telling whether n is a member of a class; nil when some
// target does not have n as a function that is not deprecated, so that
// uses other than calls may be reported too.
func (db *DB) funcGate(n *Node, member bool, tgts []int) *CallGate {
	if strings.HasPrefix(n.Name, "__") || len(tgts) == 0 {
		return nil // dunder methods are called without their names
	}
	var g *CallGate
	for _, t := range tgts {
		e := n.At(t)
		if e == nil || e.Deprecated() {
			return nil
		}
		_, ft, st := db.follow(n, e, t, 0)
		if st != Found || ft.Kind != Function || ft.Deprecated() {
			return nil
		}
		h := &neverGate
		if !ft.Dynamic() {
			h = gateOfParams(ft.Params(), ft.Static(), member, slices.Concat(e.DeprecatedParams(), ft.DeprecatedParams()))
		}
		g = mergeOrFirst(g, h)
	}
	return g
}

// classGate returns the gate of the calls of class k in the targets tgts,
// which bind its __init__'s parameters after the first; nil when some
// target does not have k as a class that is not deprecated.
func (db *DB) classGate(k *Node, tgts []int) *CallGate {
	if len(tgts) == 0 {
		return nil
	}
	path := k.Path()
	var g *CallGate
	for _, t := range tgts {
		r := db.Resolve(path, t)
		if r.Status != Found || r.Node != k || r.Entry.Kind != Class || r.Entry.Deprecated() {
			return nil
		}
		h := &neverGate
		if init := db.Member(path, "__init__", t); init.Status == Found && init.Entry.Kind == Function {
			h = gateOfParams(init.Entry.Params(), false, true, slices.Concat(r.Entry.DeprecatedParams(), init.Entry.DeprecatedParams()))
		}
		g = mergeOrFirst(g, h)
	}
	return g
}

func mergeOrFirst(g, h *CallGate) *CallGate {
	if g == nil {
		c := *h
		return &c
	}
	return mergeGates(g, h)
}

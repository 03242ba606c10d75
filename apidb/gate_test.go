package apidb

import (
	"reflect"
	"testing"
)

func TestCallGateText(t *testing.T) {
	for _, g := range []*CallGate{
		{Cap: 3, AttrCap: 2, Keywords: []string{"a", "b"}},
		{Cap: -1, AttrCap: -1, Open: true},
		{Cap: 0, AttrCap: 0, Open: true, Keywords: []string{"old"}},
	} {
		back, ok := ParseCallGate(g.String())
		if !ok || !reflect.DeepEqual(back, g) {
			t.Errorf("ParseCallGate(%q) = %+v, %v", g.String(), back, ok)
		}
	}
	for _, s := range []string{"3,2,c", "=3,c", "=x,2,c", "=3,2,x", "=-2,2,c", "=3,2,c,b,a", "=3,2,c,,a"} {
		if _, ok := ParseCallGate(s); ok {
			t.Errorf("ParseCallGate(%q) accepted", s)
		}
	}
}

// TestGateOfParams: a method's gate drops its first parameter (from the
// keywords that pass too); a
// module's function keeps it for a call of its name alone, and drops it
// after a dot; *args lifts the caps; **kwargs opens the keywords but for
// the deprecated ones.
func TestGateOfParams(t *testing.T) {
	// uri is positional only: no keyword names it.
	ps := parseParams("self,/uri,token=,+max=")
	if got, want := gateOfParams(ps, false, true, nil), (&CallGate{Cap: 2, AttrCap: 2, Keywords: []string{"max", "token"}}); !reflect.DeepEqual(got, want) {
		t.Errorf("method: %v, want %v", got, want)
	}
	fn := parseParams("model,path=,*args")
	if got, want := gateOfParams(fn, false, false, nil), (&CallGate{Cap: -1, AttrCap: -1, Keywords: []string{"path"}}); !reflect.DeepEqual(got, want) {
		t.Errorf("function with *args: %v, want %v", got, want)
	}
	kw := parseParams("model,path=,**kwargs")
	if got, want := gateOfParams(kw, false, false, []string{"path"}), (&CallGate{Cap: 2, AttrCap: 1, Open: true, Keywords: []string{"path"}}); !reflect.DeepEqual(got, want) {
		t.Errorf("function with **kwargs: %v, want %v", got, want)
	}
	if got, want := gateOfParams(fn[:2], true, true, nil), (&CallGate{Cap: 2, AttrCap: 2, Keywords: []string{"model", "path"}}); !reflect.DeepEqual(got, want) {
		t.Errorf("static method: %v, want %v", got, want)
	}
}

// TestMergeGates: the merged gate holds wherever either does (one that
// counts positional arguments beside *args makes the merge count them).
func TestMergeGates(t *testing.T) {
	if !mergeGates(&CallGate{Cap: 1, AttrCap: 1, Splat: true}, &CallGate{Cap: 2, AttrCap: 2}).Splat {
		t.Error("mergeGates dropped Splat")
	}
	closedA := &CallGate{Cap: 3, AttrCap: -1, Keywords: []string{"a", "b", "c"}}
	closedB := &CallGate{Cap: -1, AttrCap: 1, Keywords: []string{"b", "c", "d"}}
	openA := &CallGate{Cap: 5, AttrCap: 5, Open: true, Keywords: []string{"c"}}
	openB := &CallGate{Cap: 5, AttrCap: 5, Open: true, Keywords: []string{"x"}}
	for _, c := range []struct {
		a, b, want *CallGate
	}{
		{closedA, closedB, &CallGate{Cap: 3, AttrCap: 1, Keywords: []string{"b", "c"}}},
		{closedA, openA, &CallGate{Cap: 3, AttrCap: 5, Keywords: []string{"a", "b"}}},
		{openA, closedB, &CallGate{Cap: 5, AttrCap: 1, Keywords: []string{"b", "d"}}},
		{openA, openB, &CallGate{Cap: 5, AttrCap: 5, Open: true, Keywords: []string{"c", "x"}}},
	} {
		if got := mergeGates(c.a, c.b); !reflect.DeepEqual(got, c.want) {
			t.Errorf("mergeGates(%v, %v) = %v, want %v", c.a, c.b, got, c.want)
		}
		for _, k := range []string{"a", "b", "c", "d", "x", "z"} {
			if got := mergeGates(c.a, c.b).KeywordHolds(k); got != (c.a.KeywordHolds(k) || c.b.KeywordHolds(k)) {
				t.Errorf("mergeGates(%v, %v): keyword %s holds %v", c.a, c.b, k, got)
			}
		}
		for n := range 7 {
			for _, attr := range []bool{false, true} {
				if got := mergeGates(c.a, c.b).PositionalHolds(n, attr); got != (c.a.PositionalHolds(n, attr) || c.b.PositionalHolds(n, attr)) {
					t.Errorf("mergeGates(%v, %v): %d positional (attr %v) holds %v", c.a, c.b, n, attr, got)
				}
			}
		}
	}
}

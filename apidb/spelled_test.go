package apidb

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestChangedNamesFollowPaths: a member of a module triggers with the
// words of each path to it, re-exported modules above it included, and a
// module that too many modules import keeps only what their paths share.
func TestChangedNamesFollowPaths(t *testing.T) {
	var b strings.Builder
	b.WriteString("versions\t1.0.0\t2.0.0\n")
	b.WriteString("mlflow\tm\t*\n")
	b.WriteString(" a\tm\t*\n")
	b.WriteString("  b\tm\t*\n")
	b.WriteString("   gone\tf\t0\tsig=\n")
	// mlflow.c is mlflow.a.b under another name.
	b.WriteString(" c\tx\t*\tt=mlflow.a.b\n")
	// Forty modules import mlflow.d.e, one of them as `renamed`.
	b.WriteString(" d\tm\t*\n")
	b.WriteString("  e\tm\t*\n")
	b.WriteString("   old\tf\t0\tsig=\n")
	b.WriteString(" users\tm\t*\n")
	for i := range 40 {
		fmt.Fprintf(&b, "  u%02d\tm\t*\n", i)
		if i == 0 {
			b.WriteString("   renamed\tx\t*\tt=mlflow.d.e\n")
		} else {
			b.WriteString("   e\tx\t*\tt=mlflow.d.\n")
		}
	}
	db, err := Parse(b.String())
	if err != nil {
		t.Fatal(err)
	}
	got := db.ChangedNames([]int{0}, 1)
	// gone: spelled as mlflow.a.b.gone or mlflow.c.gone. old: the 39
	// `e` imports give way to the one set they share ({e}, which the
	// canonical path {d, e} holds too), and the rename keeps its own.
	// Both went, so each alternative asks for the name written
	// (WrittenMark).
	want := []Trigger{
		{"gone", [][]string{{WrittenMark, "a", "b"}, {WrittenMark, "c"}}, nil, nil},
		{"old", [][]string{{WrittenMark, "e"}, {WrittenMark, "renamed", "u00", "users"}}, nil, nil},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ChangedNames = %v\nwant %v", got, want)
	}
}

// TestChangedNamesSkipSelfMakers: a class method that returns its class
// (from_dict, here also on a subclass) is a maker of the class, but its
// own name is not a way to the class's objects: the object it is called
// on came first from another maker, so the changed members need the words
// of the class or subclass, not from_dict alone.
func TestChangedNamesSkipSelfMakers(t *testing.T) {
	data := "versions\t1.0.0\t2.0.0\n" +
		"mlflow\tm\t*\n" +
		" entities\tm\t*\n" +
		"  Info\tc\t*\n" +
		"   from_dict\tf\t*\tsig=cls,d\tret=mlflow.entities.Info\n" +
		"   size\tf\t0\tsig=self\n" +
		"  Sub\tc\t*\tb=mlflow.entities.Info\n" +
		"   from_dict\tf\t0\tsig=cls,d\tret=mlflow.entities.Sub\n"
	// size went in 2.0: an Info comes from Info or Sub (a from_dict call
	// needs one of them first). Sub's own from_dict went too, but
	// Sub.from_dict still reaches Info's, which takes the same arguments.
	want := []Trigger{
		{"size", [][]string{{WrittenMark, "Info", "entities"}, {WrittenMark, "Sub", "entities"}}, nil, nil},
	}
	if got := changedTriggers(t, data); !reflect.DeepEqual(got, want) {
		t.Errorf("ChangedNames = %v\nwant %v", got, want)
	}
}

// TestChangedNamesDeepMakers: a changed member of a class needs the words
// of a chain of makers down to a member of a module, however many classes
// the chain goes through: an Info comes from Info itself, from Run.info
// (a Run from Run, or from get_run of a Client, which comes from Client),
// or from a `with` statement on a Ctx, whose __enter__ returns an Info
// and is never written.
func TestChangedNamesDeepMakers(t *testing.T) {
	data := "versions\t1.0.0\t2.0.0\n" +
		"mlflow\tm\t*\n" +
		" client\tm\t*\n" +
		"  Client\tc\t*\n" +
		"   get_run\tf\t*\tsig=self,i\tret=mlflow.entities.Run\n" +
		" entities\tm\t*\n" +
		"  Ctx\tc\t*\n" +
		"   __enter__\tf\t*\tsig=self\tret=mlflow.entities.Info\n" +
		"  Info\tc\t*\n" +
		"   size\tf\t0\tsig=self\n" +
		"  Run\tc\t*\n" +
		"   info\tp\t*\tret=mlflow.entities.Info\n"
	// size went, so each alternative asks for it written (WrittenMark).
	want := []Trigger{{"size", [][]string{{WrittenMark, "Client", "client", "get_run", "info"}, {WrittenMark, "Ctx", "entities"}, {WrittenMark, "Info", "entities"}, {WrittenMark, "Run", "entities", "info"}}, nil, nil}}
	if got := changedTriggers(t, data); !reflect.DeepEqual(got, want) {
		t.Errorf("ChangedNames = %v\nwant %v", got, want)
	}
}

// TestNarrowAlts: past maxMakerAlts, each alternative keeps the name and
// its longest other word, once; an alternative of the name alone leaves
// the name alone.
func TestNarrowAlts(t *testing.T) {
	got := narrowAlts([][]string{{"Run", "entities", "info"}, {"get_run", "info"}, {"entities", "info", "xx"}}, "info")
	want := [][]string{{"entities", "info"}, {"get_run", "info"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("narrowAlts = %v, want %v", got, want)
	}
	if got := narrowAlts([][]string{{"get_run", "info"}, {"info"}}, "info"); !reflect.DeepEqual(got, [][]string{{"info"}}) {
		t.Errorf("narrowAlts with the name alone = %v", got)
	}
}

// TestChangedNamesBaseRenamed: a class whose base is renamed (a new class
// of the same members) is no changed object, nor is its subclass; one
// whose new base lacks a member its old base gave, or gives a member with
// a narrower signature, is, as the rules resolve the class's members
// through its bases.
func TestChangedNamesBaseRenamed(t *testing.T) {
	data := "versions\t1.0.0\t2.0.0\n" +
		"mlflow\tm\t*\n" +
		" entities\tm\t*\n" +
		"  Info\tc\t0\tb=mlflow.entities.Old\n" +
		"  Info\tc\t1\tb=mlflow.entities.New\n" +
		"  Lost\tc\t0\tb=mlflow.entities.Old\n" +
		"  Lost\tc\t1\tb=mlflow.entities.Narrow\n" +
		"  Narrow\tc\t1\n" +
		"   size\tf\t1\tsig=self\n" +
		"   to_dict\tf\t1\tsig=self\n" +
		"  New\tc\t1\n" +
		"   size\tf\t1\tsig=self,unit=\n" +
		"   to_dict\tf\t1\tsig=self\n" +
		"  Old\tc\t0\n" +
		"   size\tf\t0\tsig=self,unit=\n" +
		"   to_dict\tf\t0\tsig=self\n" +
		"  Sub\tc\t*\tb=mlflow.entities.Info\n"
	ts := changedTriggers(t, data)
	// Old and its members are gone in 2.0 (their names trigger); Info and
	// Sub resolve to_dict and size alike through New; Lost's size no
	// longer takes unit, which breaks a read of Lost's size and nothing
	// where Lost alone is written: its trigger is size's, with Lost's
	// words.
	var names []string
	for _, tr := range ts {
		names = append(names, tr.Name)
	}
	want := []string{"Old", "size", "to_dict"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("changed names %q, want %q", names, want)
	}
	if i := slices.IndexFunc(ts, func(tr Trigger) bool { return tr.Name == "size" }); i < 0 || !slices.ContainsFunc(ts[i].With, func(a []string) bool { return slices.Equal(a, []string{"Lost", "entities"}) }) {
		t.Errorf("no trigger of size with Lost's words in %v", ts)
	}
}

// TestChangedNamesMoved: an object moved into a module of its own and
// re-exported where it was breaks only where the old and the new differ:
// a function that takes the same arguments and a class whose members
// resolve alike (and those members) are no changed objects; a function
// that lost a keyword, one the target deprecates, and a class whose moved
// twin lacks a member are.
func TestChangedNamesMoved(t *testing.T) {
	data := "versions\t1.0.0\t2.0.0\n" +
		"mlflow\tm\t*\n" +
		" flavor\tm\t*\n" +
		"  Thin\tc\t0\n" +
		"  Thin\tx\t1\tt=mlflow.flavor.model.Thin\n" +
		"   predict\tf\t0\tsig=self,data\n" +
		"  Wrapper\tc\t0\n" +
		"  Wrapper\tx\t1\tt=mlflow.flavor.model.Wrapper\n" +
		"   __init__\tf\t0\tsig=self,model\n" +
		"   predict\tf\t0\tsig=self,data\n" +
		"  load\tf\t0\tsig=uri,dst=\n" +
		"  load\tx\t1\tt=mlflow.flavor.model.load\n" +
		"  log\tf\t0\tsig=model,path=\n" +
		"  log\tx\t1\tt=mlflow.flavor.model.log\n" +
		"  model\tm\t1\n" +
		"   Thin\tc\t1\n" +
		"   Wrapper\tc\t1\n" +
		"    __init__\tf\t1\tsig=self,model\n" +
		"    predict\tf\t1\tsig=self,data\n" +
		"   load\tf\t1\tsig=uri,dst=\n" +
		"   log\tf\t1\tsig=model\n" +
		"   save\tf\t1\tsig=model\tdep=1\n" +
		"  save\tf\t0\tsig=model\n" +
		"  save\tx\t1\tt=mlflow.flavor.model.save\n"
	names := triggerNames(t, data)
	// The members of the old classes are nodes of their own, without an
	// entry in 2.0: Wrapper's reach their alike twins through the
	// re-export, and Thin.predict reaches nothing, which breaks reads of
	// predict on a Thin, not Thin itself. The moved save is deprecated.
	want := []string{"log", "predict", "save"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("changed names %q, want %q", names, want)
	}
}

// TestChangedNamesWritten: the alternatives of an object the target does
// not have ask for its name written in the statement itself (WrittenMark),
// as the generic rules report such an object only where its name is
// written; those of an object the target has, whose calls may break
// wherever they are, do not.
func TestChangedNamesWritten(t *testing.T) {
	data := "versions\t1.0.0\t2.0.0\n" +
		"mlflow\tm\t*\n" +
		" flavor\tm\t*\n" +
		"  Kept\tc\t*\n" +
		"   run\tf\t0\tsig=self\n" +
		"  Old\tc\t0\n" +
		"   run\tf\t0\tsig=self\n" +
		"  gone\tf\t0\tsig=x\n" +
		"  load\tf\t0\tsig=uri,dst=\n" +
		"  load\tf\t1\tsig=uri\n"
	got := map[string][][]string{}
	gates := map[string]string{}
	for _, tr := range changedTriggers(t, data) {
		got[tr.Name] = slices.Concat(tr.With, tr.Gated)
		if tr.Gate != nil {
			gates[tr.Name] = tr.Gate.String()
		}
	}
	want := map[string][][]string{
		"Old":  {{WrittenMark, "flavor"}},
		"gone": {{WrittenMark, "flavor"}},
		"load": {{"flavor"}},
		"run":  {{WrittenMark, "Kept", "flavor"}, {WrittenMark, "Old", "flavor"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("triggers %q, want %q", got, want)
	}
	// load stays a function in 2.0, which takes one positional argument
	// (none after a dot, where a class's alias would bind uri) and no
	// keyword but uri, itself left out as a bound call does not name it.
	if want := map[string]string{"load": "=1,0,c"}; !reflect.DeepEqual(gates, want) {
		t.Errorf("gates %q, want %q", gates, want)
	}
}

// TestChangedNamesDeprecatedWritten: an object the target deprecates as
// a whole, whose calls no argument check can report, triggers only where
// a statement writes its name, as one gone does: a function of the same
// signature, one that gained a parameter, one whose keyword **kwargs now
// takes, a class whose __init__ stays one node (its calls are that
// __init__'s). A deprecated function whose calls can break (a keyword
// gone, a parameter no longer positional, a deprecated parameter), and a
// class whose __init__ comes from another base in the target, keep their
// plain trigger.
func TestChangedNamesDeprecatedWritten(t *testing.T) {
	data := "versions\t1.0.0\t2.0.0\n" +
		"mlflow\tm\t*\n" +
		" flavor\tm\t*\n" +
		"  BaseA\tc\t*\n" +
		"   __init__\tf\t*\tsig=self,x\n" +
		"  BaseB\tc\t*\n" +
		"   __init__\tf\t*\tsig=self\n" +
		"  Based\tc\t0\tb=mlflow.flavor.BaseA\n" +
		"  Based\tc\t1\tb=mlflow.flavor.BaseB\tdep=1\n" +
		"  Legacy\tc\t0\n" +
		"  Legacy\tc\t1\tdep=1\n" +
		"  fewer\tf\t0\tsig=uri,dst\n" +
		"  fewer\tf\t1\tsig=uri,+dst\tdep=1\n" +
		"  grown\tf\t0\tsig=uri\n" +
		"  grown\tf\t1\tsig=uri,dst=\tdep=1\n" +
		"  kw\tf\t0\tsig=uri,+dst=\n" +
		"  kw\tf\t1\tsig=uri,**kwargs\tdep=1\n" +
		"  lost\tf\t0\tsig=uri,dst=\n" +
		"  lost\tf\t1\tsig=uri\tdep=1\n" +
		"  same\tf\t0\tsig=uri\n" +
		"  same\tf\t1\tsig=uri\tdep=1\n" +
		"  warned\tf\t0\tsig=uri,dst=\n" +
		"  warned\tf\t1\tsig=uri,dst=\tdep=1\tdepp=dst\n"
	got := map[string][][]string{}
	for _, tr := range changedTriggers(t, data) {
		got[tr.Name] = tr.With
	}
	want := map[string][][]string{
		"Based":  {{"flavor"}},
		"Legacy": {{WrittenMark, "flavor"}},
		"grown":  {{WrittenMark, "flavor"}},
		"kw":     {{WrittenMark, "flavor"}},
		"same":   {{WrittenMark, "flavor"}},
		"lost":   {{"flavor"}},
		"fewer":  {{"flavor"}},
		"warned": {{"flavor"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("triggers %q, want %q", got, want)
	}
}

// triggerNames parses data and returns the names of the triggers of the
// migration from its first release to its second.
func triggerNames(t *testing.T, data string) []string {
	t.Helper()
	var names []string
	for _, tr := range changedTriggers(t, data) {
		names = append(names, tr.Name)
	}
	return names
}

// changedTriggers parses data and returns the triggers of the migration
// from its first release to its second.
func changedTriggers(t *testing.T, data string) []Trigger {
	t.Helper()
	db, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return db.ChangedNames([]int{0}, 1)
}

// TestChangedNamesGained: what only gains breaks nothing: a class whose
// new base gives the old base's members alike and one more, and a value
// that became a class (as protobuf's generated messages did), unless the
// target deprecates it.
func TestChangedNamesGained(t *testing.T) {
	names := triggerNames(t, "versions\t1.0.0\t2.0.0\n"+
		"mlflow\tm\t*\n"+
		" entities\tm\t*\n"+
		"  Big\tc\t1\n"+
		"   extra\tf\t1\tsig=self\n"+
		"   size\tf\t1\tsig=self\n"+
		"  Grown\tc\t0\tb=mlflow.entities.Small\n"+
		"  Grown\tc\t1\tb=mlflow.entities.Big\n"+
		"  Small\tc\t*\n"+
		"   size\tf\t*\tsig=self\n"+
		" protos\tm\t*\n"+
		"  Msg\ta\t0\n"+
		"  Msg\tc\t1\n"+
		"   __init__\tf\t1\tsig=self,x\n"+
		"  Old\ta\t0\n"+
		"  Old\tc\t1\tdep=1\n")
	if want := []string{"Old"}; !reflect.DeepEqual(names, want) {
		t.Errorf("changed names %q, want %q", names, want)
	}
}

// TestChangedNamesMembersOnly: a class whose bases change breaks code
// through the members that no longer resolve alike, not where the class
// alone is written: its triggers are those members' names with its
// makers' words. Run's base lost tags in 2.0, which its base had only in
// 1.1 (a source release whose entry of Run is 1.0's); a dunder name the
// target does not resolve (__metaclass__) is unknown there, never
// reported. Chat's members are unknown in 2.0 (dynamic): what it had
// breaks, as far as the triggers tell. A re-export whose class changed
// has no makers of its own, so its whole path triggers; so does Gone,
// whose __init__ went with it and adds no trigger of calls.
func TestChangedNamesMembersOnly(t *testing.T) {
	db, err := Parse("versions\t1.0.0\t1.1.0\t2.0.0\n" +
		"mlflow\tm\t*\n" +
		" entities\tm\t*\n" +
		"  Alias\tx\t0-1\tt=mlflow.entities.Base\n" +
		"  Alias\tx\t2\tt=mlflow.entities.Base2\n" +
		"  Base\tc\t*\n" +
		"   __metaclass__\ta\t*\n" +
		"   info\tf\t*\tsig=self\n" +
		"   tags\tf\t1-2\tsig=self\n" +
		"  Base2\tc\t2\n" +
		"   info\tf\t2\tsig=self\n" +
		"  Chat\tc\t0-1\tb=mlflow.entities.Base\n" +
		"  Chat\tc\t2\tdyn=1\n" +
		"  Gone\tc\t0-1\n" +
		"   __init__\tf\t0-1\tsig=self,x\n" +
		"  Run\tc\t0-1\tb=mlflow.entities.Base\n" +
		"  Run\tc\t2\tb=mlflow.entities.Base2\n")
	if err != nil {
		t.Fatal(err)
	}
	got := db.ChangedNames([]int{0, 1}, 2)
	want := []Trigger{
		{"Alias", [][]string{{"entities"}}, nil, nil},
		{"Gone", [][]string{{WrittenMark, "entities"}}, nil, nil},
		{"info", [][]string{{"Chat", "entities"}}, nil, nil},
		{"tags", [][]string{{"Chat", "entities"}, {"Run", "entities"}}, nil, nil},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ChangedNames = %v\nwant %v", got, want)
	}
}

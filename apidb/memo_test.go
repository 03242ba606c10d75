package apidb

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"unsafe"
)

// TestResolveMemo: Resolve and Member answer with the memo what the walk
// answers without it, for paths that exist, that are missing in some
// releases and that the data cannot tell, asked twice and from several
// goroutines at once (run under -race in CI), past the memo's bound; the
// memo holds no more than its bound, and copies of the paths it is asked.
// Params reads each signature as parseParams does. A question longer than
// any path of the data is not kept.
func TestResolveMemo(t *testing.T) {
	strict, err := Parse(embedded)
	if err != nil {
		t.Fatal(err)
	}
	db, err := parseLazy(embedded)
	if err != nil {
		t.Fatal(err)
	}
	type question struct{ path, name string }
	var qs []question
	for _, n := range strict.nodes() {
		// The memo keeps no question longer than memoMaxKey bytes: every
		// path of the data fits.
		if len(n.Path()) > memoMaxKey {
			t.Fatalf("%s: %d bytes, longer than the memo keeps", n.Path(), len(n.Path()))
		}
	}
	for i, n := range strict.nodes() {
		if i%23 != 0 {
			continue
		}
		p := n.Path()
		qs = append(qs, question{path: p}, question{path: p + ".no_such_member"}, question{path: p, name: "__init__"})
		if i := strings.LastIndexByte(p, '.'); i > 0 {
			qs = append(qs, question{path: p[:i], name: p[i+1:]})
		}
	}
	qs = append(qs, question{path: "sklearn.base"}, question{path: "mlflow"})
	walk := func(q question, v int) Resolved {
		if q.name == "" {
			return db.resolveFrom(q.path, v, 0)
		}
		r := db.resolveFrom(q.path, v, 0)
		if r.Status != Found {
			return Resolved{Status: Unknown}
		}
		c, ce, st := db.member(r.Node, r.Entry, q.name, v, 0)
		if st != Found {
			return Resolved{Status: st}
		}
		return Resolved{Status: Found, Node: c, Entry: ce}
	}
	ask := func(q question, v int) Resolved {
		if q.name == "" {
			return db.Resolve(q.path, v)
		}
		return db.Member(q.path, q.name, v)
	}
	versions := len(db.Versions())
	if len(qs)*versions <= memoShards*memoShardSize {
		t.Fatalf("%d questions do not pass the memo's bound", len(qs)*versions)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i, q := range qs {
				for v := (i + g) % versions; v < versions; v += 3 {
					want := walk(q, v)
					for range 2 {
						if got := ask(q, v); got != want {
							select {
							case errs <- q.path + " " + q.name + ": memo and walk differ":
							default:
							}
							return
						}
					}
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	held := 0
	for i := range db.memo.shards {
		sh := &db.memo.shards[i]
		if len(sh.m) > memoShardSize {
			t.Errorf("shard %d holds %d answers, bound %d", i, len(sh.m), memoShardSize)
		}
		held += len(sh.m)
	}
	if held == 0 {
		t.Error("the memo holds nothing")
	}

	// Params answers from the memo what the signature reads, for every
	// function of the sample, twice.
	for _, q := range qs {
		n := db.Node(q.path)
		if n == nil {
			continue
		}
		for i := range n.Entries {
			e := &n.Entries[i]
			sig, _ := e.field("sig")
			want := parseParams(sig)
			for range 2 {
				if got := e.Params(); !slices.Equal(got, want) {
					t.Fatalf("%s: params %v, want %v", q.path, got, want)
				}
			}
		}
	}
	params := 0
	for i := range db.params.shards {
		params += len(db.params.shards[i].m)
	}
	if params == 0 {
		t.Error("the memo holds no signature")
	}

	// A path cut from a larger text is kept as a copy of its own.
	fresh, err := parseLazy(embedded)
	if err != nil {
		t.Fatal(err)
	}
	text := "x = mlflow.pyfunc.log_model(model)\n" + strings.Repeat("# filler\n", 1000)
	path := text[4:27]
	if path != "mlflow.pyfunc.log_model" {
		t.Fatalf("cut %q", path)
	}
	fresh.Resolve(path, fresh.Last())
	start, end := uintptr(unsafe.Pointer(unsafe.StringData(text))), uintptr(unsafe.Pointer(unsafe.StringData(text)))+uintptr(len(text))
	kept := 0
	for i := range fresh.memo.shards {
		for k := range fresh.memo.shards[i].m {
			kept++
			if p := uintptr(unsafe.Pointer(unsafe.StringData(k.path))); p >= start && p < end {
				t.Error("the memo keeps the text a path was cut from")
			}
		}
	}
	if kept != 1 {
		t.Errorf("the memo holds %d answers after one question", kept)
	}
	// A question longer than any path of the data is answered, not kept.
	long := "mlflow" + strings.Repeat(".pyfunc", memoMaxKey/7+1)
	if r := fresh.Resolve(long, fresh.Last()); r.Status == Found {
		t.Errorf("%.40s...: %+v", long, r)
	}
	if r := fresh.Member(path, strings.Repeat("x", memoMaxKey), fresh.Last()); r.Status == Found {
		t.Errorf("a long member: %+v", r)
	}
	kept = 0
	for i := range fresh.memo.shards {
		kept += len(fresh.memo.shards[i].m)
	}
	if kept != 1 {
		t.Errorf("the memo holds %d answers after two long questions", kept)
	}
}

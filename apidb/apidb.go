// Package apidb is MLflow's Python API release by release, as generated
// from MLflow's published wheels by apidb/gen (make apidb): every module,
// class, function, method, property, attribute and re-export, with the
// releases that have it, each callable's parameters, what it returns and
// its deprecation markers. The data is embedded as text (mlflow.api) and
// read lazily: the members of a path when resolution first reaches it
// (Load); names and fields stay substrings of the embedded text, which is
// not on the heap.
package apidb

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	_ "embed"
	"encoding/binary"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"
)

// embedded is the data as apidb/gen writes it: UTF-8 text, uncompressed so
// that loading it costs no gunzip (17 ms, a quarter of a run over one
// small MLflow file).
//
//go:embed mlflow.api
var embedded string

// maxVersions bounds the releases a Set holds.
const maxVersions = 128

// Set is a set of release indexes.
type Set [maxVersions / 64]uint64

// Has reports whether release i is in the set.
func (s Set) Has(i int) bool { return i >= 0 && i < maxVersions && s[i/64]&(1<<(i%64)) != 0 }

func (s *Set) add(i int) { s[i/64] |= 1 << (i % 64) }

// Kind of an API object.
type Kind byte

const (
	Module    Kind = 'm'
	Class     Kind = 'c'
	Function  Kind = 'f' // functions and methods
	Property  Kind = 'p'
	Attribute Kind = 'a'
	Reexport  Kind = 'x' // a name bound to another MLflow object
)

// Entry is one object at one path, for the releases in In. A path whose
// kind or signature changed has one Entry per variant. Its other facts
// are read from the data's fields when asked for.
type Entry struct {
	Kind Kind
	In   Set
	// fields holds the tab-separated key=value fields of the line.
	fields string
	node   *Node
}

// field returns the value of a key=value field, or "".
func (e *Entry) field(key string) (string, bool) {
	rest := e.fields
	for rest != "" {
		var f string
		if i := strings.IndexByte(rest, '\t'); i >= 0 {
			f, rest = rest[:i], rest[i+1:]
		} else {
			f, rest = rest, ""
		}
		if k, v, _ := strings.Cut(f, "="); k == key {
			return v, true
		}
	}
	return "", false
}

// Target is the path a re-export names.
func (e *Entry) Target() string {
	v, _ := e.field("t")
	// "t=mlflow.x." re-exports mlflow.x.<its own name>.
	if strings.HasSuffix(v, ".") {
		v += e.node.Name
	}
	return v
}

// Bases are the MLflow base classes of a class.
func (e *Entry) Bases() []string {
	v, ok := e.field("b")
	if !ok {
		return nil
	}
	return strings.Split(v, ",")
}

// Dynamic is set for a module or class whose members are not all known
// (it defines __getattr__, or a class has a base outside MLflow), and for
// a function that a decorator replaces (a click command): its parameters
// are not known.
func (e *Entry) Dynamic() bool { _, ok := e.field("dyn"); return ok }

// Instance marks an attribute set on instances only (self.x = ... in a
// method): the class object itself lacks it.
func (e *Entry) Instance() bool { _, ok := e.field("inst"); return ok }

// Static marks a staticmethod.
func (e *Entry) Static() bool { _, ok := e.field("static"); return ok }

// Returns is the MLflow class a callable or property returns ("[" and a
// class path for a list of them), or "".
func (e *Entry) Returns() string { v, _ := e.field("ret"); return v }

// Deprecated is set when MLflow marks the object deprecated.
func (e *Entry) Deprecated() bool { _, ok := e.field("dep"); return ok }

// Alt is the replacement a deprecation names.
func (e *Entry) Alt() string { v, _ := e.field("alt"); return v }

// DeprecatedParams are parameters whose use alone warns.
func (e *Entry) DeprecatedParams() []string {
	v, ok := e.field("depp")
	if !ok {
		return nil
	}
	return strings.Split(v, ",")
}

// Params of a callable, in order. The slice is shared: read it only.
func (e *Entry) Params() []Param {
	v, _ := e.field("sig")
	if v == "" || e.node == nil || e.node.db == nil {
		return parseParams(v)
	}
	// The rules read the signature of every call they check, most of
	// them many times a run: each is split once.
	memo := &e.node.db.params
	if ps, ok := memo.get(v, v); ok {
		return ps
	}
	ps := parseParams(v)
	memo.put(v, v, ps)
	return ps
}

// ParamKind is how a parameter takes its argument.
type ParamKind byte

const (
	PositionalOnly ParamKind = iota
	PositionalOrKeyword
	VarPositional
	KeywordOnly
	VarKeyword
)

// Param is one parameter of a callable.
type Param struct {
	Name    string
	Kind    ParamKind
	Default bool
}

// Node is one path of the API with its variants and members.
type Node struct {
	Name    string
	parent  *Node
	Entries []Entry
	db      *DB
	// body is the text of the members' lines (every deeper line after
	// the node's own, up to its next sibling's), read into children on
	// first use (members); line is the number of the line before it.
	body     string
	depth    int32
	line     int32
	once     sync.Once
	children []*Node // sorted by name
	err      error
	// path holds Path, once asked.
	path atomic.Pointer[string]
}

// Path is the node's dotted path. The rules ask it of the objects their
// references resolve to, for every reference: it is joined once per node.
func (n *Node) Path() string {
	if n.parent == nil {
		return n.Name
	}
	if p := n.path.Load(); p != nil {
		return *p
	}
	p := n.parent.Path() + "." + n.Name
	n.path.Store(&p)
	return p
}

// Member returns the member of n named name, or nil.
func (n *Node) Member(name string) *Node {
	kids := n.members()
	i := sort.Search(len(kids), func(i int) bool { return kids[i].Name >= name })
	if i < len(kids) && kids[i].Name == name {
		return kids[i]
	}
	return nil
}

// At returns the entry of n for release i.
func (n *Node) At(i int) *Entry {
	for k := range n.Entries {
		if n.Entries[k].In.Has(i) {
			return &n.Entries[k]
		}
	}
	return nil
}

// DB is the API data.
type DB struct {
	versions []string
	root     *Node
	// rootText is the data from the root's line on.
	rootText string
	// all holds every node, in the order of the data (depth first), once
	// loadAll has read them.
	allOnce sync.Once
	all     []*Node
	allErr  error
	// Inputs are the header comments: the generator and the pinned wheels.
	Inputs []string

	makersOnce sync.Once
	makerNodes map[*Node][]*Node

	// memo keeps the answers of Resolve and Member, params the
	// parameters of each signature read.
	memo   memo[memoKey, Resolved]
	params memo[string, []Param]
}

// Load returns the embedded data, parsed on first use.
var Load = sync.OnceValue(func() *DB {
	db, err := parseLazy(embedded)
	if err != nil {
		panic("apidb: embedded data: " + err.Error())
	}
	return db
})

// embeddedLoader returns a function that gunzips and parses an embedded
// data file on its first call and returns the same value on every call.
// The embedded files are written by the generators and checked by the
// tests, so one that does not parse is a broken build: it panics, naming
// the file.
func embeddedLoader[T any](raw []byte, what string, parse func(string) (T, error)) func() T {
	load := sync.OnceValues(func() (T, error) {
		text, err := gunzip(raw)
		if err != nil {
			var zero T
			return zero, err
		}
		return parse(text)
	})
	return func() T {
		v, err := load()
		if err != nil {
			panic("apidb: embedded " + what + ": " + err.Error())
		}
		return v
	}
}

// Newest returns the newest release of the embedded data, read from its
// header without parsing the rest.
func Newest() string {
	vs := Versions()
	return vs[len(vs)-1]
}

// Versions lists the releases of the embedded data, oldest first, read
// from its header without parsing the rest (see Select).
func Versions() []string {
	headerOnce.Do(func() {
		for text := embedded; text != ""; {
			line, rest, _ := strings.Cut(text, "\n")
			if v, ok := strings.CutPrefix(line, "versions\t"); ok {
				headerVersions = strings.Split(v, "\t")
				return
			}
			if !strings.HasPrefix(line, "#") && line != "" {
				break
			}
			text = rest
		}
		panic("apidb: embedded data has no versions line")
	})
	return headerVersions
}

// DataVersion names the embedded data: its newest release, how many
// releases it holds and the first 12 hex digits of its sha256
// ("3.18.0, 57 releases, sha256:...").
func DataVersion() string {
	sum := dataSum()
	return fmt.Sprintf("%s, %d releases, sha256:%x", Newest(), len(Versions()), sum[:6])
}

// dataSum is the sha256 of the embedded data, computed once (2 ms), over
// the string's bytes in place rather than a 3.4 MB copy.
var dataSum = sync.OnceValue(func() [sha256.Size]byte {
	return sha256.Sum256(unsafe.Slice(unsafe.StringData(embedded), len(embedded)))
})

var (
	headerOnce     sync.Once
	headerVersions []string
)

// gunzip returns the text of gzip data. It writes into a builder sized
// from the gzip trailer (the uncompressed size modulo 2^32), so the text is
// allocated once: no doubling buffer, no copy into a string.
func gunzip(b []byte) (string, error) {
	z, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return "", err
	}
	var sb strings.Builder
	if len(b) >= 4 {
		sb.Grow(int(binary.LittleEndian.Uint32(b[len(b)-4:])))
	}
	if _, err := io.Copy(&sb, z); err != nil {
		return "", err
	}
	return sb.String(), nil
}

// Versions lists the releases in the data, oldest first.
func (db *DB) Versions() []string { return db.versions }

// Index returns the index of a release ("2.9.2").
func (db *DB) Index(version string) (int, bool) {
	for i, v := range db.versions {
		if v == version {
			return i, true
		}
	}
	return -1, false
}

// Node returns the node of an exact path (no re-export followed), or nil.
func (db *DB) Node(path string) *Node {
	comps := strings.Split(path, ".")
	if comps[0] != db.root.Name {
		return nil
	}
	n := db.root
	for _, c := range comps[1:] {
		if n = n.Member(c); n == nil {
			return nil
		}
	}
	return n
}

// Parse reads data in the format apidb/gen/generate.py writes: comment
// lines, a `versions` line, then one line per path variant, indented by
// its depth: name, kind, releases (index ranges or *) and key=value fields,
// separated by tabs. The variants of a path are consecutive lines, and
// members follow their path's lines, by name. Every line is read and
// checked.
func Parse(text string) (*DB, error) {
	db, err := parseLazy(text)
	if err != nil {
		return nil, err
	}
	// The root's own parse reads its line only: a second line at its
	// depth is looked for here.
	top := &Node{depth: -1, body: db.rootText, line: db.root.line - 1, db: db}
	kids, err := top.load()
	if err != nil {
		return nil, err
	}
	if len(kids) != 1 {
		return nil, fmt.Errorf("line %d: bad indentation: a second root %q", kids[1].line, kids[1].Name)
	}
	if _, err := db.loadAll(); err != nil {
		return nil, err
	}
	return db, nil
}

// parseLazy reads the header and the root's lines of data in Parse's
// format; the members of a node are read on first use (Node.Member), so a
// run that resolves a few paths reads the lines of the modules on them,
// not the whole data (60,000 paths, 19 ms and 8 MB when read at once).
func parseLazy(text string) (*DB, error) {
	db := &DB{}
	lineNo := 0
	for text != "" {
		line, rest, _ := strings.Cut(text, "\n")
		switch {
		case line == "":
		case line[0] == '#':
			db.Inputs = append(db.Inputs, strings.TrimSpace(line[1:]))
		case strings.HasPrefix(line, "versions\t"):
			db.versions = strings.Split(line[len("versions\t"):], "\t")
			if len(db.versions) > maxVersions {
				return nil, fmt.Errorf("line %d: %d releases, at most %d supported", lineNo+1, len(db.versions), maxVersions)
			}
		default:
			if len(db.versions) == 0 {
				return nil, fmt.Errorf("line %d: a path before the versions line", lineNo+1)
			}
			// The root: the member of a parent whose body is its line,
			// with the rest of the data as its own body (Parse checks
			// that no line of the rest is another root).
			top := &Node{depth: -1, body: text[:len(text)-len(rest)], line: int32(lineNo), db: db}
			kids, err := top.load()
			if err != nil {
				return nil, err
			}
			db.root = kids[0]
			db.root.parent = nil
			db.root.body = rest
			db.rootText = text
			return db, nil
		}
		lineNo++
		text = rest
	}
	return nil, fmt.Errorf("no API data")
}

// members returns the members of n, read from its body on first use.
// The embedded data is checked by the tests (Parse reads all of it), so
// a line that does not read is a broken build: it panics.
func (n *Node) members() []*Node {
	n.once.Do(func() { n.children, n.err = n.load() })
	if n.err != nil {
		panic("apidb: " + n.err.Error())
	}
	return n.children
}

// load reads the members of n from its body: the lines one level deeper
// than n are the members' own (one per variant), and deeper lines are the
// body of the member above them.
func (n *Node) load() ([]*Node, error) {
	db, text := n.db, n.body
	want := int(n.depth) + 1
	var kids []Node
	var entries []Entry
	var owner []int32 // member index per entry
	inBody := false   // deeper lines followed the last member's lines
	lineNo := int(n.line)
	for pos := 0; pos < len(text); {
		if len(kids) > 0 && pos+want < len(text) && text[pos+want] == ' ' {
			// A line of the last member's body (every line of a body
			// is indented past want): skipped without reading it.
			for pos+want < len(text) && text[pos+want] == ' ' {
				lineNo++
				i := strings.IndexByte(text[pos:], '\n')
				if i < 0 {
					pos = len(text)
					break
				}
				pos += i + 1
			}
			inBody = true
			continue
		}
		lineNo++
		next := len(text)
		line := text[pos:]
		if i := strings.IndexByte(line, '\n'); i >= 0 {
			line, next = line[:i], pos+i+1
		}
		depth := 0
		for depth < len(line) && line[depth] == ' ' {
			depth++
		}
		switch {
		case line == "":
			pos = next
			continue
		case depth > want && len(kids) > 0:
			inBody = true
			pos = next
			continue
		case depth != want:
			return nil, fmt.Errorf("line %d: bad indentation", lineNo)
		}
		name, rest, ok1 := strings.Cut(line[depth:], "\t")
		kind, rest, ok2 := strings.Cut(rest, "\t")
		rng, fields, _ := strings.Cut(rest, "\t")
		if !ok1 || !ok2 || len(kind) != 1 || name == "" {
			return nil, fmt.Errorf("line %d: want name, kind and releases", lineNo)
		}
		if strings.IndexByte(name, '.') >= 0 {
			return nil, fmt.Errorf("line %d: a name with a dot", lineNo)
		}
		last := len(kids) - 1
		switch {
		case last >= 0 && kids[last].Name == name:
			if inBody {
				return nil, fmt.Errorf("line %d: a variant of %s after its members", lineNo, name)
			}
		case last >= 0 && kids[last].Name > name:
			return nil, fmt.Errorf("line %d: members out of order", lineNo)
		default:
			if last >= 0 {
				kids[last].body = text[len(text)-len(kids[last].body) : pos]
			}
			kids = append(kids, Node{Name: name, depth: int32(want), db: db})
			last++
		}
		// The body runs from after the member's last line to the next
		// member's first: kept as the tail of text until that is known.
		kids[last].body, kids[last].line = text[next:], int32(lineNo)
		inBody = false
		e := Entry{Kind: Kind(kind[0]), fields: fields}
		if err := db.parseSet(rng, &e.In); err != nil {
			return nil, fmt.Errorf("line %d: %v", lineNo, err)
		}
		entries = append(entries, e)
		owner = append(owner, int32(last))
		pos = next
	}
	// Link, now that the slices no longer move: each member's entries
	// (consecutive lines) and its parent.
	out := make([]*Node, len(kids))
	for i := range kids {
		kids[i].parent = n
		out[i] = &kids[i]
	}
	for i := 0; i < len(entries); {
		j := i
		for j < len(entries) && owner[j] == owner[i] {
			j++
		}
		k := &kids[owner[i]]
		k.Entries = entries[i:j:j]
		for x := range k.Entries {
			k.Entries[x].node = k
		}
		i = j
	}
	return out, nil
}

// loadAll reads every node, in the order of the data (depth first,
// parents before members), once, and returns them.
func (db *DB) loadAll() ([]*Node, error) {
	db.allOnce.Do(func() {
		stack := []*Node{db.root}
		for len(stack) > 0 {
			n := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			db.all = append(db.all, n)
			n.once.Do(func() { n.children, n.err = n.load() })
			if n.err != nil {
				db.allErr = n.err
				return
			}
			for i := len(n.children) - 1; i >= 0; i-- {
				stack = append(stack, n.children[i])
			}
		}
	})
	return db.all, db.allErr
}

// nodes returns every node, in the order of the data (loadAll).
func (db *DB) nodes() []*Node {
	all, err := db.loadAll()
	if err != nil {
		panic("apidb: " + err.Error())
	}
	return all
}

func (db *DB) parseSet(s string, set *Set) error { return parseRanges(s, len(db.versions), set) }

// parseRanges adds the release indexes of a range list ("*", "0-3,7") of
// data with n releases to set.
func parseRanges(s string, n int, set *Set) error {
	if s == "*" {
		set.addRange(0, n-1)
		return nil
	}
	for more := true; more; {
		part := s
		var i int
		if i = strings.IndexByte(s, ','); i >= 0 {
			part, s = s[:i], s[i+1:]
		}
		more = i >= 0
		lo, rest, ok := leadingInt(part)
		hi := lo
		if ok && rest != "" {
			if rest[0] == '-' {
				hi, rest, ok = leadingInt(rest[1:])
			}
			ok = ok && rest == ""
		}
		if !ok || hi < lo || hi >= n {
			return fmt.Errorf("bad release range %q", part)
		}
		set.addRange(lo, hi)
	}
	return nil
}

// leadingInt reads the decimal digits at the start of s (at least one,
// at most four: there are fewer than maxVersions releases).
func leadingInt(s string) (v int, rest string, ok bool) {
	i := 0
	for i < len(s) && i < 5 && s[i] >= '0' && s[i] <= '9' {
		v = v*10 + int(s[i]-'0')
		i++
	}
	return v, s[i:], i > 0 && i < 5
}

// addRange adds the indexes lo to hi (inclusive, 0 <= lo, hi < maxVersions).
func (s *Set) addRange(lo, hi int) {
	for lo <= hi {
		w := lo / 64
		end := min(hi, w*64+63)
		mask := ^uint64(0)
		if n := end - lo + 1; n < 64 {
			mask = 1<<n - 1
		}
		s[w] |= mask << (lo % 64)
		lo = end + 1
	}
}

func parseParams(sig string) []Param {
	if sig == "" {
		return nil
	}
	parts := strings.Split(sig, ",")
	ps := make([]Param, 0, len(parts))
	for _, p := range parts {
		var q Param
		q.Kind = PositionalOrKeyword
		switch {
		case strings.HasPrefix(p, "**"):
			q.Kind, p = VarKeyword, p[2:]
		case strings.HasPrefix(p, "*"):
			q.Kind, p = VarPositional, p[1:]
		case strings.HasPrefix(p, "+"):
			q.Kind, p = KeywordOnly, p[1:]
		case strings.HasPrefix(p, "/"):
			q.Kind, p = PositionalOnly, p[1:]
		}
		q.Name, q.Default = strings.CutSuffix(p, "=")
		ps = append(ps, q)
	}
	return ps
}

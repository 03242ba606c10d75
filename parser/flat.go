package parser

// The flat tree: Parse hands the source to tree-sitter and one C call walks
// the tree with a TSTreeCursor and writes every visible node, in preorder,
// into a Go-allocated array of fixed-size records. Go then lays the nodes
// out so that the children of a node are contiguous, builds the type index,
// and the tree-sitter tree is deleted. Rules afterwards touch only Go
// memory: no cgo call, no C string copy and no node cache per access.
//
// Parsing calls tree-sitter's C API directly rather than through the
// binding's Parser: the binding copies every source into C memory, sets a
// finalizer on each tree and allocates a channel per parse, and its Go
// nodes do not expose the C node the cursor walk needs. The declarations
// below follow tree-sitter's api.h of the version
// github.com/smacker/go-tree-sitter vendors; the functions and the grammar
// (tree_sitter_python) are linked from the binding's own copies.
// TestFlatLayoutMatchesBinding parses every fixture both ways and compares
// the trees node by node, so a change of that API fails loudly.

/*
#include <stdint.h>
#include <stdbool.h>

typedef struct TSTree TSTree;
typedef struct TSParser TSParser;
typedef struct TSLanguage TSLanguage;
typedef struct { uint32_t context[4]; const void *id; const TSTree *tree; } TSNode;
typedef struct { const void *tree; const void *id; uint32_t context[3]; } TSTreeCursor;

extern TSTreeCursor ts_tree_cursor_new(TSNode);
extern void ts_tree_cursor_delete(TSTreeCursor *);
extern TSNode ts_tree_cursor_current_node(const TSTreeCursor *);
extern uint16_t ts_tree_cursor_current_field_id(const TSTreeCursor *);
extern bool ts_tree_cursor_goto_parent(TSTreeCursor *);
extern bool ts_tree_cursor_goto_next_sibling(TSTreeCursor *);
extern bool ts_tree_cursor_goto_first_child(TSTreeCursor *);
extern uint16_t ts_node_symbol(TSNode);
extern uint32_t ts_node_start_byte(TSNode);
extern uint32_t ts_node_end_byte(TSNode);
extern bool ts_node_is_named(TSNode);
extern bool ts_node_is_missing(TSNode);
extern bool ts_node_has_error(TSNode);
extern uint32_t ts_node_descendant_count(TSNode);
extern uint32_t ts_node_child_count(TSNode);
extern TSParser *ts_parser_new(void);
extern void ts_parser_delete(TSParser *);
extern bool ts_parser_set_language(TSParser *, const TSLanguage *);
extern void ts_parser_set_timeout_micros(TSParser *, uint64_t);
extern TSTree *ts_parser_parse_string(TSParser *, const TSTree *, const char *, uint32_t);
typedef struct { uint32_t row; uint32_t column; } TSPoint;
typedef struct { TSPoint start_point; TSPoint end_point; uint32_t start_byte; uint32_t end_byte; } TSRange;
extern bool ts_parser_set_included_ranges(TSParser *, const TSRange *, uint32_t);
extern void ts_parser_reset(TSParser *);
extern TSNode ts_tree_root_node(const TSTree *);
extern void ts_tree_delete(TSTree *);
extern const TSLanguage *tree_sitter_python(void);

static TSParser *ml_parser_new(void) {
	TSParser *p = ts_parser_new();
	if (!ts_parser_set_language(p, tree_sitter_python())) {
		ts_parser_delete(p);
		return 0;
	}
	return p;
}

// ml_parse parses src within timeout microseconds (0: no bound); on
// timeout it returns NULL and resets the parser for its next source.
static TSTree *ml_parse(TSParser *p, const char *src, uint32_t len, uint64_t timeout) {
	ts_parser_set_timeout_micros(p, timeout);
	TSTree *t = ts_parser_parse_string(p, 0, src, len);
	if (!t) ts_parser_reset(p);
	return t;
}

// ml_parse_ranges is ml_parse of the n included ranges r of src (n > 0);
// *bad is set when tree-sitter refuses them. The parser reads the whole
// source again afterwards.
static TSTree *ml_parse_ranges(TSParser *p, const char *src, uint32_t len, uint64_t timeout, const TSRange *r, uint32_t n, bool *bad) {
	*bad = !ts_parser_set_included_ranges(p, r, n);
	if (*bad) return 0;
	TSTree *t = ml_parse(p, src, len, timeout);
	ts_parser_set_included_ranges(p, 0, 0);
	return t;
}

enum { ML_NAMED = 1, ML_MISSING = 2, ML_HAS_ERROR = 4 };

typedef struct {
	uint32_t start, end;
	int32_t parent;
	uint16_t sym, field;
	uint8_t flags;
} ml_rec;

static uint32_t ml_count(const TSTree *t) { return ts_node_descendant_count(ts_tree_root_node(t)); }

static void ml_put(ml_rec *r, TSNode n, int32_t parent, uint16_t field) {
	r->start = ts_node_start_byte(n);
	r->end = ts_node_end_byte(n);
	r->parent = parent;
	r->sym = ts_node_symbol(n);
	r->field = field;
	r->flags = (ts_node_is_named(n) ? ML_NAMED : 0) | (ts_node_is_missing(n) ? ML_MISSING : 0) |
		(ts_node_has_error(n) ? ML_HAS_ERROR : 0);
}

// ml_flatten writes the visible nodes of tree t in preorder and returns
// their number, or -1 when there are more than cap.
static int64_t ml_flatten(const TSTree *t, ml_rec *out, uint32_t cap) {
	if (cap == 0) return -1;
	TSNode root = ts_tree_root_node(t);
	TSTreeCursor c = ts_tree_cursor_new(root);
	ml_put(&out[0], root, -1, 0);
	uint32_t n = 1;
	int32_t cur = 0;
	for (;;) {
		if (ts_tree_cursor_goto_first_child(&c)) {
			if (n == cap) { ts_tree_cursor_delete(&c); return -1; }
			ml_put(&out[n], ts_tree_cursor_current_node(&c), cur, ts_tree_cursor_current_field_id(&c));
			cur = (int32_t)n++;
			continue;
		}
		for (;;) {
			if (ts_tree_cursor_goto_next_sibling(&c)) {
				if (n == cap) { ts_tree_cursor_delete(&c); return -1; }
				ml_put(&out[n], ts_tree_cursor_current_node(&c), out[cur].parent, ts_tree_cursor_current_field_id(&c));
				cur = (int32_t)n++;
				break;
			}
			if (!ts_tree_cursor_goto_parent(&c)) {
				ts_tree_cursor_delete(&c);
				return n;
			}
			cur = out[cur].parent;
		}
	}
}
*/
import "C"

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"
	"unsafe"

	sitter "github.com/smacker/go-tree-sitter"
)

const (
	flagNamed    = C.ML_NAMED
	flagMissing  = C.ML_MISSING
	flagHasError = C.ML_HAS_ERROR

	symError = 65535 // tree-sitter's ts_builtin_sym_error
)

// Node is a syntax tree node of the flat tree. Nodes live in one array per
// file; navigation returns pointers into it and nil where tree-sitter would
// return a null node. A Node must not be used after its File is closed.
//
// A Node holds no pointer: a node finds the others of its array from its
// own place in it (idx), so the array is memory the garbage collector
// never scans, however many trees are alive while it marks. A copy of a
// Node would not sit in the array: go vet's copylocks check reports one
// (noCopy).
type Node struct {
	_          noCopy
	start, end uint32
	parent     int32 // -1 for the root
	first      int32 // index of the first child
	nkids      int32
	nnamed     int32
	idx        int32
	sym, field uint16
	flags      uint8
}

// The grammar's symbol and field names, interned once per process.
var (
	symNames []string
	// symSlot is the index slot of each symbol, -1 for a type not
	// indexed.
	symSlot    []int8
	fieldNames = []string{""}
	fieldIDs   = map[string]uint16{}
)

func init() {
	symNames = make([]string, lang.SymbolCount())
	symSlot = make([]int8, len(symNames))
	for i := range symNames {
		symNames[i] = lang.SymbolName(sitter.Symbol(i))
		symSlot[i] = -1
		if slot, ok := indexSlot[symNames[i]]; ok {
			symSlot[i] = int8(slot)
		}
	}
	for i := 1; i < 1<<16; i++ {
		name := lang.FieldName(i)
		if name == "" {
			break
		}
		fieldNames = append(fieldNames, name)
		fieldIDs[name] = uint16(i)
	}
}

func symName(s uint16) string {
	if int(s) < len(symNames) {
		return symNames[s]
	}
	switch s {
	case symError:
		return "ERROR"
	case symClosed:
		panic("parser: a node of a closed file")
	}
	return lang.SymbolName(sitter.Symbol(s))
}

// symClosed is the symbol of the nodes of a closed file (see recycle):
// none of the grammar's, nor tree-sitter's own (ERROR is 0xFFFF).
const symClosed = 0xFFF0

var errLayout = errors.New("parser: tree-sitter's tree differs from what flat.go expects")

// cParsers are the tree-sitter parsers not in use: one per concurrent
// Parse at most, kept for the process (a sync.Pool would drop them at a
// collection without freeing their C memory).
var cParsers struct {
	mu   sync.Mutex
	free []*C.TSParser
}

var emptySource = []byte{0}

// parseTree parses src with a parser of cParsers; a nil tree means the
// parse ran out of its time bound. The caller deletes the tree. ranges,
// when not empty, are the byte ranges of src to parse (ascending, not overlapping).
func parseTree(src []byte, timeout time.Duration, ranges ...[2]int) (*C.TSTree, error) {
	cParsers.mu.Lock()
	var p *C.TSParser
	if n := len(cParsers.free); n > 0 {
		p = cParsers.free[n-1]
		cParsers.free = cParsers.free[:n-1]
	}
	cParsers.mu.Unlock()
	if p == nil {
		if p = C.ml_parser_new(); p == nil {
			return nil, errors.New("parser: tree-sitter refused the Python grammar")
		}
	}
	defer func() {
		cParsers.mu.Lock()
		cParsers.free = append(cParsers.free, p)
		cParsers.mu.Unlock()
	}()
	if len(src) > math.MaxUint32 {
		return nil, fmt.Errorf("parser: a source of %d bytes is too large", len(src))
	}
	text := src
	if len(text) == 0 {
		text = emptySource
	}
	// The source is Go memory without Go pointers, so C may read it for
	// the duration of the call: no copy.
	if len(ranges) > 0 {
		rs := includedRanges(src, ranges)
		var bad C.bool
		t := C.ml_parse_ranges(p, (*C.char)(unsafe.Pointer(unsafe.SliceData(text))), C.uint32_t(len(src)), C.uint64_t(timeout/time.Microsecond),
			unsafe.SliceData(rs), C.uint32_t(len(rs)), &bad)
		if bad {
			return nil, errors.New("parser: tree-sitter refused the ranges to parse")
		}
		return t, nil
	}
	t := C.ml_parse(p, (*C.char)(unsafe.Pointer(unsafe.SliceData(text))), C.uint32_t(len(src)), C.uint64_t(timeout/time.Microsecond))
	return t, nil
}

// includedRanges gives byte ranges of src their rows and columns.
func includedRanges(src []byte, ranges [][2]int) []C.TSRange {
	out := make([]C.TSRange, len(ranges))
	row, lineStart, at := 0, 0, 0
	point := func(off int) C.TSPoint {
		for at < off {
			i := bytes.IndexByte(src[at:off], '\n')
			if i < 0 {
				at = off
				break
			}
			row++
			at += i + 1
			lineStart = at
		}
		return C.TSPoint{row: C.uint32_t(row), column: C.uint32_t(off - lineStart)}
	}
	for i, r := range ranges {
		out[i].start_point = point(r[0])
		out[i].end_point = point(r[1])
		out[i].start_byte = C.uint32_t(r[0])
		out[i].end_byte = C.uint32_t(r[1])
	}
	return out
}

var recPool = sync.Pool{New: func() any { return new([]C.ml_rec) }}

type scratch struct{ cnt, next, pos []int32 }

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

func (s *scratch) grow(n int) (cnt, next, pos []int32) {
	if cap(s.cnt) < n {
		s.cnt, s.next, s.pos = make([]int32, n), make([]int32, n), make([]int32, n)
	}
	s.cnt, s.next, s.pos = s.cnt[:n], s.next[:n], s.pos[:n]
	clear(s.cnt)
	s.pos[0] = 0
	return s.cnt, s.next, s.pos
}

// parseFlat parses src (or its ranges, see parseTree) into a flat tree, its
// nodes with the root first; no nodes without an error means the parse
// ran out of its time bound.
func parseFlat(src []byte, timeout time.Duration, ranges ...[2]int) ([]Node, *Index, error) {
	tree, err := parseTree(src, timeout, ranges...)
	if tree == nil || err != nil {
		return nil, nil, err
	}
	defer deleteTree(tree)
	return flatten(tree)
}

// nodePool holds the node arrays of closed files for the next parse: a
// file's nodes die with it (File.Close), and the arrays were the largest
// part of what a run over MLflow's own sources allocated, each
// allocation bringing the collector's next cycle closer (it costs some
// 7% of such a run's CPU). A closed file's nodes are overwritten before
// the array waits here, with nodes whose type panics and whose offsets
// are past any source, so that a node used after its file closed fails
// loudly instead of reading another file's tree. indexPool holds the
// indexes of closed files, their lists emptied.
var (
	nodePool  sync.Pool // *[]Node
	indexPool sync.Pool // *Index
)

// nodesFor returns an array of n nodes, every one of which the caller
// overwrites; a new one has room for a quarter more, so that the next,
// larger file may fit.
func nodesFor(n int) []Node {
	if bp, _ := nodePool.Get().(*[]Node); bp != nil && cap(*bp) >= n {
		return (*bp)[:n]
	}
	return make([]Node, n, n+n/4)
}

// newIndex returns an empty index, a closed file's when there is one.
func newIndex() *Index {
	if x, _ := indexPool.Get().(*Index); x != nil {
		return x
	}
	return &Index{}
}

// recycle poisons the nodes of a closed file, empties its index, and
// keeps both for the next parse.
func recycle(nodes []Node, idx *Index) {
	if nodes != nil {
		for i := range nodes {
			// A type that panics, offsets past any source, no parent,
			// children past the array.
			nodes[i] = Node{start: math.MaxUint32, end: math.MaxUint32, parent: -1, first: math.MaxInt32, sym: symClosed, idx: int32(i)}
		}
		nodePool.Put(&nodes)
	}
	if idx != nil {
		for i, ns := range idx.lists {
			clear(ns)
			idx.lists[i] = ns[:0]
		}
		indexPool.Put(idx)
	}
}

func deleteTree(tree cTree) { C.ts_tree_delete(tree) }

// cTree is a tree-sitter tree, for the tests and benchmarks (which cannot
// name C types).
type cTree = *C.TSTree

// flatten copies tree into a flat tree (its root first) and fills its
// index.
func flatten(tree *C.TSTree) ([]Node, *Index, error) {
	count := uint32(C.ml_count(tree))
	bp := recPool.Get().(*[]C.ml_rec)
	defer recPool.Put(bp)
	if cap(*bp) < int(count) {
		*bp = make([]C.ml_rec, count)
	}
	recs := (*bp)[:count]
	n := int64(C.ml_flatten(tree, unsafe.SliceData(recs), C.uint32_t(count)))
	if n < 0 {
		return nil, nil, fmt.Errorf("%w: more nodes than the %d counted", errLayout, count)
	}
	recs = recs[:n]

	// Lay out the children of each node contiguously: count children,
	// give each node (visited before its children in preorder) its run of
	// slots, then place each node in its parent's run. cnt, next and pos are
	// indexed by preorder position.
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	cnt, next, pos := sc.grow(int(n))
	for i := 1; i < int(n); i++ {
		cnt[recs[i].parent]++
	}
	free := int32(1)
	for i := 0; i < int(n); i++ {
		if i > 0 {
			p := recs[i].parent
			pos[i] = next[p]
			next[p]++
		}
		next[i] = free
		free += cnt[i]
	}
	nodes := nodesFor(int(n))
	for i := 0; i < int(n); i++ {
		r := &recs[i]
		at := pos[i]
		nd := &nodes[at]
		*nd = Node{start: uint32(r.start), end: uint32(r.end), parent: -1, first: next[i] - cnt[i], nkids: cnt[i],
			idx: at, sym: uint16(r.sym), field: uint16(r.field), flags: uint8(r.flags)}
		if i > 0 {
			nd.parent = pos[r.parent]
			if nd.flags&flagNamed != 0 {
				nodes[nd.parent].nnamed++
			}
		}
	}
	// The index, in preorder (source order) per type.
	idx := newIndex()
	slots := symSlot
	for i := 0; i < int(n); i++ {
		if s := recs[i].sym; int(s) < len(slots) && slots[s] >= 0 {
			slot := slots[s]
			idx.lists[slot] = append(idx.lists[slot], &nodes[pos[i]])
		}
	}
	return nodes, idx, nil
}

// noCopy makes go vet report a copy of the struct that holds it.
type noCopy struct{}

func (*noCopy) Lock()   {}
func (*noCopy) Unlock() {}

// at returns the node at index i of n's array: n sits at n.idx of it.
func (n *Node) at(i int32) *Node {
	return (*Node)(unsafe.Add(unsafe.Pointer(n), (int(i)-int(n.idx))*int(unsafe.Sizeof(Node{}))))
}

// Type returns the node's grammar type ("call", "identifier", "(").
func (n *Node) Type() string { return symName(n.sym) }

// StartByte returns the offset of the node's first byte.
func (n *Node) StartByte() uint32 { return n.start }

// EndByte returns the offset just after the node's last byte.
func (n *Node) EndByte() uint32 { return n.end }

// IsNull reports whether n is nil (the flat tree has no null nodes).
func (n *Node) IsNull() bool { return n == nil }

// IsNamed reports whether the node is named in the grammar.
func (n *Node) IsNamed() bool { return n.flags&flagNamed != 0 }

// IsMissing reports whether the parser inserted the node to recover.
func (n *Node) IsMissing() bool { return n.flags&flagMissing != 0 }

// IsError reports whether the node is an ERROR node.
func (n *Node) IsError() bool { return n.sym == symError }

// HasError reports whether the node is or contains a syntax error.
func (n *Node) HasError() bool { return n.flags&flagHasError != 0 }

// Parent returns the parent node, nil for the root.
func (n *Node) Parent() *Node {
	if n.parent < 0 {
		return nil
	}
	return n.at(n.parent)
}

// ChildCount returns the number of children, anonymous ones included.
func (n *Node) ChildCount() uint32 { return uint32(n.nkids) }

// Child returns the i-th child, or nil.
func (n *Node) Child(i int) *Node {
	if i < 0 || i >= int(n.nkids) {
		return nil
	}
	return n.at(n.first + int32(i))
}

// NamedChildCount returns the number of named children.
func (n *Node) NamedChildCount() uint32 { return uint32(n.nnamed) }

// NamedChild returns the i-th named child, or nil.
func (n *Node) NamedChild(i int) *Node {
	if i < 0 || i >= int(n.nnamed) {
		return nil
	}
	if n.nnamed == n.nkids {
		return n.at(n.first + int32(i))
	}
	for j := n.first; j < n.first+n.nkids; j++ {
		c := n.at(j)
		if c.flags&flagNamed != 0 {
			if i == 0 {
				return c
			}
			i--
		}
	}
	return nil
}

// ChildByFieldName returns the first child under the field name, or nil.
func (n *Node) ChildByFieldName(name string) *Node {
	id, ok := fieldIDs[name]
	if !ok {
		return nil
	}
	for j := n.first; j < n.first+n.nkids; j++ {
		if c := n.at(j); c.field == id {
			return c
		}
	}
	return nil
}

// FieldNameForChild returns the field name of the i-th child, or "".
func (n *Node) FieldNameForChild(i int) string {
	c := n.Child(i)
	if c == nil {
		return ""
	}
	return fieldNames[c.field]
}

// NextSibling returns the next child of the parent, or nil.
func (n *Node) NextSibling() *Node {
	p := n.Parent()
	if p == nil || n.idx+1 >= p.first+p.nkids {
		return nil
	}
	return n.at(n.idx + 1)
}

// PrevSibling returns the previous child of the parent, or nil.
func (n *Node) PrevSibling() *Node {
	p := n.Parent()
	if p == nil || n.idx <= p.first {
		return nil
	}
	return n.at(n.idx - 1)
}

// NextNamedSibling returns the next named child of the parent, or nil.
func (n *Node) NextNamedSibling() *Node {
	for s := n.NextSibling(); s != nil; s = s.NextSibling() {
		if s.IsNamed() {
			return s
		}
	}
	return nil
}

// String returns the node as an s-expression of its named nodes with field
// names, as tree-sitter prints trees.
func (n *Node) String() string {
	if n == nil {
		return ""
	}
	var b strings.Builder
	n.sexp(&b, "")
	return b.String()
}

func (n *Node) sexp(b *strings.Builder, field string) {
	if field != "" {
		b.WriteString(field)
		b.WriteString(": ")
	}
	b.WriteByte('(')
	if n.IsMissing() {
		b.WriteString("MISSING ")
	}
	if n.IsNamed() {
		b.WriteString(n.Type())
	} else {
		fmt.Fprintf(b, "%q", n.Type())
	}
	for j := n.first; j < n.first+n.nkids; j++ {
		c := n.at(j)
		if !c.IsNamed() && !c.IsMissing() {
			continue
		}
		b.WriteByte(' ')
		c.sexp(b, fieldNames[c.field])
	}
	b.WriteByte(')')
}

package parser

import (
	"context"
	"testing"

	sitter "github.com/smacker/go-tree-sitter"

	"github.com/mlflowlint/mlflowlint/bench/gen/gencorpus"
)

// benchSources are generated MLflow-heavy modules (bench/gen), the same
// kind of code the benchmark corpus parses.
func benchSources(b *testing.B) ([][]byte, int64) {
	b.Helper()
	files := gencorpus.Generate(1, 40)
	out := make([][]byte, len(files))
	var size int64
	for i, f := range files {
		out[i] = f.Data
		size += int64(len(f.Data))
	}
	return out, size
}

// BenchmarkTreeSitterParse is tree-sitter's parse alone: the bound on what
// Parse can reach.
func BenchmarkTreeSitterParse(b *testing.B) {
	srcs, size := benchSources(b)
	p := sitter.NewParser()
	p.SetLanguage(lang)
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for _, src := range srcs {
			tree, err := p.ParseCtx(context.Background(), nil, src)
			if err != nil {
				b.Fatal(err)
			}
			tree.Close()
		}
	}
}

// BenchmarkParse is Parse: tree-sitter, the flat tree and its index.
func BenchmarkParse(b *testing.B) {
	srcs, size := benchSources(b)
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for _, src := range srcs {
			f, err := Parse(context.Background(), "x.py", src, nil)
			if err != nil {
				b.Fatal(err)
			}
			f.Close()
		}
	}
}

// BenchmarkFlatten is the flat tree (with the index) built from trees
// already parsed.
func BenchmarkFlatten(b *testing.B) {
	srcs, size := benchSources(b)
	var trees []cTree
	for _, src := range srcs {
		tree, err := parseTree(src, 0)
		if err != nil || tree == nil {
			b.Fatal("parse failed", err)
		}
		defer deleteTree(tree)
		trees = append(trees, tree)
	}
	b.SetBytes(size)
	b.ReportAllocs()
	var roots []*Node
	for b.Loop() {
		roots = roots[:0]
		for _, tree := range trees {
			nodes, _, err := flatten(tree)
			if err != nil {
				b.Fatal(err)
			}
			roots = append(roots, &nodes[0])
		}
	}
	nodes := 0
	for _, root := range roots {
		nodes += countNodes(root)
	}
	b.ReportMetric(float64(nodes), "nodes/op")
}

// countNodes counts the nodes of the subtree rooted at n.
func countNodes(n *Node) int {
	c := 1
	for i := 0; i < int(n.ChildCount()); i++ {
		c += countNodes(n.Child(i))
	}
	return c
}

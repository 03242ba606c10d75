package parser

import (
	"context"
	"testing"
)

// TestJoinedLines holds sources tree-sitter parses without an error node
// to the lines Python ends a statement at and the tree does not; the
// valid sources (each compiles with CPython 3.11, but for `type`, which
// 3.12 added) have none.
func TestJoinedLines(t *testing.T) {
	cases := []syntaxCase{
		{"import #c\nmlflow\n", 1},
		{"x = \n1\n", 1},
		{"y = mlflow.\ntensorflow.autolog()\n", 1},
		{"from \nmlflow import x\n", 1},
		{"def f\n(x): pass\n", 1},
		{"if x\n: pass\n", 1},
		{"a = 1 +\n2 +\n3\n", 2},
		{"def f():\n    return 1 +\n    2\n", 1},
		{"import os\r\nx = \r\n1\r\n", 1},

		{"@a\n# c\n@b(\n  1)\nclass C:\n    pass\n", 0},
		{"if x:\n    pass\nelif y:\n    pass\nelse:\n    pass\n", 0},
		{"try:\n    pass\nexcept* E:\n    pass\nfinally:\n    pass\n", 0},
		{"try:\n    pass\nexcept E:\n    pass\nelse:\n    pass\n", 0},
		{"for x in y:\n    pass\nelse:\n    pass\nwhile x:\n    break\nelse:\n    pass\n", 0},
		{"match p:\n    case 1:\n        pass\n    case _:\n        pass\n", 0},
		{"x = (1 +\n     2)\ns = '''a\nb'''\ny = 1 + \\\n    2\n", 0},
		{"a = 1; b = 2\nif a: b\n", 0},
		{"\xEF\xBB\xBFimport os\n", 0},
		{"x = 1\r\ny = 2\r\n  # c\r\n", 0},
		{"async def f():\n    async with a:\n        pass\n    async for b in c:\n        pass\n", 0},
		{"class A:\n    x = 1\n\n    def f(self):\n        # c\n        return 1\n", 0},
		{"\\\nx = 1\n", 0},
		{"type X = int\n", 0},
		{"with (\n    open(a) as b,\n):\n    pass\n", 0},
		{"def f(\n    a,\n) -> int:\n    '''doc\n    '''\n    return a\n", 0},
	}
	checkCleanTrees(t, "joined lines", (*File).JoinedLines, cases)
}

// syntaxCase is a source tree-sitter parses without an error node and
// the count of what Python rejects in it.
type syntaxCase struct {
	src  string
	want int
}

// checkCleanTrees requires each case's source to parse without an error
// node, and count and CheckSyntax to give its want.
func checkCleanTrees(t *testing.T, what string, count func(*File) int, cases []syntaxCase) {
	t.Helper()
	for _, c := range cases {
		f, err := Parse(context.Background(), "", []byte(c.src), nil)
		if err != nil {
			t.Fatal(err)
		}
		if n := f.ErrorCount(); n != 0 {
			t.Errorf("%q: %d error nodes, want none", c.src, n)
		}
		if got := count(f); got != c.want {
			t.Errorf("%q: %d %s, want %d", c.src, got, what, c.want)
		}
		if got, _ := CheckSyntax(context.Background(), []byte(c.src)); got != c.want {
			t.Errorf("%q: CheckSyntax %d, want %d", c.src, got, c.want)
		}
		f.Close()
	}
}

// TestMisindented holds sources tree-sitter parses without an error node
// to the statements Python rejects for their indentation (each raises
// IndentationError or TabError in CPython 3.11); the valid ones (each
// compiles) have none.
func TestMisindented(t *testing.T) {
	cases := []syntaxCase{
		{"from mlflow import A\nmlflow.fastai\nB0=B\"\"\n import mlflow", 1},
		{" x = 1\n", 1},
		{"if x:\n    a = 1\n      b = 2\n", 1},
		{"if x:\n        a = 1\n    b = 2\n", 1},
		{"def f():\n    x = 1\n  y = 2\n", 1},
		{"if x: pass\n    y = 1\n", 1},
		{"if x:\n\tpass\n        pass\n", 1},

		{"if x:\n\tpass\n\tpass\n", 0},
		{"class A:\n    def f(self):\n        pass\n# c\n    x = 1\n", 0},
		{"\xEF\xBB\xBFimport os\n", 0},
		{"x = 1\n\f\nimport os\n", 0},
		{"if x:\n  \tpass\n  \tpass\n", 0},
	}
	checkCleanTrees(t, "misindented", (*File).Misindented, cases)
}

// TestStringEndByQuotes holds StringEnd, which reads a triple-quoted
// string from quote to quote, to a byte-by-byte reading (a backslash
// escapes the byte after it; three quotes end the string) over random
// strings of quotes, backslashes, line breaks and letters.
func TestStringEndByQuotes(t *testing.T) {
	want := func(src []byte) int { // src opens with three quotes
		q := src[0]
		for j := 3; j < len(src); j++ {
			switch src[j] {
			case '\\':
				j++
			case q:
				if j+2 < len(src) && src[j+1] == q && src[j+2] == q {
					return j + 3
				}
			}
		}
		return len(src)
	}
	seed := uint64(3)
	next := func(n int) int {
		seed = seed*6364136223846793005 + 1442695040888963407
		return int(seed>>33) % n
	}
	const alphabet = `"""'\\\\ab` + "\n"
	closed := 0
	for range 100000 {
		src := make([]byte, 3+next(20))
		for k := range src {
			src[k] = alphabet[next(len(alphabet))]
		}
		q := `"'`[next(2)]
		src[0], src[1], src[2] = q, q, q
		got := StringEnd(src, 0)
		if got != want(src) {
			t.Fatalf("StringEnd(%q) = %d, want %d", src, got, want(src))
		}
		if got < len(src) {
			closed++
		}
	}
	if closed < 1000 {
		t.Fatalf("only %d strings closed before the end", closed)
	}
}

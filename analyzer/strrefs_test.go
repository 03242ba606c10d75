package analyzer

import (
	"context"
	"go/token"
	"slices"
	"strings"
	"testing"

	"github.com/mlflowlint/mlflowlint/parser"
)

func TestStringRefs(t *testing.T) {
	cases := []struct {
		name, src string
		want      []string // kind:value or kind:object.value
	}{
		{"patch decorator", "from unittest.mock import patch\n@patch('mlflow.a.b')\ndef t(x): pass\n", []string{"patch:mlflow.a.b"}},
		{"mock module", "from unittest import mock\nmock.patch('mlflow.a')\n", []string{"patch:mlflow.a"}},
		{"mock backport", "import mock\nmock.patch.dict('mlflow.a.D', {})\n", []string{"patch:mlflow.a.D"}},
		{"patch object", "from unittest import mock\nimport mlflow\nmock.patch.object(mlflow.C, 'm')\n", []string{"attr:mlflow.C.m"}},
		{"create true", "from unittest.mock import patch\npatch('mlflow.a', create=True)\n", nil},
		{"create false", "from unittest.mock import patch\npatch('mlflow.a', create=False)\n", []string{"patch:mlflow.a"}},
		{"mocker", "def test(mocker):\n    mocker.patch('mlflow.a')\n    mocker.patch.object(X, 'y')\n", []string{"patch:mlflow.a", "attr:X.y"}},
		{"mocker imported is not the fixture", "import mocker\nmocker.patch('mlflow.a')\n", nil},
		{"monkeypatch string", "def test(monkeypatch):\n    monkeypatch.setattr('mlflow.a.b', 1)\n", []string{"patch:mlflow.a.b"}},
		{"monkeypatch object", "def test(monkeypatch):\n    monkeypatch.setattr(obj, 'b', 1)\n", []string{"attr:obj.b"}},
		{"monkeypatch raising", "def test(monkeypatch):\n    monkeypatch.setattr('mlflow.a.b', 1, raising=False)\n", nil},
		{"import_module", "import importlib\nimportlib.import_module('mlflow.x')\nimportlib.import_module(name)\n", []string{"import:mlflow.x"}},
		{"__import__", "__import__('mlflow.x')\n", []string{"import:mlflow.x"}},
		{"shadowed __import__", "def __import__(n): pass\n__import__('mlflow.x')\n", nil},
		{"getattr", "getattr(o, 'a')\ngetattr(o, 'b', None)\ngetattr(o, name)\n", []string{"attr:o.a"}},
		{"f-string", "from unittest.mock import patch\npatch(f'mlflow.{x}')\n", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := parser.Parse(context.Background(), "t.py", []byte(c.src), token.NewFileSet())
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			r := NewResolver(f)
			var got []string
			for _, s := range r.StringRefs(parser.NewIndex(f.Root).Of("call")) {
				switch s.Kind {
				case RefPatch:
					got = append(got, "patch:"+s.Value)
				case RefImport:
					got = append(got, "import:"+s.Value)
				case RefAttr:
					got = append(got, "attr:"+f.Text(s.Object)+"."+s.Value)
				}
			}
			if strings.Join(got, " ") != strings.Join(c.want, " ") {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

// TestAttrRefWords: the prefilter's gate on whole-string words is the last
// word of every call StringRefs reads an attribute name from.
func TestAttrRefWords(t *testing.T) {
	want := []string{"delattr", "getattr", "object", "setattr"}
	if got := attrRefWords(); !slices.Equal(got, want) {
		t.Errorf("attrRefWords() = %v, want %v", got, want)
	}
}

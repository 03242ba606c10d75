package gencorpus

import "strings"

// Word lists for identifiers, so that files differ in text and not only in shape.
var (
	subjects = []string{"churn", "fraud", "demand", "ranker", "sentiment", "price", "forecast", "segment",
		"anomaly", "uplift", "credit", "click", "retention", "inventory", "routing", "spam", "risk", "lead"}
	nouns = []string{"frame", "batch", "rows", "features", "labels", "weights", "scores", "counts", "window",
		"bucket", "record", "sample", "split", "column", "items", "groups", "stats", "values", "ids", "keys"}
	verbs = []string{"load", "clean", "merge", "score", "split", "scale", "encode", "filter", "collect",
		"resample", "normalize", "validate", "summarize", "bucketize", "aggregate", "export", "prepare"}
	columns = []string{"age", "tenure", "amount", "country", "device", "plan", "visits", "balance", "region",
		"channel", "price", "quantity", "discount", "rating", "duration", "segment_id", "hour", "weekday"}
	targets = []string{"label", "target", "is_fraud", "churned", "clicked", "converted", "y"}
	stdMods = []string{"import argparse", "import json", "import logging", "import os", "import random",
		"import sys", "import time", "from collections import defaultdict", "from dataclasses import dataclass, field",
		"from pathlib import Path", "from typing import Any, Dict, Iterable, List, Optional, Tuple",
		"import itertools", "import functools", "import hashlib", "import tempfile", "import contextlib"}
	thirdMods = []string{"import numpy as np", "import pandas as pd",
		"from sklearn.model_selection import train_test_split",
		"from sklearn.ensemble import RandomForestClassifier, GradientBoostingRegressor",
		"from sklearn.linear_model import LogisticRegression",
		"from sklearn.metrics import accuracy_score, f1_score, roc_auc_score, mean_squared_error",
		"from sklearn.preprocessing import StandardScaler, OneHotEncoder",
		"from sklearn.pipeline import Pipeline", "import yaml"}
)

func (p *pyfile) fname(verb string) string {
	return p.ident(verb + "_" + p.r.pick(nouns))
}

// plainBlock writes one ordinary top-level definition: no MLflow in it.
func (p *pyfile) plainBlock(b *buf) {
	switch p.r.intn(9) {
	case 0:
		p.dataclassBlock(b)
	case 1:
		p.classBlock(b)
	case 2:
		p.pandasBlock(b)
	case 3:
		p.argparseBlock(b)
	case 4:
		p.retryBlock(b)
	case 5:
		p.matchBlock(b)
	default:
		p.funcBlock(b)
	}
	b.line("")
	b.line("")
}

// funcBlock writes a function whose body is a random mix of statements.
func (p *pyfile) funcBlock(b *buf) {
	name := p.fname(p.r.pick(verbs))
	arg := p.r.pick(nouns)
	b.line("def %s(%s, limit: int = %d, verbose: bool = False):", name, arg, p.r.between(3, 500))
	b.in()
	b.line(`"""%s the %s and return what is left."""`, title(p.r.pick(verbs)), arg)
	b.line("result = []")
	b.line("seen = set()")
	p.stmts(b, arg, 0, p.r.between(3, 12))
	b.line("return result")
	b.out()
}

// stmts writes n statements that use the variable v; depth bounds nesting.
func (p *pyfile) stmts(b *buf, v string, depth, n int) {
	for i := 0; i < n; i++ {
		k := p.r.intn(14)
		if depth >= 2 && k < 5 {
			k += 5
		}
		col := p.r.pick(columns)
		switch k {
		case 0:
			b.line("for idx, item in enumerate(%s):", v)
			b.in()
			b.line("if idx >= limit:")
			b.in()
			b.line("break")
			b.out()
			p.stmts(b, "item", depth+1, p.r.between(1, 4))
			b.out()
		case 1:
			b.line("if verbose and len(result) %% %d == 0:", p.r.between(2, 50))
			b.in()
			p.stmts(b, v, depth+1, p.r.between(1, 3))
			b.out()
			b.line("else:")
			b.in()
			b.line("seen.add(%q)", col)
			b.out()
		case 2:
			b.line("try:")
			b.in()
			b.line("value = float(%s[%q])", v, col)
			p.stmts(b, v, depth+1, p.r.between(0, 2))
			b.out()
			b.line("except (KeyError, TypeError, ValueError) as exc:")
			b.in()
			b.line("logging.getLogger(__name__).debug(\"skipping %%s: %%s\", %q, exc)", col)
			b.line("value = %s", p.r.float(0, 3))
			b.out()
		case 3:
			b.line("with open(os.path.join(%q, f\"{len(result)}.json\"), \"w\") as fh:", "/tmp/"+p.r.pick(subjects))
			b.in()
			b.line("json.dump({\"%s\": len(seen), \"limit\": limit}, fh, indent=2)", col)
			b.out()
		case 4:
			b.line("while len(result) < limit and %s:", v)
			b.in()
			b.line("result.append(%s.pop() if hasattr(%s, \"pop\") else None)", v, v)
			b.line("if len(result) > %d:", p.r.between(10, 1000))
			b.in()
			b.line("break")
			b.out()
			b.out()
		case 5:
			b.line("%s_total = sum(x * %s for x in range(limit) if x %% %d)", col, p.r.float(0, 5), p.r.between(2, 7))
		case 6:
			b.line("%s_map = {k: v for k, v in zip(range(limit), %s) if v is not None}", col, v)
		case 7:
			b.line("result.extend(sorted(seen, key=lambda s: (len(s), s))[:%d])", p.r.between(1, 20))
		case 8:
			b.line("message = f\"%s {%s!r} has {len(result)} entries after {limit} steps\"", p.r.pick(verbs), col+"_label")
		case 9:
			b.line("%s_label = %q if len(seen) > %d else %q", col, p.r.pick(subjects), p.r.between(1, 9), p.r.pick(nouns))
		case 10:
			b.line("result.append((%q, round(%s * len(seen), %d)))", col, p.r.float(0, 10), p.r.between(1, 4))
		case 11:
			b.line("assert isinstance(limit, int), \"limit must be an int, got %%r\" %% (limit,)")
		case 12:
			b.line("# %s %s before the %s step", p.r.pick(verbs), p.r.pick(nouns), p.r.pick(verbs))
			b.line("seen.update(str(x) for x in range(%d))", p.r.between(1, 30))
		default:
			b.line("%s_ratio = len(result) / max(1, limit) * %s", col, p.r.float(1, 100))
		}
	}
}

func (p *pyfile) dataclassBlock(b *buf) {
	name := p.ident(title(p.r.pick(subjects)) + "Config")
	b.line("@dataclass")
	b.line("class %s:", name)
	b.in()
	b.line(`"""Settings for the %s job."""`, p.r.pick(subjects))
	b.line("")
	for i, n := 0, p.r.between(3, 10); i < n; i++ {
		switch p.r.intn(4) {
		case 0:
			b.line("%s: int = %d", p.r.pick(columns)+"_"+itoa(i), p.r.between(1, 4096))
		case 1:
			b.line("%s: float = %s", p.r.pick(nouns)+"_"+itoa(i), p.r.float(0, 2))
		case 2:
			b.line("%s: str = %q", p.r.pick(verbs)+"_"+itoa(i), p.r.pick(subjects))
		default:
			b.line("%s: List[str] = field(default_factory=lambda: [%q, %q])", p.r.pick(nouns)+"_"+itoa(i), p.r.pick(columns), p.r.pick(columns))
		}
	}
	b.line("")
	b.line("def as_dict(self) -> Dict[str, Any]:")
	b.in()
	b.line("return {k: getattr(self, k) for k in self.__dataclass_fields__}")
	b.out()
	b.out()
}

func (p *pyfile) classBlock(b *buf) {
	name := p.ident(title(p.r.pick(nouns)) + title(p.r.pick([]string{"store", "cache", "loader", "buffer", "registry"})))
	b.line("class %s:", name)
	b.in()
	b.line("def __init__(self, root: str, capacity: int = %d) -> None:", p.r.between(8, 4096))
	b.in()
	b.line("self.root = Path(root)")
	b.line("self.capacity = capacity")
	b.line("self._items: Dict[str, Any] = {}")
	b.line("self._hits = 0")
	b.out()
	b.line("")
	b.line("def __len__(self) -> int:")
	b.in()
	b.line("return len(self._items)")
	b.out()
	b.line("")
	b.line("def get(self, key: str, default: Any = None) -> Any:")
	b.in()
	b.line("if key in self._items:")
	b.in()
	b.line("self._hits += 1")
	b.line("return self._items[key]")
	b.out()
	b.line("return default")
	b.out()
	b.line("")
	b.line("def put(self, key: str, value: Any) -> None:")
	b.in()
	b.line("if len(self._items) >= self.capacity:")
	b.in()
	b.line("oldest = next(iter(self._items))")
	b.line("del self._items[oldest]")
	b.out()
	b.line("self._items[key] = value")
	b.out()
	for i, n := 0, p.r.between(0, 4); i < n; i++ {
		b.line("")
		v := p.r.pick(verbs)
		b.line("def %s_%d(self, %s):", v, i, p.r.pick(nouns))
		b.in()
		b.line("result = []")
		b.line("seen = set()")
		b.line("limit, verbose = self.capacity, False")
		p.stmts(b, "self._items", 1, p.r.between(2, 6))
		b.line("return result")
		b.out()
	}
	b.out()
}

func (p *pyfile) pandasBlock(b *buf) {
	name := p.fname(p.r.pick([]string{"clean", "prepare", "featurize", "load"}))
	c1, c2, c3 := p.r.pick(columns), p.r.pick(columns), p.r.pick(columns)
	b.line("def %s(path: str) -> pd.DataFrame:", name)
	b.in()
	b.line("df = pd.read_csv(path, parse_dates=[%q])", "created_at")
	b.line("df = df.dropna(subset=[%q, %q])", c1, c2)
	b.line("df[%q] = df[%q].clip(lower=0, upper=%d)", c1, c1, p.r.between(10, 100000))
	b.line("df[%q] = np.log1p(df[%q].astype(float))", c2+"_log", c2)
	b.line("df[%q] = df.groupby(%q)[%q].transform(\"mean\")", c3+"_mean", c3, c1)
	if p.r.chance(50) {
		b.line("df = pd.get_dummies(df, columns=[%q], drop_first=True)", p.r.pick(columns))
	}
	b.line("df = df[df[%q] > %s].reset_index(drop=True)", c1, p.r.float(0, 5))
	b.line("return df")
	b.out()
}

func (p *pyfile) argparseBlock(b *buf) {
	name := p.ident("build_parser")
	b.line("def %s() -> argparse.ArgumentParser:", name)
	b.in()
	b.line("parser = argparse.ArgumentParser(description=%q)", "Train the "+p.r.pick(subjects)+" model")
	for i, n := 0, p.r.between(3, 9); i < n; i++ {
		switch p.r.intn(3) {
		case 0:
			b.line("parser.add_argument(\"--%s\", type=int, default=%d)", strings.ReplaceAll(p.r.pick(columns), "_", "-"), p.r.between(1, 512))
		case 1:
			b.line("parser.add_argument(\"--%s\", type=float, default=%s, help=%q)", p.r.pick(nouns), p.r.float(0, 1), "the "+p.r.pick(nouns)+" to use")
		default:
			b.line("parser.add_argument(\"--%s\", action=\"store_true\")", p.r.pick(verbs))
		}
	}
	b.line("return parser")
	b.out()
}

func (p *pyfile) retryBlock(b *buf) {
	name := p.ident("retry")
	b.lines(`
def ` + name + `(times: int = 3, delay: float = ` + p.r.float(0, 3) + `):
    def decorator(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            last = None
            for attempt in range(times):
                try:
                    return fn(*args, **kwargs)
                except OSError as exc:  # network filesystems flake
                    last = exc
                    time.sleep(delay * (2 ** attempt))
            raise RuntimeError(f"gave up after {times} attempts") from last
        return wrapper
    return decorator`)
}

func (p *pyfile) matchBlock(b *buf) {
	name := p.fname("describe")
	b.line("def %s(event: Dict[str, Any]) -> str:", name)
	b.in()
	b.line("match event:")
	b.in()
	for i, n := 0, p.r.between(2, 5); i < n; i++ {
		b.line("case {\"kind\": %q, \"%s\": value}:", p.r.pick(verbs), p.r.pick(columns))
		b.in()
		b.line("return f\"%s={value}\"", p.r.pick(nouns))
		b.out()
	}
	b.line("case [first, *rest]:")
	b.in()
	b.line("return f\"list of {1 + len(rest)} starting with {first}\"")
	b.out()
	b.line("case _:")
	b.in()
	b.line("return \"unknown\"")
	b.out()
	b.out()
	b.out()
}

// title upper-cases the first letter of an ASCII word.
func title(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

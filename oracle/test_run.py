"""Tests of run.py's claims reading and judging, without any MLflow install.

    python3 -m unittest oracle/test_run.py
"""

import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run  # noqa: E402


def write(d, name, text):
    p = os.path.join(d, name)
    with open(p, "w") as f:
        f.write(text)
    return p


WORKS = {"works": True}


def fails(error, message="", errors=None):
    return {"works": False, "error": error, "errors": errors or [error], "message": message}


class LoadClaims(unittest.TestCase):
    def load(self, name, text):
        with tempfile.TemporaryDirectory() as d:
            return run.load_claims(write(d, name, text))

    def test_reads_a_check(self):
        c = self.load("MLF011.toml", 'rule = "MLF011"\n[[check]]\nkind = "keyword"\napi = "a.B"\nkeyword = "k"\n')
        self.assertEqual(c["check"][0]["keyword"], "k")

    def test_rejects(self):
        for name, text, why in [
            ("MLF011.toml", 'rule = "MLF012"\nunconfirmable = "x"\n', "does not match"),
            ("MLF011.toml", 'rule = "MLF011"\n', "neither"),
            ("MLF011.toml", 'rule = "MLF011"\nunconfirmable = "x"\n[[check]]\nkind = "env"\nname = "A"\n', "exclude"),
            ("MLF011.toml", 'rule = "MLF011"\n[[check]]\nkind = "shell"\n', "unknown kind"),
            ("MLF011.toml", 'rule = "MLF011"\n[[check]]\nkind = "keyword"\napi = "a.B"\n', "missing ['keyword']"),
            ("MLF011.toml", 'rule = "MLF011"\n[[check]]\nkind = "env"\nname = "A"\nmodule = "m"\n', "unknown keys"),
            ("MLF011.toml", 'rule = "MLF011"\n[[check]]\nkind = "env"\nname = "A"\nwarns = "W"\n', "warns"),
            ("MLF011.toml", 'rule = "MLF011"\nunconfirmable = ', "MLF011.toml"),
        ]:
            with self.subTest(text=text):
                with self.assertRaises(run.ClaimError) as e:
                    self.load(name, text)
                self.assertIn(why, str(e.exception))


class FixedForm(unittest.TestCase):
    def test_forms(self):
        ch = {"kind": "import", "module": "m.a", "name": "OLD", "fixed": "m.b.NEW", "error": "ImportError"}
        self.assertEqual(run.fixed_form(ch), {"kind": "import", "module": "m.b", "name": "NEW"})
        ch = {"kind": "cli", "command": ["a", "b"], "fixed": ["c", "d"]}
        self.assertEqual(run.fixed_form(ch), {"kind": "cli", "command": ["c", "d"], "option": None})
        ch = {"kind": "cli", "command": ["a"], "option": "--x", "fixed": "--y"}
        self.assertEqual(run.fixed_form(ch)["option"], "--y")
        self.assertIsNone(run.fixed_form({"kind": "env", "name": "A"}))


class Judge(unittest.TestCase):
    ch = {"kind": "keyword", "api": "a.f", "keyword": "k", "target": "3.0.0", "error": "TypeError",
          "message": "unexpected keyword argument 'k'", "fixed": "j"}

    def answers(self, src=WORKS, tgt=None, newest=None, fixed=WORKS):
        bad = fails("TypeError", "got an unexpected keyword argument 'k'")
        a = {("claim", "2.9.2"): src, ("claim", "3.0.0"): tgt or bad, ("claim", run.NEWEST): newest or bad}
        a[("fixed", "3.0.0")] = a[("fixed", run.NEWEST)] = fixed
        return a

    def test_confirmed(self):
        self.assertEqual(run.judge(self.ch, self.answers()), [])

    def test_each_failure_is_reported(self):
        cases = {
            "source 2.9.2": self.answers(src=fails("AttributeError", "no f")),
            "target 3.0.0": self.answers(tgt=fails("ValueError", "unexpected keyword argument 'k'")),
            "newest " + run.NEWEST: self.answers(newest=WORKS),
            "fixed form on 3.0.0": self.answers(fixed=fails("TypeError", "j")),
        }
        for want, ans in cases.items():
            with self.subTest(want=want):
                problems = run.judge(self.ch, ans)
                self.assertTrue(problems and problems[0].startswith(want), problems)

    def test_wrong_message(self):
        ans = self.answers(tgt=fails("TypeError", "missing a required argument: 'k'"))
        self.assertEqual(len(run.judge(self.ch, ans)), 1)

    def test_base_class_matches(self):
        ch = {"kind": "import", "module": "m", "error": "ImportError"}
        gone = fails("ModuleNotFoundError", "No module named 'm'", ["ModuleNotFoundError", "ImportError", "Exception"])
        self.assertEqual(run.judge(ch, {("claim", "2.9.2"): WORKS, ("claim", run.NEWEST): gone}), [])

    def test_warns(self):
        ch = {"kind": "python", "code": "", "warns": "FutureWarning", "message": "deprecated", "source_warns": False}
        warned = {"works": True, "warnings": [["FutureWarning", "x is deprecated"]]}
        silent = {"works": True, "warnings": []}
        self.assertEqual(run.judge(ch, {("claim", "2.9.2"): silent, ("claim", run.NEWEST): warned}), [])
        self.assertEqual(len(run.judge(ch, {("claim", "2.9.2"): warned, ("claim", run.NEWEST): warned})), 1)
        self.assertEqual(len(run.judge(ch, {("claim", "2.9.2"): silent, ("claim", run.NEWEST): silent})), 1)


class Quick(unittest.TestCase):
    def test_subset(self):
        claims = [{"rule": "MLF201", "check": [{"kind": "env", "name": "A", "source": "1.30.1", "target": "2.9.2"}]},
                  {"rule": "MLF011", "check": [{"kind": "env", "name": "A", "target": "3.0.0"}]}]
        out, deferred = run.quick_subset(claims)
        self.assertEqual(out[0]["check"], [])
        self.assertEqual(deferred, {"MLF201": ["1.30.1"]})
        self.assertEqual(out[1]["check"][0]["target"], run.NEWEST)


if __name__ == "__main__":
    unittest.main()

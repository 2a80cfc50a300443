"""Error messages in the user's language (issue #18 point 3).

Every error a user can meet is raised with a :class:`~impacteval.notes.Note` (code
``err_*``): its English text is ``str(exc)``, its Swedish text ``exc.render("sv")``.
These tests check the templates (both languages, the same placeholders, no English in
Swedish), that the raise sites of the converted modules pass a Note, and the command line.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest
from test_report_language import ENGLISH

import impacteval.errors as E
from impacteval import _error_texts_analysis, _error_texts_estimators, _error_texts_input
from impacteval.notes import NOTES, Note

PKG = Path(E.__file__).parent
ERROR_CLASSES = {n for n in E.__all__ if n.endswith("Error")}

#: every module of the package: each raise of an impacteval error passes a Note
CONVERTED: set[str] = {str(p.relative_to(PKG)) for p in PKG.rglob("*.py")}


def _fields(tmpl: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(tmpl) if f}


@pytest.mark.parametrize("mod", [_error_texts_input, _error_texts_estimators, _error_texts_analysis])
def test_every_error_template_has_both_languages_and_the_same_fields(mod):
    assert set(mod.EN) == set(mod.SV)
    for code in mod.EN:
        assert code.startswith("err_"), code
        assert _fields(mod.EN[code]) == _fields(mod.SV[code]), code


def test_no_english_word_in_a_swedish_error_template():
    bad = {}
    for mod in (_error_texts_input, _error_texts_estimators, _error_texts_analysis):
        for code, tmpl in mod.SV.items():
            bare = string.Formatter()
            text = "".join(lit for lit, *_ in bare.parse(tmpl))
            # command-line options and API arguments are code, the same in every language
            # (and quoted option values such as 'analytic')
            text = re.sub(r"--[\w-]+|\b\w+=|'[^']*'", " ", text)
            words = ENGLISH.findall(text)
            if words:
                bad[code] = words
    assert not bad, bad


def _raise_sites(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            f = node.exc.func
            name = f.id if isinstance(f, ast.Name) else getattr(f, "attr", "")
            if name in ERROR_CLASSES:
                yield node.lineno, node.exc


@pytest.mark.parametrize("rel", sorted(CONVERTED) or ["(none yet)"])
def test_converted_modules_raise_notes(rel):
    if rel == "(none yet)":
        pytest.skip("no module converted yet")
    bad = []
    for line, call in _raise_sites(PKG / rel):
        arg = call.args[0] if call.args else None
        ok = (isinstance(arg, ast.Call) and getattr(arg.func, "id", "") == "Note") or \
            isinstance(arg, ast.Name)
        if not ok:
            bad.append(line)
    assert not bad, f"{rel}: raise sites without a Note at lines {bad}"


def test_an_error_renders_in_swedish():
    err = E.MissingColumnError(Note("err_example", column="belopp"))
    assert str(err) == "column 'belopp' is not in the data"
    assert err.render("sv") == "kolumnen 'belopp' finns inte i data"
    assert E.ArgumentError("plain").render("sv") == "plain"
    assert "err_example" in NOTES["sv"]

"""The gettext catalogues: no Dutch sentence left in the code, valid files, every text present."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from planner.i18n import DOMAIN, LOCALE_DIR, RIDER_LANGUAGES

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "planner"
PO_FILES = sorted(LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))

# Function words that mark a Dutch sentence; English shares none of the strong ones.
_DUTCH_STRONG = {
    "de",
    "het",
    "een",
    "niet",
    "geen",
    "naar",
    "uit",
    "bij",
    "zijn",
    "wordt",
    "u",
    "uw",
    "heen",
    "terug",
    "dat",
    "nog",
    "zonder",
    "deze",
    "dit",
    "worden",
    "heeft",
    "er",
    "voor",
    "van",
    "met",
}
# Words of this planner's Dutch that English never uses: a sentence of them has few function words.
_DUTCH_CONTENT = {
    "afstand",
    "bediend",
    "bijeenkomst",
    "chauffeur",
    "controle",
    "deelnemer",
    "deelnemers",
    "dienstregeling",
    "dorp",
    "dorpen",
    "geholpen",
    "heenrit",
    "overtredingen",
    "rit",
    "ritten",
    "terugrit",
    "vervoer",
    "voertuig",
    "voertuigen",
}
_DUTCH_WEAK = {"en", "of", "op", "te", "na", "om", "tot", "als", "aan", "kan", "ook", "maar", "wel"}
_WORD = re.compile(r"[^\W\d_]+")
# The keywords of babel.cfg's extraction (see the Makefile's `messages` target).
_KEYWORDS = {"t": 0, "h": 0, "tn": 0, "hn": 0, "N_": 0, "tc": 1, "NC_": 1}
_BABEL_KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "t": None,
    "h": None,
    "tn": (1, 2),
    "hn": (1, 2),
    "N_": None,
    "tc": ((1, "c"), 2),
    "NC_": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
}


def is_dutch_sentence(text: str) -> bool:
    """Return True for a text of 3 words or more with 2 Dutch words, one of them strong."""
    words = [w.lower() for w in _WORD.findall(text)]
    strong = _DUTCH_STRONG | _DUTCH_CONTENT
    hits = [w for w in words if w in strong or w in _DUTCH_WEAK]
    return len(words) >= 3 and len(hits) >= 2 and any(w in strong for w in hits)


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _python_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


def _string_literals(path: Path):
    """Every string constant but docstrings, and every f-string whole (its values as ``{}``).

    An f-string is read whole too, since its pieces alone can be too short to look Dutch.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            yield node.lineno, node.value
        elif isinstance(node, ast.JoinedStr):
            parts = (v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
            yield node.lineno, "".join(str(part) for part in parts)


@pytest.mark.parametrize(
    ("text", "dutch"),
    [
        ("Er is nog geen vervoer voor u gevonden.", True),
        ("{n} van {total} dorpen geïsoleerd (heen of terug geen eigen vervoer)", True),
        ("de laatste {mode} naar huis vertrekt om {time}", True),
        ("not a CSV or Excel (.xlsx) file", False),
        ("There is a way there but no way home after {end}", False),
        ("Bus and train times come from an example feed, not the official timetable.", False),
        ("{where}: {message}", False),
        ("Tiel - Wamel", False),
        ("{}: afstand {}, {} niet bediend, controle: {} overtredingen", True),
    ],
)
def test_dutch_sentence_detector(text: str, dutch: bool) -> None:
    assert is_dutch_sentence(text) is dutch


def test_no_python_file_holds_a_dutch_sentence() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line}: {text[:60]!r}"
        for path in _python_files()
        for line, text in _string_literals(path)
        if is_dutch_sentence(text)
    ]
    assert found == [], "Dutch sentences belong in planner/locale/nl:\n" + "\n".join(found)


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="msgfmt (Debian gettext) missing")
@pytest.mark.parametrize("po", PO_FILES, ids=lambda p: p.parent.parent.name)
def test_msgfmt_check_passes(po: Path) -> None:
    done = subprocess.run(
        ["msgfmt", "--check", "--output-file=/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_every_language_has_a_catalogue() -> None:
    assert sorted(p.parent.parent.name for p in PO_FILES) == sorted(RIDER_LANGUAGES)


def _catalogue(code: str):
    with (LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as fh:
        return read_po(fh)


def _ids(catalogue) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue if m.id}


def _used_in_python() -> dict[str, str]:
    """Every literal message id passed to a translation call, also inside f-strings."""
    used = {}
    for path in _python_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            index = _KEYWORDS.get(name or "")
            if index is None or len(node.args) <= index:
                continue
            arg = node.args[index]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                used[arg.value] = f"{path.relative_to(ROOT)}:{node.lineno}"
    return used


def _extracted() -> set[str]:
    """The message ids Babel extracts with the project's babel.cfg."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    return {
        m if isinstance(m, str) else m[0]
        for _, _, m, _, _ in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=_BABEL_KEYWORDS
        )
    }


@pytest.mark.parametrize("code", ["nl", "en"])
def test_every_message_in_the_code_is_in_the_catalogue(code: str) -> None:
    catalogue = _catalogue(code)
    ids = _ids(catalogue)
    missing = [f"{where}: {text!r}" for text, where in _used_in_python().items() if text not in ids]
    assert missing == [], "run 'make messages':\n" + "\n".join(missing)
    if code == "nl":
        untranslated = [
            m.id
            for m in catalogue
            if m.id and not all((m.string,) if isinstance(m.string, str) else m.string)
        ]
        assert untranslated == [], f"no Dutch for {untranslated}"


def test_catalogues_match_what_babel_extracts() -> None:
    extracted = _extracted()
    assert _used_in_python().keys() <= extracted, "a translation call Babel cannot see"
    for code in RIDER_LANGUAGES:
        assert _ids(_catalogue(code)) == extracted, f"{code}: run 'make messages'"

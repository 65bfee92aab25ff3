"""The text layer (`newsledger.text`): its data, the one quotation detector, and that no module
outside it spells quotation marks of its own."""
import ast
from pathlib import Path

import pytest

from newsledger.text import calendar, marks, numbers, verbs
from newsledger.text.quotes import QuoteIndex, find_quotes, token_mask

SRC = Path(__file__).resolve().parents[2] / "src" / "newsledger"
TEXT_LAYER = SRC / "text"
# Curly quotation marks and guillemets: only the text layer spells them out.
TYPOGRAPHIC_QUOTES = set("\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e\u2039\u203a")
# Modules allowed a literal of their own, each with its reason. None so far.
ALLOWED: dict[str, str] = {}


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                out.add(id(body[0].value))
    return out


def _quote_literals(path: Path) -> list[str]:
    """`line: literal` for each string literal (docstrings and comments aside) holding a curly
    quotation mark or a guillemet."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    docs = _docstrings(tree)
    return [f"{node.lineno}: {node.value!r}" for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
            and TYPOGRAPHIC_QUOTES & set(node.value)]


def test_no_quote_marks_spelled_outside_the_text_layer():
    found = {}
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if path.is_relative_to(TEXT_LAYER) or rel in ALLOWED:
            continue
        hits = _quote_literals(path)
        if hits:
            found[rel] = hits
    assert not found, f"quotation marks spelled outside newsledger/text (use text.marks): {found}"


def test_the_scan_sees_a_literal_and_spares_docstrings_and_comments(tmp_path):
    p = tmp_path / "m.py"
    p.write_text('"""A “docstring”."""\n# a “comment”\nX = "\u00ab"\ndef f():\n    """“ok”"""\n    return "“"\n',
                 encoding="utf-8")
    assert [h.split(":")[0] for h in _quote_literals(p)] == ["3", "6"]


def test_the_layer_imports_nothing_but_the_standard_library():
    for path in TEXT_LAYER.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                assert node.level == 1 or node.module in ("__future__", "typing"), (path.name, node.module)
                assert node.level <= 1, (path.name, node.module)  # nothing from above newsledger.text
            elif isinstance(node, ast.Import):
                assert all(a.name in ("bisect", "itertools", "re") for a in node.names), path.name


# ---- marks ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("opener, closer", sorted(marks.QUOTE_PAIRS.items()))
def test_pairs_close_what_they_open(opener, closer):
    assert closer in marks.CLOSERS or closer in (marks.DOUBLED_SINGLE, marks.LEFT_DOUBLE)
    assert opener in marks.OPENERS or opener in (marks.BACKTICKS, marks.DOUBLED_SINGLE)
    # the detector finds a quotation opened by one and closed by the other
    if opener not in marks.SINGLE_PAIRS:
        text = f"He said {opener}we will win{closer} and left."
        assert [text[s:e] for s, e in find_quotes(text)] == [f"{opener}we will win{closer}"]


def test_character_classes():
    assert set(marks.QUOTES) == set(marks.OPENERS) | set(marks.CLOSERS)
    assert set(marks.DOUBLE_QUOTES) == set(marks.DOUBLE_OPENERS) | set(marks.DOUBLE_CLOSERS)
    assert set(marks.QUOTES) >= TYPOGRAPHIC_QUOTES
    assert set(marks.APOSTROPHES) <= set(marks.SINGLE_CLOSERS)
    assert not set(marks.DASHES) & set(marks.HYPHENS)
    assert marks.plain_apostrophes("Obama\u2019s") == "Obama's"
    assert "--" in marks.DASH_TOKENS and set(marks.DASHES) <= marks.DASH_TOKENS


# ---- calendar, numbers, verbs ----------------------------------------------------------------------

def test_calendar():
    assert len(calendar.MONTHS) == 12 and len(calendar.WEEKDAYS) == 7
    assert calendar.MONTH_NUMBER["sept"] == calendar.MONTH_NUMBER["september"] == 9
    assert calendar.MONTH_NUMBER["may"] == 5 and calendar.MONTH_NUMBER["dec"] == 12
    assert calendar.WEEKDAY_NUMBER["monday"] == 0 and calendar.WEEKDAY_NUMBER["sunday"] == 6
    assert calendar.SEASONS["autumn"] == calendar.SEASONS["fall"]


def test_numbers():
    assert numbers.SMALL["zero"] == 0 and numbers.SMALL["nineteen"] == 19 and len(numbers.SMALL) == 20
    assert numbers.TENS["ninety"] == 90 and numbers.SCALES["crore"] == 10 ** 7
    assert numbers.ORDINALS["fourth"] == 4


def test_verbs():
    assert verbs.SAYING_CORE <= verbs.SAYING
    assert "say" in verbs.SAYING and "believe" in verbs.BELIEVING and "say" not in verbs.BELIEVING


def test_derived_sets_come_from_the_layer():
    from newsledger.extract import attributions, entities, figures, timex_values
    assert entities.SAY_LEMMAS is verbs.SAYING and attributions.SPEECH_LEMMAS is verbs.SAYING_CORE
    assert figures.SMALL is numbers.SMALL and figures.MONTHS == frozenset(calendar.MONTH_NUMBER)
    assert timex_values.WEEKDAYS is calendar.WEEKDAY_NUMBER and timex_values.MONTHS["sep"] == 9


# ---- the detector ------------------------------------------------------------------------------------

PARAGRAPH = (
    "\u201cWe are not leaving,\u201d the mayor said on Tuesday. \u201cThe river rose "
    "\u2018faster than anyone expected,\u2019 as the engineers put it.\u201d\n"
    'Residents were less sure. "It\'s the third time," said Ana Ruiz, 54.\n'
    "A French official called it \u00ab une catastrophe \u00bb in a statement.\n"
    "\u201cFirst paragraph of a long quote.\n"
    "\u201cAnd its second one,\u201d she added.\n"
    "The council\u2019s 1990s plan was dropped.")


def _quoted(text):
    return [text[s:e] for s, e in find_quotes(text)]


def test_detector_on_a_paragraph():
    assert _quoted(PARAGRAPH) == [
        "\u201cWe are not leaving,\u201d",
        "\u201cThe river rose \u2018faster than anyone expected,\u2019 as the engineers put it.\u201d",
        '"It\'s the third time,"',
        "\u00ab une catastrophe \u00bb",
        "\u201cFirst paragraph of a long quote.\n\u201cAnd its second one,\u201d",
    ]


def test_index_over_the_paragraph():
    q = QuoteIndex(PARAGRAPH)
    inner = PARAGRAPH.index("faster")
    assert q.inside(inner) and q.at(inner)[0] == PARAGRAPH.index("\u201cThe river")
    assert not q.inside(PARAGRAPH.index("mayor")) and not q.inside(PARAGRAPH.index("council"))
    assert q.any_between(0, 5) and not q.any_between(PARAGRAPH.index("Residents"), PARAGRAPH.index('"It'))


class _Tok:
    def __init__(self, idx, text):
        self.idx, self.text = idx, text


def _tokens(text):
    """Whitespace-split tokens with quote marks split off, newlines kept as tokens."""
    import re
    return [_Tok(m.start(), m.group()) for m in re.finditer(r"\n|[^\s\u201c\u201d\u00ab\u00bb\"]+|[\u201c\u201d\u00ab\u00bb\"]", text)]


def test_token_mask():
    toks = _tokens(PARAGRAPH)
    mask = token_mask(QuoteIndex(PARAGRAPH), toks)
    inside = {t.text for t, m in zip(toks, mask) if m}
    outside = {t.text for t, m in zip(toks, mask) if not m}
    assert {"We", "leaving,", "river", "engineers", "time,", "une", "catastrophe", "First", "second"} <= inside
    assert {"mayor", "Tuesday.", "Residents", "Ana", "French", "statement.", "added.", "council\u2019s"} <= outside
    # the outer marks and the line breaks are never inside; a nested quotation's marks are
    spans = find_quotes(PARAGRAPH)
    ends = {s for s, _ in spans} | {e - 1 for _, e in spans}
    assert all(not m for t, m in zip(toks, mask) if t.idx in ends or t.text == "\n")
    nested = [m for t, m in zip(toks, mask) if t.text in ("\u2018faster", "expected,\u2019")]
    assert nested == [True, True]


def test_token_mask_guillemets_on_a_spacy_doc():
    spacy = pytest.importorskip("spacy")
    doc = spacy.blank("en")("Il a dit \u00ab nous restons \u00bb hier.")
    mask = token_mask(QuoteIndex(doc.text), doc)
    assert [t.text for t, m in zip(doc, mask) if m] == ["nous", "restons"]


def test_an_opening_mark_typed_for_the_closing_one_closes_its_paragraph():
    text = "\u201cIf they are white, the rate is 33 percent.  If they are Hispanic, 36.\u201c\nWhen it checked"
    assert _quoted(text) == [text[:text.index("\n")]]
    # elsewhere a second opener still means the first one was stray
    text = "A \u201cstray mark and \u201cthe quote,\u201d he said."
    assert _quoted(text) == ["\u201cthe quote,\u201d"]

"""Pinning `newsledger.extract.quotes.find_quotes(text)`: quotation spans (marks included) on raw text."""
import random

import pytest

from newsledger.extract.quotes import QuoteIndex, find_quotes, paragraphs


def quoted(text):
    return [text[s:e] for s, e in find_quotes(text)]


@pytest.mark.parametrize("text, expected", [
    ('He said "yes" and left.', ['"yes"']),
    ("He said “yes” and left.", ["“yes”"]),
    ("He said ''yes'' and left.", ["''yes''"]),
    ("He said ``yes'' and left.", ["``yes''"]),
    ("Il a dit «oui» hier.", ["«oui»"]),
    ('“One,” he said. “Two.” Then "three".', ["“One,”", "“Two.”", '"three"']),
], ids=["straight", "curly", "doubled-single", "latex", "guillemets", "several"])
def test_quote_styles(text, expected):
    assert quoted(text) == expected


def test_spans_are_offsets_with_marks_included():
    text = 'He said "yes" and left.'
    assert find_quotes(text) == [(8, 13)]


def test_apostrophes_are_not_quote_marks():
    text = "She said it’s “a disaster” and the plan’s “dead.” Officials' cars weren't there."
    assert quoted(text) == ["“a disaster”", "“dead.”"]


def test_straight_quote_after_a_digit_is_inches_not_an_opener():
    assert find_quotes('Crews laid a 5" pipe under the road.') == []
    text = 'Crews laid a 5" pipe. The mayor said "it leaks" again.'
    assert quoted(text) == ['"it leaks"']


def test_lone_closing_mark_is_ignored():
    text = "” A lone closer. Then “a quote” here."
    assert quoted(text) == ["“a quote”"]


def test_a_paragraph_opened_with_a_closing_mark_that_closes_again_is_a_quote():
    text = "Getty/Instagram.\n\n”Mr. Trump’s words scare me. He is not fit to lead.” ― Veronica Cruz\n"
    assert quoted(text) == ["”Mr. Trump’s words scare me. He is not fit to lead.”"]
    # not when a word does not follow it, nor when another quote opens before it closes
    assert quoted("”Stray mark at the start of a line, never closed.\nNext line.") == []
    assert quoted("”Then “a quote” here.") == ["“a quote”"]


def test_stray_opener_before_a_real_quote_is_dropped():
    text = "He wrote “ and then “the real quote” here."
    assert quoted(text) == ["“the real quote”"]


def test_unclosed_quote_is_closed_at_the_end_of_its_paragraph():
    text = "“We will stay,\nshe said later."
    assert find_quotes(text) == [(0, len("“We will stay,"))]
    text = "The mayor said “the budget is fine, and the council agreed.  \nThe vote is Tuesday."
    assert quoted(text) == ["“the budget is fine, and the council agreed."]  # trailing spaces left out


def test_unclosed_quote_at_the_end_of_the_text():
    text = "The mayor said “the budget is fine."
    assert quoted(text) == ["“the budget is fine."]


def test_quote_opening_paragraphs_goes_on_while_the_next_opens_with_a_mark():
    text = "“First paragraph.\n“Second paragraph.\n“Third,” he said.\nAfter."
    assert quoted(text) == ["“First paragraph.\n“Second paragraph.\n“Third,”"]


def test_continuation_over_crlf_and_blank_lines():
    text = "“First paragraph.\r\n\r\n“Second,” she said.\r\n"
    assert quoted(text) == ["“First paragraph.\r\n\r\n“Second,”"]


def test_quote_not_going_on_ends_at_its_paragraph():
    text = "“Open one\nNot a quote.\n“Closed.”"
    assert quoted(text) == ["“Open one", "“Closed.”"]


def test_quote_opened_mid_paragraph_goes_on_in_the_next():
    # '“A,” he said. “B.¶“C.”': the paragraph ends without a closing mark and the next one opens
    # with a quote mark, so the quotation goes on, wherever in its paragraph it opened.
    text = "“We must act now,” the mayor said. “The river is rising.\n“Every street gets sandbags.”\nLater."
    assert quoted(text) == ["“We must act now,”", "“The river is rising.\n“Every street gets sandbags.”"]


def test_paragraphs():
    text = "One.\n\n  Two.  \r\nThree."
    assert [text[s:e] for s, e in paragraphs(text)] == ["One.", "Two.", "Three."]


def test_quote_index():
    text = "“One,” he said. “Two.”"
    q = QuoteIndex(text)
    assert q.at(0) == (0, 6) and q.at(8) is None
    assert q.inside(2) and not q.inside(0)
    assert q.following(6, len(text)) == [(16, 22)]


@pytest.mark.parametrize("seed", range(20))
def test_any_marks_never_raise_and_spans_are_sane(seed):
    rng = random.Random(seed)
    pieces = ['"', "“", "”", "''", "``", "«", "»", "„", "’", "'", "\n", "\r\n", " ", "a", "Word", "5", ".", ","]
    text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 60)))
    spans = find_quotes(text)
    prev = 0
    for s, e in spans:
        assert 0 <= s < e <= len(text)
        assert s >= prev  # in order, not overlapping
        prev = e


def test_single_quotes_british_style_and_headlines():
    text = "'We keep paying for it,' Raman said. Trump ‘absolutely right’ on rates."
    assert [text[s:e] for s, e in find_quotes(text)] == ["'We keep paying for it,'", "‘absolutely right’"]


def test_apostrophes_are_not_single_quotes():
    for text in ("He don’t know the voters’ concerns.", "rock 'n' roll in the '90s", "Macron's office"):
        assert find_quotes(text) == []


def test_a_single_quote_inside_a_double_quote_is_part_of_it():
    text = "“They called it ‘a scam’ from the start,” she said."
    assert [text[s:e] for s, e in find_quotes(text)] == ["“They called it ‘a scam’ from the start,”"]


# ------------------------------------------------------------ issue 17: quotations by position

@pytest.mark.parametrize("seed", range(20))
def test_quotations_near_a_span_and_after_it_are_found_as_a_scan_finds_them(seed):
    """`near` (a quotation beside a cue, by bisection) and `iter_following` / `first_following`
    (read one at a time) answer as a scan of every quotation: a text full of quotations and cues
    scanned them all for each cue."""
    rng = random.Random(seed)
    pieces = ["“A,” ", "he said", ". ", "“B.” ", "'C' ", "\n", "x ", "”D” ", ", ", "— "]
    text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
    q = QuoteIndex(text)
    for lo in range(0, len(text) + 1, 3):
        for hi in (lo, lo + 4, lo + 9):
            for gap in (0, 3):
                want = sorted(s for s in q.spans if lo - gap <= s[1] <= lo or hi <= s[0] <= hi + gap)
                assert q.near(lo, hi, gap) == want
        for limit in (lo + 5, len(text)):
            assert list(q.iter_following(lo, limit)) == q.following(lo, limit) == \
                [s for s in q.spans if lo <= s[0] < limit]
            assert q.first_following(lo, limit) == (q.following(lo, limit) or [None])[0]

"""The shipped examples stay what the README promises: wire stories, valid article-v1, with dates."""
import json

from conftest import EXAMPLES
from newsledger.ingest import article_from_json, parse_published, read_inputs


def test_examples_are_wire_stories_of_the_promised_length():
    stories = sorted(EXAMPLES.glob("*.txt"))
    assert 3 <= len(stories) <= 4
    for path in stories:
        text = path.read_text(encoding="utf-8")
        assert 300 <= len(text.split()) <= 600, path.name
        assert " said" in text


def test_examples_cover_the_quote_styles():
    text = "\n".join(p.read_text(encoding="utf-8") for p in EXAMPLES.glob("*.txt"))
    for needle in ("\u201c", "\u201d", '"', "according to", "told reporters", "said that", "warned",
                   "\u201d the minister said.", "he said"):
        assert needle in text, needle
    # A quotation running over two paragraphs: a paragraph that opens a quote and does not close it.
    assert any(p.startswith("\u201c") and p.count("\u201c") > p.count("\u201d")
               for p in text.split("\n\n"))


def test_examples_jsonl_is_article_v1_with_iso_dates():
    lines = (EXAMPLES / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) >= 3
    for line in lines:
        article = article_from_json(json.loads(line))
        assert article.text and article.title
        assert parse_published(article.published) is not None


def test_examples_folder_reads_without_errors():
    got = list(read_inputs(str(EXAMPLES)))
    assert all(type(x).__name__ == "Article" for x in got)
    assert len(got) == len(list(EXAMPLES.glob("*.txt"))) + 3

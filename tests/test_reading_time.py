"""Reading time: Zola's word count and minutes, shown in the article header (translated),
and off by default."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from building import build, write_tree
from test_article_list import article

from sphinx_topofmind import state
from sphinx_topofmind.zola.words import reading_minutes, word_count


def test_zola_word_count_and_reading_time() -> None:
    # Zola's own test cases (components/utils: get_reading_analytics)
    assert (word_count("  "), reading_minutes(word_count("  "))) == (0, 0)
    assert (word_count("Hello World"), reading_minutes(2)) == (2, 1)
    long = " Hello world" * 1000
    assert (word_count(long), reading_minutes(word_count(long))) == (2000, 10)
    assert reading_minutes(200) == 1 and reading_minutes(201) == 2


def test_unicode_word_segmentation() -> None:
    # UAX #29 as Rust's unicode_words(): joiners inside words, punctuation-only runs dropped
    assert word_count("can't stop 3.14 1,000 10:30 a:b ___ foo_bar") == 8
    assert word_count("https://example.com/x-y") == 4
    assert word_count("漢字かな カタカナ") == 5
    # Markdown punctuation is no word; "x.md" is one
    assert word_count("**bold** [link](x.md) `code`") == 4


def test_ascii_text_counts_as_unicode_text() -> None:
    # ASCII text is counted with ASCII classes, other text with Unicode ones: same words
    text = "can't stop 3.14 1,000 10:30 a:b ___ foo_bar x.md __a 1;2 a;b end."
    assert word_count(text) == 14
    assert word_count(text + " é") == 15


CONF = 'extensions = ["sphinx_topofmind"]\ntopofmind_reading_time = True\n'


def words(n: int) -> str:
    return " ".join(f"w{i}" for i in range(n))


def project(root: Path, conf: str = CONF) -> Path:
    return write_tree(
        root,
        {
            "conf.py": conf,
            "index.md": "# Home\n\n```{toctree}\n:glob:\n\nposts/*\n```\n",
            "posts/long.md": article("Long", words(201), date="2024-01-02", tags=("x",)),
            "posts/undated.md": article("Undated", words(5)),
            "posts/nav.md": article("Nav", "One two three.\n\n{{ top_of_mind_nav(selected=1) }}"),
        },
    )


def meta(page: str) -> str:
    found = BeautifulSoup(page, "html.parser").select_one("p.topofmind-article-meta")
    return str(found)


def test_shown_after_the_date(tmp_path: Path) -> None:
    result = build(project(tmp_path / "site"))
    assert result.warnings == []
    assert meta(result.html("posts/long")) == (
        '<p class="topofmind-article-meta"><span class="topofmind-published">'
        # the date links to its year's archive page
        '<a class="topofmind-archive-link reference internal" href="../archive/2024.html">'
        '<time class="topofmind-date" datetime="2024-01-02">January 2, 2024</time></a></span>'
        ' · <span class="topofmind-reading-time">2 min read</span></p>'
    )
    # an article without a date gets a header for it
    assert meta(result.html("posts/undated")) == (
        '<p class="topofmind-article-meta"><span class="topofmind-reading-time">'
        "1 min read</span></p>"
    )


def test_words_are_counted_in_the_markdown_as_written(tmp_path: Path) -> None:
    result = build(project(tmp_path / "site"))
    counts = state.peek(result.app.env, "word_counts")
    # the shortcode call counts as Zola counts it in the raw content
    assert counts == {"posts/long": 201, "posts/undated": 5, "posts/nav": 6}


def test_translated(tmp_path: Path) -> None:
    result = build(project(tmp_path / "de", CONF + 'language = "de"\n'))
    assert '<span class="topofmind-reading-time">2 Min. Lesezeit</span>' in result.html(
        "posts/long"
    )


def test_off_by_default_and_in_text(tmp_path: Path) -> None:
    src = project(tmp_path / "off", 'extensions = ["sphinx_topofmind"]\n')
    assert "topofmind-reading-time" not in build(src).html("posts/long")
    text = build(project(tmp_path / "text"), "text")
    assert "January 2, 2024 · 2 min read" in text.text("posts/long.txt")


LISTED = "# Reading\n\n```{article-list}\n:show: reading_time\n```\n"


def reading_times(page: str) -> list[str]:
    soup = BeautifulSoup(page, "html.parser")
    return [
        span.get_text() for span in soup.select(".topofmind-article-list .topofmind-reading-time")
    ]


def test_a_listing_counts_the_words_the_header_does_not(tmp_path: Path) -> None:
    # the header off (the default): no word is counted while reading ...
    src = project(tmp_path / "off", 'extensions = ["sphinx_topofmind"]\n')
    (src / "list.md").write_text(LISTED, encoding="utf-8")
    (src / "index.md").write_text("# Home\n\n```{toctree}\n:glob:\n\nposts/*\nlist\n```\n")
    off = build(src, freshenv=False)
    assert off.warnings == []
    assert not state.peek(off.app.env, "word_counts")
    # ... and the listing shows what counting while reading gives
    src_on = project(tmp_path / "on")
    (src_on / "list.md").write_text(LISTED, encoding="utf-8")
    (src_on / "index.md").write_text("# Home\n\n```{toctree}\n:glob:\n\nposts/*\nlist\n```\n")
    on = build(src_on)
    assert reading_times(off.html("list")) == reading_times(on.html("list"))
    assert "2 min read" in reading_times(off.html("list"))
    # a body edit that changes a reading time rewrites the listing
    long = src / "posts" / "long.md"
    long.write_text(long.read_text(encoding="utf-8") + " " + words(300), encoding="utf-8")
    again = build(src, freshenv=False)
    assert "list" in again.written
    assert "3 min read" in reading_times(again.html("list"))

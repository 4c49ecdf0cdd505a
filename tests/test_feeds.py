"""Atom feeds of real builds of the example site: valid, complete, absolute, advertised."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import time
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup
from building import build, write_tree
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from sphinx_topofmind.features.feeds import (
    MAX_ENTRY_CATEGORIES,
    EntryData,
    FeedData,
    entry_categories,
    render_feed,
    xml_safe,
)

EXAMPLE = Path(__file__).resolve().parents[1] / "example_site"
BASE = "https://blog.example.org/"
WITH_BASE = {"html_baseurl": BASE}
SERIES_ARTICLES = 12  # content/top-of-mind/*.md, without the section page _index.md
NOTES = 2  # content/notes/*.md, without the draft
TAGS = {
    "code-review",
    "communication",
    "debugging",
    "habits",
    "maintenance",
    "operations",
    "planning",
    "python",
    "teamwork",
    "top-of-mind",
    "writing",
}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    target = tmp_path / "site"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("_build", "__pycache__"))
    return target


def feed_files(outdir: Path) -> list[str]:
    return sorted(str(p.relative_to(outdir)).replace("\\", "/") for p in outdir.rglob("*.xml"))


def parse(path: Path) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(path.read_bytes())
    assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
    assert parsed.version == "atom10", path
    return parsed


def assert_newest_first(parsed: feedparser.FeedParserDict) -> None:
    published = [entry.published_parsed for entry in parsed.entries]
    assert published == sorted(published, reverse=True)


def assert_absolute(parsed: feedparser.FeedParserDict) -> None:
    assert parsed.feed.id.startswith(BASE)
    for link in parsed.feed.links:
        assert link.href.startswith(BASE), link
    for entry in parsed.entries:
        assert entry.id.startswith(BASE)
        assert entry.link.startswith(BASE)
        for link in entry.links:
            assert link.href.startswith(BASE), link


def alternates(page: str) -> dict[str, str]:
    soup = BeautifulSoup(page, "html.parser")
    return {
        link["title"]: link["href"]
        for link in soup.select('head link[rel="alternate"][type="application/atom+xml"]')
    }


def test_html_feeds(site: Path) -> None:
    result = build(site, confoverrides=WITH_BASE)
    assert result.warnings == []
    out = result.outdir
    assert feed_files(out) == sorted(
        ["atom.xml", "feeds/top-of-mind.xml", *(f"tags/{slug}.xml" for slug in TAGS)]
    )
    for path in out.rglob("*.xml"):
        parsed = parse(path)
        assert parsed.entries, path
        assert_newest_first(parsed)
        assert_absolute(parsed)
        for entry in parsed.entries:
            assert "draft" not in entry.link and "half-formed" not in entry.link
            assert "_index" not in entry.link  # section pages are not feed entries
            assert "content" not in entry  # summary mode

    site_feed = parse(out / "atom.xml")
    assert len(site_feed.entries) == SERIES_ARTICLES + NOTES
    assert site_feed.feed.title == "Example Zola blog"
    assert site_feed.entries[0].title == "Learning in Public"
    assert site_feed.entries[0].link == f"{BASE}content/top-of-mind/learning-in-public.html"
    assert {link.rel: link.href for link in site_feed.feed.links} == {
        "alternate": f"{BASE}index.html",
        "self": f"{BASE}atom.xml",
    }
    by_title = {entry.title: entry for entry in site_feed.entries}
    # updated from the front matter's `updated`, published from `date`
    names = by_title["Names Are Interfaces"]
    assert names.published.startswith("2024-01-19") and names.updated.startswith("2024-03-02")
    assert by_title["Read the Error Message"].published == "2024-02-03T10:00:00+00:00"
    # summary: the description, else the first paragraph of the article
    assert by_title["Two at One Keyboard"].summary == (
        "Pairing is less about typing together than thinking out loud together."
    )
    assert by_title["Learning in Public"].summary.startswith(
        "The best time to explain something is right after you understood it"
    )
    assert [tag.term for tag in by_title["Two at One Keyboard"].tags] == [
        "top-of-mind",
        "teamwork",
        "habits",
    ]

    series = parse(out / "feeds/top-of-mind.xml")
    assert len(series.entries) == SERIES_ARTICLES
    assert series.feed.title == "Example Zola blog: Top of Mind"
    assert all("/top-of-mind/" in entry.link for entry in series.entries)

    # each tag feed lists what the tag page lists (both newest first; sections left out)
    for slug in TAGS:
        page = BeautifulSoup((out / f"tags/{slug}.html").read_text(encoding="utf-8"), "html.parser")
        listed = [
            BASE
            + str((out / "tags" / a["href"]).resolve().relative_to(out.resolve())).replace(
                "\\", "/"
            )
            for a in page.select("ul.topofmind-tag-articles a")
        ]
        listed = [url for url in listed if not url.endswith("/_index.html")]
        assert [entry.link for entry in parse(out / f"tags/{slug}.xml").entries] == listed, slug
    habits = parse(out / "tags/habits.xml")
    assert "Half-Formed Ideas" not in [entry.title for entry in habits.entries]  # the draft's tag
    assert not (out / "content/notes/half-formed-ideas.html").exists()


def test_alternate_links_in_pages(site: Path) -> None:
    result = build(site, confoverrides=WITH_BASE)
    site_link = {"Example Zola blog": f"{BASE}atom.xml"}
    series_link = {"Example Zola blog: Top of Mind": f"{BASE}feeds/top-of-mind.xml"}
    assert alternates(result.html("content/top-of-mind/pairing")) == site_link | series_link
    assert alternates(result.html("content/top-of-mind/_index")) == site_link | series_link
    assert alternates(result.html("content/notes/release-checklist")) == site_link
    assert alternates(result.html("index")) == site_link
    assert alternates(result.html("tags/python")) == site_link | {
        "Example Zola blog: python": f"{BASE}tags/python.xml"
    }
    assert alternates(result.html("tags/index")) == site_link


def test_full_content_is_absolute(site: Path) -> None:
    result = build(site, confoverrides={**WITH_BASE, "topofmind_feed_content": "full"})
    assert result.warnings == []
    for path in result.outdir.rglob("*.xml"):
        parsed = parse(path)
        assert_absolute(parsed)
        for entry in parsed.entries:
            assert entry.summary  # the summary stays
            body = entry.content[0].value
            assert entry.content[0].type == "text/html"
            soup = BeautifulSoup(body, "html.parser")
            assert soup.find("h1") is None and soup.select_one(".topofmind-article-header") is None
            assert "¶" not in body
            urls = [tag["href"] for tag in soup.find_all(href=True)]
            urls += [tag["src"] for tag in soup.find_all(src=True)]
            assert urls, entry.link
            for url in urls:
                assert re.match(r"^https?://", url), (entry.link, url)
    pairing = next(
        entry
        for entry in parse(result.outdir / "atom.xml").entries
        if entry.title == "Two at One Keyboard"
    )
    soup = BeautifulSoup(pairing.content[0].value, "html.parser")
    assert soup.find("img")["src"] == f"{BASE}_images/pairing.png"
    hrefs = [a["href"] for a in soup.find_all("a", href=True)]
    assert f"{BASE}content/top-of-mind/kind-code-review.html" in hrefs


def test_dirhtml_urls(site: Path) -> None:
    result = build(site, "dirhtml", confoverrides={**WITH_BASE, "topofmind_feed_content": "full"})
    assert result.warnings == []
    out = result.outdir
    site_feed = parse(out / "atom.xml")
    assert site_feed.entries[0].link == f"{BASE}content/top-of-mind/learning-in-public/"
    assert {link.rel: link.href for link in site_feed.feed.links}["alternate"] == BASE
    python = parse(out / "tags/python.xml")
    assert {link.rel: link.href for link in python.feed.links}["alternate"] == f"{BASE}tags/python/"
    for path in out.rglob("*.xml"):
        parsed = parse(path)
        assert_absolute(parsed)
        for entry in parsed.entries:
            assert entry.link.endswith("/") and ".html" not in entry.link
            # every page link in the content points at a page that exists
            for a in BeautifulSoup(entry.content[0].value, "html.parser").find_all("a", href=True):
                url = a["href"].split("#")[0]
                if url.startswith(BASE) and url.endswith("/"):
                    assert (out / url[len(BASE) :] / "index.html").is_file(), url
    page = (out / "tags/python/index.html").read_text(encoding="utf-8")
    assert alternates(page)["Example Zola blog: python"] == f"{BASE}tags/python.xml"


@pytest.mark.parametrize("builder", ["singlehtml", "latex", "epub"])
def test_no_feeds_in_other_builders(site: Path, builder: str) -> None:
    result = build(
        site, builder, confoverrides={**WITH_BASE, "topofmind_feeds": ["site", "tags", "series"]}
    )
    assert [w for w in result.warnings if "topofmind" in w] == []
    # (epub has XML files of its own: content.opf, toc.ncx, META-INF/container.xml)
    feeds = [
        f
        for f in feed_files(result.outdir)
        if "Atom" in (result.outdir / f).read_text(encoding="utf-8")
    ]
    assert feeds == []
    for page in result.outdir.rglob("*.*html"):
        assert "application/atom+xml" not in page.read_text(encoding="utf-8"), page


def test_without_base_url(site: Path) -> None:
    # asked for: one warning, no feed
    result = build(site, confoverrides={"topofmind_feeds": ["site", "tags"], "html_baseurl": ""})
    assert result.warnings == [
        (
            "WARNING: topofmind_feeds asks for Atom feeds, but neither topofmind_base_url nor "
            "html_baseurl is set: feeds need absolute URLs, so none are written [topofmind.config]"
        )
    ]
    assert feed_files(result.outdir) == []
    assert "application/atom+xml" not in result.html("content/top-of-mind/pairing")
    # the default (None): feeds when a base URL is known, silently none otherwise
    result = build(site, confoverrides={"html_baseurl": ""})
    assert result.warnings == []
    assert feed_files(result.outdir) == []


def test_choice_limit_paths_and_topofmind_base_url(site: Path) -> None:
    result = build(
        site,
        confoverrides={
            "topofmind_base_url": "https://other.example.org/blog/",
            "topofmind_feeds": ["site", "series"],
            "topofmind_feed_limit": 3,
            "topofmind_feed_paths": {"site": "feed.xml", "series": "series/{series}/atom.xml"},
        },
    )
    assert result.warnings == []
    assert feed_files(result.outdir) == ["feed.xml", "series/top-of-mind/atom.xml"]
    site_feed = parse(result.outdir / "feed.xml")
    assert [entry.title for entry in site_feed.entries] == [
        "Learning in Public",
        "Paying Down Documentation Debt",
        "Two at One Keyboard",
    ]
    assert site_feed.feed.id == "https://other.example.org/blog/feed.xml"
    assert (
        site_feed.entries[0].link
        == "https://other.example.org/blog/content/top-of-mind/learning-in-public.html"
    )
    assert len(parse(result.outdir / "series/top-of-mind/atom.xml").entries) == 3
    assert alternates(result.html("tags/python")) == {
        "Example Zola blog": "https://other.example.org/blog/feed.xml"
    }


def test_invalid_values_warn_and_reset(site: Path) -> None:
    result = build(
        site,
        confoverrides={
            **WITH_BASE,
            "topofmind_feeds": ["site", "everything"],
            "topofmind_feed_limit": 0,
            "topofmind_feed_content": "all",
            "topofmind_feed_paths": {"tags": "../{slug}.xml"},
        },
    )
    assert len(result.warnings) == 4
    assert all(w.endswith("[topofmind.config]") for w in result.warnings)
    assert (
        "topofmind_feed_paths path '../{slug}.xml' must be a relative file path"
        in result.warnings[3]
    )
    assert len(feed_files(result.outdir)) == 2 + len(TAGS)  # the defaults


def test_incremental_build_updates_feeds(site: Path) -> None:
    # without the example's sidebars: their recent articles would rewrite every page
    overrides = {
        **WITH_BASE,
        "topofmind_feed_content": "full",
        "html_sidebars": {},
        "templates_path": [],
    }
    first = build(site, confoverrides=overrides)
    assert len(parse(first.outdir / "atom.xml").entries) == SERIES_ARTICLES + NOTES
    write_tree(
        site,
        {
            "content/notes/fresh.md": (
                '+++\ntitle = "Fresh"\ndate = "2024-04-01"\n\n[taxonomies]\ntags = ["python", "new-tag"]\n'
                "+++\n\nA brand [new](@/notes/commit-messages.md) note.\n"
            )
        },
    )
    second = build(site, confoverrides=overrides, freshenv=False)
    assert "content/notes/fresh" in second.read
    assert "content/top-of-mind/pairing" not in second.written  # not rewritten...
    site_feed = parse(second.outdir / "atom.xml")
    assert len(site_feed.entries) == SERIES_ARTICLES + NOTES + 1
    assert site_feed.entries[0].title == "Fresh"
    assert site_feed.entries[0].summary == "A brand new note."
    by_title = {entry.title: entry for entry in site_feed.entries}
    assert (
        "Thinking Out Loud" in by_title["Two at One Keyboard"].content[0].value
    )  # ...content kept
    assert parse(second.outdir / "tags/python.xml").entries[0].title == "Fresh"
    assert [e.title for e in parse(second.outdir / "tags/new-tag.xml").entries] == ["Fresh"]
    assert "Fresh" not in [e.title for e in parse(second.outdir / "feeds/top-of-mind.xml").entries]
    # an article removed: gone from the feeds, and the feed of its now unused tag is deleted
    (site / "content/notes/fresh.md").unlink()
    third = build(site, confoverrides=overrides, freshenv=False)
    assert len(parse(third.outdir / "atom.xml").entries) == SERIES_ARTICLES + NOTES
    assert parse(third.outdir / "tags/python.xml").entries[0].title != "Fresh"
    assert not (third.outdir / "tags/new-tag.xml").exists()


def test_parallel_build_full_content(site: Path) -> None:
    result = build(site, confoverrides={**WITH_BASE, "topofmind_feed_content": "full"}, parallel=2)
    entries = parse(result.outdir / "atom.xml").entries
    assert len(entries) == SERIES_ARTICLES + NOTES
    assert all(entry.get("content") for entry in entries)


# --- text XML cannot hold -------------------------------------------------------------

HOSTILE_CONF = (
    'extensions = ["sphinx_topofmind"]\ntopofmind_content_root = "content"\n'
    f'html_baseurl = "{BASE}"\ntopofmind_feed_content = "full"\n'
)


def test_control_characters_are_left_out_of_the_feeds(tmp_path: Path) -> None:
    site = write_tree(
        tmp_path / "site",
        {
            "conf.py": HOSTILE_CONF,
            "index.md": "# Home\n\n```{toctree}\n:glob:\n\ncontent/*\n```\n",
            # escapes in the front matter: the characters are on no line of the file
            "content/a.md": (
                '+++\ntitle = "Bell\\u0007 title"\ndescription = "Start\\u0001 here"\n'
                'date = 2024-01-03\n\n[taxonomies]\ntags = ["esc\\u001b[31mtag", "plain"]\n'
                "+++\n\n## Body\n\nFine.\n"
            ),
            # raw in the body: a first paragraph and an ANSI-coloured code block
            "content/b.md": (
                '+++\ntitle = "Coloured"\ndate = 2024-01-04\n[taxonomies]\ntags = ["plain"]\n'
                "+++\n\n## Body\n\nA first\x07 paragraph.\n\n"
                "```text\n\x1b[31mred\x1b[0m and\x0c more\n```\n"
            ),
        },
    )
    result = build(site)
    assert result.warnings == [
        (
            f"{site / 'content/a.md'}:1: WARNING: characters that XML cannot hold (U+0007, "
            "U+0001, U+001B) are left out of the Atom feeds (title, summary, tags, feed title) "
            "[topofmind.feed]"
        ),
        (
            f"{site / 'content/b.md'}:10: WARNING: characters that XML cannot hold (U+0007, "
            "U+001B, U+000C) are left out of the Atom feeds (summary, content) [topofmind.feed]"
        ),
    ]
    out = result.outdir
    assert feed_files(out) == ["atom.xml", "tags/esc-31mtag.xml", "tags/plain.xml"]
    for path in out.rglob("*.xml"):
        parse(path)  # well-formed, valid Atom
    by_title = {entry.title: entry for entry in parse(out / "atom.xml").entries}
    assert set(by_title) == {"Bell title", "Coloured"}
    assert by_title["Bell title"].summary == "Start here"
    assert [tag.term for tag in by_title["Bell title"].tags] == ["esc[31mtag", "plain"]
    coloured = by_title["Coloured"]
    assert coloured.summary == "A first paragraph."
    assert "[31mred[0m and more" in BeautifulSoup(coloured.content[0].value, "html.parser").text
    assert parse(out / "tags/esc-31mtag.xml").feed.title.endswith(": esc[31mtag")


#: every character, plus what Hypothesis leaves out by default (lone surrogates) and controls
ANY_CHAR = st.one_of(
    st.characters(),
    st.sampled_from(["\ud800", "\udfff", "\udc80", "\x00", "\x07", "\x1b", "\x0c", "\ufffe"]),
)


@given(st.text(ANY_CHAR, max_size=40))
def test_render_feed_takes_any_string(text: str) -> None:
    when = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    entry = EntryData(
        docname="doc",
        url=BASE + text,
        title=text,
        published=when,
        updated=when,
        summary=text or None,
        content=f"<p>{text}</p>",
        categories=(text, "ok"),
    )
    reported: list[tuple[str | None, str, list[str]]] = []
    feed = FeedData(
        self_url=BASE + "atom.xml",
        title=text,
        alternate=BASE,
        updated=when,
        entries=(entry,),
        subtitle=text or None,
        author=text or None,
        owner="doc",
    )
    data = render_feed(feed, lambda *found: reported.append(found))
    root = etree.fromstring(data)  # well-formed XML
    ns = {"a": "http://www.w3.org/2005/Atom"}
    safe, removed = xml_safe(text)
    # a title with nothing left falls back to the URL (Atom needs one)
    assert root.findtext("a:entry/a:title", namespaces=ns) == (safe or xml_safe(BASE + text)[0])
    assert {ch for _, _, chars in reported for ch in chars} == set(removed)
    assert all(docname in ("doc", None) for docname, _, _ in reported)


def test_xml_safe() -> None:
    assert xml_safe("plain\ttext\n") == ("plain\ttext\n", [])
    assert xml_safe("a\x07b\x1bc\x07") == ("abc", ["\x07", "\x1b"])
    assert xml_safe("lone \ud800 surrogate") == ("lone \ufffd surrogate", ["\ud800"])
    assert xml_safe("\ufffe\uffff\x0c") == ("", ["\ufffe", "\uffff", "\x0c"])


# --- many tags on one article -----------------------------------------------------------


def test_entry_categories_distinct_and_capped() -> None:
    names = [f"t{i}" for i in range(3 * MAX_ENTRY_CATEGORIES)]
    assert entry_categories(["b", "a", "b"]) == ("b", "a")
    assert entry_categories(names) == tuple(names[:MAX_ENTRY_CATEGORIES])


def _feeds_of_one_article_with(n: int) -> float:
    """What write_feeds does for one article with *n* tags: its entry (made once) in the
    site feed and in each of the *n* tag feeds.  CPU seconds."""
    when = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    tags = [f"tag-{i}" for i in range(n)]
    started = time.process_time()
    entry = EntryData(
        docname="doc",
        url=BASE + "doc.html",
        title="Many tags",
        published=when,
        updated=when,
        summary="Summary.",
        categories=entry_categories(tags),
    )
    for tag in ["site", *tags]:
        render_feed(
            FeedData(
                self_url=f"{BASE}tags/{tag}.xml", title=tag, alternate=BASE, updated=when,
                entries=(entry,),
            )
        )  # fmt: skip
    return time.process_time() - started


def test_feeds_linear_in_the_tags_of_one_article() -> None:
    _feeds_of_one_article_with(5)  # warm up (imports)
    small = _feeds_of_one_article_with(30)
    large = _feeds_of_one_article_with(300)
    assert large / max(small, 1e-3) < 30, (small, large)

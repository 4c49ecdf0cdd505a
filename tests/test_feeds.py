"""Atom feeds of real builds of the example site: valid, complete, absolute, advertised."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup
from building import build, write_tree

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
    overrides = {**WITH_BASE, "topofmind_feed_content": "full"}
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

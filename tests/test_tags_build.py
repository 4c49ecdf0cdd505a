"""Tags in real builds: identity, safe slugs, generated pages, directives, role, rebuilds."""

from __future__ import annotations

import re
import time
from pathlib import Path
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup
from building import build, write_tree

CONF = 'extensions = ["sphinx_topofmind"]\ntopofmind_content_root = "content"\n'
INDEX = "# Home\n\n```{toctree}\n:glob:\n\ncontent/**\nall-tags\n```\n"
ALL_TAGS = "# All tags\n\n```{tags-index}\n```\n\nPython posts:\n\n```{tag-list} python\n```\n\nSee {tag}`C++`.\n"


def post(title: str, tags: list[str], *, date: str = "2024-01-01", draft: bool = False) -> str:
    listed = ", ".join('"' + t.replace("\\", "\\\\").replace('"', '\\"') + '"' for t in tags)
    draft_line = "draft = true\n" if draft else ""
    return f'+++\ntitle = "{title}"\ndate = "{date}"\n{draft_line}\n[taxonomies]\ntags = [{listed}]\n+++\n\n## Body\n\nText.\n'


FILES = {
    "content/cpp.md": post("Cpp", ["C++", "Python"], date="2024-03-01"),
    "content/csharp.md": post("Csharp", ["C#"], date="2024-02-01"),
    "content/c-lower.md": post("C lower", ["c"], date="2024-01-01"),
    "content/c-upper.md": post("C upper", ["C", "python"], date="2024-04-01"),
    "content/cafe.md": post("Cafe", ["café", "日本語"]),
    "content/escape.md": post("Escape", ["../x"]),
    "content/empty.md": post("Empty", []),
    "content/blank.md": post("Blank", ["", "ok"]),
    "content/draft.md": post("Draft", ["secret-tag", "python"], draft=True),
    "all-tags.md": ALL_TAGS,
}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "site", {"conf.py": CONF, "index.md": INDEX, **FILES})


def test_exact_pages_and_listings(site: Path) -> None:
    result = build(site)
    assert result.warnings == [
        f"{site / 'content/blank.md'}:6: WARNING: empty tag '' ignored [topofmind.tags]"
    ]
    pages = sorted(
        str(p.relative_to(result.outdir / "tags")) for p in (result.outdir / "tags").rglob("*.html")
    )
    assert pages == sorted(
        [
            "index.html",
            "c-plus-plus.html",
            "c-sharp.html",
            "c.html",
            "python.html",
            "café.html",
            "日本語.html",
            "x.html",
            "ok.html",
        ]
    )
    assert not list(result.outdir.parent.glob("x.html")) and not (result.outdir / "x.html").exists()
    python = BeautifulSoup(
        (result.outdir / "tags/python.html").read_text(encoding="utf-8"), "html.parser"
    )
    titles = [a.get_text() for a in python.select("ul.topofmind-tag-articles a")]
    assert titles == ["C upper", "Cpp"]  # newest first, draft left out
    assert python.select_one("h1").get_text() == "Tag: Python"  # first of the tied spellings
    index = (result.outdir / "tags/index.html").read_text(encoding="utf-8")
    assert "secret-tag" not in index


def test_every_tag_link_lands_on_a_page_listing_the_article(site: Path) -> None:
    result = build(site)
    for source in FILES:
        if not source.startswith("content/") or "draft" in source:
            continue
        docname = source.removesuffix(".md")
        page = result.outdir / f"{docname}.html"
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for link in soup.select("p.topofmind-article-tags a.topofmind-tag"):
            target = (page.parent / unquote(link["href"])).resolve()
            assert target.is_relative_to(result.outdir.resolve())
            listing = BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser")
            hrefs = [
                (target.parent / unquote(a["href"])).resolve()
                for a in listing.select("ul.topofmind-tag-articles a")
            ]
            assert page.resolve() in hrefs, (docname, link["href"])


def test_directives_and_role(site: Path) -> None:
    result = build(site)
    soup = BeautifulSoup(result.html("all-tags"), "html.parser")
    index = soup.select_one("ul.topofmind-tags-index")
    assert index is not None and "C++ (1)" in index.get_text()
    assert soup.select_one('a.topofmind-tag[href="tags/c-plus-plus.html"]').get_text() == "C++"


@pytest.mark.parametrize("builder", ["dirhtml", "singlehtml", "latex", "text", "man", "texinfo"])
def test_every_builder(site: Path, builder: str) -> None:
    result = build(site, builder, confoverrides={"suppress_warnings": ["topofmind.tags"]})
    assert result.warnings == []


def test_dirhtml_urls(site: Path) -> None:
    result = build(site, "dirhtml", confoverrides={"suppress_warnings": ["topofmind.tags"]})
    assert (result.outdir / "tags/c-plus-plus/index.html").is_file()
    assert (result.outdir / "tags/index.html").is_file()
    page = (result.outdir / "content/cpp/index.html").read_text(encoding="utf-8")
    assert 'href="../../tags/c-plus-plus/"' in page


def test_a_source_page_is_never_replaced(tmp_path: Path) -> None:
    src = write_tree(
        tmp_path / "clash",
        {
            "conf.py": CONF,
            "index.md": "# Home\n\n```{toctree}\ntags\ncontent/a\n```\n",
            "tags.md": "# My own tags page\n",
            "content/a.md": post("A", ["t"]),
        },
    )
    result = build(src, "dirhtml")
    assert result.warnings == [
        (
            f"{src / 'tags.md'}: WARNING: this page is written where the generated tags index "
            "('tags/index') would go; the page is kept and no index is generated (set "
            "topofmind_tags_path to move the generated pages) [topofmind.tags]"
        )
    ]
    assert "My own tags page" in (result.outdir / "tags/index.html").read_text(encoding="utf-8")
    assert (result.outdir / "tags/t/index.html").is_file()


def test_retagging_rewrites_the_article_and_removes_unused_pages(tmp_path: Path) -> None:
    src = write_tree(
        tmp_path / "retag",
        {
            "conf.py": CONF,
            "index.md": INDEX.replace("all-tags\n", ""),
            "content/a.md": post("A", ["old"]),
            "content/b.md": post("B", ["keep"]),
        },
    )
    first = build(src)
    assert (first.outdir / "tags/old.html").is_file()
    pages = first.outdir / "tags"
    stamps = {p.name: p.stat().st_mtime_ns for p in pages.glob("*.html")}
    # nothing changed: no tag page is written again
    time.sleep(0.01)
    build(src, freshenv=False)
    assert {p.name: p.stat().st_mtime_ns for p in pages.glob("*.html")} == stamps
    time.sleep(0.01)
    (src / "content/a.md").write_text(post("A", ["new"]), encoding="utf-8")
    second = build(src, freshenv=False)
    assert second.read == ["content/a"]
    assert second.written == ["content/a", "index"]  # index: Sphinx rewrites toctree parents itself
    assert not (second.outdir / "tags/old.html").exists()
    assert (second.outdir / "tags/new.html").is_file()
    assert "new" in (second.outdir / "tags/index.html").read_text(encoding="utf-8")
    # only the pages whose listing changed were written: the index and the new tag
    assert (pages / "keep.html").stat().st_mtime_ns == stamps["keep.html"]
    assert (pages / "index.html").stat().st_mtime_ns != stamps["index.html"]


def test_tag_pages_sort_by_the_instant(tmp_path: Path) -> None:
    # 22:00 at -08:00 on the 1st is 06:00 Z on the 2nd: newer than 01:00 Z on the 2nd
    src = write_tree(
        tmp_path / "instants",
        {
            "conf.py": CONF,
            "index.md": INDEX.replace("all-tags\n", ""),
            "content/utc.md": post("Early UTC", ["t"], date="2024-01-02T01:00:00Z"),
            "content/pacific.md": post("Late Pacific", ["t"], date="2024-01-01T22:00:00-08:00"),
            "content/naive.md": post("Naive", ["t"], date="2024-01-02T03:00:00"),
            "content/day.md": post("Day only", ["t"], date="2024-01-02"),
        },
    )
    result = build(src, confoverrides={"html_baseurl": "https://example.org/"})
    assert result.warnings == []
    page = BeautifulSoup(result.html("tags/t"), "html.parser")
    listed = [a.get_text() for a in page.select("ul.topofmind-tag-articles a")]
    assert listed == ["Late Pacific", "Naive", "Early UTC", "Day only"]
    # the feed agrees with the page
    feed = (result.outdir / "tags/t.xml").read_text(encoding="utf-8")
    assert re.findall(r"<title>([^<]*)</title>", feed)[1:] == listed


def test_invisible_characters_do_not_make_a_second_page(tmp_path: Path) -> None:
    src = write_tree(
        tmp_path / "invisible",
        {
            "conf.py": CONF,
            "index.md": INDEX.replace("all-tags\n", ""),
            "content/a.md": post("A", ["python"]),
            "content/b.md": post("B", ["py\u200bthon", "\ufeffgo\u2060"]),
        },
    )
    result = build(src)
    assert result.warnings == [
        f"{src / 'content/b.md'}:6: WARNING: tag {tag!r} holds invisible characters ({chars}); "
        f"they are ignored: it is the tag {name!r} [topofmind.tags]"
        for tag, chars, name in (
            ("py\u200bthon", "U+200B", "python"),
            ("\ufeffgo\u2060", "U+FEFF, U+2060", "go"),
        )
    ]
    pages = sorted(p.name for p in (result.outdir / "tags").glob("*.html"))
    assert pages == ["go.html", "index.html", "python.html"]
    python = BeautifulSoup(result.html("tags/python"), "html.parser")
    assert [a.get_text() for a in python.select("ul.topofmind-tag-articles a")] == ["A", "B"]
    header = BeautifulSoup(result.html("content/b"), "html.parser")
    assert [a.get_text() for a in header.select("p.topofmind-article-tags a")] == ["python", "go"]


def test_singlehtml_one_description_and_sidebar_links_into_the_root_page(site: Path) -> None:
    for name, description in (("content/cpp.md", "About Cpp"), ("content/cafe.md", "About cafe")):
        path = site / name
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("+++\n", f'+++\ndescription = "{description}"\n', 1))
    overrides = {
        "suppress_warnings": ["topofmind.tags"],
        "html_sidebars": {"**": ["globaltoc.html", "localtoc.html", "relations.html"]},
    }
    single = build(site, "singlehtml", confoverrides=overrides)
    assert single.warnings == []
    root = BeautifulSoup(single.html("index"), "html.parser")
    assert root.select('meta[name="description"]') == []  # the root page has none of its own
    tag_page = BeautifulSoup(single.html("tags/python"), "html.parser")
    sidebar = [a["href"] for a in tag_page.select("div.sphinxsidebar a[href]")]
    assert "../index.html#document-content/cpp" in sidebar
    assert not [href for href in sidebar if href.startswith("#")], sidebar
    for link in tag_page.select("div.body a[href], div.sphinxsidebar a[href]"):
        href = link["href"]
        if "#document-" in href:
            assert href.startswith("../index.html#document-"), href
    # the html builder keeps each article's own description
    pages = build(site, confoverrides=overrides)
    cpp = BeautifulSoup(pages.html("content/cpp"), "html.parser")
    assert [m["content"] for m in cpp.select('meta[name="description"]')] == ["About Cpp"]


def test_a_changed_configuration_rewrites_the_generated_pages(tmp_path: Path) -> None:
    """Sphinx reads and writes every page again when a value that needs it changes; the
    tag pages and the archive, which show it too (here the project's name, in the
    title and the sidebar), are written again with them, as in a clean build."""
    src = write_tree(
        tmp_path / "site",
        {
            "conf.py": CONF + 'project = "First name"\n',
            "index.md": INDEX,
            "all-tags.md": "# All tags\n\n```{tags-index}\n```\n",
            "content/a.md": post("A", ["kept"]),
        },
    )
    out = tmp_path / "out"
    build(src, outdir=out)
    renamed = build(src, freshenv=False, outdir=out, confoverrides={"project": "Second name"})
    assert renamed.read == ["all-tags", "content/a", "index"]
    for page in ("tags/index.html", "tags/kept.html", "archive/index.html", "archive/2024.html"):
        text = (renamed.outdir / page).read_text(encoding="utf-8")
        assert "Second name" in text and "First name" not in text, page

"""Every taxonomy of the site, not only tags: pages, feeds, header, warnings, rebuilds."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import unquote

import feedparser
import pytest
from bs4 import BeautifulSoup
from building import build, main_content, write_tree

BASE = "https://example.org/"

CONFIG_TOML = f"""
base_url = "{BASE}"
title = "Tiny"

taxonomies = [
    {{ name = "tags" }},
    {{ name = "categories", feed = true }},
]
"""

ZOLA_CONF = 'extensions = ["sphinx_topofmind"]\ntopofmind_zola_site = "."\n'

PLAIN_CONF = (
    'extensions = ["sphinx_topofmind"]\n'
    'project = html_title = "Tiny"\n'
    f'html_baseurl = "{BASE}"\n'
    'topofmind_content_root = "content"\n'
    'root_doc = "content/_index"\n'
    'topofmind_taxonomies = ["tags", {"name": "categories", "feed": True}]\n'
)


def post(title: str, date: str, taxonomies: dict[str, list[str]]) -> str:
    lines = [f'title = "{title}"', f"date = {date}", "", "[taxonomies]"]
    for name, terms in taxonomies.items():
        lines.append(f"{name} = [{', '.join(repr(t).replace(chr(39), chr(34)) for t in terms)}]")
    return "+++\n" + "\n".join(lines) + "\n+++\n\nSome text about " + title + ".\n"


ARTICLES = {
    "content/_index.md": '+++\ntitle = "Home"\n+++\n\nWelcome.\n',
    "content/alpha.md": post("Alpha", "2024-01-01", {"tags": ["x"], "categories": ["Rust"]}),
    "content/beta.md": post("Beta", "2024-02-01", {"categories": ["Rust", "Web Dev"]}),
    "content/gamma.md": post("Gamma", "2024-03-01", {"tags": ["x"]}),
}


def make_site(root: Path, zola: bool) -> Path:
    files: dict[str, str | bytes] = dict(ARTICLES)
    if zola:
        files.update({"conf.py": ZOLA_CONF, "config.toml": CONFIG_TOML})
    else:
        files["conf.py"] = PLAIN_CONF
    return write_tree(root, files)


@pytest.fixture(params=["zola-site", "conf-py"])
def site(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    return make_site(tmp_path / "site", request.param == "zola-site")


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def listed(page: Path) -> list[str]:
    return [a.get_text() for a in soup(page).select("ul.topofmind-tag-articles a")]


def test_index_and_term_pages_with_their_articles(site: Path) -> None:
    result = build(site)
    assert result.warnings == []
    out = result.outdir
    assert sorted(p.name for p in (out / "categories").glob("*.html")) == [
        "index.html",
        "rust.html",
        "web-dev.html",
    ]
    assert listed(out / "categories/rust.html") == ["Beta", "Alpha"]  # newest first
    assert listed(out / "categories/web-dev.html") == ["Beta"]
    rust = soup(out / "categories/rust.html")
    assert rust.select_one("h1").get_text() == "Categories: Rust"
    assert rust.select_one("p.topofmind-tag-count a")["href"] == "index.html"
    index = soup(out / "categories/index.html")
    assert index.select_one("h1").get_text() == "Categories"
    assert [(a.get_text(), a["href"]) for a in index.select("ul.topofmind-tag-cloud a")] == [
        ("Rust", "rust.html"),
        ("Web Dev", "web-dev.html"),
    ]
    # tags are unchanged beside it
    assert listed(out / "tags/x.html") == ["Gamma", "Alpha"]
    assert (out / "tags/index.html").is_file()


def test_the_header_shows_every_taxonomy(site: Path) -> None:
    result = build(site)
    page = result.outdir / "content/alpha.html"
    header = soup(page).select_one("div.topofmind-article-header")
    tags = header.select_one("p.topofmind-article-tags")
    categories = header.select_one("p.topofmind-article-categories")
    assert tags.get_text(" ", strip=True) == "Tags: x"
    assert categories.get_text(" ", strip=True) == "Categories: Rust"
    assert categories.select_one("a.topofmind-tag")["href"] == "../categories/rust.html"
    for link in header.select("a.topofmind-tag"):
        target = (page.parent / unquote(link["href"])).resolve()
        hrefs = [
            (target.parent / unquote(a["href"])).resolve()
            for a in soup(target).select("ul.topofmind-tag-articles a")
        ]
        assert page.resolve() in hrefs, link["href"]


def test_the_term_feed_validates(site: Path) -> None:
    result = build(site)
    out = result.outdir
    parsed = feedparser.parse((out / "categories/rust.xml").read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.title == "Tiny: Rust"
    assert {link.rel: link.href for link in parsed.feed.links} == {
        "alternate": f"{BASE}categories/rust.html",
        "self": f"{BASE}categories/rust.xml",
    }
    assert [e.title for e in parsed.entries] == ["Beta", "Alpha"]
    assert [e.link for e in parsed.entries] == [
        f"{BASE}content/beta.html",
        f"{BASE}content/alpha.html",
    ]
    assert (out / "categories/web-dev.xml").is_file()
    # the term page advertises its feed
    head = soup(out / "categories/rust.html").select(
        'head link[rel="alternate"][type="application/atom+xml"]'
    )
    assert [link["href"] for link in head] == [f"{BASE}atom.xml", f"{BASE}categories/rust.xml"]


def test_tag_feeds_follow_the_declaration(tmp_path: Path) -> None:
    """A Zola site's `tags` without `feed = true` has no tag feeds, as in Zola; without a
    site, tags keep their feeds (the default before taxonomies were declared)."""
    zola = build(make_site(tmp_path / "zola", True))
    assert not list((zola.outdir / "tags").glob("*.xml"))
    plain = build(make_site(tmp_path / "plain", False))
    assert sorted(p.name for p in (plain.outdir / "tags").glob("*.xml")) == ["x.xml"]


def test_an_undeclared_taxonomy_warns_at_its_line(tmp_path: Path) -> None:
    src = make_site(tmp_path / "site", True)
    (src / "content/delta.md").write_text(
        '+++\ntitle = "Delta"\ndate = 2024-04-01\n\n[taxonomies]\ntags = ["x"]\n'
        'authors = ["Ann"]\n+++\n\nText.\n',
        encoding="utf-8",
    )
    result = build(src)
    assert result.warnings == [
        (
            f"{src / 'content/delta.md'}:7: WARNING: taxonomy 'authors' is not declared "
            "(declared: 'tags', 'categories'); its terms are ignored (declare it in the Zola "
            "site's config.toml or in topofmind_taxonomies) [topofmind.tags]"
        )
    ]
    assert not (result.outdir / "authors").exists()
    header = soup(result.outdir / "content/delta.html").select_one("div.topofmind-article-header")
    assert "Ann" not in header.get_text()
    assert listed(result.outdir / "tags/x.html") == ["Delta", "Gamma", "Alpha"]


def test_a_site_declaring_no_taxonomy_has_no_tags(tmp_path: Path) -> None:
    src = make_site(tmp_path / "site", True)
    (src / "config.toml").write_text(f'base_url = "{BASE}"\n', encoding="utf-8")
    result = build(src)
    expected = [
        (doc, name, 6)
        for doc, name in (
            ("alpha", "tags"),
            ("alpha", "categories"),
            ("beta", "categories"),
            ("gamma", "tags"),
        )
    ]
    assert result.warnings == [
        f"{src / f'content/{doc}.md'}:{line + (name == 'categories' and doc == 'alpha')}: "
        f"WARNING: taxonomy {name!r} is not declared (declared: none); its terms are ignored "
        "(declare it in the Zola site's config.toml or in topofmind_taxonomies) "
        "[topofmind.tags]"
        for doc, name, line in expected
    ]
    assert not (result.outdir / "tags").exists() and not (result.outdir / "categories").exists()


def test_dirhtml_urls(site: Path) -> None:
    result = build(site, "dirhtml")
    assert result.warnings == []
    out = result.outdir
    assert (out / "categories/index.html").is_file()
    assert (out / "categories/rust/index.html").is_file()
    assert (out / "categories/web-dev/index.html").is_file()
    page = out / "content/alpha/index.html"
    link = soup(page).select_one("p.topofmind-article-categories a")
    assert link["href"] == "../../categories/rust/"
    rust = out / "categories/rust/index.html"
    hrefs = [a["href"] for a in soup(rust).select("ul.topofmind-tag-articles a")]
    assert hrefs == ["../../content/beta/", "../../content/alpha/"]
    assert all((rust.parent / href / "index.html").resolve().is_file() for href in hrefs)
    parsed = feedparser.parse((out / "categories/rust.xml").read_bytes())
    assert parsed.bozo == 0
    assert [e.link for e in parsed.entries] == [
        f"{BASE}content/beta/",
        f"{BASE}content/alpha/",
    ]


def test_singlehtml_links_into_the_one_page(site: Path) -> None:
    result = build(site, "singlehtml")
    assert result.warnings == []
    out = result.outdir
    rust = out / "categories/rust.html"
    hrefs = [a["href"] for a in soup(rust).select("ul.topofmind-tag-articles a")]
    assert hrefs == [
        "../content/_index.html#document-content/beta",
        "../content/_index.html#document-content/alpha",
    ]
    root = soup(out / "content/_index.html")
    # the one page is content/_index.html: links from it climb out of content/ (tags too)
    link = root.select_one("p.topofmind-article-categories a")
    assert link["href"] == "../categories/rust.html"
    assert root.select_one("p.topofmind-article-tags a")["href"] == "../tags/x.html"
    assert (out / "categories/index.html").is_file()


def test_directives_take_a_taxonomy(tmp_path: Path) -> None:
    src = make_site(tmp_path / "site", False)
    (src / "content/_index.md").write_text(
        '+++\ntitle = "Home"\n+++\n\n```{tags-index}\n:taxonomy: categories\n```\n\n'
        "```{tag-list} web dev\n:taxonomy: categories\n```\n\n"
        "```{tag-list} Rust\n:taxonomy: colours\n```\n",
        encoding="utf-8",
    )
    result = build(src)
    assert result.warnings == [
        (
            f"{src / 'content/_index.md'}:13: WARNING: taxonomy 'colours' is not declared "
            "(declared: 'tags', 'categories') [topofmind.tags]"
        )
    ]
    lists = soup(result.outdir / "content/_index.html").select("ul.topofmind-tags-index")
    assert lists[0].get_text(" ", strip=True).startswith("Rust (2) Beta")
    assert [a.get_text() for a in lists[0].select("a.topofmind-tag")] == ["Rust", "Web Dev"]
    assert [a.get_text() for a in lists[1].select("a")] == ["Beta"]
    assert len(lists) == 2


def test_config_entries_are_checked(tmp_path: Path) -> None:
    src = make_site(tmp_path / "site", False)
    conf = src / "conf.py"
    conf.write_text(
        conf.read_text(encoding="utf-8").replace(
            'topofmind_taxonomies = ["tags", {"name": "categories", "feed": True}]',
            'topofmind_taxonomies = ["tags", "../up", {"name": "categories", "feed": 1},\n'
            '    {"name": "categories", "feed": True}, "tags", "topics"]\n'
            'topofmind_tags_path = "topics"',
        ),
        encoding="utf-8",
    )
    result = build(src)
    at = f"{conf}:6: WARNING: "
    assert result.warnings == [
        at + "topofmind_taxonomies: taxonomy name '../up' must be letters, digits, '-' and '_' "
        "(not starting with '-' or '_') and not one of Sphinx's own pages; dropped "
        "[topofmind.config]",
        at + "topofmind_taxonomies: 'feed' of taxonomy 'categories' must be True or False; "
        "dropped [topofmind.config]",
        at + "topofmind_taxonomies: taxonomy 'tags' is declared twice; dropped [topofmind.config]",
        at + "topofmind_taxonomies: the pages of taxonomy 'topics' would go into the tag "
        "pages' folder 'topics' (topofmind_tags_path); dropped [topofmind.config]",
    ]
    assert listed(result.outdir / "categories/rust.html") == ["Beta", "Alpha"]
    assert (result.outdir / "topics/x.html").is_file()


def _retag(src: Path, doc: str, taxonomies: dict[str, list[str]], title: str, date: str) -> None:
    (src / f"content/{doc}.md").write_text(post(title, date, taxonomies), encoding="utf-8")


def test_incremental_equals_clean_when_categories_change(tmp_path: Path) -> None:
    src = make_site(tmp_path / "site", True)
    out = tmp_path / "out"
    build(src, outdir=out)
    # a category added to one article, Web Dev's only article leaves it
    _retag(src, "gamma", {"tags": ["x"], "categories": ["Go"]}, "Gamma", "2024-03-01")
    _retag(src, "beta", {"categories": ["Rust"]}, "Beta", "2024-02-01")
    incremental = build(src, outdir=out, freshenv=False)
    assert sorted(incremental.read) == ["content/beta", "content/gamma"]
    assert not (incremental.outdir / "categories/web-dev.html").exists()
    assert not (incremental.outdir / "categories/web-dev.xml").exists()
    assert listed(incremental.outdir / "categories/go.html") == ["Gamma"]
    clean_src = tmp_path / "clean"
    shutil.copytree(src, clean_src)
    clean = build(clean_src, outdir=tmp_path / "clean-out")
    assert main_content(incremental.outdir) == main_content(clean.outdir)
    feeds = sorted(
        str(p.relative_to(incremental.outdir)) for p in incremental.outdir.rglob("*.xml")
    )
    assert feeds == sorted(str(p.relative_to(clean.outdir)) for p in clean.outdir.rglob("*.xml"))
    assert feeds == ["atom.xml", "categories/go.xml", "categories/rust.xml"]


def test_parallel_build_equals_serial(tmp_path: Path) -> None:
    serial = build(make_site(tmp_path / "one", True), outdir=tmp_path / "one-out")
    parallel = build(make_site(tmp_path / "two", True), outdir=tmp_path / "two-out", parallel=2)
    assert parallel.warnings == serial.warnings == []
    assert main_content(parallel.outdir) == main_content(serial.outdir)
    assert listed(parallel.outdir / "categories/rust.html") == ["Beta", "Alpha"]


def test_term_pages_paginate(tmp_path: Path) -> None:
    src = make_site(tmp_path / "site", True)
    config = src / "config.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            'name = "categories", feed = true', 'name = "categories", feed = true, paginate_by = 1'
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    first = build(src, outdir=out)
    assert first.warnings == []
    categories = first.outdir / "categories"
    assert listed(categories / "rust.html") == ["Beta"]
    assert listed(categories / "rust/page/2.html") == ["Alpha"]
    one = soup(categories / "rust.html").select_one("nav.topofmind-pagination")
    assert one.select_one("a[rel=next]")["href"] == "rust/page/2.html"
    assert one.select_one("strong[aria-current=page]").get_text() == "1"
    two = soup(categories / "rust/page/2.html")
    assert two.select_one("nav.topofmind-pagination a[rel=prev]")["href"] == "../../rust.html"
    assert [a["href"] for a in two.select("ul.topofmind-tag-articles a")] == [
        "../../../content/alpha.html"
    ]
    # a single page has no pagination, and the feed still lists every article
    assert soup(categories / "web-dev.html").select("nav.topofmind-pagination") == []
    feed = feedparser.parse((categories / "rust.xml").read_bytes())
    assert [e.title for e in feed.entries] == ["Beta", "Alpha"]
    assert not (first.outdir / "tags/x/page").exists()  # tags do not paginate here
    # Alpha leaves Rust: Rust's second page goes
    _retag(src, "alpha", {"tags": ["x"]}, "Alpha", "2024-01-01")
    second = build(src, outdir=out, freshenv=False)
    assert second.warnings == []
    assert listed(categories / "rust.html") == ["Beta"]
    assert not (categories / "rust/page/2.html").exists()
    assert soup(categories / "rust.html").select("nav.topofmind-pagination") == []
    dirhtml = build(src, "dirhtml")
    assert (dirhtml.outdir / "categories/web-dev/index.html").is_file()
    _retag(src, "alpha", {"categories": ["Rust"]}, "Alpha", "2024-01-01")
    dirhtml = build(src, "dirhtml")
    page_two = dirhtml.outdir / "categories/rust/page/2/index.html"
    assert listed(page_two) == ["Alpha"]
    prev = soup(page_two).select_one("nav.topofmind-pagination a[rel=prev]")["href"]
    assert (page_two.parent / prev / "index.html").resolve() == (
        dirhtml.outdir / "categories/rust/index.html"
    ).resolve()


def test_a_taxonomy_no_longer_declared_loses_its_pages(tmp_path: Path) -> None:
    src = make_site(tmp_path / "site", True)
    out = tmp_path / "out"
    first = build(src, outdir=out)
    assert (first.outdir / "categories/index.html").is_file()
    (src / "config.toml").write_text(
        CONFIG_TOML.replace('    { name = "categories", feed = true },\n', "")
    )
    second = build(src, outdir=out, freshenv=False)
    message = (
        "WARNING: taxonomy 'categories' is not declared (declared: 'tags'); its terms are "
        "ignored (declare it in the Zola site's config.toml or in topofmind_taxonomies) "
        "[topofmind.tags]"
    )
    assert second.warnings == [
        f"{src / 'content/alpha.md'}:7: {message}",
        f"{src / 'content/beta.md'}:6: {message}",
    ]
    assert not (second.outdir / "categories").exists() or not list(
        (second.outdir / "categories").rglob("*.*")
    )
    assert (second.outdir / "tags/x.html").is_file()


def test_one_template_serves_every_taxonomy(tmp_path: Path) -> None:
    src = make_site(tmp_path / "site", False)
    write_tree(
        src,
        {
            "_templates/topofmind/tag.html": """
                {% extends "!topofmind/tag.html" %}
                {% block topofmind_tag_header %}{{ super() }}
                <p class="which">{{ taxonomy.name|e }} / {{ taxonomy.title|e }} / {{ term.name|e }}</p>
                {% endblock %}
            """,
        },
    )
    result = build(src, confoverrides={"templates_path": ["_templates"]})
    assert result.warnings == []
    which = soup(result.outdir / "categories/web-dev.html").select_one("p.which").get_text()
    assert which == "categories / Categories / Web Dev"
    assert soup(result.outdir / "tags/x.html").select_one("p.which").get_text() == "tags / Tags / x"


def test_term_problems_name_their_taxonomy(tmp_path: Path) -> None:
    src = make_site(tmp_path / "site", False)
    _retag(src, "gamma", {"categories": ["", "Ru\u200bst"]}, "Gamma", "2024-03-01")
    result = build(src)
    at = f"{src / 'content/gamma.md'}:6: WARNING: "
    assert result.warnings == [
        at + "empty categories term '' ignored [topofmind.tags]",
        at + "categories term 'Ru\\u200bst' holds invisible characters (U+200B); they are "
        "ignored: it is the categories term 'Rust' [topofmind.tags]",
    ]
    assert listed(result.outdir / "categories/rust.html") == ["Gamma", "Beta", "Alpha"]


@pytest.mark.parametrize("builder", ["html", "singlehtml", "latex"])
def test_the_undeclared_warning_in_every_builder(tmp_path: Path, builder: str) -> None:
    """An article with no term of a declared taxonomy is still found in the one
    document of single-document builders."""
    src = make_site(tmp_path / "site", True)
    (src / "content/epsilon.md").write_text(
        '+++\ntitle = "Epsilon"\n\n[taxonomies]\nauthors = ["Ann"]\n+++\n\nText.\n',
        encoding="utf-8",
    )
    result = build(src, builder)
    assert result.warnings == [
        (
            f"{src / 'content/epsilon.md'}:5: WARNING: taxonomy 'authors' is not declared "
            "(declared: 'tags', 'categories'); its terms are ignored (declare it in the Zola "
            "site's config.toml or in topofmind_taxonomies) [topofmind.tags]"
        )
    ]

"""Sidebar templates: recent articles, tag cloud, the page's series, archive years; in
html, dirhtml and singlehtml, in five themes, incrementally and with ``-j 2``."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from building import build, write_tree

OURS = [
    "topofmind/sidebar-recent.html",
    "topofmind/sidebar-tagcloud.html",
    "topofmind/sidebar-series.html",
    "topofmind/sidebar-archives.html",
]
CONF = (
    'extensions = ["sphinx_topofmind"]\n'
    'topofmind_content_root = "content"\n'
    'topofmind_series = {"top-of-mind": {"title": "Top of mind"}}\n'
    f"html_sidebars = {{'**': {OURS!r}}}\n"
)
INDEX = "# Home\n\n```{toctree}\n:glob:\n\ncontent/*\n```\n"


def post(title: str, date: str, tags: tuple[str, ...], selected: int | None = None) -> str:
    nav = f"{{{{ top_of_mind_nav(selected={selected}) }}}}\n\n" if selected else ""
    listed = ", ".join(f'"{tag}"' for tag in tags)
    return (
        f'+++\ntitle = "{title}"\ndate = {date}\n\n[taxonomies]\ntags = [{listed}]\n+++\n\n'
        f"{nav}Text.\n"
    )


POSTS = {
    "content/a.md": post("Alpha", "2024-03-01", ("common", "rare"), selected=1),
    "content/b.md": post("Beta", "2024-03-15", ("common",), selected=2),
    "content/c.md": post("Gamma", "2023-12-01", ("common", "middle")),
    "content/d.md": post("Delta", "2024-01-05", ("common", "middle")),
}


def site(tmp_path: Path, conf: str = "", files: dict[str, str] | None = None) -> Path:
    tree = {"conf.py": CONF + conf, "index.md": INDEX, **POSTS, **(files or {})}
    return write_tree(tmp_path / "site", tree)


def sidebars(html: str) -> dict[str, BeautifulSoup]:
    page = BeautifulSoup(html, "html.parser")
    return {
        nav["class"][-1].removeprefix("topofmind-sidebar-"): nav
        for nav in page.select("nav.topofmind-sidebar")
    }


def links(nav: BeautifulSoup) -> list[tuple[str, str, bool]]:
    return [(a.get_text(), a["href"], a.get("aria-current") == "page") for a in nav.select("a")]


def test_each_sidebar_for_an_article(tmp_path: Path) -> None:
    result = build(site(tmp_path, "topofmind_sidebar_recent = 3\n"))
    assert result.warnings == []
    found = sidebars(result.html("content/a"))
    assert list(found) == ["recent", "tagcloud", "series", "archives"]
    for name, nav in found.items():
        # a landmark named by its heading
        heading = nav.find("h2")
        assert nav["aria-labelledby"] == heading["id"], name
    assert found["recent"].h2.get_text() == "Recent articles"
    assert links(found["recent"]) == [
        ("Beta", "b.html", False),
        ("Alpha", "#", True),
        ("Delta", "d.html", False),
    ]
    assert [t["datetime"] for t in found["recent"].select("time")] == [
        "2024-03-15",
        "2024-03-01",
        "2024-01-05",
    ]
    cloud = [
        (li.a.get_text(), li["class"], li.a["href"], li.a["title"])
        for li in found["tagcloud"].select("li")
    ]
    assert cloud == [
        ("common", ["topofmind-cloud-5"], "../tags/common.html", "4 articles"),
        ("middle", ["topofmind-cloud-2"], "../tags/middle.html", "2 articles"),
        ("rare", ["topofmind-cloud-1"], "../tags/rare.html", "1 article"),
    ]
    assert found["series"].h2.get_text() == "Top of mind"
    assert links(found["series"]) == [("Alpha", "#", True), ("Beta", "b.html", False)]
    assert links(found["archives"]) == [
        ("2024", "../archive/2024.html", False),
        ("2023", "../archive/2023.html", False),
        ("All years", "../archive/index.html", False),
    ]
    assert [s.get_text() for s in found["archives"].select(".topofmind-sidebar-count")] == [
        "(3)",
        "(1)",
    ]


def test_pages_outside_a_series_show_no_series_block(tmp_path: Path) -> None:
    result = build(site(tmp_path))
    assert list(sidebars(result.html("content/c"))) == ["recent", "tagcloud", "archives"]
    assert list(sidebars(result.html("index"))) == ["recent", "tagcloud", "archives"]


def test_generated_pages_mark_themselves(tmp_path: Path) -> None:
    result = build(site(tmp_path))
    tag_page = sidebars(result.html("tags/middle"))
    assert ("middle", "#", True) in links(tag_page["tagcloud"])
    year_page = sidebars(result.html("archive/2023"))
    assert ("2023", "#", True) in links(year_page["archives"])
    assert ("Beta", "../content/b.html", False) in links(year_page["recent"])


def test_dirhtml_uris(tmp_path: Path) -> None:
    result = build(site(tmp_path), "dirhtml")
    assert result.warnings == []
    found = sidebars(result.text("content/a/index.html"))
    assert links(found["recent"])[0] == ("Beta", "../b/", False)
    assert links(found["tagcloud"])[0][1] == "../../tags/common/"
    assert links(found["archives"])[0][1] == "../../archive/2024/"


def test_singlehtml_links_into_the_root_page(tmp_path: Path) -> None:
    result = build(site(tmp_path), "singlehtml")
    assert result.warnings == []
    found = sidebars(result.text("index.html"))
    # the one page holds every article: none is "current", no series is this page's
    assert list(found) == ["recent", "tagcloud", "archives"]
    assert links(found["recent"])[0] == ("Beta", "#document-content/b", False)
    assert links(found["archives"])[0][1] == "archive/2024.html"
    on_tag_page = sidebars(result.text("tags/common.html"))
    assert links(on_tag_page["recent"])[0][1] == "../index.html#document-content/b"


@pytest.mark.parametrize("builder", ["text", "latex"])
def test_other_builders_are_unaffected(tmp_path: Path, builder: str) -> None:
    result = build(site(tmp_path), builder)
    assert result.warnings == []


def test_no_articles_no_blocks(tmp_path: Path) -> None:
    src = write_tree(tmp_path / "empty", {"conf.py": CONF, "index.md": "# Home\n\nText.\n"})
    result = build(src)
    assert result.warnings == []
    assert sidebars(result.html("index")) == {}


@pytest.mark.parametrize(
    ("value", "problem"),
    [("0", "must be a whole number >= 1"), ('"5"', "must be a whole number >= 1")],
)
def test_bad_recent_count_is_reset(tmp_path: Path, value: str, problem: str) -> None:
    src = site(tmp_path, f"topofmind_sidebar_recent = {value}\n")
    result = build(src)
    assert result.warnings == [
        (
            f"{src / 'conf.py'}:5: WARNING: topofmind_sidebar_recent {problem}; using the "
            "default 5 [topofmind.config]"
        )
    ]
    assert len(sidebars(result.html("index"))["recent"].select("li")) == 4


def _all_sidebars(outdir: Path) -> dict[str, str]:
    return {
        str(page.relative_to(outdir)): "".join(
            str(nav) for nav in sidebars(page.read_text(encoding="utf-8")).values()
        )
        for page in sorted(outdir.rglob("*.html"))
    }


EDITS = {
    "title": ("content/d.md", post("Delta renamed", "2024-01-05", ("common", "middle"))),
    "date": ("content/c.md", post("Gamma", "2024-06-01", ("common", "middle"))),
    "tag": ("content/d.md", post("Delta", "2024-01-05", ("common", "rare"))),
    "new": ("content/e.md", post("Epsilon", "2025-01-01", ("new",))),
    # the series only: Alpha moves after Beta; the other blocks stay the same
    "order": ("content/a.md", post("Alpha", "2024-03-01", ("common", "rare"), selected=3)),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_incremental_equals_clean(tmp_path: Path, edit: str) -> None:
    src = site(tmp_path)
    out = tmp_path / "out"
    build(src, outdir=out)
    name, text = EDITS[edit]
    (src / name).write_text(text, encoding="utf-8")
    incremental = build(src, freshenv=False, outdir=out)
    clean = build(src, outdir=tmp_path / "clean")
    assert incremental.warnings == clean.warnings == []
    assert _all_sidebars(incremental.outdir) == _all_sidebars(clean.outdir)
    if edit == "order":
        # only the series' members (and Sphinx's own toctree parent) were written
        assert sorted(incremental.written) == ["content/a", "content/b", "index"]


def test_unused_sidebars_rewrite_nothing_more(tmp_path: Path) -> None:
    src = site(tmp_path, "html_sidebars = {}\n")
    out = tmp_path / "out"
    build(src, outdir=out)
    (src / "content/d.md").write_text(EDITS["title"][1], encoding="utf-8")
    second = build(src, freshenv=False, outdir=out)
    assert "content/a" not in second.written


def test_parallel_equals_serial(tmp_path: Path) -> None:
    src = site(tmp_path)
    serial = build(src, outdir=tmp_path / "serial")
    parallel = build(src, parallel=2, outdir=tmp_path / "parallel")
    assert parallel.warnings == serial.warnings == []
    assert _all_sidebars(parallel.outdir) == _all_sidebars(serial.outdir)


#: each theme's own sidebar templates, then ours (furo's scroll-end must stay last)
THEMES = {
    "alabaster": (["about.html", "navigation.html", "searchbox.html"], []),
    "furo": (
        ["sidebar/brand.html", "sidebar/search.html", "sidebar/scroll-start.html"],
        ["sidebar/scroll-end.html"],
    ),
    "pydata_sphinx_theme": (["sidebar-nav-bs.html"], []),
    "sphinx_book_theme": (
        ["navbar-logo.html", "search-button-field.html", "sbt-sidebar-nav.html"],
        [],
    ),
}
RTD_LAYOUT = """\
{% extends "!layout.html" %}
{% block menu %}
{{ super() }}
{% include "topofmind/sidebar-recent.html" %}
{% include "topofmind/sidebar-tagcloud.html" %}
{% include "topofmind/sidebar-series.html" %}
{% include "topofmind/sidebar-archives.html" %}
{% endblock %}
"""


@pytest.mark.filterwarnings("ignore:.*HandleFootnoteTransform.app:DeprecationWarning")
@pytest.mark.filterwarnings("ignore:.*HandleFootnoteTransform.app:PendingDeprecationWarning")
@pytest.mark.parametrize("theme", [*THEMES, "sphinx_rtd_theme"])
def test_every_theme_shows_the_sidebars(tmp_path: Path, theme: str) -> None:
    if theme == "sphinx_rtd_theme":
        # it ignores html_sidebars: a layout.html override puts them into its menu
        conf = 'templates_path = ["_templates"]\n'
        files = {"_templates/layout.html": RTD_LAYOUT}
    else:
        before, after = THEMES[theme]
        conf = f"html_sidebars = {{'**': {before + OURS + after!r}}}\n"
        files = {}
    # (sphinx.testing swaps alabaster for basic unless the theme is an override)
    result = build(site(tmp_path, conf, files), confoverrides={"html_theme": theme})
    assert result.warnings == []
    found = sidebars(result.html("content/a"))
    assert list(found) == ["recent", "tagcloud", "series", "archives"]
    assert links(found["series"])[0] == ("Alpha", "#", True)
    # their rules are in the extension's one stylesheet
    assert "_static/topofmind.css" in result.html("content/a")
    assert ".topofmind-sidebar-recent" in (result.outdir / "_static" / "topofmind.css").read_text()

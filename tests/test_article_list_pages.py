"""Pagination of ``article-list`` output: the boundaries (exactly N, N + 1) in html and
dirhtml, the default from ``topofmind_paginate_by``, other builders, clashes and stale
pages."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from building import build, write_tree
from test_article_list import CONF, article, titles


def paginated(root: Path, count: int, options: str = ":paginate: 2\n", conf: str = CONF) -> Path:
    files: dict[str, str | bytes] = {
        "conf.py": conf,
        "index.md": "# Home\n\n```{article-list}\n" + options + "```\n\n"
        "```{toctree}\n:glob:\n\nposts/*\n```\n",
    }
    for n in range(1, count + 1):
        files[f"posts/p{n}.md"] = article(f"Post {n}", date=f"2024-01-{n:02d}")
    return write_tree(root, files)


def page_file(outdir: Path, builder: str, pagename: str) -> Path:
    if builder == "dirhtml":
        return outdir / ("index.html" if pagename == "index" else f"{pagename}/index.html")
    return outdir / f"{pagename}.html"


@pytest.mark.parametrize("builder", ["html", "dirhtml"])
def test_exactly_n_articles_make_one_page(tmp_path: Path, builder: str) -> None:
    result = build(paginated(tmp_path / "n", 2), builder)
    assert result.warnings == []
    page = page_file(result.outdir, builder, "index").read_text(encoding="utf-8")
    assert titles(page) == ["Post 2", "Post 1"]
    found = BeautifulSoup(page, "html.parser").select_one("div.topofmind-article-list")
    assert found.select("nav") == [] and found.select("a[rel]") == []
    assert not page_file(result.outdir, builder, "index/page/2").exists()


@pytest.mark.parametrize("builder", ["html", "dirhtml"])
def test_n_plus_one_articles_make_a_second_page(tmp_path: Path, builder: str) -> None:
    result = build(paginated(tmp_path / "n1", 3), builder)
    assert result.warnings == []
    first = page_file(result.outdir, builder, "index").read_text(encoding="utf-8")
    second = page_file(result.outdir, builder, "index/page/2").read_text(encoding="utf-8")
    assert titles(first) == ["Post 3", "Post 2"]
    assert titles(second) == ["Post 1"]
    nav = BeautifulSoup(first, "html.parser").select_one("nav.topofmind-pagination")
    back = BeautifulSoup(second, "html.parser").select_one("nav.topofmind-pagination")
    if builder == "html":
        assert [(a["rel"], a["href"]) for a in nav.select("a")] == [(["next"], "index/page/2.html")]
        assert [(a["rel"], a["href"]) for a in back.select("a")] == [(["prev"], "../../index.html")]
        assert BeautifulSoup(second, "html.parser").select_one(".topofmind-article-list li a")[
            "href"
        ] == ("../../posts/p1.html")
    else:
        assert [(a["rel"], a["href"]) for a in nav.select("a")] == [(["next"], "index/page/2/")]
        assert [(a["rel"], a["href"]) for a in back.select("a")] == [(["prev"], "../../../")]
    assert nav.get_text(" ", strip=True) == "Page 1 of 2 Next page"
    assert back.get_text(" ", strip=True) == "Previous page Page 2 of 2"


def test_paginate_by_is_the_default_and_none_turns_it_off(tmp_path: Path) -> None:
    conf = CONF + "topofmind_paginate_by = 1\n"
    result = build(paginated(tmp_path / "default", 2, options="", conf=conf))
    assert titles(result.html("index")) == ["Post 2"]
    assert (result.outdir / "index/page/2.html").is_file()
    off = build(paginated(tmp_path / "off", 2, options=":paginate: none\n", conf=conf))
    assert titles(off.html("index")) == ["Post 2", "Post 1"]
    assert not (off.outdir / "index/page/2.html").exists()


def test_other_builders_show_the_whole_list(tmp_path: Path) -> None:
    src = paginated(tmp_path / "text", 3)
    result = build(src, "text")
    assert result.text("index.txt").startswith(
        "Home\n****\n\n* Post 3 — January 3, 2024\n\n* Post 2 — January 2, 2024\n\n"
        "* Post 1 — January 1, 2024\n"
    )
    single = build(src, "singlehtml", outdir=tmp_path / "single")
    assert titles(single.html("index")) == ["Post 3", "Post 2", "Post 1"]


def test_a_second_paginated_list_is_shown_whole(tmp_path: Path) -> None:
    src = paginated(tmp_path / "two", 3)
    index = src / "index.md"
    index.write_text(
        index.read_text(encoding="utf-8") + "```{article-list}\n:paginate: 1\n```\n",
        encoding="utf-8",
    )
    result = build(src)
    assert result.warnings == [
        (
            f"{index}:12: WARNING: article-list: only the first paginated list of a page gets "
            "further pages; this one is shown whole [topofmind.listing]"
        )
    ]
    soup = BeautifulSoup(result.html("index"), "html.parser")
    lists = soup.select("div.topofmind-article-list")
    assert [len(found.select("li")) for found in lists] == [2, 3]


def test_a_further_page_never_replaces_a_source_page(tmp_path: Path) -> None:
    src = paginated(tmp_path / "clash", 3)
    write_tree(src, {"index/page/2.md": "# Mine\n\nMy own page.\n"})
    result = build(src)
    assert result.warnings == [
        (
            f"{src / 'index/page/2.md'}: WARNING: document isn't included in any toctree "
            "[toc.not_included]"
        ),
        (
            f"{src / 'index.md'}:3: WARNING: article-list: page 2 of this list ('index/page/2') "
            "would replace the page 'index/page/2'; it is not written [topofmind.listing]"
        ),
    ]
    assert "My own page." in result.html("index/page/2")


def test_fewer_articles_remove_the_page_they_no_longer_fill(tmp_path: Path) -> None:
    src = paginated(tmp_path / "shrink", 3)
    out = tmp_path / "out"
    first = build(src, outdir=out)
    assert (first.outdir / "index/page/2.html").is_file()
    (src / "posts/p1.md").unlink()
    time.sleep(0.01)
    second = build(src, outdir=out, freshenv=False)
    assert not (second.outdir / "index/page/2.html").exists()

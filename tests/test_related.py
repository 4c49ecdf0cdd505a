"""Related articles: the ranking (most shared tags, then newest), drafts and the article
itself left out, every builder, incremental rebuilds and a bad option."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from building import build, write_tree
from test_article_list import article
from test_incremental import rebuild_and_compare

CONF = (
    'extensions = ["sphinx_topofmind"]\ntopofmind_related_articles = 3\ntopofmind_drafts = True\n'
)

POSTS = {
    "posts/a.md": article("A", date="2024-01-01", tags=("x", "y", "z")),
    "posts/b.md": article("B", date="2023-01-01", tags=("x", "Y")),
    "posts/c.md": article("C", date="2024-06-01", tags=("x", "y")),
    "posts/d.md": article("D", date="2025-01-01", tags=("x",)),
    "posts/e.md": article("E", date="2022-01-01", tags=("z", "q")),
    "posts/f.md": article("F", date="2021-01-01", tags=("q",)),
    "posts/g.md": article("G", date="2026-01-01", tags=("x", "y", "z"), draft=True),
    "posts/h.md": article("H", date="2020-01-01", tags=("alone",)),
}


def project(root: Path, conf: str = CONF) -> Path:
    index = "# Home\n\n```{toctree}\n:glob:\n\nposts/*\n```\n"
    return write_tree(root, {"conf.py": conf, "index.md": index, **POSTS})


def related(page: str) -> list[str]:
    block = BeautifulSoup(page, "html.parser").select_one("aside.topofmind-related")
    if block is None:
        return []
    return [a.get_text() for a in block.select("li a")]


def test_ranking_by_shared_tags_then_newest(tmp_path: Path) -> None:
    result = build(project(tmp_path / "site"))
    assert result.warnings == []
    # C and B share two tags with A (C is newer), D and E one (D is newer); G is a draft
    assert related(result.html("posts/a")) == ["C", "B", "D"]
    assert related(result.html("posts/b")) == ["C", "A", "D"]
    assert related(result.html("posts/f")) == ["E"]
    # a draft has related articles, and is never one
    assert related(result.html("posts/g")) == ["A", "C", "B"]
    # no shared tag: no block at all
    assert "topofmind-related" not in result.html("posts/h")
    block = BeautifulSoup(result.html("posts/f"), "html.parser").select_one("aside")
    assert str(block) == (
        '<aside aria-label="Related articles" class="topofmind-related">\n'
        '<p class="rubric">Related articles</p>\n'
        '<ul class="topofmind-related-list simple">\n'
        '<li><p><a class="reference internal" href="e.html">E</a> — January 1, 2022</p></li>\n'
        "</ul>\n"
        "</aside>"
    )


def test_how_many_is_the_option(tmp_path: Path) -> None:
    result = build(project(tmp_path / "site", CONF.replace("= 3", "= 4")))
    assert related(result.html("posts/a")) == ["C", "B", "D", "E"]


def test_off_by_default(tmp_path: Path) -> None:
    result = build(project(tmp_path / "site", 'extensions = ["sphinx_topofmind"]\n'))
    assert "topofmind-related" not in result.html("posts/a")


def test_text_and_latex(tmp_path: Path) -> None:
    src = project(tmp_path / "site")
    text = build(src, "text", outdir=tmp_path / "text")
    assert text.text("posts/f.txt").endswith("-[ Related articles ]-\n\n* E — January 1, 2022\n")
    latex = build(src, "latex", outdir=tmp_path / "latex")
    tex = next(latex.outdir.glob("*.tex")).read_text(encoding="utf-8")
    assert "\\subsubsection*{Related articles}" in tex
    assert "{E}}} — January 1, 2022" in tex


def test_singlehtml_and_parallel(tmp_path: Path) -> None:
    src = project(tmp_path / "site")
    single = build(src, "singlehtml", outdir=tmp_path / "single")
    soup = BeautifulSoup(single.html("index"), "html.parser")
    first = soup.select("aside.topofmind-related")[0]
    assert [a["href"] for a in first.select("a")] == [
        "#document-posts/c",
        "#document-posts/b",
        "#document-posts/d",
    ]
    serial = build(src, outdir=tmp_path / "serial")
    parallel = build(src, parallel=2, outdir=tmp_path / "parallel")
    for name in POSTS:
        page = name.removesuffix(".md")
        assert related(parallel.html(page)) == related(serial.html(page))


def test_retagging_another_article_rewrites_the_block(tmp_path: Path) -> None:
    src = project(tmp_path / "src")
    out, clean = tmp_path / "out", tmp_path / "clean"
    build(src, outdir=out)
    d = src / "posts/d.md"
    d.write_text(d.read_text().replace('tags = ["x"]', 'tags = ["x", "y", "z"]'), encoding="utf-8")
    result = rebuild_and_compare(src, out, clean)
    assert related(result.html("posts/a")) == ["D", "C", "B"]
    assert "posts/a" in result.written and "posts/h" not in result.written
    # a retitle shows in the blocks listing it
    c = src / "posts/c.md"
    c.write_text(c.read_text().replace('title = "C"', 'title = "See"'), encoding="utf-8")
    result = rebuild_and_compare(src, out, clean)
    assert related(result.html("posts/a")) == ["D", "See", "B"]


def test_a_bad_count_is_a_located_config_warning(tmp_path: Path) -> None:
    src = project(tmp_path / "site", CONF.replace("= 3", "= -1"))
    result = build(src)
    assert result.warnings == [
        (
            f"{src / 'conf.py'}:2: WARNING: topofmind_related_articles must be a whole number "
            ">= 0; using the default 0 [topofmind.config]"
        )
    ]
    assert "topofmind-related" not in result.html("posts/a")

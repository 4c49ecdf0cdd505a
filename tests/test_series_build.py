"""Series in real builds: membership, order, highlighting, warnings, rebuilds, builders."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import sphinx
from bs4 import BeautifulSoup
from building import build, main_content, write_tree

CONF = 'extensions = ["sphinx_topofmind"]\ntopofmind_content_root = "content"\n'
INDEX = "# Home\n\n```{toctree}\n:glob:\n\ncontent/**\n```\n"


def post(
    title: str,
    selected: int | str | None,
    *,
    date: str = "2024-01-01",
    draft: bool = False,
    body: str = "Text.",
    shortcode: str = "top_of_mind_nav",
) -> str:
    nav = "" if selected is None else f"\n{{{{ {shortcode}(selected={selected}) }}}}\n"
    draft_line = "draft = true\n" if draft else ""
    return f'+++\ntitle = "{title}"\ndate = "{date}"\n{draft_line}+++\n\n## Body\n\n{body}\n{nav}'


def _as_list(value: int | list[int]) -> list[int]:
    return value if isinstance(value, list) else [value]


def nav_of(result, docname: str, series: str = "top-of-mind"):
    soup = BeautifulSoup(result.html(docname), "html.parser")
    nav = soup.select_one(f"nav.topofmind-series-{series}")
    assert nav is not None, docname
    names = [li.get_text().strip() for li in nav.select("ul.topofmind-series-list > li")]
    current = [c.get_text() for c in nav.select('[aria-current="page"]')]
    return nav, names, current


def project(tmp_path: Path, files: dict[str, str], conf: str = CONF) -> Path:
    return write_tree(tmp_path / "site", {"conf.py": conf, "index.md": INDEX, **files})


def test_declared_positions_order_the_series(tmp_path: Path) -> None:
    src = project(
        tmp_path,
        {
            "content/tom/_index.md": '+++\ntitle = "Section"\n+++\n\n{{ top_of_mind_nav(selected=0) }}\n',
            "content/tom/c.md": post("Third", 7),
            "content/tom/a.md": post("First", 1),
            "content/tom/b.md": post("Second", 3),
        },
    )
    result = build(src)
    assert result.warnings == []
    nav, names, current = nav_of(result, "content/tom/b")
    assert names == ["First", "▶ Second", "Third"]
    assert current == ["▶ Second"]
    assert nav["aria-label"] == "Top of Mind series"
    assert nav.select_one('a[rel="prev"]')["href"] == "a.html"
    assert nav.select_one('a[rel="next"]')["href"] == "c.html"
    assert nav.select_one('[aria-current="page"]').find_parent("a") is None
    _, names, current = nav_of(result, "content/tom/_index")
    assert names == ["First", "Second", "Third"] and current == []
    # the nav stays out of the search index: the other pages are not found by "third"
    index = json.loads(
        result.text("searchindex.js").removeprefix("Search.setIndex(").removesuffix(")")
    )
    docs = [index["docnames"][i] for i in _as_list(index["terms"].get("third", []))]
    if sphinx.version_info >= (8, 1):  # 'no-search' is honoured from Sphinx 8.1
        assert not {"content/tom/a", "content/tom/b"} & set(docs)
    assert not BeautifulSoup(result.html("content/tom/_index"), "html.parser").select(
        'a[rel="prev"]'
    )


def test_tied_positions_warn_at_each_article(tmp_path: Path) -> None:
    src = project(
        tmp_path,
        {
            "content/tom/a.md": post("A", 2, date="2024-01-01"),
            "content/tom/b.md": post("B", 2, date="2024-02-01"),
        },
    )
    result = build(src)
    assert result.warnings == [
        f"{src / 'content/tom/a.md'}:10: WARNING: position 2 of series 'top-of-mind' is also declared by 'content/tom/b' [topofmind.series]",
        f"{src / 'content/tom/b.md'}:10: WARNING: position 2 of series 'top-of-mind' is also declared by 'content/tom/a' [topofmind.series]",
    ]
    _, names, _ = nav_of(result, "content/tom/a")
    assert names == ["▶ A", "B"]  # tie broken by date


NAV = '- name: "Second by the file"\n  url: "@/top-of-mind/b.md"\n- name: "First by the file"\n  url: "@/top-of-mind/a.md"\n- name: "Nowhere"\n  url: "@/top-of-mind/gone.md"\n'


def test_nav_file_wins_and_disagreeing_numbers_warn(tmp_path: Path) -> None:
    src = project(
        tmp_path,
        {
            "content/top-of-mind/nav.yaml": NAV,
            "content/top-of-mind/a.md": post("A", 1),
            "content/top-of-mind/b.md": post("B", 1),
        },
    )
    result = build(src)
    nav_path = src / "content/top-of-mind/nav.yaml"
    assert result.warnings == [
        (
            f"{nav_path}:5: WARNING: nav entry 'Nowhere' points to 'top-of-mind/gone.md', which is not "
            "a document of this project [topofmind.nav_file]"
        ),
        (
            f"{src / 'content/top-of-mind/a.md'}:10: WARNING: 'content/top-of-mind/a' declares position 1 "
            "in series 'top-of-mind' but is entry 2 of its nav file [topofmind.series]"
        ),
    ]
    _, names, current = nav_of(result, "content/top-of-mind/a")
    assert names == ["Second by the file", "▶ First by the file", "Nowhere"]
    assert current == ["▶ First by the file"]
    soup = BeautifulSoup(result.html("content/top-of-mind/a"), "html.parser")
    assert soup.select_one("span.topofmind-series-unlinked").get_text() == "Nowhere"


def test_selected_0_on_a_listed_page_highlights_nothing(tmp_path: Path) -> None:
    # Zola: selected=0 matches no loop.index, even on a page the nav file lists
    # (the real site does this on pages that only show their section's series)
    nav = (
        '- name: "A"\n  url: "@/top-of-mind/a.md"\n'
        '- name: "B"\n  url: "@/top-of-mind/b.md"\n'
        '- name: "C"\n  url: "@/top-of-mind/c.md"\n'
    )
    src = project(
        tmp_path,
        {
            "content/top-of-mind/nav.yaml": nav,
            "content/top-of-mind/a.md": post("A", 1),
            "content/top-of-mind/b.md": post("B", 0),
            "content/top-of-mind/c.md": post("C", 3),
        },
    )
    result = build(src)
    assert result.warnings == []
    nav_node, names, current = nav_of(result, "content/top-of-mind/b")
    assert names == ["A", "B", "C"] and current == []
    assert nav_node.select("a[rel]") == []
    assert nav_node.select_one("p.topofmind-series-pager") is None
    # B is still a member: its neighbours link to it
    nav_node, names, current = nav_of(result, "content/top-of-mind/c")
    assert current == ["▶ C"]
    assert nav_node.select_one('a[rel="prev"]')["href"] == "b.html"


def test_drafts_are_left_out_of_the_series(tmp_path: Path) -> None:
    src = project(
        tmp_path,
        {
            "content/tom/a.md": post("A", 1),
            "content/tom/b.md": post("B", 2, draft=True),
            "content/tom/c.md": post("C", 3),
        },
    )
    result = build(src)
    assert result.warnings == []
    assert not (result.outdir / "content/tom/b.html").exists()
    _, names, _ = nav_of(result, "content/tom/a")
    assert names == ["▶ A", "C"]
    # with topofmind_drafts the draft is built and listed
    result = build(src, confoverrides={"topofmind_drafts": True})
    _, names, _ = nav_of(result, "content/tom/a")
    assert names == ["▶ A", "B", "C"]


def test_a_second_series_gets_its_directive_and_shortcode(tmp_path: Path) -> None:
    conf = CONF + 'topofmind_series = {"top-of-mind": {}, "roadmap": {"title": "Roadmap"}}\n'
    src = project(
        tmp_path,
        {
            "content/r/one.md": post("One", 1, shortcode="roadmap_nav"),
            "content/r/two.md": '+++\ntitle = "Two"\n+++\n\n## Body\n\n```{roadmap-nav}\n:selected: 2\n```\n',
            "content/tom/a.md": post("A", 1),
        },
        conf,
    )
    result = build(src)
    assert result.warnings == []
    nav, names, _ = nav_of(result, "content/r/two", "roadmap")
    assert names == ["One", "▶ Two"]
    assert nav["aria-label"] == "Roadmap series"
    _, names, _ = nav_of(result, "content/tom/a")
    assert names == ["▶ A"]


def test_a_page_showing_a_series_it_is_not_in_warns(tmp_path: Path) -> None:
    src = project(
        tmp_path,
        {
            "content/tom/a.md": post("A", 1),
            "content/other.md": '+++\ntitle = "Other"\n+++\n\n```{top-of-mind-nav}\n```\n',
            "content/bad.md": '+++\ntitle = "Bad"\n+++\n\n{{ top_of_mind_nav(selected="x") }}\n\n{{ top_of_mind_nav(selected=-2) }}\n',
        },
    )
    result = build(src)
    bad, other = src / "content/bad.md", src / "content/other.md"
    assert result.warnings == [
        f"{bad}:5: WARNING: invalid selected='x' for series 'top-of-mind' (a whole number >= 0 is expected); ignored [topofmind.series]",
        f"{bad}:7: WARNING: invalid selected=-2 for series 'top-of-mind' (a whole number >= 0 is expected); ignored [topofmind.series]",
        f"{bad}:5: WARNING: this page shows series 'top-of-mind' but is not one of its entries (use selected=0 for a section page) [topofmind.series]",
        f"{bad}:7: WARNING: this page shows series 'top-of-mind' but is not one of its entries (use selected=0 for a section page) [topofmind.series]",
        f"{other}:5: WARNING: this page shows series 'top-of-mind' but is not one of its entries (use selected=0 for a section page) [topofmind.series]",
    ]
    _, names, current = nav_of(result, "content/other")
    assert names == ["A"] and current == []


def test_window_and_reversed(tmp_path: Path) -> None:
    files = {f"content/tom/p{n}.md": post(f"P{n}", n) for n in range(1, 10)}
    files["content/w.md"] = (
        '+++\ntitle = "W"\n+++\n\n```{top-of-mind-nav}\n:selected: 0\n:window: 1\n:reversed:\n```\n'
    )
    src = project(tmp_path, files)
    result = build(src)
    assert result.warnings == []
    _, names, _ = nav_of(result, "content/w")
    assert names == [f"P{n}" for n in range(9, 0, -1)]  # no current page: the whole series
    files["content/tom/p5.md"] = post("P5", 5).replace(
        "{{ top_of_mind_nav(selected=5) }}", "```{top-of-mind-nav}\n:selected: 5\n:window: 2\n```"
    )
    src = project(tmp_path, files)
    result = build(src)
    _, names, _ = nav_of(result, "content/tom/p5")
    assert names == ["…", "P3", "P4", "▶ P5", "P6", "P7", "…"]


@pytest.mark.parametrize(
    ("builder", "filename", "expected"),
    [
        ("text", "content/tom/b.txt", "* **▶ B**"),
        ("man", "*.1", "▶ B"),
        ("latex", "*.tex", r"\sphinxstylestrong{▶ B}"),
        ("texinfo", "*.texi", "▶ B"),
        ("epub", "content/tom/b.xhtml", 'aria-current="page"'),
        ("dirhtml", "content/tom/b/index.html", 'href="../a/" rel="prev"'),
        ("singlehtml", "index.html", 'href="#document-content/tom/a" rel="prev"'),
    ],
)
def test_every_builder_shows_the_nav(
    tmp_path: Path, builder: str, filename: str, expected: str
) -> None:
    src = project(tmp_path, {"content/tom/a.md": post("A", 1), "content/tom/b.md": post("B", 2)})
    conf_extra = {"copyright": "2026", "version": "1"} if builder == "epub" else {}
    result = build(src, builder, confoverrides=conf_extra)
    assert result.warnings == []
    output = next(result.outdir.glob(filename)).read_text(encoding="utf-8")
    assert expected in output


def test_a_nav_entry_with_an_anchor_in_singlehtml(tmp_path: Path) -> None:
    # one page: the entry points at the heading's id, not at '#document-x#part'
    nav = (
        '- name: "A"\n  url: "@/top-of-mind/a.md"\n'
        '- name: "B, its body"\n  url: "@/top-of-mind/b.md#body"\n'
    )
    src = project(
        tmp_path,
        {
            "content/top-of-mind/nav.yaml": nav,
            "content/top-of-mind/a.md": post("A", 1),
            "content/top-of-mind/b.md": post("B", 2),
        },
    )
    result = build(src, "singlehtml")
    assert result.warnings == []
    soup = BeautifulSoup(result.text("index.html"), "html.parser")
    hrefs = {a["href"] for a in soup.select("nav.topofmind-series-top-of-mind a")}
    assert hrefs == {"#document-content/top-of-mind/a", "#body"}
    assert soup.find(id="body") is not None


def _touch(path: Path, text: str) -> None:
    time.sleep(0.01)  # a modification time strictly after the last read
    path.write_text(text, encoding="utf-8")


def test_rebuilds_touch_only_what_changed(tmp_path: Path) -> None:
    files = {f"content/tom/p{n}.md": post(f"P{n}", n) for n in range(1, 5)}
    files["content/lone.md"] = '+++\ntitle = "Lone"\n+++\n\n## Body\n'
    src = project(tmp_path, files)
    build(src)
    # nothing changed: nothing read, nothing written
    again = build(src, freshenv=False)
    assert again.read == [] and again.written == []
    # body-only edit: that article alone
    _touch(src / "content/tom/p2.md", post("P2", 2, body="New words."))
    body = build(src, freshenv=False)
    assert body.read == ["content/tom/p2"]
    # Sphinx itself rewrites the toctree parent of a re-read page (plain Sphinx does too)
    assert body.written == ["content/tom/p2", "index"]
    # retitle: every page that shows the series, nothing else
    _touch(src / "content/tom/p3.md", post("P3 renamed", 3))
    retitle = build(src, freshenv=False)
    assert retitle.read == ["content/tom/p3"]
    assert sorted(retitle.written) == [f"content/tom/p{n}" for n in range(1, 5)] + ["index"]
    # incremental output equals a clean build of the same sources
    clean = build(src, outdir=tmp_path / "clean")
    assert main_content(retitle.outdir) == main_content(clean.outdir)


def windowed(title: str, position: int) -> str:
    return (
        f'+++\ntitle = "{title}"\ndate = "2024-01-0{position}"\n+++\n\n## Body\n\nText.\n\n'
        f"```{{top-of-mind-nav}}\n:selected: {position}\n:window: 1\n```\n"
    )


def test_a_retitle_rewrites_only_the_windows_that_show_it(tmp_path: Path) -> None:
    files = {f"content/tom/p{n}.md": windowed(f"P{n}", n) for n in range(1, 10)}
    src = project(tmp_path, files)
    build(src)
    _touch(src / "content/tom/p9.md", windowed("P9 renamed", 9))
    retitle = build(src, freshenv=False)
    assert retitle.read == ["content/tom/p9"]
    # p8 shows p9 in its window (and links it as next); p7's window is p6-p8 and its
    # next link is p8, so p7 and the pages before it are left alone
    assert sorted(retitle.written) == ["content/tom/p8", "content/tom/p9", "index"]
    clean = build(src, outdir=tmp_path / "clean")
    assert main_content(retitle.outdir) == main_content(clean.outdir)


def test_a_nav_file_edited_alone_reorders_the_series(tmp_path: Path) -> None:
    """A rebuild that reads no page keeps last build's series orders (issue 17), unless
    a nav file changed: one kept outside every section is read by no page's toctree."""
    conf = CONF + 'topofmind_series = {"tom": {"nav_file": "navs/tom.yaml"}}\n'
    one, two = '- name: "One"\n  url: "@/tom/p1.md"\n', '- name: "Two"\n  url: "@/tom/p2.md"\n'
    files = {f"content/tom/p{n}.md": post(f"P{n}", n, shortcode="tom_nav") for n in (1, 2)}
    src = project(tmp_path, {**files, "content/navs/tom.yaml": one + two}, conf)
    build(src)
    quiet = build(src, freshenv=False)
    assert quiet.read == [] and quiet.written == []
    _touch(src / "content/navs/tom.yaml", two + one)
    reordered = build(src, freshenv=False)
    assert reordered.read == []
    # the pages that show the series, and their toctree parent (as Sphinx does)
    assert sorted(reordered.written) == ["content/tom/p1", "content/tom/p2", "index"]
    assert nav_of(reordered, "content/tom/p1", "tom")[1] == ["Two", "▶ One"]

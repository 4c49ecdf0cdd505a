"""Sections as Zola has them: the pages each ``_index.md`` holds, their order, the
listing on the section page (paginated), the summary rule and the home section."""

from __future__ import annotations

import itertools
import posixpath
import re
import shutil
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from building import build, write_tree
from conftest import SHARED
from test_incremental import assert_same_output

from sphinx_topofmind.zola.sections import (
    PageInfo,
    SectionInfo,
    build_sections,
    in_draft_section,
    natural_key,
    orphan_pages,
    paginate,
    section_problems,
    sort_pages,
)
from sphinx_topofmind.zola.summary import pick_summary

HEAD = SHARED / "corpus" / "zerotohero-web-head"

# --- the pure rules ------------------------------------------------------------------


def paths(pages: tuple[PageInfo, ...]) -> list[str]:
    return [page.path for page in pages]


def test_date_is_newest_first_and_a_date_alone_is_midnight() -> None:
    pages = [
        PageInfo("s/a.md", date="2024-01-01"),
        PageInfo("s/b.md", date="2024-03-01"),
        PageInfo("s/c.md", date="2024-01-01T12:00:00"),
        PageInfo("s/d.md"),
    ]
    listed, ignored = sort_pages(pages, "date")
    assert paths(listed) == ["s/b.md", "s/c.md", "s/a.md"]
    # Zola leaves a page without the key out of the list (still built)
    assert paths(ignored) == ["s/d.md"]


def test_update_date_takes_the_newer_of_date_and_updated() -> None:
    pages = [
        PageInfo("s/a.md", date="2024-01-01", updated="2024-06-01"),
        PageInfo("s/b.md", date="2024-03-01"),
        PageInfo("s/c.md", updated="2024-04-01"),
        PageInfo("s/d.md"),
    ]
    listed, ignored = sort_pages(pages, "update_date")
    assert paths(listed) == ["s/a.md", "s/c.md", "s/b.md"]
    assert paths(ignored) == ["s/d.md"]


def test_title_is_natural_and_blind_to_case_and_accents() -> None:
    pages = [
        PageInfo("s/a.md", title="Part 10"),
        PageInfo("s/b.md", title="part 2"),
        PageInfo("s/c.md", title="Éclair"),
        PageInfo("s/d.md", title="apple"),
        PageInfo("s/e.md"),
    ]
    listed, ignored = sort_pages(pages, "title")
    assert paths(listed) == ["s/d.md", "s/c.md", "s/b.md", "s/a.md"]
    assert paths(ignored) == ["s/e.md"]
    assert natural_key("Part 2") < natural_key("part 10")


def test_title_bytes_is_byte_order() -> None:
    pages = [
        PageInfo("s/a.md", title="apple"),
        PageInfo("s/b.md", title="Banana"),
        PageInfo("s/c.md", title="Part 10"),
        PageInfo("s/d.md", title="Part 2"),
    ]
    listed, _ = sort_pages(pages, "title_bytes")
    assert paths(listed) == ["s/b.md", "s/c.md", "s/d.md", "s/a.md"]


def test_weight_is_lightest_first_and_ties_go_by_permalink() -> None:
    pages = [
        PageInfo("s/z.md", weight=1),
        PageInfo("s/a.md", weight=2),
        PageInfo("s/m.md", weight=1, slug="b-slug"),
        PageInfo("s/n.md"),
    ]
    listed, ignored = sort_pages(pages, "weight")
    # /s/b-slug/ before /s/z/: the tie goes by URL, not by file name
    assert paths(listed) == ["s/m.md", "s/z.md", "s/a.md"]
    assert paths(ignored) == ["s/n.md"]


def test_slug_is_natural_and_takes_every_page() -> None:
    pages = [
        PageInfo("s/p10.md"),
        PageInfo("s/p2.md"),
        PageInfo("s/x.md", slug="a"),
        PageInfo("s/bundle/index.md"),
    ]
    listed, ignored = sort_pages(pages, "slug")
    assert paths(listed) == ["s/x.md", "s/bundle/index.md", "s/p2.md", "s/p10.md"]
    assert ignored == ()


def test_none_keeps_the_file_order_and_an_unknown_key_is_none() -> None:
    pages = [PageInfo("s/b.md", weight=1), PageInfo("s/a.md", weight=2)]
    assert paths(sort_pages(pages, "none")[0]) == ["s/a.md", "s/b.md"]
    assert paths(sort_pages(pages, "bogus")[0]) == ["s/a.md", "s/b.md"]


def test_bundles_nesting_transparency_and_orphans() -> None:
    pages = {
        p: PageInfo(p, date=d)
        for p, d in [
            ("blog/a.md", "2024-01-01"),
            ("blog/bundle/index.md", "2024-05-01"),
            ("blog/news/n.md", "2024-03-01"),
            ("blog/deep/d.md", "2024-04-01"),
            ("loose/l.md", "2024-01-01"),
            ("top.md", "2024-01-01"),
        ]
    }
    sections = {
        "_index.md": SectionInfo("_index.md"),
        "blog/_index.md": SectionInfo("blog/_index.md", sort_by="date"),
        "blog/news/_index.md": SectionInfo(
            "blog/news/_index.md", transparent=True, sort_by="date", weight=2
        ),
        "blog/deep/_index.md": SectionInfo("blog/deep/_index.md", weight=1),
    }
    content = build_sections(pages, sections)
    # the bundle is a page of blog; news passes its page up; deep keeps its own
    assert content["blog/_index.md"].pages == (
        "blog/bundle/index.md",
        "blog/news/n.md",
        "blog/a.md",
    )
    assert content["blog/_index.md"].own_pages == ("blog/bundle/index.md", "blog/a.md")
    assert content["blog/news/_index.md"].pages == ("blog/news/n.md",)
    assert content["blog/deep/_index.md"].pages == ("blog/deep/d.md",)
    # subsections by weight
    assert content["blog/_index.md"].subsections == ("blog/deep/_index.md", "blog/news/_index.md")
    assert content["_index.md"].subsections == ("blog/_index.md",)
    assert content["_index.md"].pages == ("top.md",)
    assert orphan_pages(pages, sections) == ["loose/l.md"]


def test_an_unrendered_page_is_in_no_section() -> None:
    pages = {
        "s/a.md": PageInfo("s/a.md", weight=1),
        "s/hidden.md": PageInfo("s/hidden.md", weight=0, render=False),
    }
    sections = {"s/_index.md": SectionInfo("s/_index.md", sort_by="weight")}
    assert build_sections(pages, sections)["s/_index.md"].pages == ("s/a.md",)


def test_draft_sections_cover_everything_below() -> None:
    sections = {
        "_index.md": SectionInfo("_index.md"),
        "a/_index.md": SectionInfo("a/_index.md", draft=True),
    }
    assert in_draft_section("a/p.md", sections)
    assert in_draft_section("a/b/c/p.md", sections)
    assert in_draft_section("a/_index.md", sections)
    assert not in_draft_section("b/p.md", sections)


def test_pagination_boundaries() -> None:
    items = tuple("abcde")
    assert paginate(items, None) == [items]
    assert paginate(items, 5) == [items]
    assert paginate(items, 4) == [tuple("abcd"), ("e",)]
    assert paginate((), 3) == [()]


def test_section_keys_zola_would_refuse() -> None:
    problems = section_problems(
        {"sort_by": "newest", "paginate_by": True, "transparent": 1},
        {"sort_by": 3, "paginate_by": 4, "transparent": 5},
        1,
    )
    assert [(p.line, p.message.split(" ")[0]) for p in problems] == [
        (3, "sort_by"),
        (4, "paginate_by"),
        (5, "transparent"),
    ]
    assert section_problems({"sort_by": "weight", "paginate_by": 0}, {}, 1) == []


def test_summary_rule() -> None:
    assert pick_summary("Before  the\nmarker.", "Desc.", "First.") == "Before the marker."
    assert pick_summary(None, "Desc.", "First.") == "Desc."
    assert pick_summary("", "  ", "First.") == "First."
    assert pick_summary(None, None, None) is None


# --- builds ----------------------------------------------------------------------------

CONF = (
    'extensions = ["sphinx_topofmind"]\n'
    'topofmind_zola_site = "."\n'
    'html_sidebars = {"**": ["localtoc.html", "relations.html"]}\n'
)
CONFIG_TOML = 'base_url = "https://example.org"\ntitle = "Site"\n'


def page(title: str, *lines: str, body: str = "Text.") -> str:
    matter = "\n".join([f'title = "{title}"', *lines])
    return f"+++\n{matter}\n+++\n\n{body}\n"


def site(root: Path, files: dict[str, str], conf: str = CONF) -> Path:
    return write_tree(root, {"conf.py": conf, "config.toml": CONFIG_TOML, **files})


def listed(html_text: str) -> list[str]:
    soup = BeautifulSoup(html_text, "html.parser")
    box = soup.find(class_="topofmind-section-list")
    assert box is not None
    return [a.get_text() for a in box.find_all("a", class_="reference")]


def toctree_titles(result, docname: str) -> list[str]:
    """Titles of the documents in ``docname``'s toctree, in order."""
    env = result.app.env
    return [env.titles[d].astext() for d in env.toctree_includes.get(docname, [])]


def weighted_site(root: Path) -> Path:
    return site(
        root,
        {
            "content/_index.md": page("Home"),
            "content/blog/_index.md": page("Blog", 'sort_by = "weight"'),
            "content/blog/c.md": page("Third", "weight = 30"),
            "content/blog/a.md": page("First", "weight = 10"),
            "content/blog/bundle/index.md": page("Second", "weight = 20"),
            "content/blog/no-weight.md": page("Unweighted"),
            "content/loose/orphan.md": page("Orphan"),
            "content/blog/hidden.md": page("Hidden", "weight = 1", "render = false"),
        },
    )


def test_weight_orders_toctree_listing_and_neighbours(tmp_path: Path) -> None:
    result = build(weighted_site(tmp_path / "src"))
    # the orphan page and the page without the sort key warn about no toctree
    assert result.warnings == []
    section = result.html("content/blog/_index")
    assert listed(section) == ["First", "Second", "Third"]
    assert toctree_titles(result, "content/blog/_index") == ["First", "Second", "Third"]
    second = BeautifulSoup(result.html("content/blog/bundle/index"), "html.parser")
    assert second.find("link", rel="prev")["href"].endswith("a.html")
    assert second.find("link", rel="next")["href"].endswith("c.html")
    assert (result.outdir / "content/loose/orphan.html").is_file()
    assert (result.outdir / "content/blog/no-weight.html").is_file()


@pytest.mark.parametrize(
    ("sort_by", "expected"),
    [
        ("date", ["Cherry", "apple", "Banana"]),
        ("update_date", ["Banana", "Cherry", "apple"]),
        ("title", ["apple", "Banana", "Cherry"]),
        ("title_bytes", ["Banana", "Cherry", "apple"]),
        ("weight", ["Cherry", "Banana", "apple"]),
        ("slug", ["Cherry", "apple", "Banana"]),
        ("none", ["Banana", "apple", "Cherry"]),
    ],
)
def test_each_sort_by(tmp_path: Path, sort_by: str, expected: list[str]) -> None:
    files = {
        "content/_index.md": page("Home"),
        "content/s/_index.md": page("S", f'sort_by = "{sort_by}"'),
        "content/s/b.md": page(
            "Banana", "date = 2024-01-01", "updated = 2024-09-01", "weight = 2", 'slug = "zz"'
        ),
        "content/s/c.md": page("apple", "date = 2024-02-01", "weight = 3"),
        "content/s/d.md": page("Cherry", "date = 2024-03-01", "weight = 1", 'slug = "a"'),
    }
    result = build(site(tmp_path / "src", files))
    assert result.warnings == []
    assert listed(result.html("content/s/_index")) == expected
    assert toctree_titles(result, "content/s/_index") == expected


def test_nested_and_transparent_sections(tmp_path: Path) -> None:
    files = {
        "content/_index.md": page("Home"),
        "content/blog/_index.md": page("Blog", 'sort_by = "date"'),
        "content/blog/old.md": page("Old", "date = 2020-01-01"),
        "content/blog/news/_index.md": page("News", "transparent = true", 'sort_by = "date"'),
        "content/blog/news/mid.md": page("Mid", "date = 2022-01-01"),
        "content/blog/deep/_index.md": page("Deep"),
        "content/blog/deep/inner.md": page("Inner"),
    }
    result = build(site(tmp_path / "src", files))
    assert result.warnings == []
    blog = result.html("content/blog/_index")
    assert listed(blog) == ["Mid", "Old"]
    # pages first, then the subsections (equal weights: by path)
    assert toctree_titles(result, "content/blog/_index") == ["Mid", "Old", "Deep", "News"]
    assert listed(result.html("content/blog/news/_index")) == ["Mid"]
    assert listed(result.html("content/blog/deep/_index")) == ["Inner"]
    assert toctree_titles(result, "content/_index") == ["Blog"]


@pytest.mark.parametrize("drafts", [False, True])
def test_a_draft_section_is_left_out_with_its_pages(tmp_path: Path, drafts: bool) -> None:
    files = {
        "content/_index.md": page("Home"),
        "content/wip/_index.md": page("WIP", "draft = true"),
        "content/wip/p.md": page("P"),
        "content/wip/sub/_index.md": page("Sub"),
        "content/wip/sub/q.md": page("Q"),
    }
    result = build(
        site(tmp_path / "src", files), confoverrides={"topofmind_drafts": drafts} if drafts else {}
    )
    assert result.warnings == []
    for name in ("content/wip/_index", "content/wip/p", "content/wip/sub/q"):
        assert (result.outdir / f"{name}.html").is_file() == drafts


def pagination(html_text: str) -> list[str]:
    soup = BeautifulSoup(html_text, "html.parser")
    return [a["rel"][0] for a in soup.select(".topofmind-pagination a")]


def paginated_site(root: Path, count: int, per_page: int = 2) -> Path:
    files = {
        "content/_index.md": page("Home"),
        "content/s/_index.md": page("S", 'sort_by = "weight"', f"paginate_by = {per_page}"),
    }
    for n in range(1, count + 1):
        files[f"content/s/p{n}.md"] = page(f"P{n}", f"weight = {n}")
    return site(root, files)


@pytest.mark.parametrize("builder", ["html", "dirhtml"])
def test_paginate_by_boundaries(tmp_path: Path, builder: str) -> None:
    def page_file(out: Path, n: int) -> Path:
        return out / (
            "content/s/page" + (f"/{n}/index.html" if builder == "dirhtml" else f"/{n}.html")
        )

    exact = build(paginated_site(tmp_path / "exact", 4), builder)
    assert exact.warnings == []
    first = (
        exact.outdir
        # under dirhtml a section is served at its folder's URL (features/urls.py)
        / ("content/s/index.html" if builder == "dirhtml" else "content/s/_index.html")
    ).read_text()
    assert listed(first) == ["P1", "P2"]
    second = page_file(exact.outdir, 2).read_text()
    assert listed(second) == ["P3", "P4"]
    assert not page_file(exact.outdir, 3).exists()
    assert pagination(first) == ["next"]
    assert pagination(second) == ["prev"]

    over = build(paginated_site(tmp_path / "over", 5), builder)
    third = page_file(over.outdir, 3).read_text()
    assert listed(third) == ["P5"]
    soup = BeautifulSoup(third, "html.parser")
    prev = soup.select_one(".topofmind-pagination a[rel=prev]")["href"]
    assert prev in ("2.html", "../2/")


def test_the_listing_shows_dates_and_the_summary_rule(tmp_path: Path) -> None:
    files = {
        "content/_index.md": page("Home"),
        "content/s/_index.md": page("S", 'sort_by = "date"'),
        "content/s/more.md": page(
            "More",
            "date = 2024-03-01",
            'description = "Not this."',
            body="Teaser text.\n\n<!-- more -->\n\nThe rest.",
        ),
        "content/s/desc.md": page("Desc", "date = 2024-02-01", 'description = "The description."'),
        "content/s/plain.md": page(
            "Plain", "date = 2024-01-01", body="First paragraph.\n\nSecond."
        ),
    }
    result = build(site(tmp_path / "src", files))
    assert result.warnings == []
    soup = BeautifulSoup(result.html("content/s/_index"), "html.parser")
    summaries = [p.get_text() for p in soup.select(".topofmind-section-summary")]
    assert summaries == ["Teaser text.", "The description.", "First paragraph."]
    assert soup.select_one(".topofmind-section-list time")["datetime"] == "2024-03-01"
    # the same summary for search engines and link previews
    more = BeautifulSoup(result.html("content/s/more"), "html.parser")
    assert more.find("meta", attrs={"name": "description"})["content"] == "Teaser text."
    plain = BeautifulSoup(result.html("content/s/plain"), "html.parser")
    assert plain.find("meta", attrs={"name": "description"})["content"] == "First paragraph."
    # and for the feeds
    feed = BeautifulSoup((result.outdir / "atom.xml").read_text(encoding="utf-8"), "xml")
    summaries = {
        entry.find("title").get_text(): entry.find("summary").get_text()
        for entry in feed.find_all("entry")
    }
    assert summaries == {
        "More": "Teaser text.",
        "Desc": "The description.",
        "Plain": "First paragraph.",
    }


def test_the_text_builder_gets_a_plain_whole_list(tmp_path: Path) -> None:
    result = build(paginated_site(tmp_path / "src", 3), "text")
    assert result.warnings == []
    text = result.text("content/s/_index.txt")
    # no further pages outside HTML: every page is listed
    assert re.findall(r"^\* (P\d)", text, re.MULTILINE) == ["P1", "P2", "P3"]


def test_a_project_overrides_the_listing_template(tmp_path: Path) -> None:
    src = weighted_site(tmp_path / "src")
    write_tree(
        src,
        {
            "_templates/topofmind/section-list.html": (
                '<ol class="mine">{% for page in pages %}<li>{{ page.title|e }}</li>'
                "{% endfor %}</ol>"
            ),
        },
    )
    (src / "conf.py").write_text(CONF + 'templates_path = ["_templates"]\n', encoding="utf-8")
    result = build(src)
    soup = BeautifulSoup(result.html("content/blog/_index"), "html.parser")
    assert [li.get_text() for li in soup.select("ol.mine li")] == ["First", "Second", "Third"]
    assert soup.find(class_="topofmind-section-list") is None


def test_a_site_without_a_home_section_builds(tmp_path: Path) -> None:
    files = {
        "content/b/_index.md": page("B", "weight = 2"),
        "content/b/x.md": page("X"),
        "content/a/_index.md": page("A", "weight = 5"),
        "content/top.md": page("Top"),
    }
    result = build(site(tmp_path / "src", files), "dirhtml")
    assert result.warnings == []
    assert result.app.config.root_doc == "content/b/_index"
    home = (result.outdir / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(home, "html.parser")
    target = soup.find("meta", attrs={"http-equiv": "refresh"})["content"].split("url=", 1)[1]
    assert (result.outdir / target / "index.html").is_file()
    # the home section's page and the other top-level section hang below the root
    assert toctree_titles(result, "content/b/_index") == ["X", "Top", "A"]


# --- incremental builds ----------------------------------------------------------------


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        ("content/blog/c.md", "weight = 30", "weight = 5"),
        ("content/blog/_index.md", 'sort_by = "weight"', 'sort_by = "title"'),
        ("content/blog/a.md", 'title = "First"', 'title = "Renamed"'),
        # only the listing shows it: the summary of a page far down the list
        ("content/blog/c.md", "Text.", "Other text."),
        ("content/blog/a.md", "weight = 10", "weight = 10\ndate = 2024-01-01"),
        ("content/blog/_index.md", 'sort_by = "weight"', 'sort_by = "date"'),
        ("content/blog/_index.md", 'sort_by = "weight"', 'sort_by = "weight"\npaginate_by = 1'),
    ],
)
def test_incremental_equals_clean(tmp_path: Path, name: str, old: str, new: str) -> None:
    src = weighted_site(tmp_path / "src")
    out = tmp_path / "out"
    build(src, outdir=out)
    time.sleep(0.01)
    _edit(src / name, old, new)
    incremental = build(src, outdir=out, freshenv=False)
    clean = build(src, outdir=tmp_path / "clean")
    assert_same_output(incremental.outdir, clean.outdir, set(clean.app.env.found_docs), (name, new))


def test_a_transparent_sections_listing_follows_its_pages(tmp_path: Path) -> None:
    """The transparent section lists a page its parent's toctree holds: Sphinx would not
    rewrite it for the page's new summary (regression: the listing stayed stale)."""
    src = site(
        tmp_path / "src",
        {
            "content/_index.md": page("Home"),
            "content/blog/_index.md": page("Blog"),
            "content/blog/news/_index.md": page("News", "transparent = true"),
            "content/blog/news/mid.md": page("Mid", body="Old summary."),
        },
    )
    out = tmp_path / "out"
    build(src, outdir=out)
    time.sleep(0.01)
    _edit(src / "content/blog/news/mid.md", "Old summary.", "New summary.")
    incremental = build(src, outdir=out, freshenv=False)
    assert "New summary." in incremental.html("content/blog/news/_index")
    clean = build(src, outdir=tmp_path / "clean")
    assert_same_output(incremental.outdir, clean.outdir, set(clean.app.env.found_docs), src)


@pytest.mark.parametrize(
    ("old", "new", "relisted"),
    [
        # a body edit below the summary: no listing shows it
        ("Later text.", "Later words.", False),
        # the summary (the first paragraph) is what the listings show
        ("Old summary.", "New summary.", True),
        ('title = "Mid"', 'title = "Middle"', True),
    ],
)
def test_a_listing_is_rewritten_only_when_what_it_shows_changed(
    tmp_path: Path, old: str, new: str, relisted: bool
) -> None:
    """The transparent section lists its page without holding it in its toctree, so
    only its listing can make Sphinx rewrite it.  The page's toctree parent, the blog
    section, is rewritten by Sphinx for any edit of the page, as in any project; a
    page rewritten for its listing has its own toctree parent (the home section)
    rewritten with it by the same rule of Sphinx's."""
    src = site(
        tmp_path / "src",
        {
            "content/_index.md": page("Home"),
            "content/blog/_index.md": page("Blog"),
            "content/blog/news/_index.md": page("News", "transparent = true"),
            "content/blog/news/mid.md": page("Mid", body="Old summary.\n\nLater text."),
        },
    )
    out = tmp_path / "out"
    build(src, outdir=out)
    time.sleep(0.01)
    _edit(src / "content/blog/news/mid.md", old, new)
    incremental = build(src, outdir=out, freshenv=False)
    assert incremental.read == ["content/blog/news/mid"]
    expected = {"content/blog/news/mid", "content/blog/_index"}
    if relisted:
        expected |= {"content/blog/news/_index", "content/_index"}
    assert set(incremental.written) == expected
    clean = build(src, outdir=tmp_path / "clean")
    assert_same_output(incremental.outdir, clean.outdir, set(clean.app.env.found_docs), (old, new))


def test_fewer_listing_pages_remove_the_stale_ones(tmp_path: Path) -> None:
    src = paginated_site(tmp_path / "src", 5)
    out = tmp_path / "out"
    first = build(src, outdir=out)
    assert (first.outdir / "content/s/page/3.html").is_file()
    time.sleep(0.01)
    _edit(src / "content/s/_index.md", "paginate_by = 2", "paginate_by = 4")
    again = build(src, outdir=out, freshenv=False)
    assert not (again.outdir / "content/s/page/3.html").exists()
    assert (again.outdir / "content/s/page/2.html").is_file()


def test_parallel_build_equals_serial(tmp_path: Path) -> None:
    src = weighted_site(tmp_path / "src")
    serial = build(src, outdir=tmp_path / "serial")
    parallel = build(src, outdir=tmp_path / "parallel", parallel=2)
    assert parallel.warnings == serial.warnings == []
    for name in ("content/blog/_index", "content/blog/bundle/index"):
        assert listed(parallel.html("content/blog/_index")) == ["First", "Second", "Third"]
        assert parallel.html(name) == serial.html(name)


# --- the real site ---------------------------------------------------------------------


def _zola_listing(section: str) -> list[str]:
    """URL paths (``top-of-mind/closure``) of the pages Zola's section page links, in order."""
    text = (HEAD / "reference/zola-output" / section / "index.html").read_text(encoding="utf-8")
    main = text[text.find("<main") : text.find("</main>")]
    soup = BeautifulSoup(main, "html.parser")
    # the section's list is its series nav: the longest list of the page (the body may
    # hold short lists of links of its own)
    lists = soup.find_all("ul")
    if not lists:
        return []
    longest = max(lists, key=lambda ul: len(ul.select("a[href]")))
    found = []
    for a in longest.select("a[href]"):
        path = urlsplit(a["href"]).path.strip("/")
        if a["href"].startswith("https://zerotohero.dev/") and path:
            found.append(path)
    return found


def _our_listing(result, section: str) -> list[str]:
    """The same for our section page (``content/<section>/_index.html``)."""
    soup = BeautifulSoup(result.html(f"content/{section}/_index"), "html.parser")
    box = soup.find(class_="topofmind-section-list")
    assert box is not None, section
    found = []
    for a in box.select("a.reference"):
        path = posixpath.normpath(posixpath.join(section, a["href"])).removesuffix(".html")
        found.append(path.removesuffix("/index"))
    return found


@pytest.fixture(scope="module")
def head_build(tmp_path_factory: pytest.TempPathFactory):
    if not (HEAD / "content").is_dir():
        pytest.skip(f"the real site is not beside the checkout (looked in {HEAD})")
    root = tmp_path_factory.mktemp("head") / "site"
    shutil.copytree(HEAD, root, ignore=shutil.ignore_patterns("reference"))
    (root / "conf.py").write_text(
        'extensions = ["sphinx_topofmind"]\ntopofmind_zola_site = "."\n', encoding="utf-8"
    )
    return build(root, "html")


def test_the_real_site_lists_each_section_in_zolas_order(head_build) -> None:
    checked = 0
    for index in sorted((HEAD / "content").rglob("_index.md")):
        folder = index.parent.relative_to(HEAD / "content").as_posix()
        if folder == "." or not (HEAD / "reference/zola-output" / folder / "index.html").is_file():
            continue
        if f"content/{folder}/_index" not in head_build.app.env.found_docs:
            continue  # content/tags/_index.md: Zola shows the tags taxonomy's index there
        zola = _zola_listing(folder)
        mine = _our_listing(head_build, folder)
        # the pages Zola's section page shows (its nav may link other sections' pages)
        # come in the same order in ours
        shown = [path for path in zola if path in mine]
        assert shown == [path for path in mine if path in shown], folder
        checked += len(shown) > 1
    assert checked >= 3


def test_the_real_sites_neighbours_follow_the_listing(head_build) -> None:
    ours = head_build.html("content/top-of-mind/_index")
    soup = BeautifulSoup(ours, "html.parser")
    links = [a["href"] for a in soup.select(".topofmind-section-list a.reference")]
    assert len(links) > 3
    for before, after in itertools.pairwise(links):
        page_ = BeautifulSoup(
            (head_build.outdir / "content/top-of-mind" / before).read_text(encoding="utf-8"),
            "html.parser",
        )
        assert page_.find("link", rel="next")["href"].endswith(after), before


def test_a_weight_edited_after_unchanged_builds_reorders_the_section(tmp_path: Path) -> None:
    # the sort keys of unchanged sources come from the cache without a look at the
    # files; a source edited after one or more unchanged builds is looked at again
    src = weighted_site(tmp_path / "src")
    out = tmp_path / "out"
    assert listed(build(src, outdir=out).html("content/blog/_index")) == [
        "First",
        "Second",
        "Third",
    ]
    for weight, expected in ((5, ["Third", "First", "Second"]), (30, ["First", "Second", "Third"])):
        assert build(src, freshenv=False, outdir=out).read == []
        time.sleep(0.01)
        third = src / "content/blog/c.md"
        third.write_text(page("Third", f"weight = {weight}"), encoding="utf-8")
        result = build(src, freshenv=False, outdir=out)
        assert listed(result.html("content/blog/_index")) == expected
        assert toctree_titles(result, "content/blog/_index") == expected

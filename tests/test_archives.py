"""Archive pages: the index and one page per year, by month, newest first; links from
the article header's date and the tags index; pagination; clashes; rebuilds."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from building import build, main_content, write_tree

CONF = 'extensions = ["sphinx_topofmind"]\ntopofmind_content_root = "content"\n'
INDEX = "# Home\n\n```{toctree}\n:glob:\n\ncontent/*\n```\n"


def post(title: str, date: str | None, tags: tuple[str, ...] = ("t",), draft: bool = False) -> str:
    lines = [f'title = "{title}"']
    if date is not None:
        lines.append(f"date = {date}")
    if draft:
        lines.append("draft = true")
    listed = ", ".join(f'"{tag}"' for tag in tags)
    return "+++\n" + "\n".join(lines) + f"\n\n[taxonomies]\ntags = [{listed}]\n+++\n\nText.\n"


POSTS = {
    "content/a.md": post("Alpha", "2024-03-01"),
    "content/b.md": post("Beta", "2024-03-15"),
    "content/c.md": post("Gamma", "2023-12-01"),
    "content/d.md": post("Delta", "2024-01-05"),
    # 22:00 at -08:00 on the 1st is 06:00 Z on the 2nd: newer than Beta's 15th? no; than Alpha
    "content/e.md": post("Epsilon", "2024-03-01T22:00:00-08:00"),
    "content/undated.md": post("Undated", None),
    "content/draft.md": post("Draft", "2025-01-01", draft=True),
}


def site(tmp_path: Path, conf: str = "", files: dict[str, str] | None = None) -> Path:
    tree = {"conf.py": CONF + conf, "index.md": INDEX, **POSTS, **(files or {})}
    return write_tree(tmp_path / "site", tree)


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def year_listing(page: BeautifulSoup) -> list[tuple[str, list[str]]]:
    return [
        (month.h2.get_text(), [a.get_text() for a in month.select("li > a")])
        for month in page.select("section.topofmind-archive-month")
    ]


def test_index_and_year_pages_newest_first(tmp_path: Path) -> None:
    result = build(site(tmp_path))
    assert result.warnings == []
    archive = result.outdir / "archive"
    assert sorted(p.name for p in archive.glob("*.html")) == [
        "2023.html",
        "2024.html",
        "index.html",
    ]
    year = soup(archive / "2024.html")
    assert year.h1.get_text() == "Archive: 2024"
    assert year_listing(year) == [
        ("March 2024", ["Beta", "Epsilon", "Alpha"]),
        ("January 2024", ["Delta"]),
    ]
    assert [a["href"] for a in year.select("section.topofmind-archive-month li > a")] == [
        "../content/b.html",
        "../content/e.html",
        "../content/a.html",
        "../content/d.html",
    ]
    assert year.select_one("section[id='2024-03'] time")["datetime"] == "2024-03-15"
    assert year.select_one(".topofmind-archive-count").get_text() == "4 articles · Archive"
    assert year_listing(soup(archive / "2023.html")) == [("December 2023", ["Gamma"])]
    index = soup(archive / "index.html")
    years = index.select("ul.topofmind-archive-years > li")
    assert [(li.a.get_text(), li.a["href"]) for li in years] == [
        ("2024", "2024.html"),
        ("2023", "2023.html"),
    ]
    months = [(a.get_text(), a["href"]) for a in years[0].select("ul.topofmind-archive-months a")]
    assert months == [("March 2024", "2024.html#2024-03"), ("January 2024", "2024.html#2024-01")]
    assert "(4 articles)" in years[0].get_text() and "(3)" in years[0].get_text()
    # drafts are not built and not archived; undated pages are not archived
    assert "Draft" not in (archive / "index.html").read_text(encoding="utf-8")
    assert not (archive / "2025.html").exists()


def test_drafts_are_archived_when_built(tmp_path: Path) -> None:
    result = build(site(tmp_path, "topofmind_drafts = True\n"))
    assert year_listing(soup(result.outdir / "archive/2025.html")) == [("January 2025", ["Draft"])]


def _header_link(html: str) -> str | None:
    date = BeautifulSoup(html, "html.parser").select_one(".topofmind-published")
    link = date.find("a")
    return None if link is None else link["href"]


@pytest.mark.parametrize(
    ("builder", "article", "expected", "tags_index", "to_archive"),
    [
        (
            "html",
            "content/a.html",
            "../archive/2024.html",
            "tags/index.html",
            "../archive/index.html",
        ),
        (
            "dirhtml",
            "content/a/index.html",
            "../../archive/2024/",
            "tags/index.html",
            "../archive/",
        ),
    ],
)
def test_header_date_and_tags_index_link_to_the_archive(
    tmp_path: Path, builder: str, article: str, expected: str, tags_index: str, to_archive: str
) -> None:
    result = build(site(tmp_path), builder)
    assert result.warnings == []
    assert _header_link(result.text(article)) == expected
    link = soup(result.outdir / tags_index).select_one("p.topofmind-archive-link a")
    assert (link.get_text(), link["href"]) == ("Archive", to_archive)
    year = "archive/2024/index.html" if builder == "dirhtml" else "archive/2024.html"
    assert "Beta" in result.text(year)


def test_singlehtml_links_into_the_generated_pages(tmp_path: Path) -> None:
    result = build(site(tmp_path), "singlehtml")
    assert result.warnings == []
    page = soup(result.outdir / "index.html")
    links = [a["href"] for a in page.select(".topofmind-published a")]
    assert sorted(links) == ["archive/2023.html"] + ["archive/2024.html"] * 4
    year = soup(result.outdir / "archive/2024.html")
    assert [a["href"] for a in year.select("section[id='2024-01'] li > a")] == [
        "../index.html#document-content/d"
    ]
    tags = soup(result.outdir / "tags/index.html")
    assert tags.select_one("p.topofmind-archive-link a")["href"] == "../archive/index.html"
    # the theme's toctree links point into the root page (as on tag pages)
    assert 'href="#document-' not in (result.outdir / "archive/2024.html").read_text(
        encoding="utf-8"
    )


@pytest.mark.parametrize("builder", ["text", "latex", "man"])
def test_other_builders_show_the_date_unlinked(tmp_path: Path, builder: str) -> None:
    result = build(site(tmp_path), builder)
    assert result.warnings == []
    assert not (result.outdir / "archive").exists()
    if builder == "text":
        assert "March 1, 2024" in result.text("content/a.txt")


def test_no_dated_articles_write_and_link_nothing(tmp_path: Path) -> None:
    files = {name: text for name, text in POSTS.items() if "undated" in name}
    src = write_tree(tmp_path / "site", {"conf.py": CONF, "index.md": INDEX, **files})
    result = build(src)
    assert result.warnings == []
    assert not (result.outdir / "archive").exists()
    assert soup(result.outdir / "tags/index.html").select("p.topofmind-archive-link") == []


def _year_pages(outdir: Path) -> list[str]:
    return sorted(str(p.relative_to(outdir)) for p in (outdir / "archive").rglob("*.html"))


def test_pagination_boundaries(tmp_path: Path) -> None:
    # 2024 holds exactly 4 articles: 4 per page is one page, 3 per page two
    exact = build(site(tmp_path / "exact", "topofmind_paginate_by = 4\n"))
    assert _year_pages(exact.outdir) == [
        "archive/2023.html",
        "archive/2024.html",
        "archive/index.html",
    ]
    assert soup(exact.outdir / "archive/2024.html").select("nav.topofmind-pagination") == []
    over = build(site(tmp_path / "over", "topofmind_paginate_by = 3\n"))
    assert over.warnings == []
    assert _year_pages(over.outdir) == [
        "archive/2023.html",
        "archive/2024.html",
        "archive/2024/page/2.html",
        "archive/index.html",
    ]
    first = soup(over.outdir / "archive/2024.html")
    assert year_listing(first) == [("March 2024", ["Beta", "Epsilon", "Alpha"])]
    pager = first.select_one("nav.topofmind-pagination")
    assert pager.select_one("a[rel=next]")["href"] == "2024/page/2.html"
    assert pager.select_one("[aria-current=page]").get_text() == "1"
    second = soup(over.outdir / "archive/2024/page/2.html")
    assert year_listing(second) == [("January 2024", ["Delta"])]
    assert second.select_one("a[rel=prev]")["href"] == "../../2024.html"
    assert second.select_one("a[href='../../../content/d.html']") is not None
    index = soup(over.outdir / "archive/index.html")
    january = index.select("ul.topofmind-archive-months a")[1]
    assert january["href"] == "2024/page/2.html#2024-01"


def test_paginated_dirhtml(tmp_path: Path) -> None:
    result = build(site(tmp_path, "topofmind_paginate_by = 3\n"), "dirhtml")
    second = soup(result.outdir / "archive/2024/page/2/index.html")
    assert second.select_one("a[rel=prev]")["href"] == "../../"
    assert second.select_one(".topofmind-archive-month li > a")["href"] == "../../../../content/d/"


def test_a_source_page_at_the_index_wins_with_a_warning(tmp_path: Path) -> None:
    src = site(
        tmp_path,
        files={
            "archive.md": "# My archive\n\nHand-written.\n",
            "index.md": INDEX.replace("content/*", "content/*\narchive"),
        },
    )
    result = build(src, "dirhtml")
    assert result.warnings == [
        (
            f"{src / 'archive.md'}: WARNING: this page is written where the generated archive index "
            "('archive/index') would go; the page is kept and no archive index is generated (set "
            "topofmind_archive_path to move the generated pages) [topofmind.tags]"
        )
    ]
    assert "Hand-written" in result.text("archive/index.html")
    assert "Beta" in result.text("archive/2024/index.html")
    # nothing links to the index that is not there
    assert soup(result.outdir / "tags/index.html").select("p.topofmind-archive-link") == []
    year = soup(result.outdir / "archive/2024/index.html")
    assert year.select(".topofmind-archive-count") == []
    # html writes the source page at archive.html: no clash
    html = build(src)
    assert html.warnings == []
    assert "Hand-written" in html.html("archive")
    assert (html.outdir / "archive/index.html").is_file()


def test_a_source_page_at_a_year_page_wins_with_a_warning(tmp_path: Path) -> None:
    src = site(tmp_path, files={"archive/2023.md": "# Old\n\nMine.\n"})
    result = build(src)
    assert result.warnings == [
        (
            f"{src / 'archive/2023.md'}: WARNING: document isn't included in any toctree "
            "[toc.not_included]"
        ),
        (
            f"{src / 'archive/2023.md'}: WARNING: this page is written where the archive page of "
            "2023 ('archive/2023') would go; the page is kept (set topofmind_archive_path to move "
            "the generated pages) [topofmind.tags]"
        ),
    ]
    assert "Mine." in result.html("archive/2023")


def test_archive_path_moves_the_pages(tmp_path: Path) -> None:
    result = build(site(tmp_path, 'topofmind_archive_path = "blog/by-date"\n'))
    assert result.warnings == []
    assert (result.outdir / "blog/by-date/2024.html").is_file()
    assert _header_link(result.html("content/a")) == "../blog/by-date/2024.html"


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ('""', "must not be empty"),
        ('"."', "must be a folder of its own, not '.'"),
        ('"../up"', "must be a relative path that stays inside its folder"),
        (
            '"_static"',
            "must not put the archive pages among Sphinx's own pages and folders ('_static')",
        ),
        (
            '"search"',
            "must not put the archive pages among Sphinx's own pages and folders ('search')",
        ),
        ("3", "must be a string"),
    ],
)
def test_bad_archive_path_is_reset(tmp_path: Path, value: str, problem: str) -> None:
    src = site(tmp_path, f"topofmind_archive_path = {value}\n")
    result = build(src)
    assert result.warnings == [
        (
            f"{src / 'conf.py'}:3: WARNING: topofmind_archive_path {problem}; using the default "
            "'archive' [topofmind.config]"
        )
    ]
    assert (result.outdir / "archive/2024.html").is_file()


EDITS = {
    "date": ("content/d.md", post("Delta", "2022-06-01")),
    "title": ("content/a.md", post("Renamed Alpha", "2024-03-01")),
    "tag": ("content/b.md", post("Beta", "2024-03-15", tags=("other",))),
    "removed": ("content/c.md", None),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_incremental_equals_clean(tmp_path: Path, edit: str) -> None:
    conf = "topofmind_paginate_by = 2\n"
    src = site(tmp_path / "inc", conf)
    out = tmp_path / "inc-out"
    build(src, outdir=out)
    name, text = EDITS[edit]
    if text is None:
        (src / name).unlink()
    else:
        (src / name).write_text(text, encoding="utf-8")
    incremental = build(src, freshenv=False, outdir=out)
    clean = build(src, outdir=tmp_path / "clean-out")
    assert incremental.warnings == clean.warnings == []
    pages = main_content(incremental.outdir)
    if text is None:
        del pages[name.replace(".md", ".html")]  # Sphinx leaves a removed page's output
    assert pages == main_content(clean.outdir)
    if edit in ("date", "removed"):
        # the year pages nobody has any more are gone
        assert _year_pages(incremental.outdir) == _year_pages(clean.outdir)


def test_parallel_equals_serial(tmp_path: Path) -> None:
    src = site(tmp_path)
    serial = build(src, outdir=tmp_path / "serial")
    parallel = build(src, parallel=2, outdir=tmp_path / "parallel")
    assert parallel.warnings == serial.warnings == []
    assert main_content(parallel.outdir) == main_content(serial.outdir)


def test_a_rebuild_without_changes_leaves_the_pages_alone(tmp_path: Path) -> None:
    src = site(tmp_path)
    out = tmp_path / "out"
    first = build(src, outdir=out)
    stamps = {p: p.stat().st_mtime_ns for p in (first.outdir / "archive").glob("*.html")}
    time.sleep(0.01)
    build(src, freshenv=False, outdir=out)
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps
    # an article outside 2023 changed its title: the pages are written again
    (src / "content/a.md").write_text(post("Alpha two", "2024-03-01"), encoding="utf-8")
    time.sleep(0.01)
    build(src, freshenv=False, outdir=out)
    assert "Alpha two" in (first.outdir / "archive/2024.html").read_text(encoding="utf-8")


def test_labels_and_months_in_the_project_language(tmp_path: Path) -> None:
    result = build(site(tmp_path, 'language = "de"\n'))
    year = soup(result.outdir / "archive/2024.html")
    assert year.h1.get_text() == "Archiv: 2024"
    assert [heading for heading, _ in year_listing(year)] == ["März 2024", "Januar 2024"]
    assert "4 Artikel" in year.select_one(".topofmind-archive-count").get_text()


def test_a_dated_section_is_not_an_article(tmp_path: Path) -> None:
    section = '+++\ntitle = "Blog"\ndate = 2024-12-01\n+++\n\nThe blog.\n'
    result = build(site(tmp_path, files={"content/_index.md": section}))
    year = soup(result.outdir / "archive/2024.html")
    assert [heading for heading, _ in year_listing(year)] == ["March 2024", "January 2024"]


def test_a_zola_archive_section_leads_to_the_generated_archive(tmp_path: Path) -> None:
    # Zola's convention (the seed site has it): content/archive/_index.md with
    # template = "archive.html" lists the site by year; dirhtml serves a section at its
    # folder, where the generated archive goes
    src = site(
        tmp_path,
        files={
            "archive/_index.md": '+++\ntitle = "Archive"\ntemplate = "archive.html"\n+++\n',
            "index.md": INDEX.replace("content/*", "content/*\narchive/_index"),
        },
    )
    result = build(src, "dirhtml")
    assert result.warnings == []
    generated = soup(result.outdir / "archive/index.html")
    assert [a.get_text() for a in generated.select("ul.topofmind-archive-years > li > a")][:2] == [
        "2024",
        "2023",
    ]
    # the section keeps its Sphinx name; links to it lead to the folder, the archive
    assert (result.outdir / "archive/_index/index.html").is_file()
    home = soup(result.outdir / "index.html")
    assert [a["href"] for a in home.select("a") if "archive" in a["href"]] == ["archive/"]
    assert soup(result.outdir / "archive/2024/index.html").select(".topofmind-archive-count") != []

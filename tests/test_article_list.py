"""The ``article-list`` directive: every filter, sort and ``:show:`` format, limits,
pagination at its boundaries, every builder, ``-j 2``, incremental builds and the
exact warnings."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from building import build, main_content, write_tree
from test_incremental import rebuild_and_compare

from sphinx_topofmind.article_query import Entry, group_by_year, sort_entries

CONF = (
    'extensions = ["sphinx_topofmind"]\n'
    'topofmind_taxonomies = ["tags", "categories"]\n'
    "topofmind_section_toctree = False\n"
)


def article(
    title: str,
    body: str = "First paragraph.",
    *,
    date: str | None = None,
    updated: str | None = None,
    tags: tuple[str, ...] = (),
    categories: tuple[str, ...] = (),
    draft: bool = False,
    description: str | None = None,
) -> str:
    lines = [f'title = "{title}"']
    if date:
        lines.append(f"date = {date}")
    if updated:
        lines.append(f"updated = {updated}")
    if draft:
        lines.append("draft = true")
    if description:
        lines.append(f'description = "{description}"')
    lines.append("[taxonomies]")
    lines.append("tags = [" + ", ".join(f'"{t}"' for t in tags) + "]")
    if categories:
        lines.append("categories = [" + ", ".join(f'"{c}"' for c in categories) + "]")
    return "+++\n" + "\n".join(lines) + "\n+++\n\n" + body + "\n"


ARTICLES = {
    "blog/_index.md": '+++\ntitle = "Blog"\n+++\n\nThe blog.\n',
    "blog/alpha.md": article(
        "Alpha",
        "Alpha summary.\n\n<!-- more -->\n\nAlpha rest.\n\n{{ top_of_mind_nav(selected=2) }}",
        date="2024-03-01",
        tags=("python", "web"),
        categories=("dev",),
    ),
    "blog/beta.md": article(
        "Beta",
        "Beta first paragraph.\n\n{{ top_of_mind_nav(selected=1) }}",
        date="2023-06-15",
        updated="2024-05-01",
        tags=("Python",),
    ),
    "blog/gamma.md": article("Gamma", date="2024-01-10", tags=("web",), draft=True),
    "notes/_index.md": '+++\ntitle = "Notes"\n+++\n\nThe notes.\n',
    "notes/delta.md": article(
        "Delta",
        date="2022-12-31",
        tags=("python", "web", "rust"),
        description="Delta described.",
    ),
    "notes/epsilon.md": article("Epsilon"),
}


def listing(options: str = "") -> str:
    return f"# A list\n\n```{{article-list}}\n{options}```\n"


#: page -> options of its one list
LISTS = {
    "all": "",
    "tag": ":tag: python\n",
    "term": ":taxonomy: categories\n:tag: dev\n",
    "series": ":series: top-of-mind\n:sort: series\n",
    "blog": ":section: blog\n",
    "notes": ":section: notes/_index.md\n",
    "year": ":year: 2024\n",
    "updated": ":sort: updated\n",
    "title": ":sort: title\n",
    "title-reversed": ":sort: title\n:reverse:\n",
    "date-reversed": ":reverse:\n",
    "limit": ":limit: 2\n",
    "summary": ":show: summary\n",
    "tags": ":show: tags\n",
    "everything": ":show: date, updated, tags, summary, reading_time\n:tag: python\n",
    "excluded": ":drafts: exclude\n",
    "only": ":drafts: only\n",
}

BAD = """\
# Bad options

```{article-list}
:limit: many
:sort: random
:year: last
:drafts: maybe
:show: date, colour
:reverse: yes
:paginate: -1
:series: nope
:taxonomy: categories
```

```{article-list}
:sort: series
:tag: nobody
```

```{article-list}
:taxonomy: colours
:tag: red
:section: nowhere
```
"""


def project(root: Path, conf: str = CONF) -> Path:
    files: dict[str, str | bytes] = {
        "conf.py": conf,
        "index.md": "# Home\n\n```{toctree}\n:glob:\n\nblog/*\nnotes/*\nlists/*\n```\n",
        **ARTICLES,
        **{f"lists/{name}.md": listing(options) for name, options in LISTS.items()},
        "lists/bad.md": BAD,
    }
    return write_tree(root, files)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return project(tmp_path_factory.mktemp("list") / "site")


@pytest.fixture(scope="module")
def html_build(site: Path):
    return build(site)


def titles(page: str) -> list[str]:
    soup = BeautifulSoup(page, "html.parser")
    found = soup.select_one("div.topofmind-article-list")
    assert found is not None
    return [li.find("a").get_text() for li in found.select("li")]


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("all", ["Alpha", "Beta", "Delta", "Epsilon"]),
        ("tag", ["Alpha", "Beta", "Delta"]),
        ("term", ["Alpha"]),
        ("series", ["Beta", "Alpha"]),
        ("blog", ["Alpha", "Beta"]),
        ("notes", ["Delta", "Epsilon"]),
        ("year", ["Alpha"]),
        ("updated", ["Beta", "Alpha", "Delta", "Epsilon"]),
        ("title", ["Alpha", "Beta", "Delta", "Epsilon"]),
        ("title-reversed", ["Epsilon", "Delta", "Beta", "Alpha"]),
        ("date-reversed", ["Epsilon", "Delta", "Beta", "Alpha"]),
        ("limit", ["Alpha", "Beta"]),
        ("excluded", ["Alpha", "Beta", "Delta", "Epsilon"]),
        ("only", []),
    ],
)
def test_each_filter_and_sort(html_build, page: str, expected: list[str]) -> None:
    assert titles(html_build.html(f"lists/{page}")) == expected


def test_the_default_shows_the_linked_title_and_the_date(html_build) -> None:
    soup = BeautifulSoup(html_build.html("lists/all"), "html.parser")
    first = soup.select("div.topofmind-article-list li")[0]
    assert str(first) == (
        '<li><a class="reference internal" href="../blog/alpha.html">Alpha</a> '
        '<time datetime="2024-03-01">March 1, 2024</time></li>'
    )
    # an undated article shows no date
    assert str(soup.select("div.topofmind-article-list li")[3]) == (
        '<li><a class="reference internal" href="../notes/epsilon.html">Epsilon</a></li>'
    )


def test_show_summary_uses_the_one_summary_rule(html_build) -> None:
    soup = BeautifulSoup(html_build.html("lists/summary"), "html.parser")
    summaries = [p.get_text() for p in soup.select("p.topofmind-article-summary")]
    # before <!-- more -->, else the first paragraph, else ... the description wins over it
    assert summaries == [
        "Alpha summary.",
        "Beta first paragraph.",
        "Delta described.",
        "First paragraph.",
    ]
    assert soup.select("div.topofmind-article-list time") == []


def test_show_tags_links_the_tag_pages(html_build) -> None:
    soup = BeautifulSoup(html_build.html("lists/tags"), "html.parser")
    first = soup.select("div.topofmind-article-list li")[0]
    links = [(a.get_text(), a["href"]) for a in first.select("a.topofmind-tag")]
    assert links == [("python", "../tags/python.html"), ("web", "../tags/web.html")]
    assert first.select("time") == []


def test_show_everything(html_build) -> None:
    soup = BeautifulSoup(html_build.html("lists/everything"), "html.parser")
    beta = soup.select("div.topofmind-article-list li")[1]
    assert beta.select_one("a").get_text() == "Beta"
    assert [t["datetime"] for t in beta.select("time")] == ["2023-06-15", "2024-05-01"]
    assert beta.select_one("span.topofmind-updated").get_text() == "Updated May 1, 2024"
    assert beta.select_one("span.topofmind-reading-time").get_text() == "1 min read"
    # the tag as the site spells it (its first spelling), linked
    assert [a.get_text() for a in beta.select("a.topofmind-tag")] == ["python"]
    assert beta.select_one("p.topofmind-article-summary").get_text() == "Beta first paragraph."


def test_every_bad_option_is_a_located_warning(html_build, site: Path) -> None:
    where = f"{site / 'lists' / 'bad.md'}"
    mine = [w for w in html_build.warnings if "bad.md" in w]
    assert mine == [
        (
            f"{where}:3: WARNING: article-list: :taxonomy: has no effect without :tag:; ignored "
            "[topofmind.listing]"
        ),
        (
            f"{where}:3: WARNING: article-list: :series: 'nope' is no series (known: "
            "'top-of-mind'); ignored [topofmind.listing]"
        ),
        (
            f"{where}:3: WARNING: article-list: :year: must be a year such as 2024, not 'last'; "
            "ignored [topofmind.listing]"
        ),
        (
            f"{where}:3: WARNING: article-list: :drafts: must be one of include, exclude, only, "
            "not 'maybe'; ignored [topofmind.listing]"
        ),
        (
            f"{where}:3: WARNING: article-list: :sort: must be one of date, updated, title, "
            "series, not 'random'; sorting by date [topofmind.listing]"
        ),
        (
            f"{where}:3: WARNING: article-list: :reverse: takes no value, not 'yes'; ignored "
            "[topofmind.listing]"
        ),
        (
            f"{where}:3: WARNING: article-list: :limit: must be a whole number >= 1, not 'many'; "
            "ignored [topofmind.listing]"
        ),
        (
            f"{where}:3: WARNING: article-list: :paginate: must be a whole number >= 1 or none, "
            "not '-1'; ignored [topofmind.listing]"
        ),
        (
            f"{where}:3: WARNING: article-list: :show: 'colour' unknown (known: date, updated, "
            "tags, summary, reading_time); ignored [topofmind.listing]"
        ),
        (
            f"{where}:15: WARNING: article-list: :sort: series needs :series:; sorting by date "
            "[topofmind.listing]"
        ),
        (f"{where}:15: WARNING: article-list: no article has the tag 'nobody' [topofmind.listing]"),
        (
            f"{where}:20: WARNING: article-list: taxonomy 'colours' is not declared (declared: "
            "'tags', 'categories') [topofmind.listing]"
        ),
        (
            f"{where}:20: WARNING: article-list: no section 'nowhere' (no nowhere/_index.md) "
            "[topofmind.listing]"
        ),
    ]
    # and the page is still written, the bad options ignored
    assert titles(html_build.html("lists/bad")) == ["Alpha", "Beta", "Delta", "Epsilon"]
    assert not [w for w in html_build.warnings if "bad.md" not in w]


def test_drafts_only_exist_when_built(tmp_path: Path) -> None:
    src = project(tmp_path / "drafts", CONF + "topofmind_drafts = True\n")
    result = build(src)
    assert titles(result.html("lists/all")) == ["Alpha", "Gamma", "Beta", "Delta", "Epsilon"]
    assert titles(result.html("lists/only")) == ["Gamma"]
    assert titles(result.html("lists/excluded")) == ["Alpha", "Beta", "Delta", "Epsilon"]


@pytest.mark.parametrize("builder", ["dirhtml", "singlehtml"])
def test_html_builders_link_the_articles(site: Path, tmp_path: Path, builder: str) -> None:
    result = build(site, builder, outdir=tmp_path / builder)
    assert [w for w in result.warnings if "bad.md" not in w] == []
    if builder == "dirhtml":
        page = (result.outdir / "lists/tags/index.html").read_text(encoding="utf-8")
        links = ["../../blog/alpha/", "../../tags/python/", "../../tags/web/"]
    else:
        page = (result.outdir / "index.html").read_text(encoding="utf-8")
        links = ["#document-blog/alpha", "tags/python.html", "tags/web.html"]
    soup = BeautifulSoup(page, "html.parser")
    tagged = [d for d in soup.select("div.topofmind-article-list") if d.select("a.topofmind-tag")]
    first = tagged[0].select("li")[0]
    assert [a["href"] for a in first.select("a")] == links


def test_text_builder_shows_a_plain_list(site: Path, tmp_path: Path) -> None:
    result = build(site, "text", outdir=tmp_path / "text")
    assert result.text("lists/everything.txt") == (
        "A list\n"
        "******\n"
        "\n"
        "* Alpha — March 1, 2024 · 1 min read python web\n"
        "\n"
        "  Alpha summary.\n"
        "\n"
        "* Beta — June 15, 2023 · Updated May 1, 2024 · 1 min read python\n"
        "\n"
        "  Beta first paragraph.\n"
        "\n"
        "* Delta — December 31, 2022 · 1 min read python web rust\n"
        "\n"
        "  Delta described.\n"
    )


def test_latex_builder_shows_the_whole_list(site: Path, tmp_path: Path) -> None:
    result = build(site, "latex", outdir=tmp_path / "latex")
    tex = next(result.outdir.glob("*.tex")).read_text(encoding="utf-8")
    assert "Alpha}}} — March 1, 2024" in tex
    assert "Epsilon}}}" in tex


def test_man_builder(site: Path, tmp_path: Path) -> None:
    result = build(site, "man", outdir=tmp_path / "man")
    page = next(result.outdir.rglob("*.1")).read_text(encoding="utf-8")
    lines = page.splitlines()
    assert any(line.startswith("Alpha") and line.endswith("— March 1, 2024") for line in lines)


def test_texinfo_builder(site: Path, tmp_path: Path) -> None:
    result = build(site, "texinfo", outdir=tmp_path / "texinfo")
    texi = next(result.outdir.glob("*.texi")).read_text(encoding="utf-8")
    assert "Alpha} — March 1, 2024 · Updated" not in texi  # updated is not asked for there
    assert any(
        line.endswith("Beta} — June 15, 2023 · Updated May 1, 2024 · 1 min read python")
        for line in texi.splitlines()
    )


def test_parallel_build_gives_the_same_pages(site: Path, html_build, tmp_path: Path) -> None:
    parallel = build(site, parallel=2, outdir=tmp_path / "parallel")
    assert main_content(parallel.outdir) == main_content(html_build.outdir)
    assert sorted(parallel.warnings) == sorted(html_build.warnings)


# --- incremental builds -----------------------------------------------------------------


def test_incremental_output_equals_a_clean_build(tmp_path: Path) -> None:
    src = project(tmp_path / "src")
    out, clean = tmp_path / "out", tmp_path / "clean"
    build(src, outdir=out)
    delta = src / "notes/delta.md"
    # a new date moves Delta to the top
    delta.write_text(delta.read_text().replace("2022-12-31", "2025-01-01"), encoding="utf-8")
    result = rebuild_and_compare(src, out, clean)
    assert "lists/all" in result.written and "lists/tag" in result.written
    # new tags: Delta leaves the python list
    delta.write_text(delta.read_text().replace('"python", ', ""), encoding="utf-8")
    result = rebuild_and_compare(src, out, clean)
    assert "lists/tag" in result.written
    # a new summary (the text before <!-- more -->)
    alpha = src / "blog/alpha.md"
    alpha.write_text(alpha.read_text().replace("Alpha summary.", "New words."), encoding="utf-8")
    result = rebuild_and_compare(src, out, clean)
    assert "lists/summary" in result.written
    assert "lists/title" not in result.written  # it shows no summary: same output
    # an article added, then removed
    (src / "notes/zeta.md").write_text(article("Zeta", date="2021-01-01", tags=("python",)))
    result = rebuild_and_compare(src, out, clean)
    assert "lists/tag" in result.written
    (src / "notes/zeta.md").unlink()
    rebuild_and_compare(src, out, clean)
    shutil.rmtree(out)


def test_a_rebuild_without_changes_rewrites_no_list(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "again"
    build(site, outdir=out)
    again = build(site, outdir=out, freshenv=False)
    assert again.written == []


# --- the shared query functions ---------------------------------------------------------


def test_sort_and_group_by_year() -> None:
    entries = [
        Entry("a", "Part 10", date="2024-01-01"),
        Entry("b", "Part 2", date="2024-01-01T12:00:00+02:00"),
        Entry("c", "part 1", date="2023-05-01", updated="2024-06-01"),
        Entry("d", "Undated"),
    ]
    assert [e.docname for e in sort_entries(entries, "date")] == ["b", "a", "c", "d"]
    assert [e.docname for e in sort_entries(entries, "updated")] == ["c", "b", "a", "d"]
    assert [e.docname for e in sort_entries(entries, "title")] == ["c", "b", "a", "d"]
    groups = group_by_year(sort_entries(entries, "date"))
    assert [(year, [e.docname for e in found]) for year, found in groups] == [
        (2024, ["b", "a"]),
        (2023, ["c"]),
        (None, ["d"]),
    ]

"""The real Zola series (content/top-of-mind of zerotohero.dev) built as a Sphinx project."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from building import build, corpus_project
from docutils.utils.smartquotes import smartyPants


@pytest.fixture(scope="module")
def corpus_build(tmp_path_factory: pytest.TempPathFactory):
    from conftest import CORPUS

    if not CORPUS.is_dir():
        pytest.skip(f"the real Zola corpus is not beside the checkout (looked in {CORPUS})")
    return build(corpus_project(tmp_path_factory.mktemp("corpus"), CORPUS))


def nav_names(corpus: Path) -> list[str]:
    """The nav.yaml names in file order, with the smart punctuation Sphinx applies to text."""
    entries = yaml.safe_load((corpus / "content/top-of-mind/nav.yaml").read_text(encoding="utf-8"))
    return [smartyPants(entry["name"], attr="qDe", language="en") for entry in entries]


def test_only_missing_images_warn(corpus_build) -> None:
    assert corpus_build.warnings
    assert set(corpus_build.warning_types()) == {"topofmind.image"}


def test_no_front_matter_text_in_any_page(corpus_build, corpus: Path) -> None:
    pages = sorted((corpus_build.outdir / "content/top-of-mind").glob("*.html"))
    assert len(pages) == 18
    for page in pages:
        body = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").select_one("div.body")
        text = body.get_text()
        for leaked in ("+++", "title =", "[taxonomies]", "{{", "{%"):
            assert leaked not in text, (page.name, leaked)


def _nav(page: Path):
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    navs = soup.select("nav.topofmind-series-nav")
    assert len(navs) == 1, page
    return navs[0]


def test_every_article_nav_lists_the_series_and_highlights_itself(
    corpus_build, corpus: Path
) -> None:
    names = nav_names(corpus)
    entries = yaml.safe_load((corpus / "content/top-of-mind/nav.yaml").read_text(encoding="utf-8"))
    for index, entry in enumerate(entries):
        stem = entry["url"].rsplit("/", 1)[1].removesuffix(".md")
        nav = _nav(corpus_build.outdir / "content/top-of-mind" / f"{stem}.html")
        items = nav.select("ul.topofmind-series-list > li")
        shown = [item.get_text().strip().removeprefix("▶ ") for item in items]
        assert shown == names
        current = nav.select('[aria-current="page"]')
        assert len(current) == 1 and current[0].get_text() == f"▶ {names[index]}"
        assert current[0].find_parent("a") is None
        links = nav.select("ul.topofmind-series-list a")
        assert len(links) == len(names) - 1


def test_section_page_highlights_nothing(corpus_build, corpus: Path) -> None:
    nav = _nav(corpus_build.outdir / "content/top-of-mind/_index.html")
    assert not nav.select('[aria-current="page"]')
    assert len(nav.select("ul.topofmind-series-list a")) == len(nav_names(corpus))


def test_matches_what_zola_rendered(corpus_build, corpus: Path) -> None:
    reference = (corpus / "reference/the-dream-job.zola.html").read_text(encoding="utf-8")
    # Zola's minified list: <li><p><a href=...>Name</a></p> or <li><p><strong>▶ Name</strong></p>
    contents = reference[reference.index("id=section-contents") :]
    items = [
        ("current", html.unescape(current)) if current else ("link", html.unescape(link))
        for link, current in re.findall(
            r"<li><p>(?:<a href=[^>]*>(.*?)</a>|<strong>▶ (.*?)</strong>)</p>", contents
        )
    ]
    assert len(items) == 16
    nav = _nav(corpus_build.outdir / "content/top-of-mind/the-dream-job.html")
    ours = []
    for li in nav.select("ul.topofmind-series-list > li"):
        current = li.select_one('[aria-current="page"]')
        if current is not None:
            ours.append(("current", current.get_text().removeprefix("▶ ").strip()))
        else:
            ours.append(("link", li.get_text().strip()))
    # both apply smart punctuation (Zola's smart_punctuation, Sphinx's smartquotes)
    assert ours == items


def test_tags_count_matches_front_matter(corpus_build) -> None:
    page = (corpus_build.outdir / "tags/top-of-mind.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(page, "html.parser")
    assert len(soup.select("ul.topofmind-tag-articles > li")) == 16


def test_section_page_holds_its_pages_in_nav_order(corpus_build, corpus: Path) -> None:
    entries = yaml.safe_load((corpus / "content/top-of-mind/nav.yaml").read_text(encoding="utf-8"))
    in_nav = ["content/" + e["url"].removeprefix("@/").removesuffix(".md") for e in entries]
    included = corpus_build.app.env.toctree_includes["content/top-of-mind/_index"]
    # Zola's section holds every page of its folder: the nav file's order, then the rest
    assert included == in_nav + ["content/top-of-mind/dumb-quotes"]


def test_without_section_toctrees_articles_are_orphans(tmp_path: Path, corpus: Path) -> None:
    extra = 'topofmind_section_toctree = False\nsuppress_warnings = ["topofmind.image"]\n'
    result = build(corpus_project(tmp_path / "corpus", corpus, extra))
    assert result.warnings == []  # no "document isn't included in any toctree"
    assert "content/top-of-mind/_index" not in result.app.env.toctree_includes

"""Neighbour extensions: sphinxext-opengraph, sphinx-sitemap, and sphinx-autobuild's rebuilds.

The example site is built (in a temporary copy) with ``sphinxext.opengraph`` and
``sphinx_sitemap`` added; the article pages must carry the right Open Graph
tags and the sitemap must list the articles and the generated tag pages.
docs/opengraph.md, docs/sitemap.md and docs/autobuild.md describe the set-ups.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from building import build
from defusedxml import ElementTree

EXAMPLE = Path(__file__).resolve().parents[1] / "example_site"
SITE_URL = "https://blog.example.org/"

# sphinx-sitemap 2.9 still reaches Sphinx's deprecated BuildEnvironment.app
pytestmark = pytest.mark.filterwarnings(
    "ignore:'sphinx.environment.BuildEnvironment.app' is deprecated"
)
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"

ARTICLE = "content/top-of-mind/kind-code-review"
ARTICLE_TITLE = "Review the Code, Kindly"
ARTICLE_DESCRIPTION = "Code review is a conversation between people who want the same thing."


@pytest.fixture
def example(tmp_path: Path) -> Path:
    target = tmp_path / "example_site"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("_build"))
    return target


def _extensions(*names: str) -> list[str]:
    for name in names:
        pytest.importorskip(name, reason=f"{name} is not installed (pip install -e '.[test]')")
    return ["sphinx_topofmind", *names]


@pytest.fixture
def neighbours_build(example: Path):
    overrides = {
        "extensions": _extensions("sphinxext.opengraph", "sphinx_sitemap"),
        "html_baseurl": SITE_URL,
        "ogp_site_url": SITE_URL,
        # the default "{lang}{version}{link}" is for versioned docs, not a blog
        "sitemap_url_scheme": "{link}",
    }
    return build(example, confoverrides=overrides)


def _og(html: str) -> dict[str, str]:
    soup = BeautifulSoup(html, "html.parser")
    found = {tag["property"]: tag["content"] for tag in soup.find_all("meta", property=True)}
    found.update(
        {
            f"name:{tag['name']}": tag["content"]
            for tag in soup.find_all("meta", attrs={"name": True})
        }
    )
    return found


def test_builds_cleanly_with_opengraph_and_sitemap(neighbours_build) -> None:
    # sphinxext-opengraph says once that matplotlib (for social cards) is missing; not a warning
    assert [w for w in neighbours_build.warnings if "WARNING" in w or "ERROR" in w] == []


def test_opengraph_title_and_url(neighbours_build) -> None:
    og = _og(neighbours_build.html(ARTICLE))
    assert og["og:title"] == ARTICLE_TITLE
    assert og["og:url"] == f"{SITE_URL}{ARTICLE}.html"
    assert og["og:site_name"] == "Example Zola blog"
    assert og.get("og:description")


def test_opengraph_tags_on_every_article(neighbours_build) -> None:
    for page in sorted((neighbours_build.outdir / "content").rglob("*.html")):
        og = _og(page.read_text(encoding="utf-8"))
        h1 = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find("h1")
        assert og["og:title"] == h1.get_text().rstrip("¶").strip(), page


def test_opengraph_description_is_the_front_matter_description(neighbours_build) -> None:
    og = _og(neighbours_build.html(ARTICLE))
    assert og["og:description"] == ARTICLE_DESCRIPTION
    assert og["name:description"] == ARTICLE_DESCRIPTION


def test_sitemap_lists_articles_and_tag_pages(neighbours_build) -> None:
    root = ElementTree.fromstring((neighbours_build.outdir / "sitemap.xml").read_bytes())
    urls = {loc.text for loc in root.iter(f"{SITEMAP_NS}loc")}
    for page in ("small-pull-requests", "kind-code-review", "naming-things", "learning-in-public"):
        assert f"{SITE_URL}content/top-of-mind/{page}.html" in urls
    assert f"{SITE_URL}content/notes/commit-messages.html" in urls
    tag_pages = sorted(p.stem for p in (neighbours_build.outdir / "tags").glob("*.html"))
    assert "habits" in tag_pages and "index" in tag_pages
    for tag in tag_pages:
        assert f"{SITE_URL}tags/{tag}.html" in urls, tag
    # the draft is neither built nor listed
    assert not any("half-formed-ideas" in url for url in urls)


def _snapshot(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_rebuilds_write_nothing_into_the_source_dir(example: Path, tmp_path: Path) -> None:
    """What sphinx-autobuild needs: it rebuilds whenever a file under the source
    dir changes, so a build that wrote there (a generated page, a copied image)
    would trigger the next rebuild, forever. Two builds, the second incremental
    as autobuild runs it, leave the source tree byte for byte as it was."""
    before = _snapshot(example)
    outdir = tmp_path / "out"
    first = build(example, outdir=outdir)
    second = build(example, outdir=outdir, freshenv=False)
    assert _snapshot(example) == before
    assert first.warnings == second.warnings == []
    # the second build found nothing to re-read
    assert second.read == []

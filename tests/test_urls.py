"""Zola's URLs keep working (docs/urls.md): sections at their folder URL under ``dirhtml``,
redirect pages for Zola URLs, ``slug``, ``path``, ``aliases`` and ``redirect_to``, and the
``render`` / ``in_search_index`` switches.  Real builds, asserting on the files written."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest
from building import WARNING_LINE, build, write_tree
from sphinx.application import Sphinx
from sphinx.testing.util import _clean_up_global_state
from sphinx.util.console import strip_colors

from sphinx_topofmind.zola.urls import check_site_path, page_url, section_url, url_file

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
HEAD_CORPUS = SHARED / "corpus" / "zerotohero-web-head"

REFRESH = re.compile(r'<meta http-equiv="refresh" content="0; url=([^"]*)">')
CANONICAL = re.compile(r'<link rel="canonical" href="([^"]*)">')


def site_build(site: Path, buildername: str = "dirhtml", outdir: Path | None = None, **overrides):
    """``sphinx-build -b <builder> -c . content <outdir>``, run from the site root."""
    outdir = outdir or site / "_build" / buildername
    warning = io.StringIO()
    saved_path = sys.path.copy()
    try:
        app = Sphinx(
            srcdir=site / "content",
            confdir=site,
            outdir=outdir,
            doctreedir=outdir / ".doctrees",
            buildername=buildername,
            confoverrides=overrides,
            status=None,
            warning=warning,
            freshenv=False,
        )
        app.build()
    finally:
        # what SphinxTestApp.cleanup does (it cannot take a conf dir apart from the sources)
        sys.path[:] = saved_path
        _clean_up_global_state()
    text = strip_colors(warning.getvalue())
    # page bundles join their section's toctree with the sections work, not here
    return outdir, [
        line for line in text.splitlines() if line.strip() and "[toc.not_included]" not in line
    ]


def ours(path: Path, line: int, message: str) -> str:
    return f"{path}:{line}: WARNING: {message} [topofmind.redirect]"


def redirect_of(path: Path) -> str | None:
    """Where a redirect page leads (its refresh URL), or None for a real page."""
    found = REFRESH.search(path.read_text(encoding="utf-8"))
    return found.group(1) if found else None


def follow(outdir: Path, file: str) -> str:
    """The file a redirect page leads to, relative to the output dir."""
    target = redirect_of(outdir / file)
    assert target is not None, f"{file} is no redirect"
    base = outdir / file
    folder = base.parent
    resolved = (folder / target).resolve()
    if target.endswith("/") or target in ("", "./"):
        resolved = resolved / "index.html"
    return resolved.relative_to(outdir.resolve()).as_posix()


SITE = {
    "conf.py": 'extensions = ["sphinx_topofmind"]\ntopofmind_zola_site = "."\n',
    # tags are declared, as Zola requires of a taxonomy the pages use
    "config.toml": (
        'title = "Example"\nbase_url = "https://example.org"\ntaxonomies = [{ name = "tags" }]\n'
    ),
    "content/_index.md": '+++\ntitle = "Home"\n+++\n\nWelcome home.\n',
    "content/blog/_index.md": '+++\ntitle = "Blog"\n+++\n\nThe blog.\n',
    "content/blog/first-post.md": '+++\ntitle = "First"\ndate = 2024-01-01\n+++\n\nOne.\n',
    "content/blog/2024-02-03-dated.md": '+++\ntitle = "Dated"\n+++\n\nDated.\n',
    "content/blog/bundle/index.md": '+++\ntitle = "Bundle"\n+++\n\nA bundle.\n',
    "content/about.md": '+++\ntitle = "About"\n+++\n\nAbout us.\n',
}


def test_pure_urls() -> None:
    assert section_url("_index.md") == "/"
    assert section_url("blog/nested/_index.md") == "/blog/nested/"
    assert page_url("blog/Post_1.md") == "/blog/post-1/"
    assert page_url("blog/2018-10-10-hello-world.md") == "/blog/hello-world/"
    assert page_url("blog/2018-10-10-hello-world.md", keep_dates=True) == (
        "/blog/2018-10-10-hello-world/"
    )
    assert page_url("blog/bundle/index.md") == "/blog/bundle/"
    assert page_url("blog/a.md", slug="Über Uns") == "/blog/uber-uns/"
    assert page_url("blog/a.md", slug="x y", strategy="safe") == "/blog/x y/"
    assert page_url("blog/a.md", path="/elsewhere/deep") == "/elsewhere/deep/"
    assert url_file("/a/b/") == "a/b/index.html"
    assert url_file("/a/b") == "a/b/index.html"
    assert url_file("/a/b.html") == "a/b.html"
    assert url_file("/") == "index.html"
    for hostile in ("../../x", "a/../../x", "https://evil.example/", "//evil", "a\\b", "a?x"):
        assert check_site_path(hostile) is not None, hostile
    assert check_site_path("/old/path/") is None


def test_dirhtml_from_the_content_folder_serves_zola_urls(tmp_path: Path) -> None:
    site = write_tree(tmp_path / "site", SITE)
    outdir, warnings = site_build(site)
    assert warnings == []
    for file in (
        "index.html",
        "blog/index.html",
        "blog/first-post/index.html",
        "blog/bundle/index.html",
        "about/index.html",
    ):
        assert redirect_of(outdir / file) is None, file
    assert "Welcome home." in (outdir / "index.html").read_text(encoding="utf-8")
    assert "The blog." in (outdir / "blog/index.html").read_text(encoding="utf-8")
    # links between pages use the folder URLs
    home = (outdir / "index.html").read_text(encoding="utf-8")
    assert 'href="blog/"' in home
    # Sphinx's own names of the sections (search results link them) lead to the sections
    assert follow(outdir, "_index/index.html") == "index.html"
    assert follow(outdir, "blog/_index/index.html") == "blog/index.html"
    # a dated file name: Zola drops the date from the URL
    assert follow(outdir, "blog/dated/index.html") == "blog/2024-02-03-dated/index.html"
    canonical = CANONICAL.search((outdir / "blog/dated/index.html").read_text(encoding="utf-8"))
    assert canonical is not None
    assert canonical.group(1) == "https://example.org/blog/2024-02-03-dated/"


def test_html_builder_redirects_from_zola_urls(tmp_path: Path) -> None:
    site = write_tree(tmp_path / "site", SITE)
    outdir, warnings = site_build(site, "html")
    assert warnings == []
    assert follow(outdir, "index.html") == "_index.html"
    assert follow(outdir, "blog/index.html") == "blog/_index.html"
    assert follow(outdir, "blog/first-post/index.html") == "blog/first-post.html"
    assert follow(outdir, "about/index.html") == "about.html"
    # a page bundle is served at its folder by Sphinx's html builder too
    assert redirect_of(outdir / "blog/bundle/index.html") is None


KEYS_SITE = {
    **SITE,
    "content/blog/slugged.md": '+++\ntitle = "Slugged"\nslug = "Nice Slug"\n+++\n\nSlug.\n',
    "content/blog/pathed.md": '+++\ntitle = "Pathed"\npath = "/top/level"\n+++\n\nPath.\n',
    "content/blog/moved.md": (
        "+++\n"
        'title = "Moved"\n'
        'aliases = ["old/moved", "/older/moved/", "very/deep/old/page.html", "flat"]\n'
        "+++\n\nMoved.\n"
    ),
    "content/go/_index.md": '+++\ntitle = "Go"\nredirect_to = "blog/first-post"\n+++\n\nGo.\n',
    "content/ext/_index.md": (
        '+++\ntitle = "Ext"\nredirect_to = "https://other.example/x?a=1&b=2"\n+++\n'
    ),
}


@pytest.mark.parametrize("buildername", ["dirhtml", "html"])
def test_slug_path_aliases_and_redirect_to(tmp_path: Path, buildername: str) -> None:
    site = write_tree(tmp_path / "site", KEYS_SITE)
    outdir, warnings = site_build(site, buildername)
    assert warnings == []
    page = (lambda d: f"{d}/index.html") if buildername == "dirhtml" else (lambda d: f"{d}.html")
    assert follow(outdir, "blog/nice-slug/index.html") == page("blog/slugged")
    assert follow(outdir, "top/level/index.html") == page("blog/pathed")
    for alias in (
        "old/moved/index.html",
        "older/moved/index.html",
        "very/deep/old/page.html",
        "flat/index.html",
    ):
        assert follow(outdir, alias) == page("blog/moved"), alias
    # the section itself is a redirect, to a path of the site and to an external URL
    go = "go/index.html" if buildername == "dirhtml" else "go/_index.html"
    assert follow(outdir, go) == "blog/first-post/index.html"
    ext = "ext/index.html" if buildername == "dirhtml" else "ext/_index.html"
    text = (outdir / ext).read_text(encoding="utf-8")
    assert redirect_of(outdir / ext) == "https://other.example/x?a=1&amp;b=2"
    assert "Ext" not in text.split("<body>")[1]


# sphinx-sitemap 2.9 still reaches Sphinx's deprecated BuildEnvironment.app
@pytest.mark.filterwarnings("ignore:'sphinx.environment.BuildEnvironment.app' is deprecated")
def test_sitemap_lists_real_pages_once(tmp_path: Path) -> None:
    pytest.importorskip("sphinx_sitemap", reason="sphinx-sitemap is not installed")
    site = write_tree(tmp_path / "site", KEYS_SITE)
    outdir, _ = site_build(
        site,
        extensions=["sphinx_topofmind", "sphinx_sitemap"],
        html_baseurl="https://example.org/",
        sitemap_url_scheme="{link}",
    )
    root = ElementTree.fromstring((outdir / "sitemap.xml").read_bytes())
    urls = [loc.text for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert len(urls) == len(set(urls))
    for url in ("", "blog/", "blog/first-post/", "blog/slugged/", "about/"):
        assert f"https://example.org/{url}" in urls, url
    for redirect in ("_index/", "blog/_index/", "old/moved/", "blog/nice-slug/", "top/level/"):
        assert f"https://example.org/{redirect}" not in urls, redirect


def test_a_redirect_never_replaces_a_real_page(tmp_path: Path) -> None:
    site = write_tree(
        tmp_path / "site",
        {
            **SITE,
            "content/blog/thief.md": (
                '+++\ntitle = "Thief"\naliases = ["about", "blog/first-post/"]\n+++\n\nMine.\n'
            ),
        },
    )
    outdir, warnings = site_build(site)
    thief = site / "content/blog/thief.md"
    taken = "is not written: a page of the site is already there"
    assert warnings == [
        ours(thief, 3, f"alias redirect at 'about/index.html' {taken}"),
        ours(thief, 3, f"alias redirect at 'blog/first-post/index.html' {taken}"),
    ]
    assert "About us." in (outdir / "about/index.html").read_text(encoding="utf-8")
    assert "One." in (outdir / "blog/first-post/index.html").read_text(encoding="utf-8")


def _files(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_hostile_aliases_are_refused(tmp_path: Path) -> None:
    site = write_tree(
        tmp_path / "site",
        {
            **SITE,
            "content/blog/evil.md": (
                "+++\n"
                'title = "Evil"\n'
                'aliases = ["../../x", "a/../../../y", "https://evil.example/z", "//evil/w",'
                ' "c:\\\\z", "/etc/x", 42]\n'
                'path = "../../outside"\n'
                "+++\n\nEvil.\n"
            ),
        },
    )
    (tmp_path / "bystander.txt").write_text("untouched", encoding="utf-8")
    outdir = tmp_path / "out" / "build"
    before = _files(tmp_path)
    outdir, warnings = site_build(site, outdir=outdir)
    evil = site / "content/blog/evil.md"
    dots = "it holds a '..' or '.' part"
    url = "it is a URL, not a path of this site"
    refused = "no redirect is written"
    assert sorted(warnings) == sorted(
        [
            ours(evil, 3, "front matter 'aliases' holds a int, not a path; ignored"),
            ours(
                evil,
                4,
                f"front matter 'path' '../../outside' is refused ({dots}); {refused} for it",
            ),
            ours(evil, 3, f"alias '../../x' is refused ({dots}); {refused}"),
            ours(evil, 3, f"alias 'a/../../../y' is refused ({dots}); {refused}"),
            ours(evil, 3, f"alias 'https://evil.example/z' is refused ({url}); {refused}"),
            ours(evil, 3, f"alias '//evil/w' is refused ({url}); {refused}"),
            ours(evil, 3, f"alias 'c:\\\\z' is refused ({url}); {refused}"),
        ]
    )
    after = _files(tmp_path)
    outside = {
        name: digest
        for name, digest in after.items()
        if not name.startswith("out/build/") and not name.startswith("site/")
    }
    assert outside == {k: v for k, v in before.items() if not k.startswith("site/")}
    # site paths with a leading slash are Zola's usual aliases: inside the output dir
    assert follow(outdir, "etc/x/index.html") == "blog/evil/index.html"
    assert _files(site) == {
        k[len("site/") :]: v for k, v in before.items() if k.startswith("site/")
    }


SWITCHES_SITE = {
    **SITE,
    "conf.py": SITE["conf.py"] + 'html_baseurl = "https://example.org/"\n',
    "content/blog/hidden.md": (
        '+++\ntitle = "Hidden"\nrender = false\naliases = ["gone"]\n\n'
        '[taxonomies]\ntags = ["shared"]\n+++\n\nZanzibarhidden words.\n'
    ),
    "content/blog/unsearched.md": (
        '+++\ntitle = "Unsearched"\nin_search_index = false\n+++\n\nQuixoticunsearched words.\n'
    ),
    "content/quiet/_index.md": '+++\ntitle = "Quiet"\nin_search_index = false\n+++\n',
    "content/quiet/inside.md": '+++\ntitle = "Inside"\n+++\n\nHushhushinside words.\n',
    "content/blog/searched.md": (
        '+++\ntitle = "Searched"\n\n[taxonomies]\ntags = ["shared"]\n+++\n\n'
        "Plentifulsearched words.\n"
    ),
}


def test_render_false_and_in_search_index_false(tmp_path: Path) -> None:
    site = write_tree(tmp_path / "site", SWITCHES_SITE)
    outdir, warnings = site_build(site)
    assert warnings == []
    # render = false: not written, no redirect to it, yet its data counts (its tag page)
    assert not (outdir / "blog/hidden/index.html").exists()
    assert not (outdir / "gone/index.html").exists()
    assert "Hidden" in (outdir / "tags/shared/index.html").read_text(encoding="utf-8")
    # in_search_index = false: written, but its words are not in the search index
    assert (outdir / "blog/unsearched/index.html").is_file()
    index = (outdir / "searchindex.js").read_text(encoding="utf-8").lower()
    assert "plentifulsearch" in index
    assert "quixoticunsearch" not in index
    assert "zanzibarhidden" not in index
    # a section's in_search_index = false keeps its pages out too, as in Zola
    assert (outdir / "quiet/inside/index.html").is_file()
    assert "hushhushinsid" not in index
    # an incremental build with nothing changed keeps it that way
    outdir, warnings = site_build(site)
    assert not (outdir / "blog/hidden/index.html").exists()
    # the section lets its pages into the search index again
    (site / "content/quiet/_index.md").write_text('+++\ntitle = "Quiet"\n+++\n', encoding="utf-8")
    outdir, warnings = site_build(site)
    assert "hushhushinsid" in (outdir / "searchindex.js").read_text(encoding="utf-8").lower()


def test_incremental_equals_clean_when_url_keys_change(tmp_path: Path) -> None:
    site = write_tree(tmp_path / "site", KEYS_SITE)
    incremental = tmp_path / "incremental"
    site_build(site, outdir=incremental)
    edits = [
        (
            "content/blog/moved.md",
            '+++\ntitle = "Moved"\naliases = ["old/moved", "newer/place"]\n+++\n\nMoved.\n',
        ),
        ("content/blog/slugged.md", '+++\ntitle = "Slugged"\nslug = "other"\n+++\n\nSlug.\n'),
        ("content/blog/pathed.md", '+++\ntitle = "Pathed"\n+++\n\nPath.\n'),
        ("content/go/_index.md", '+++\ntitle = "Go"\n+++\n\nGo is a page again.\n'),
        ("content/blog/moved.md", '+++\ntitle = "Moved"\n+++\n\nMoved.\n'),
    ]
    for step, (name, text) in enumerate(edits):
        (site / name).write_text(text, encoding="utf-8")
        _, warnings = site_build(site, outdir=incremental)
        assert warnings == []
        clean = tmp_path / f"clean{step}"
        site_build(site, outdir=clean)
        ignored = (".doctrees/", ".buildinfo", "_sources/")
        mine = {k: v for k, v in _files(incremental).items() if not k.startswith(ignored)}
        theirs = {k: v for k, v in _files(clean).items() if not k.startswith(ignored)}
        assert mine == theirs, (step, set(mine) ^ set(theirs))
    # the removed aliases removed their redirect pages
    assert not (incremental / "newer/place/index.html").exists()
    assert not (incremental / "older/moved/index.html").exists()
    assert not (incremental / "blog/nice-slug/index.html").exists()
    assert redirect_of(incremental / "go/index.html") is None


def test_the_html_builder_from_a_plain_project_gets_only_asked_for_redirects(
    tmp_path: Path,
) -> None:
    """Without ``topofmind_zola_site`` only the keys write redirects (no page per
    article at its would-be Zola URL)."""
    write_tree(
        tmp_path / "src",
        {
            "conf.py": 'extensions = ["sphinx_topofmind"]\n',
            "index.md": "# Home\n\n```{toctree}\n:glob:\n\n*\n```\n",
            "post.md": '+++\ntitle = "Post"\naliases = ["old-post"]\n+++\n\nText.\n',
            "plain.md": '+++\ntitle = "Plain"\n+++\n\nText.\n',
        },
    )
    result = build(tmp_path / "src")
    assert result.warnings == []
    assert follow(result.outdir, "old-post/index.html") == "post.html"
    assert not (result.outdir / "plain/index.html").exists()
    assert not (result.outdir / "post/index.html").exists()


def _sitemap_paths(sitemap: Path, sections: set[str]) -> list[str]:
    root = ElementTree.fromstring(sitemap.read_bytes())
    paths = []
    for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc"):
        path = re.sub(r"^https?://[^/]+/", "", loc.text or "")
        if path == "" or path.split("/")[0] in sections:
            paths.append(path)
    return paths


# tag pages Zola lists for pages of the two sections the corpus leaves out
_ONLY_IN_MISSING_SECTIONS = {"tags/highlights/", "tags/social-engineering/", "tags/zero-trust/"}


def test_the_real_site_serves_every_zola_url(tmp_path: Path) -> None:
    if not HEAD_CORPUS.is_dir():
        pytest.skip(f"the whole-site corpus is not beside the checkout ({HEAD_CORPUS})")
    site = tmp_path / "site"
    shutil.copytree(HEAD_CORPUS, site, ignore=shutil.ignore_patterns("reference"))
    (site / "conf.py").write_text(
        'extensions = ["sphinx_topofmind"]\ntopofmind_zola_site = "."\n', encoding="utf-8"
    )
    outdir, warnings = site_build(site)
    sections = {p.name for p in (site / "content").iterdir() if p.is_dir()}
    expected = _sitemap_paths(HEAD_CORPUS / "reference/zola-output/sitemap.xml", sections)
    assert len(expected) > 150
    missing = [p for p in expected if not (outdir / p / "index.html").is_file()]
    assert set(missing) <= _ONLY_IN_MISSING_SECTIONS, missing
    # every redirect leads to a file that exists
    for path in expected:
        if path not in missing and redirect_of(outdir / path / "index.html") is not None:
            assert (outdir / follow(outdir, f"{path}index.html")).is_file(), path
    ours = [
        line
        for line in warnings
        if (m := WARNING_LINE.match(line)) and m["type"] == "topofmind.redirect"
    ]
    assert ours == []


def test_an_alias_gives_way_to_a_tag_page_that_appears_later(tmp_path: Path) -> None:
    """The alias's redirect page was there first; the new tag page takes its place."""
    site = write_tree(
        tmp_path / "site",
        {**SITE, "content/blog/early.md": '+++\ntitle = "Early"\naliases = ["tags/later"]\n+++\n'},
    )
    outdir, warnings = site_build(site)
    assert warnings == []
    assert follow(outdir, "tags/later/index.html") == "blog/early/index.html"
    (site / "content/blog/tagged.md").write_text(
        '+++\ntitle = "Tagged"\n\n[taxonomies]\ntags = ["later"]\n+++\n\nTagged.\n',
        encoding="utf-8",
    )
    outdir, warnings = site_build(site)
    early = site / "content/blog/early.md"
    taken = "is not written: a page of the site is already there"
    assert warnings == [ours(early, 3, f"alias redirect at 'tags/later/index.html' {taken}")]
    assert redirect_of(outdir / "tags/later/index.html") is None
    assert "Tagged" in (outdir / "tags/later/index.html").read_text(encoding="utf-8")


def test_an_alias_through_a_file_warns(tmp_path: Path) -> None:
    """A path whose folder is a file already (``about.html/x``) cannot be written."""
    site = write_tree(
        tmp_path / "site",
        {
            **SITE,
            "content/blog/deep.md": '+++\ntitle = "Deep"\naliases = ["about/index.html/x"]\n+++\n',
        },
    )
    outdir, warnings = site_build(site)
    deep = site / "content/blog/deep.md"
    assert len(warnings) == 1
    message = f"{deep}:3: WARNING: alias redirect at 'about/index.html/x/index.html' cannot be"
    assert warnings[0].startswith(f"{message} written: ")
    assert warnings[0].endswith(" [topofmind.redirect]")
    assert "About us." in (outdir / "about/index.html").read_text(encoding="utf-8")

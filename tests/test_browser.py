"""The example site in five popular Sphinx themes, opened in a real headless Chromium.

For each theme the example site is built (in a temporary copy), served on
127.0.0.1 by ``http.server`` in a thread, and an article of the *Top of Mind*
series is opened in Debian's Chromium driven by Playwright:

* the series nav is visible, its current entry is bold and not a link;
* clicking the nav's ``rel=next`` link lands on the next article, whose nav
  marks that article as current;
* a tag badge in the article header lands on a tag page that lists the article;
* the browser console shows no errors (nor failed requests);
* axe-core (vendored in ``tests/browser/axe-core``) finds no violations in the
  series nav, and a hand-written check confirms the ARIA the nav relies on.

``TOPOFMIND_GALLERY=1`` also saves screenshots into ``docs/_static/gallery``
(``<theme>-article.png``, ``<theme>-tag.png``, and ``<theme>-article-dark.png``
for themes with a dark mode); any other non-empty value is taken as the folder
to write them to. Without it nothing is written into the repository.

Where Playwright or Chromium is missing the tests are skipped with the reason;
``TOPOFMIND_REQUIRE_BROWSER=1`` (set by ``.ci/run``) turns that skip into a
failure, so CI cannot pass without having run them.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

import pytest

from building import build

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "example_site"
AXE = ROOT / "tests" / "browser" / "axe-core" / "axe.min.js"
GALLERY = ROOT / "docs" / "_static" / "gallery"

THEMES = ["alabaster", "furo", "pydata_sphinx_theme", "sphinx_book_theme", "sphinx_rtd_theme"]
#: the short names used for the gallery files
SHORT = {
    "alabaster": "alabaster",
    "furo": "furo",
    "pydata_sphinx_theme": "pydata",
    "sphinx_book_theme": "book",
    "sphinx_rtd_theme": "rtd",
}
#: themes that follow ``prefers-color-scheme`` and so get a dark screenshot
DARK_THEMES = {"furo", "pydata_sphinx_theme", "sphinx_book_theme"}

ARTICLE = "content/top-of-mind/kind-code-review.html"
ARTICLE_TITLE = "Review the Code, Kindly"
NEXT_ARTICLE = "content/top-of-mind/naming-things.html"
NEXT_TITLE = "Names Are Interfaces"
TAG_PAGE = "tags/habits.html"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}


def _chromium() -> str | None:
    configured = os.environ.get("TOPOFMIND_CHROMIUM")
    if configured:
        return configured if Path(configured).is_file() else None
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def _unavailable(reason: str) -> None:
    if os.environ.get("TOPOFMIND_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests required (TOPOFMIND_REQUIRE_BROWSER=1) but {reason}")
    pytest.skip(reason)


def _gallery_dir() -> Path | None:
    value = os.environ.get("TOPOFMIND_GALLERY", "")
    if not value or value == "0":
        return None
    return GALLERY if value == "1" else Path(value)


@pytest.fixture(scope="module")
def browser_context() -> Iterator:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the Python package 'playwright' is not installed (pip install -e '.[browser]')")
    executable = _chromium()
    if executable is None:
        _unavailable("no Chromium found at /usr/bin/chromium (apt-get install chromium) or $TOPOFMIND_CHROMIUM")
    with tempfile.TemporaryDirectory(prefix="topofmind-chromium-") as profile, sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile,
            executable_path=executable,
            args=CHROMIUM_ARGS,
            headless=True,
            viewport=VIEWPORT,
            color_scheme="light",
        )
        try:
            yield context
        finally:
            context.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@dataclass
class Site:
    theme: str
    outdir: Path
    base: str
    warnings: list[str] = field(default_factory=list)

    def url(self, page: str) -> str:
        return urljoin(self.base, page)


@pytest.fixture(scope="module", params=THEMES)
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    theme = request.param
    src = tmp_path_factory.mktemp(f"site-{SHORT[theme]}") / "example_site"
    shutil.copytree(EXAMPLE, src, ignore=shutil.ignore_patterns("_build"))
    try:
        result = build(src, confoverrides={"html_theme": theme})
    except Exception as exc:  # a theme that is not installed
        if "no theme named" in str(exc).lower() or isinstance(exc, ImportError):
            _unavailable(f"theme {theme!r} is not installed (pip install -e '.[browser]'): {exc}")
        raise
    handler = functools.partial(_QuietHandler, directory=str(result.outdir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield Site(theme, result.outdir, f"http://{host}:{port}/", result.warnings)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@dataclass
class Opened:
    page: object
    errors: list[str]


@pytest.fixture
def open_page(browser_context) -> Iterator:
    """Open a URL in a new tab that records console errors, page errors and failed requests."""
    pages = []

    def opener(url: str, *, color_scheme: str = "light") -> Opened:
        page = browser_context.new_page()
        page.emulate_media(color_scheme=color_scheme)
        errors: list[str] = []
        page.on("console", lambda msg: errors.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
        page.on("requestfailed", lambda req: errors.append(f"request failed: {req.url} {req.failure}"))
        page.on(
            "response",
            lambda resp: errors.append(f"HTTP {resp.status}: {resp.url}") if resp.status >= 400 else None,
        )
        page.goto(url, wait_until="load")
        pages.append(page)
        return Opened(page, errors)

    yield opener
    for page in pages:
        page.close()


def _nav(page):
    return page.locator("nav.topofmind-series-nav")


def _current(page):
    return _nav(page).locator('[aria-current="page"]')


def test_series_nav_is_visible_and_marks_the_current_article(site: Site, open_page) -> None:
    opened = open_page(site.url(ARTICLE))
    page = opened.page
    nav = _nav(page)
    assert nav.count() == 1
    assert nav.is_visible()
    box = nav.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 100, box
    current = _current(page)
    assert current.count() == 1
    assert current.is_visible()
    assert current.inner_text().strip() == f"▶ {ARTICLE_TITLE}"
    # the current entry is not a link, nor inside one
    assert current.evaluate("el => el.tagName") == "STRONG"
    assert current.evaluate("el => el.closest('a') === null")
    weight = int(current.evaluate("el => getComputedStyle(el).fontWeight"))
    assert weight >= 600, f"current entry is not bold (font-weight {weight})"
    # every other entry is a link to its article
    links = nav.locator("ul a")
    assert links.count() >= 10
    assert nav.locator("ul li").count() == links.count() + 1


def test_next_link_lands_on_the_next_article(site: Site, open_page) -> None:
    page = open_page(site.url(ARTICLE)).page
    link = _nav(page).locator("a[rel=next]")
    assert link.count() == 1 and link.is_visible()
    assert _nav(page).locator("a[rel=prev]").count() == 1
    link.click()
    page.wait_for_url(site.url(NEXT_ARTICLE))
    assert page.url == site.url(NEXT_ARTICLE)
    assert _current(page).inner_text().strip() == f"▶ {NEXT_TITLE}"
    # and back again
    _nav(page).locator("a[rel=prev]").click()
    page.wait_for_url(site.url(ARTICLE))
    assert _current(page).inner_text().strip() == f"▶ {ARTICLE_TITLE}"


def test_tag_link_lands_on_a_page_listing_the_article(site: Site, open_page) -> None:
    page = open_page(site.url(ARTICLE)).page
    tags = page.locator(".topofmind-article-header a.topofmind-tag")
    assert tags.count() >= 1
    tag = tags.first
    assert tag.is_visible()
    name = tag.inner_text().strip()
    tag.click()
    page.wait_for_url(site.url(f"tags/{name}.html"))
    assert name in page.locator("h1").first.inner_text()
    listed = page.locator(".topofmind-tag-articles a")
    hrefs = [urljoin(page.url, listed.nth(i).get_attribute("href")) for i in range(listed.count())]
    assert site.url(ARTICLE) in hrefs
    assert page.get_by_role("link", name=ARTICLE_TITLE).first.is_visible()


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_console_has_no_errors(site: Site, open_page, color_scheme: str) -> None:
    for target in (ARTICLE, TAG_PAGE, "tags/index.html"):
        opened = open_page(site.url(target), color_scheme=color_scheme)
        opened.page.wait_for_load_state("networkidle")
        assert opened.errors == [], f"{target}: {opened.errors}"


def test_series_nav_is_accessible(site: Site, open_page) -> None:
    page = open_page(site.url(ARTICLE)).page
    # by hand: a labelled navigation landmark, aria-current on the current entry,
    # and every link with discernible text
    nav = page.get_by_role("navigation", name="Top of Mind series")
    assert nav.count() == 1
    assert _current(page).count() == 1
    texts = nav.locator("a").evaluate_all("links => links.map(a => a.innerText.trim())")
    assert texts and all(texts), texts
    # axe-core on the nav
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(
                {include: [['nav.topofmind-series-nav']]},
                {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact,
                nodes: v.nodes.map(n => n.html.slice(0, 120) + ' :: ' + n.failureSummary)}));
        }"""
    )
    assert result == [], result


def test_tag_page_is_accessible(site: Site, open_page) -> None:
    page = open_page(site.url(TAG_PAGE)).page
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(
                {include: [['.topofmind-tag-page']]},
                {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact,
                nodes: v.nodes.map(n => n.html.slice(0, 120) + ' :: ' + n.failureSummary)}));
        }"""
    )
    assert result == [], result


def test_gallery_screenshots(site: Site, open_page) -> None:
    target = _gallery_dir()
    if target is None:
        pytest.skip("screenshots are taken only with TOPOFMIND_GALLERY=1 (or a folder)")
    target.mkdir(parents=True, exist_ok=True)
    name = SHORT[site.theme]
    shots = [(ARTICLE, "article", "light"), (TAG_PAGE, "tag", "light")]
    if site.theme in DARK_THEMES:
        shots.append((ARTICLE, "article-dark", "dark"))
    for page_name, kind, scheme in shots:
        page = open_page(site.url(page_name), color_scheme=scheme).page
        page.wait_for_load_state("networkidle")
        if kind.startswith("article"):
            # the header and the nav matter: show the top of the page and the nav
            page.locator(".topofmind-series-nav").scroll_into_view_if_needed()
            page.evaluate("() => document.fonts.ready")
            nav = page.locator(".topofmind-series-nav")
            nav.screenshot(path=str(target / f"{name}-{kind}-nav.png"))
            page.evaluate("() => window.scrollTo(0, 0)")
        page.screenshot(path=str(target / f"{name}-{kind}.png"))

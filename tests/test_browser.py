"""The example site in five popular Sphinx themes, opened in a real headless Chromium.

For each theme the example site is built once (in a temporary copy), served on
127.0.0.1 by ``http.server`` in a thread, and opened in Debian's Chromium driven
by Playwright (1280x900, where every theme shows its left sidebar):

* an article of the *Top of Mind* series: the series nav is visible, its current
  entry is bold and not a link; its ``rel=next`` link lands on the next article,
  whose nav marks that article as current; a tag badge in the article header lands
  on a tag page that lists the article;
* the blog's sidebars (``topofmind/sidebar-*.html``): recent articles, tag cloud
  and archive years are shown (inside the viewport, not overflowing their column)
  on the home page and on an article, the series block on the article with its
  entry marked ``aria-current="page"``;
* a tag of the tag cloud lands on its tag page, and from there the article; a year
  of the archive sidebar, and the date in an article's header, land on the
  archive's year page, and from there on an article;
* the home page's ``article-list`` shows titles, dates and summaries, five a page,
  and its "Next page" link reaches page 2 with five other articles;
* the browser console shows no errors (nor failed requests) on any page opened;
* axe-core (vendored in ``tests/browser/axe-core``) finds no violations in the
  series nav, the article header, the tag pages, the home page's article list,
  each sidebar block and the archive pages (index and a year), and a
  hand-written check confirms the ARIA the nav relies on.

``TOPOFMIND_GALLERY=1`` also saves screenshots into ``docs/_static/gallery``
(``<theme>-article.png`` and ``<theme>-article-nav.png``, ``<theme>-tag.png``,
``<theme>-home.png`` (the home page's article list and sidebars) and
``<theme>-archive.png`` (an archive year page), and the ``-article-dark`` pair
and ``<theme>-home-dark.png`` for themes with a dark mode); any other non-empty
value is taken as the folder to write them to. Without it nothing is written
into the repository.

Where Playwright or Chromium is missing the tests are skipped with the reason;
``TOPOFMIND_REQUIRE_BROWSER=1`` (set by ``.ci/run``) turns that skip into a
failure, so CI cannot pass without having run them.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
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
#: the home page (example_site/index.md): an article-list directive, 5 articles a page
HOME = "index.html"
HOME_PAGE_2 = "index/page/2.html"
#: the year every example article is dated in, and its generated archive page
YEAR = "2024"
ARCHIVE_YEAR = f"archive/{YEAR}.html"
ARCHIVE_INDEX = "archive/index.html"
#: the sidebar blocks (templates/topofmind/sidebar-*.html) by their nav class
SIDEBARS = ("recent", "tagcloud", "archives")
#: a tag of ARTICLE, followed from the tag cloud
CLOUD_TAG = "code-review"

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
#: the gallery's home and archive screenshots
GALLERY_TALL = {"width": 1280, "height": 1400}

pytestmark = [
    pytest.mark.slow,
    # sphinx-book-theme 1.x still reaches Sphinx's deprecated SphinxTransform.app
    pytest.mark.filterwarnings("ignore:.*HandleFootnoteTransform.app:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:.*HandleFootnoteTransform.app:PendingDeprecationWarning"),
]


def _chromium() -> str | None:
    configured = os.environ.get("TOPOFMIND_CHROMIUM")
    if configured:
        return configured if Path(configured).is_file() else None
    for candidate in (
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
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
def browser() -> Iterator:
    """One Chromium for the module; Playwright starts it with a fresh, temporary user data dir."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the Python package 'playwright' is not installed (pip install -e '.[test]')")
    executable = _chromium()
    if executable is None:
        _unavailable(
            "no Chromium found at /usr/bin/chromium (apt-get install chromium) or $TOPOFMIND_CHROMIUM"
        )
    with sync_playwright() as p:
        # executable_path: Debian's Chromium, never a browser Playwright would download
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
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
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    theme = request.param
    src = tmp_path_factory.mktemp(f"site-{SHORT[theme]}") / "example_site"
    shutil.copytree(EXAMPLE, src, ignore=shutil.ignore_patterns("_build"))
    try:
        result = build(src, confoverrides={"html_theme": theme})
    except Exception as exc:  # a theme that is not installed
        if "no theme named" in str(exc).lower() or isinstance(exc, ImportError):
            _unavailable(f"theme {theme!r} is not installed (pip install -e '.[test]'): {exc}")
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


#: console errors a theme logs on every page of any site, whatever the extension does
THEME_NOISE = {
    # pydata-sphinx-theme (and sphinx-book-theme on top of it) with the default
    # ``default_mode = ""`` log this on a first visit, before localStorage has a mode
    "pydata_sphinx_theme": {"console error: Got invalid theme mode: . Resetting to auto."},
    "sphinx_book_theme": {"console error: Got invalid theme mode: . Resetting to auto."},
}


@dataclass
class Opened:
    page: object
    errors: list[str]

    def unexpected_errors(self, theme: str) -> list[str]:
        return [error for error in self.errors if error not in THEME_NOISE.get(theme, set())]


def _console(errors: list[str], msg) -> None:
    if msg.type != "error":
        return
    where = (msg.location or {}).get("url", "")
    # Chromium asks every new site for /favicon.ico by itself; no page links to it
    if where.endswith("/favicon.ico"):
        return
    errors.append(
        f"console {msg.type}: {msg.text}" + (f" ({where})" if where and "404" in msg.text else "")
    )


@pytest.fixture
def open_page(browser, site: Site) -> Iterator:
    """Open a URL in a fresh context (no history, so no visited links) that records
    console errors, page errors, failed requests and HTTP errors."""
    contexts = []
    opened_pages: list[Opened] = []

    def opener(url: str, *, color_scheme: str = "light") -> Opened:
        context = browser.new_context(viewport=VIEWPORT, color_scheme=color_scheme)
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda msg: _console(errors, msg))
        page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
        page.on(
            "requestfailed", lambda req: errors.append(f"request failed: {req.url} {req.failure}")
        )
        page.on(
            "response",
            lambda resp: (
                errors.append(f"HTTP {resp.status}: {resp.url}") if resp.status >= 400 else None
            ),
        )
        page.goto(url, wait_until="load")
        opened = Opened(page, errors)
        opened_pages.append(opened)
        return opened

    yield opener
    for context in contexts:
        context.close()
    unexpected = [
        error for opened in opened_pages for error in opened.unexpected_errors(site.theme)
    ]
    assert unexpected == [], f"browser console errors in {site.theme}: {unexpected}"


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
    assert name in page.locator(".topofmind-tag-page h1").inner_text()
    listed = page.locator(".topofmind-tag-articles a")
    hrefs = [urljoin(page.url, listed.nth(i).get_attribute("href")) for i in range(listed.count())]
    assert site.url(ARTICLE) in hrefs
    assert page.get_by_role("link", name=ARTICLE_TITLE).first.is_visible()


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_console_has_no_errors(site: Site, open_page, color_scheme: str) -> None:
    # every page any test opens is checked as well (see open_page); here the
    # pages are also given time for late scripts, in both colour schemes
    for target in (ARTICLE, "tags/index.html"):
        opened = open_page(site.url(target), color_scheme=color_scheme)
        opened.page.wait_for_load_state("networkidle")
        assert opened.unexpected_errors(site.theme) == [], (target, opened.errors)


AXE_RUN = """async (selector) => {
    const root = document.querySelector(selector);
    // the theme's own colour for a link in this place: a probe link beside ours
    const probe = document.createElement('a');
    probe.href = '#topofmind-probe';
    probe.textContent = 'probe';
    root.parentElement.appendChild(probe);
    const rgb = getComputedStyle(probe).color.match(/[0-9.]+/g).slice(0, 3).map(Number);
    probe.remove();
    const themeLink = '#' + rgb.map(x => Math.round(x).toString(16).padStart(2, '0')).join('');
    const result = await axe.run({include: [[selector]]}, {resultTypes: ['violations']});
    const violations = [], excused = [];
    for (const v of result.violations) {
        const nodes = [];
        for (const n of v.nodes) {
            const el = document.querySelector(n.target[0]);
            const data = (n.any[0] || {}).data || {};
            const fg = String(data.fgColor || '').toLowerCase();
            const summary = n.html.slice(0, 100) + ' :: ' + n.failureSummary;
            if (v.id === 'color-contrast' && el && el.closest('a') && fg === themeLink) {
                excused.push(summary);
            } else {
                nodes.push(summary);
            }
        }
        if (nodes.length) violations.push({id: v.id, impact: v.impact, nodes});
    }
    return {violations, excused, themeLink};
}"""


def _axe(page, selector: str) -> dict:
    """axe-core's violations inside ``selector``.

    A colour-contrast failure of a link (or of text inside one, such as the
    ``<time>`` of the article header's date link) whose colour is exactly the
    theme's own link colour at that place is the theme's choice, not this
    extension's: it is reported under ``excused`` instead (sphinx-rtd-theme's
    #2980b9 on #fcfcfc is 3.9:1, below WCAG AA's 4.5:1, for every link of the theme).
    """
    page.add_script_tag(path=str(AXE))
    return page.evaluate(AXE_RUN, selector)


def test_series_nav_is_accessible(site: Site, open_page) -> None:
    page = open_page(site.url(ARTICLE)).page
    # by hand: a labelled navigation landmark, aria-current on the current entry,
    # and every link with discernible text
    nav = page.get_by_role("navigation", name="Top of Mind series")
    assert nav.count() == 1
    assert _current(page).count() == 1
    texts = nav.locator("a").evaluate_all("links => links.map(a => a.innerText.trim())")
    assert texts and all(texts), texts
    assert (
        page.get_by_role("link", name="Next: The Joy", exact=False).count() == 0
    )  # wrong neighbour
    assert nav.get_by_role("link", name=f"Next: {NEXT_TITLE} →").count() == 1
    # axe-core on the nav and on the article header
    for selector in ("nav.topofmind-series-nav", ".topofmind-article-header"):
        result = _axe(page, selector)
        assert result["violations"] == [], (selector, result)


@pytest.mark.parametrize("target", [TAG_PAGE, "tags/index.html"])
def test_tag_pages_are_accessible(site: Site, open_page, target: str) -> None:
    page = open_page(site.url(target)).page
    selector = ".topofmind-tag-page" if target == TAG_PAGE else ".topofmind-tags-index-page"
    result = _axe(page, selector)
    assert result["violations"] == [], result


def _sidebar(page, kind: str):
    return page.locator(f"nav.topofmind-sidebar-{kind}")


def _assert_shown(page, locator, what: str) -> None:
    """Visible, inside the viewport's width (not a collapsed off-canvas drawer) and not
    wider than its own box (nothing overflowing the sidebar column)."""
    assert locator.count() == 1, (what, locator.count())
    assert locator.is_visible(), what
    box = locator.bounding_box()
    width = page.viewport_size["width"]
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, (what, box)
    assert box["width"] > 100 and box["height"] > 40, (what, box)
    overflow = locator.evaluate("el => el.scrollWidth - el.clientWidth")
    assert overflow <= 1, f"{what} overflows its column by {overflow}px"


def _absolute(page, locator) -> list[str]:
    hrefs = locator.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    return [urljoin(page.url, href) for href in hrefs]


@pytest.mark.parametrize("target", [HOME, ARTICLE])
def test_sidebars_are_shown(site: Site, open_page, target: str) -> None:
    page = open_page(site.url(target)).page
    for kind in SIDEBARS:
        _assert_shown(page, _sidebar(page, kind), f"{kind} sidebar on {target}")
    recent = _sidebar(page, "recent").locator("li")
    assert recent.count() == 5
    assert recent.first.locator("time").inner_text().strip() == "March 22, 2024"
    cloud = _sidebar(page, "tagcloud").locator("li a")
    assert cloud.count() >= 10
    assert site.url(TAG_PAGE) in _absolute(page, cloud)
    years = _sidebar(page, "archives").get_by_role("link", name=YEAR, exact=True)
    assert years.count() == 1 and years.is_visible()
    series = _sidebar(page, "series")
    if target == HOME:
        # the home page is no article of a series
        assert series.count() == 0
        return
    _assert_shown(page, series, f"series sidebar on {target}")
    assert series.locator("h2").text_content().strip() == "Top of Mind"
    current = series.locator('[aria-current="page"]')
    assert current.count() == 1 and current.is_visible()
    assert current.inner_text().strip() == ARTICLE_TITLE
    assert urljoin(page.url, current.get_attribute("href")) == site.url(ARTICLE)
    weight = int(current.evaluate("el => getComputedStyle(el).fontWeight"))
    assert weight >= 600, f"current series entry is not bold (font-weight {weight})"
    assert series.locator("ol li").count() >= 10


def test_tag_cloud_leads_to_a_tag_page_and_its_article(site: Site, open_page) -> None:
    page = open_page(site.url(HOME)).page
    # a tag of the article, in the cloud with the size of its number of articles
    _sidebar(page, "tagcloud").get_by_role("link", name=CLOUD_TAG, exact=True).click()
    page.wait_for_url(site.url(f"tags/{CLOUD_TAG}.html"))
    assert CLOUD_TAG in page.locator(".topofmind-tag-page h1").inner_text()
    page.locator(".topofmind-tag-articles").get_by_role("link", name=ARTICLE_TITLE).click()
    page.wait_for_url(site.url(ARTICLE))
    assert page.title().startswith(ARTICLE_TITLE), page.title()


def _assert_year_page_leads_to_the_article(site: Site, page) -> None:
    page.wait_for_url(site.url(ARCHIVE_YEAR))
    assert YEAR in page.locator(".topofmind-archive-page h1").inner_text()
    months = page.locator(".topofmind-archive-month h2")
    assert months.count() >= 2 and months.first.inner_text().strip() == f"March {YEAR}"
    page.locator(".topofmind-archive-articles").get_by_role("link", name=ARTICLE_TITLE).click()
    page.wait_for_url(site.url(ARTICLE))
    assert page.title().startswith(ARTICLE_TITLE), page.title()


def test_archive_sidebar_leads_to_the_year_page_and_an_article(site: Site, open_page) -> None:
    page = open_page(site.url(HOME)).page
    _sidebar(page, "archives").get_by_role("link", name=YEAR, exact=True).click()
    _assert_year_page_leads_to_the_article(site, page)


def test_article_date_leads_to_the_year_page(site: Site, open_page) -> None:
    page = open_page(site.url(NEXT_ARTICLE)).page
    date = page.locator(".topofmind-article-header a.topofmind-archive-link")
    assert date.count() == 1 and date.is_visible()
    assert date.locator("time").get_attribute("datetime").startswith(YEAR)
    date.click()
    _assert_year_page_leads_to_the_article(site, page)


def _listed(page) -> list[dict]:
    return page.locator(".topofmind-article-list > ul > li").evaluate_all(
        """items => items.map(li => ({
            title: li.querySelector(':scope > a').innerText.trim(),
            href: li.querySelector(':scope > a').href,
            date: (li.querySelector(':scope > time') || {}).innerText || '',
            summary: (li.querySelector('.topofmind-article-summary') || {}).innerText || '',
        }))"""
    )


def test_home_page_lists_articles_and_pages_on(site: Site, open_page) -> None:
    page = open_page(site.url(HOME)).page
    listing = page.locator(".topofmind-article-list")
    assert listing.is_visible()
    first = _listed(page)
    assert len(first) == 5, first
    assert first[0]["title"] == "Learning in Public"
    assert first[0]["date"] == "March 22, 2024"
    assert first[0]["summary"].startswith("The best time to explain something")
    for item in first:
        assert item["title"] and item["date"].endswith(YEAR) and item["summary"], item
    # every listed title and summary is on screen, not clipped away by the theme
    assert listing.locator(".topofmind-article-summary").first.is_visible()
    pagination = listing.locator("nav.topofmind-pagination")
    assert "Page 1 of 3" in pagination.inner_text()
    pagination.get_by_role("link", name="Next page").click()
    page.wait_for_url(site.url(HOME_PAGE_2))
    assert "Page 2 of 3" in page.locator("nav.topofmind-pagination").inner_text()
    second = _listed(page)
    assert len(second) == 5
    assert not {item["href"] for item in first} & {item["href"] for item in second}
    assert all(item["title"] and item["date"] and item["summary"] for item in second), second


@pytest.mark.parametrize(
    ("target", "selectors"),
    [
        (HOME, [".topofmind-article-list"] + [f"nav.topofmind-sidebar-{k}" for k in SIDEBARS]),
        (ARTICLE, ["nav.topofmind-sidebar-series"]),
        (ARCHIVE_YEAR, [".topofmind-archive-page"]),
        (ARCHIVE_INDEX, [".topofmind-archive-page"]),
    ],
    ids=["home", "article", "archive-year", "archive-index"],
)
def test_blog_pages_and_sidebars_are_accessible(
    site: Site, open_page, target: str, selectors: list[str]
) -> None:
    page = open_page(site.url(target)).page
    for selector in selectors:
        assert page.locator(selector).count() >= 1, selector
        result = _axe(page, selector)
        assert result["violations"] == [], (selector, result)


def test_gallery_screenshots(site: Site, open_page) -> None:
    target = _gallery_dir()
    if target is None:
        pytest.skip("screenshots are taken only with TOPOFMIND_GALLERY=1 (or a folder)")
    target.mkdir(parents=True, exist_ok=True)
    name = SHORT[site.theme]
    shots = [(ARTICLE, "article", "light"), (TAG_PAGE, "tag", "light")]
    if site.theme in DARK_THEMES:
        shots.append((ARTICLE, "article-dark", "dark"))
    shots += [(HOME, "home", "light"), (ARCHIVE_YEAR, "archive", "light")]
    if site.theme in DARK_THEMES:
        shots.append((HOME, "home-dark", "dark"))
    for page_name, kind, scheme in shots:
        page = open_page(site.url(page_name), color_scheme=scheme).page
        if kind.startswith(("home", "archive")):
            # taller: the article list and the blog's sidebar blocks below the theme's own
            page.set_viewport_size(GALLERY_TALL)
        page.wait_for_load_state("networkidle")
        page.evaluate("() => document.fonts.ready")
        # the top of the page: title, article header, tag list, article list or archive
        page.screenshot(path=str(target / f"{name}-{kind}.png"))
        if kind.startswith("article"):
            # and the series nav, further down
            page.locator(".topofmind-series-nav").screenshot(
                path=str(target / f"{name}-{kind}-nav.png")
            )

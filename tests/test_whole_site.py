"""The seed's whole Zola site, built as the docs tell a Zola author: a conf.py of two lines.

One html, one text and one LaTeX build of the real site (``../shared/corpus/
zerotohero-web-head``), shared by every test of this module, and one dirhtml build from
``content/`` with ``-c``, the way the docs tell a Zola author to build it. The site must build with
warnings only for real faults in its sources, and render its own shortcodes, series navs
and icons the way Zola rendered them (``reference/zola-output/``).
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from building import Build, build

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
HEAD = SHARED / "corpus" / "zerotohero-web-head"
CONF = 'extensions = ["sphinx_topofmind"]\ntopofmind_zola_site = "."\n'

#: every warning the site gives, as (file under the site, line, subtype): the real faults
#: of its sources, each named. Images: the corpus ships no image files (SOURCE.md).
MALFORMED_SHORTCODES = {
    # a shortcode ending ')}' instead of ')}}'
    ("content/roadmap/git.md", 18),
    ("content/spire/spire-rocks.md", 362),
    # a shortcode missing a '}'
    ("content/top-of-mind/dumb-quotes.md", 140),
}
DUPLICATE_LINK_LABELS = {
    ("content/content-creation/new-stream-setup-with-babyface-pro-fs.md", 684),  # [restream]
    ("content/spire/spike/shamir-secrets-sharing.md", 871),  # [circl]
}
EMPTY_IMAGE_URLS = {
    ("content/roadmap/a-startup-founders-bedtime-reading-list.md", 18),
    ("content/roadmap/bedtime-reading.md", 18),
}

WARNING = re.compile(
    r"^(?P<path>/[^:]+?)(?::(?P<line>\d+))?: WARNING: (?P<message>.*) \[(?P<type>[\w.]+)\]$"
)


def _site(root: Path) -> Path:
    if not HEAD.is_dir():
        pytest.skip(f"the seed's whole site is not beside the checkout (looked in {HEAD})")
    site = root / "site"
    shutil.copytree(HEAD, site, ignore=shutil.ignore_patterns("reference"))
    (site / "conf.py").write_text(CONF, encoding="utf-8")
    return site


@pytest.fixture(scope="module")
def html(tmp_path_factory: pytest.TempPathFactory) -> Build:
    return build(_site(tmp_path_factory.mktemp("whole-html")), "html")


@pytest.fixture(scope="module")
def warnings(html: Build) -> list[dict[str, str]]:
    parsed = []
    for line in html.warnings:
        match = WARNING.match(line)
        assert match, f"a warning without a file: {line}"
        found = match.groupdict()
        found["path"] = Path(found["path"]).relative_to(html.srcdir).as_posix()
        parsed.append(found)
    return parsed


def _where(warnings: list[dict[str, str]], kind: str) -> set[tuple[str, int]]:
    return {(w["path"], int(w["line"])) for w in warnings if w["type"] == kind}


def _plain_quotes(text: str) -> str:
    text = text.translate(str.maketrans("‘’“”", "''\"\""))
    return text.replace("…", "...").replace("—", "---").replace("–", "--")


def _page(html: Build, docname: str) -> BeautifulSoup:
    return BeautifulSoup(html.html(docname), "html.parser")


def test_only_real_faults_warn(warnings: list[dict[str, str]]) -> None:
    counts = Counter(w["type"] for w in warnings)
    assert set(counts) == {
        "topofmind.image",
        "topofmind.shortcode",
        "topofmind.series",
        "myst.duplicate_def",
    }, counts
    assert _where(warnings, "topofmind.shortcode") == MALFORMED_SHORTCODES
    assert all(
        "malformed shortcode" in w["message"]
        for w in warnings
        if w["type"] == "topofmind.shortcode"
    )
    assert _where(warnings, "myst.duplicate_def") == DUPLICATE_LINK_LABELS


def test_image_warnings_are_missing_files_or_empty_urls(
    html: Build, warnings: list[dict[str, str]]
) -> None:
    images = [w for w in warnings if w["type"] == "topofmind.image"]
    empty = {(w["path"], int(w["line"])) for w in images if "empty URL" in w["message"]}
    assert empty == EMPTY_IMAGE_URLS
    for w in images:
        if "empty URL" in w["message"]:
            continue
        # "image '/images/...' is not in topofmind_static_path (static)": truly absent
        uri = re.search(r"image '([^']+)'", w["message"])
        assert uri, w
        assert uri.group(1).startswith("/")
        assert not (html.srcdir / "static" / uri.group(1).lstrip("/")).exists()
        assert "topofmind_static_path" in w["message"]


def test_series_warnings_are_stale_numbers(warnings: list[dict[str, str]]) -> None:
    series = [w for w in warnings if w["type"] == "topofmind.series"]
    assert series, "the sources hold stale selected= numbers"
    for w in series:
        assert re.search(
            r"declares position \d+ in series '[\w-]+' but (is entry \d+ of its nav file"
            r"|its nav file does not list it)",
            w["message"],
        ), w


def test_every_series_is_found_without_configuration(html: Build) -> None:
    navs = sorted(
        p.relative_to(html.srcdir / "content").parent.as_posix()
        for p in (html.srcdir / "content").rglob("nav.yaml")
    )
    assert len(navs) == 10
    assert (
        sorted(
            options["nav_file"].removesuffix("/nav.yaml")
            for options in html.app.config.topofmind_series.values()
        )
        == navs
    )


def test_series_navs_list_their_nav_file_and_highlight_the_page(html: Build) -> None:
    nav_file = html.srcdir / "content" / "top-of-mind" / "nav.yaml"
    names = [entry["name"] for entry in yaml.safe_load(nav_file.read_text(encoding="utf-8"))]
    page = _page(html, "content/top-of-mind/the-dream-job")
    nav = page.select_one('nav[data-series="top-of-mind"]')
    assert nav is not None
    shown = [_plain_quotes(item.get_text(" ", strip=True)) for item in nav.select("li")]
    assert len(shown) == len(names)
    # (the site asks for smart punctuation: the names may show curly quotes)
    for name, text in zip(names, shown, strict=True):
        assert _plain_quotes(name.strip()) in text
    current = nav.select_one('[aria-current="page"]')
    assert current is not None
    assert "Dream Job" in current.get_text()


def test_img_shows_the_image_with_its_caption(html: Build) -> None:
    page = _page(html, "content/about/a-new-hope")
    figure = page.select_one("div.z2h-image")
    assert figure is not None
    img = figure.select_one("img")
    assert img is not None and "beginning.png" in img["src"]
    caption = figure.select_one("p.alt")
    assert caption is not None and caption.get_text(strip=True) == img["alt"]
    # Zola's own page shows the same caption
    zola = BeautifulSoup(
        (HEAD / "reference" / "zola-output" / "about" / "a-new-hope" / "index.html").read_text(
            encoding="utf-8"
        ),
        "html.parser",
    )
    assert caption.get_text(strip=True) in [
        p.get_text(strip=True) for p in zola.select("div.z2h-image p.alt")
    ]


def test_youtube_embeds_the_player(html: Build) -> None:
    source = next(
        p
        for p in sorted((html.srcdir / "content").rglob("*.md"))
        if "{{ youtube(" in p.read_text(encoding="utf-8")
        or "{{youtube(" in p.read_text(encoding="utf-8")
    )
    video = re.search(r'youtube\(\s*id="([^"]+)"', source.read_text(encoding="utf-8"))
    assert video
    docname = source.relative_to(html.srcdir).with_suffix("").as_posix()
    frames = _page(html, docname).select("iframe")
    assert any(video.group(1) in frame["src"] for frame in frames)


def test_icons_sit_inside_their_sentence(html: Build) -> None:
    source = html.srcdir / "content" / "about" / "volkan.md"
    line = next(
        text for text in source.read_text(encoding="utf-8").splitlines() if "github_ico()" in text
    )
    # the words after the call, as the reader sees them: "The source is strong at"
    words = re.sub(r"[\[\]*]", "", line.split("}}", 1)[1]).split()[:4]
    svg = _page(html, "content/about/volkan").select_one("svg#Github-Logo--Streamline-Ultimate")
    assert svg is not None
    # the icon and the words after it share one paragraph or list item
    holder = svg.find_parent(["p", "li"])
    assert holder is not None
    assert " ".join(words) in holder.get_text()


def test_md_shortcodes_render_as_markdown(html: Build) -> None:
    # a *_nav.md shortcode is Markdown; here it is the built-in nav, whose entries are links
    page = _page(html, "content/top-of-mind/the-dream-job")
    nav = page.select_one('nav[data-series="top-of-mind"]')
    assert nav is not None and nav.select("a[href]")
    assert "{{" not in page.get_text()


@pytest.mark.parametrize("buildername", ["text", "latex"])
def test_other_builders_get_no_raw_html(
    tmp_path_factory: pytest.TempPathFactory, buildername: str
) -> None:
    result = build(_site(tmp_path_factory.mktemp(f"whole-{buildername}")), buildername)
    assert not [w for w in result.warnings if "unknown node" in w or "Traceback" in w]
    suffix = ".txt" if buildername == "text" else ".tex"
    outputs = list(result.outdir.rglob(f"*{suffix}"))
    assert outputs
    # what only the site's .html shortcode templates write (articles hold raw HTML and
    # HTML in code blocks of their own, which are not shortcode output)
    raw = re.compile(r'z2h-image|<svg|<iframe src="https://(?:www\.youtube|player\.vimeo)')
    for output in outputs:
        text = output.read_text(encoding="utf-8")
        assert not raw.search(text), f"shortcode HTML in {output}"
    # ... while their readable text is there: an img caption
    assert any("Pivot, change, and ignite" in o.read_text(encoding="utf-8") for o in outputs)


@pytest.fixture(scope="module")
def documented(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """The site built the way docs/moving-a-zola-site.md says: dirhtml from content/."""
    from sphinx.cmd.build import build_main

    site = _site(tmp_path_factory.mktemp("whole-dirhtml"))
    out = site.parent / "out"
    log = site.parent / "warnings.txt"
    args = ["-q", "-b", "dirhtml", "-c", str(site), str(site / "content"), str(out)]
    assert build_main([*args, "-w", str(log)]) == 0
    lines = log.read_text(encoding="utf-8").splitlines()
    return out, [line for line in lines if "WARNING" in line]


def test_the_documented_build_warns_only_for_the_real_faults(
    documented: tuple[Path, list[str]], warnings: list[dict[str, str]]
) -> None:
    out, found = documented
    kinds = Counter(re.search(r"\[([\w.]+)\]$", line).group(1) for line in found)  # type: ignore[union-attr]
    assert kinds == Counter(w["type"] for w in warnings)
    # Zola's archive section (content/archive/_index.md) is where readers find the
    # generated archive, by year, as Zola's archive.html template shows it
    archive = BeautifulSoup((out / "archive/index.html").read_text(encoding="utf-8"), "html.parser")
    years = [a.get_text() for a in archive.select("ul.topofmind-archive-years > li > a")]
    assert years and years == sorted(years, reverse=True)
    home = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert "archive/" in [a.get("href") for a in home.select("a")]

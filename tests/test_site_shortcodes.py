"""The site's own shortcodes (``templates/shortcodes/``), rendered from their Tera templates."""

from __future__ import annotations

import re
import shutil
from html import unescape
from pathlib import Path

import pytest
from building import build, main_content, write_tree
from conftest import SHARED

HEAD = SHARED / "corpus" / "zerotohero-web-head"

CONF = """
import sys, pathlib
sys.path.insert(0, str(pathlib.Path(__file__).parent))
extensions = ["sphinx_topofmind"]
topofmind_zola_site = "."
topofmind_shortcodes = {"mapped": {"callable": "site_helpers:mapped"}}
"""

HELPERS = """
def mapped(name, args, body):
    return "from the project"
"""

CONFIG_TOML = """
base_url = "https://example.org"
title = "Example"
taxonomies = [{ name = "tags" }]

[extra]
greeting = "Hello from config"
"""

TEMPLATES = {
    "templates/shortcodes/ico.html": '<svg viewBox="0 0 8 8"><title>Star icon</title></svg>',
    "templates/shortcodes/fig.html": (
        '<div class="fig">\n  <img src="{{ src }}" alt="{{ alt }}"/>\n'
        '  <p class="caption">{{ alt }}</p>\n</div>\n'
    ),
    "templates/shortcodes/vid.html": (
        '<div class="vid"><iframe title="{{ title }}" '
        'src="https://video.example/{{ id }}"></iframe></div>\n'
    ),
    "templates/shortcodes/lnk.html": '<a href="https://example.org/far">Far link</a>',
    "templates/shortcodes/list.md": "* **{{ a }}**\n* [a link]({{ url }})\n",
    "templates/shortcodes/note.html": '<aside class="note">{{ body }}</aside>\n',
    "templates/shortcodes/info.md": (
        "title={{ page.title }} greeting={{ config.extra.greeting }} "
        'url={{ get_url(path="@/b.md") }} nth={{ nth }} '
        'data={{ load_data(path="data.toml").word }} path={{ page.path }}'
    ),
    "templates/shortcodes/broken.html": "<p>\n{{ nowhere.to_be_found }}\n</p>\n",
    "templates/shortcodes/mapped.html": "from the template",
    "templates/shortcodes/yt.md": (
        '<div class="yt"><iframe title="{{ title }}" src="https://yt.example/{{ id }}">'
        "</iframe></div>\n"
    ),
    "templates/shortcodes/top_of_mind_nav.md": "from the template",
}

ARTICLE = """\
+++
title = "Alpha"
date = 2024-01-02
+++

Before {{ ico() }} GitHub after.

{{ fig(src="/img/x.png", alt="A caption") }}

{{ list(a="bold", url="https://example.org/l") }}

{% note() %}
The body
{% end %}

{{ info() }} and {{ info() }}

{{ broken() }}

{{ mapped() }}

{{ vid(id="abc123", title="The video") }}

{{ lnk() }} in a sentence.

{{ yt(id="md42", title="Markdown video") }}

{{ fig(src="x.png", alt="<script>alert(1)</script>") }}
"""

BROKEN_LINE = 18


def site(tmp_path: Path, article: str = ARTICLE, extra: dict[str, str] | None = None) -> Path:
    files = {
        "conf.py": CONF,
        "site_helpers.py": HELPERS,
        "config.toml": CONFIG_TOML,
        "data.toml": 'word = "loaded"\n',
        "content/_index.md": '+++\ntitle = "Home"\n+++\n\nWelcome.\n',
        "content/a.md": article,
        "content/b.md": '+++\ntitle = "Beta"\n+++\n\nBeta.\n',
        **TEMPLATES,
        **(extra or {}),
    }
    return write_tree(tmp_path / "site", files)


def shortcode_warnings(warnings: list[str]) -> list[str]:
    return [line for line in warnings if "topofmind.shortcode" in line]


def paragraph_with(html: str, text: str) -> str:
    found = [p for p in re.findall(r"<p>.*?</p>", html, re.DOTALL) if text in p]
    assert len(found) == 1, (text, found)
    return found[0]


@pytest.fixture(scope="module")
def html_build(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return build(site(tmp_path_factory.mktemp("html")))


def test_precedence_mapping_then_series_then_template(html_build) -> None:  # type: ignore[no-untyped-def]
    html = html_build.html("content/a")
    assert "from the project" in html
    assert "from the template" not in html


def test_series_nav_beats_template(tmp_path: Path) -> None:
    article = ARTICLE.replace("{{ mapped() }}", "{{ top_of_mind_nav(selected=0) }}")
    result = build(site(tmp_path, article))
    html = result.html("content/a")
    assert "from the template" not in html
    assert '<nav aria-label="Top of Mind series"' in html


def test_template_beats_unknown_and_only_broken_warns(html_build) -> None:  # type: ignore[no-untyped-def]
    warnings = shortcode_warnings(html_build.warnings)
    assert len(warnings) == 1, warnings
    assert "unknown shortcode" not in warnings[0]


def test_template_error_is_one_warning_at_the_call(html_build) -> None:  # type: ignore[no-untyped-def]
    [warning] = shortcode_warnings(html_build.warnings)
    assert warning.startswith(f"{html_build.srcdir / 'content' / 'a.md'}:{BROKEN_LINE}: WARNING:")
    assert "shortcodes/broken.html, line 2" in warning
    # the call is shown as written
    assert "{{ broken() }}" in html_build.html("content/a")


def test_md_output_is_markdown(html_build) -> None:  # type: ignore[no-untyped-def]
    html = html_build.html("content/a")
    assert re.search(r"<li><p><strong>bold</strong></p></li>|<li><strong>bold</strong></li>", html)
    assert '<a class="reference external" href="https://example.org/l">a link</a>' in html


def test_html_inline_stays_in_its_paragraph(html_build) -> None:  # type: ignore[no-untyped-def]
    html = html_build.html("content/a")
    paragraph = paragraph_with(html, "GitHub after.")
    assert paragraph.startswith("<p>Before <svg")
    assert "<title>Star icon</title></svg> GitHub after.</p>" in paragraph
    link = paragraph_with(html, "in a sentence.")
    assert '<a href="https://example.org/far">Far link</a> in a sentence.' in link


def test_html_alone_on_its_line_is_a_block(html_build) -> None:  # type: ignore[no-untyped-def]
    html = html_build.html("content/a")
    assert '<div class="fig">' in html
    assert not re.search(r'<p>\s*<div class="fig">', html)
    assert not re.search(r'<p>\s*<div class="vid">', html)


def test_body_nth_page_config_get_url_load_data(html_build) -> None:  # type: ignore[no-untyped-def]
    html = html_build.html("content/a")
    assert re.search(r'<aside class="note">\s*The body</aside>', html)
    first = "title=Alpha greeting=Hello from config url=https://example.org/b/ nth=1"
    assert first in html
    assert "nth=2" in html
    assert "data=loaded path=/a/" in html


def test_arguments_are_escaped_in_html_templates(html_build) -> None:  # type: ignore[no-untyped-def]
    html = html_build.html("content/a")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;&#x2F;script&gt;" in html


@pytest.mark.parametrize("buildername", ["text", "latex"])
def test_other_builders_get_text_not_markup(tmp_path: Path, buildername: str) -> None:
    article = (
        ARTICLE.replace("{{ broken() }}", "")
        .replace("{{ list(a=", "{{ x(a=")
        .replace('{{ fig(src="x.png", alt="<script>alert(1)</script>") }}', "")
    )
    result = build(site(tmp_path, article), buildername)
    out = "\n".join(p.read_text(encoding="utf-8") for p in result.outdir.rglob("*.t*x*"))
    for markup in ("<svg", "<div", "<img", "<iframe", "<a href", "<aside", "<title"):
        assert markup not in out, markup
    for text in ("Star icon", "A caption", "The video", "Far link", "The body", "Markdown video"):
        assert text in out, text
    if buildername == "latex":
        assert "video.example/abc123" in out
        assert "example.org/far" in out
        assert "yt.example/md42" in out


# a 3x2 PNG: signature, IHDR length and type, width, height
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + (3).to_bytes(4, "big") + (2).to_bytes(4, "big")
FUNCTIONS = (
    '{% set meta = get_image_metadata(path="img/dot.png") %}'
    "meta={{ meta.width }}x{{ meta.height }} {{ meta.format }} "
    '{% set r = resize_image(path="img/dot.png", width=1, op="fit_width") %}'
    "resized={{ r.url }} {{ r.width }}x{{ r.height }} "
    'tag={{ get_taxonomy_url(kind="tags", name="Rust Lang") }} '
    'page={{ get_page(path="b.md").title }} section={{ get_section(path="_index.md").title }} '
    'plain={{ get_url(path="img/dot.png") }}'
)


def test_zola_functions_read_files_on_disk(tmp_path: Path) -> None:
    article = '+++\ntitle = "F"\n+++\n\n{{ fn() }}\n\n{{ missing() }}\n'
    src = site(
        tmp_path,
        article,
        {
            "templates/shortcodes/fn.md": FUNCTIONS,
            "templates/shortcodes/missing.md": (
                '{{ get_image_metadata(path="img/none.png").width }}'
            ),
        },
    )
    (src / "static/img").mkdir(parents=True)
    (src / "static/img/dot.png").write_bytes(PNG)
    result = build(src)
    html = result.html("content/a")
    assert "meta=3x2 png" in html
    assert "resized=https://example.org/img/dot.png 3x2" in html
    assert "tag=https://example.org/tags/rust-lang/" in html
    assert "page=Beta section=Home" in html
    assert "plain=https://example.org/img/dot.png" in html
    [warning] = shortcode_warnings(result.warnings)
    assert f"{src / 'content' / 'a.md'}:7: WARNING:" in warning
    assert "shortcodes/missing.md, line 1" in warning
    assert "'img/none.png' not found" in warning


def test_editing_a_template_rereads_its_callers(tmp_path: Path) -> None:
    src = site(tmp_path)
    out = tmp_path / "out"
    first = build(src, outdir=out)
    assert "content/a" in first.read
    (src / "templates/shortcodes/lnk.html").write_text(
        '<a href="https://example.org/far">Changed link</a>', encoding="utf-8"
    )
    second = build(src, outdir=out, freshenv=False)
    assert second.read == ["content/a"]
    assert "Changed link" in second.html("content/a")
    (src / "data.toml").write_text('word = "reloaded"\n', encoding="utf-8")
    third = build(src, outdir=out, freshenv=False)
    assert third.read == ["content/a"]
    assert "data=reloaded" in third.html("content/a")


def test_adding_a_template_rereads_the_page_that_called_it(tmp_path: Path) -> None:
    src = site(tmp_path, ARTICLE + "\n{{ later() }}\n")
    out = tmp_path / "out"
    first = build(src, outdir=out)
    assert any("unknown shortcode 'later'" in line for line in first.warnings)
    (src / "templates/shortcodes/later.md").write_text("Arrived **later**", encoding="utf-8")
    second = build(src, outdir=out, freshenv=False)
    assert second.read == ["content/a"]
    assert "Arrived <strong>later</strong>" in second.html("content/a")


def test_parallel_build_equals_serial(tmp_path: Path) -> None:
    extra = {f"content/p{n}.md": ARTICLE.replace("Alpha", f"Page {n}") for n in range(6)}
    serial = build(site(tmp_path / "s", extra=extra), outdir=tmp_path / "s-out")
    parallel = build(site(tmp_path / "p", extra=extra), parallel=2, outdir=tmp_path / "p-out")
    assert main_content(parallel.outdir) == main_content(serial.outdir)
    assert sorted(shortcode_warnings(parallel.warnings)) == sorted(
        line.replace(str(tmp_path / "s"), str(tmp_path / "p"))
        for line in shortcode_warnings(serial.warnings)
    )


# --- the real site ------------------------------------------------------------


@pytest.fixture(scope="module")
def head_build(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    if not HEAD.is_dir():
        pytest.skip(f"the head corpus is not beside the checkout (looked in {HEAD})")
    root = tmp_path_factory.mktemp("head") / "site"
    shutil.copytree(HEAD, root, ignore=shutil.ignore_patterns("reference"))
    (root / "conf.py").write_text(
        'extensions = ["sphinx_topofmind"]\ntopofmind_zola_site = "."\n', encoding="utf-8"
    )
    return build(root)


def test_head_site_has_no_unknown_shortcodes(head_build) -> None:  # type: ignore[no-untyped-def]
    unknown = [line for line in head_build.warnings if "unknown shortcode" in line]
    assert unknown == []
    # what remains are the faults in the sources (a call missing its '}}')
    for line in shortcode_warnings(head_build.warnings):
        assert "malformed shortcode" in line, line


def test_head_site_img_youtube_and_icons(head_build) -> None:  # type: ignore[no-untyped-def]
    page = "content/content-creation/new-stream-setup-with-babyface-pro-fs"
    html = head_build.html(page)
    assert '<img src="&#x2F;images&#x2F;2025&#x2F;12&#x2F;cloud-lifter.jpg"' in html
    assert re.search(r'<p class="alt"[^>]*>Cloudlifter X\.</p>', html)
    # the caption text is Zola's
    reference = (HEAD / "reference/zola-output/content-creation").glob(
        "new-stream-setup-with-babyface-pro-fs/index.html"
    )
    zola = next(reference).read_text(encoding="utf-8")
    zola_captions = [unescape(c) for c in re.findall(r"<p class=alt[^>]*>([^<]+)", zola)]
    our_captions = [unescape(c) for c in re.findall(r'<p class="alt"[^>]*>([^<]+)</p>', html)]
    assert len(our_captions) > 3
    assert our_captions == zola_captions

    video = head_build.html("content/spire/mtls/client-app")
    assert '<iframe src="https://www.youtube.com/embed/zp1JiA2Kni8' in video

    about = head_build.html("content/about/volkan")
    paragraph = paragraph_with(about, "The source is strong at")
    assert re.match(r"<p>\s*<svg", paragraph)
    assert "Github Logo" in paragraph

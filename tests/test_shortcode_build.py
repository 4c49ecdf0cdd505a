"""Shortcodes in real builds: inline output stays in its paragraph, escapes, malformed calls."""

from __future__ import annotations

import re
from pathlib import Path

from building import build, write_tree

CONF = """
import sys, pathlib
sys.path.insert(0, str(pathlib.Path(__file__).parent))
extensions = ["sphinx_topofmind"]
topofmind_content_root = "content"
root_doc = "index"
topofmind_shortcodes = {
    "ico": {"callable": "shortcode_build_helpers:ico"},
    "word": {"callable": "shortcode_build_helpers:word"},
    "kbd": "kbd",
    "note": {"directive": "admonition", "argument": "title"},
    "img": {"callable": "shortcode_build_helpers:ico"},
}

def setup(app):
    from shortcode_build_helpers import KbdDirective
    app.add_directive("kbd", KbdDirective)
"""

HELPERS = """
from docutils import nodes
from docutils.parsers.rst import Directive, directives


def ico(name, args, body):
    return [nodes.inline("", "*", classes=["ico"])]


def word(name, args, body):
    return "*" + args["w"] + "*"


class KbdDirective(Directive):
    option_spec = {"k": directives.unchanged}

    def run(self):
        return [nodes.literal("", self.options["k"], classes=["kbd"])]
"""

INDEX = "# Home\n\n```{toctree}\n:glob:\n\ncontent/*\n```\n"
HEAD = '+++\ntitle = "A"\ndate = 2024-01-02\n+++\n'


def project(tmp_path: Path, body: str) -> Path:
    return write_tree(
        tmp_path / "p",
        {
            "conf.py": CONF,
            "shortcode_build_helpers.py": HELPERS,
            "index.md": INDEX,
            "content/a.md": HEAD + body,
        },
    )


def paragraphs(page: str) -> list[str]:
    body = page[page.index('<section id="a">') :]
    return re.findall(r"<p>(.*?)</p>", body, re.DOTALL)


def test_inline_output_stays_in_its_paragraph(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        '\nText {{ ico() }} and {{ word(w="em") }} and {{ kbd(k="Ctrl") }} '
        "and {{ mystery() }} more.\n\n"
        'Intro {% note(title="T") %}Body{% end %} outro.\n',
    )
    result = build(root)
    source = root / "content/a.md"
    assert result.warnings == [
        (
            f"{source}:6: WARNING: unknown shortcode 'mystery' (map it in topofmind_shortcodes); "
            "shown as text [topofmind.shortcode]"
        )
    ]
    page = result.html("content/a")
    found = paragraphs(page)
    assert found[0] == (
        'Text <span class="ico">*</span> and '
        '<span class="topofmind-shortcode topofmind-word"><em>em</em></span> and '
        '<kbd class="kbd docutils literal notranslate">Ctrl</kbd> and '
        '<span class="topofmind-shortcode-text">{{ mystery() }}</span> more.'
    )
    # block output (a directive's admonition) is still lifted out of the paragraph
    assert found[1:] == ["Intro ", "Body", " outro."]
    assert (
        '<p>Intro </p>\n<div class="admonition-t admonition">\n<p class="admonition-title">T</p>'
        in page
    )


def test_escaped_shortcode_shows_as_written(tmp_path: Path) -> None:
    result = build(project(tmp_path, '\nPress \\{{ kbd(k="<b>x</b>") }} now.\n'))
    assert result.warnings == []
    [text] = paragraphs(result.html("content/a"))
    assert "{topofmind-shortcode}" not in text
    # as text: no <kbd>, and the markup in the argument escaped (straight quotes: Zola
    # articles get smart punctuation only when asked, as in Zola)
    assert text == (
        'Press <span class="topofmind-shortcode-text">'
        "{{ kbd(k=&quot;&lt;b&gt;x&lt;/b&gt;&quot;) }}</span> now."
    )


def test_malformed_call_keeps_only_itself_as_text(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        "\n| a | b | c |\n|---|---|---|\n| {{ bad( | *c* | [d](https://example.org/) |\n\n"
        "Prose {{ img(src=x.png) }} then *emph*, {{ kbd(k=1 *so* [a link](https://example.org/).\n",
    )
    result = build(root)
    source = root / "content/a.md"
    assert result.warnings == [
        (
            f"{source}:8: WARNING: malformed shortcode '{{{{ bad( | *c* | [d](https://example.org/) |': "
            "missing '}}' [topofmind.shortcode]"
        ),
        (
            f"{source}:10: WARNING: shortcode 'img': bad value 'x.png' for argument 'src' "
            "(strings must be quoted) in '{{ img(src=x.png) }}' [topofmind.shortcode]"
        ),
        (
            f"{source}:10: WARNING: malformed shortcode '{{{{ kbd(k=1 *so* [a link](https://example.org/).': "
            "missing '}}' [topofmind.shortcode]"
        ),
    ]
    page = result.html("content/a")
    row = page[page.index("<tbody>") : page.index("</tbody>")]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)
    assert cells == [
        '<p><span class="topofmind-shortcode-text">{{ bad( </span></p>',
        "<p><em>c</em></p>",
        '<p><a class="reference external" href="https://example.org/">d</a></p>',
    ]
    [prose] = [p for p in paragraphs(page) if p.startswith("Prose")]
    assert prose == (
        'Prose <span class="topofmind-shortcode-text">{{ img(src=x.png) }}</span> then '
        '<em>emph</em>, <span class="topofmind-shortcode-text">{{ kbd(k=1 </span><em>so</em> '
        '<a class="reference external" href="https://example.org/">a link</a>.'
    )


def test_message_catalog_shows_the_calls_as_written(tmp_path: Path) -> None:
    root = project(
        tmp_path,
        "\nText {{ ico() }} and {{ mystery() }} more *x*.\n\n"
        '{{ word(w="a"\n) }} then {{ ico(a=1\nb=2) }} alone\n',
    )
    result = build(root, "gettext")
    assert result.warning_types() == ["topofmind.shortcode"]  # the unknown 'mystery'
    catalog = result.text("content.pot")
    assert "topofmind-shortcode" not in catalog
    assert 'msgid "Text {{ ico() }} and {{ mystery() }} more *x*."' in catalog
    # gettext turns the line breaks of a call spanning lines into spaces
    assert 'msgid "{{ word(w=\\"a\\" ) }} then {{ ico(a=1 b=2) }} alone"' in catalog


def test_translated_paragraph_runs_its_calls(tmp_path: Path) -> None:
    root = project(tmp_path, "\nText {{ ico() }} and {{ mystery() }} more.\n")
    (root / "conf.py").write_text(
        (root / "conf.py").read_text() + 'language = "fr"\nlocale_dirs = ["locale"]\n'
    )
    write_tree(
        root / "locale/fr/LC_MESSAGES",
        {
            "content.po": 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
            'msgid "Text {{ ico() }} and {{ mystery() }} more."\n'
            'msgstr "Texte {{ ico() }} et {{ mystery() }} encore {{ other() }}."\n'
        },
    )
    result = build(root)
    assert result.warning_types() == ["topofmind.shortcode"]  # the unknown 'mystery', once
    [text] = paragraphs(result.html("content/a"))
    assert text == (
        'Texte <span class="ico">*</span> et '
        '<span class="topofmind-shortcode-text">{{ mystery() }}</span> encore {{ other() }}.'
    )

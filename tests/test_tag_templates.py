"""The tag pages' templates: shipped in the package, overridable from a project's
``templates_path`` (real builds)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from building import build, main_content, write_tree

CONF = (
    'extensions = ["sphinx_topofmind"]\n'
    'topofmind_content_root = "content"\n'
    'templates_path = ["_templates"]\n'
    'html_theme = "basic"\n'
)
INDEX = "# Home\n\n```{toctree}\n:glob:\n\ncontent/*\n```\n"


def post(title: str, tags: str, date: str, description: str = "") -> str:
    extra = f'date = "{date}"\n' if date else ""
    extra += f'description = "{description}"\n' if description else ""
    return (
        f'+++\ntitle = "{title}"\n{extra}\n[taxonomies]\ntags = [{tags}]\n+++\n\n## Body\n\nText.\n'
    )


FILES = {
    "conf.py": CONF,
    "index.md": INDEX,
    "content/a.md": post("A & B", '"C++", "tea"', "2024-03-01", "About <a>"),
    "content/b.md": post("B", '"tea"', "2024-04-01"),
    "content/c.md": post("Undated", '"tea"', ""),
}

#: extends the shipped page (``!`` skips templates_path) and adds a marker to its header
TAG_OVERRIDE = """\
{% extends "!topofmind/tag.html" %}
{% block topofmind_tag_header %}{{ super() }}
<p class="marker">{{ tag.name|e }}|{{ tag.slug|e }}|{{ tag.count }}|{{ tags_index_uri|e }}
{%- for article in articles %};{{ article.docname|e }}={{ article.date|e }}={{ article.date_formatted|e }}{% endfor %}</p>
{%- endblock %}
"""

#: replaces the index's list, keeping its heading
TAGS_OVERRIDE = """\
{% extends "!topofmind/tags.html" %}
{% block topofmind_tags_list %}
<ol class="mine">{% for tag in tags %}<li data-slug="{{ tag.slug|e }}"><a class="{{ tag.badge_class|e }}" href="{{ tag.uri|e }}">{{ tag.name|e }}</a> {{ tag.count_label|e }}</li>{% endfor %}</ol>
{%- endblock %}
"""


def tag_pages(outdir: Path) -> dict[str, str]:
    """Main content of every generated page, the index under 'index'."""
    pages = main_content(outdir / "tags")
    return {
        name.removesuffix(".html").removesuffix("/index") or "index": html
        for name, html in pages.items()
    }


def soup(text: str) -> BeautifulSoup:
    return BeautifulSoup(text, "html.parser")


@pytest.mark.parametrize("builder", ["html", "dirhtml", "singlehtml"])
def test_a_project_tag_template_extends_every_tag_page(tmp_path: Path, builder: str) -> None:
    plain = build(write_tree(tmp_path / "plain", FILES), builder)
    src = write_tree(tmp_path / "site", {**FILES, "_templates/topofmind/tag.html": TAG_OVERRIDE})
    result = build(src, builder)
    assert plain.warnings == result.warnings == []
    before, after = tag_pages(plain.outdir), tag_pages(result.outdir)
    assert sorted(after) == ["c-plus-plus", "index", "tea"]
    assert after["index"] == before["index"]
    index_uri = {"html": "index.html", "dirhtml": "../", "singlehtml": "index.html"}[builder]
    markers = {name: soup(after[name]).select("p.marker") for name in ("c-plus-plus", "tea")}
    assert [p.get_text() for p in markers["c-plus-plus"]] == [
        f"C++|c-plus-plus|1|{index_uri};content/a=2024-03-01=March 1, 2024"
    ]
    assert [p.get_text() for p in markers["tea"]] == [
        f"tea|tea|3|{index_uri};content/b=2024-04-01=April 1, 2024"
        + ";content/a=2024-03-01=March 1, 2024;content/c=="
    ]
    for name in ("c-plus-plus", "tea"):
        # the rest of the page is the shipped one: only the marker was added
        unmarked = soup(after[name])
        for marker in unmarked.select("p.marker"):
            marker.decompose()
        assert unmarked.get_text().split() == soup(before[name]).get_text().split()
        assert [str(a) for a in unmarked.select("a")] == [
            str(a) for a in soup(before[name]).select("a")
        ]


def test_a_project_tags_template_changes_only_the_index(tmp_path: Path) -> None:
    plain = build(write_tree(tmp_path / "plain", FILES))
    src = write_tree(tmp_path / "site", {**FILES, "_templates/topofmind/tags.html": TAGS_OVERRIDE})
    result = build(src)
    assert result.warnings == []
    before, after = tag_pages(plain.outdir), tag_pages(result.outdir)
    for name in ("c-plus-plus", "tea"):
        assert after[name] == before[name]
    index = soup(after["index"])
    assert index.select_one("section.topofmind-tags-index-page h1").get_text() == "Tags"
    assert index.select("ul.topofmind-tag-cloud") == []
    assert [(li["data-slug"], li.get_text()) for li in index.select("ol.mine li")] == [
        ("c-plus-plus", "C++ 1 article"),
        ("tea", "tea 3 articles"),
    ]
    links = index.select("ol.mine a")
    assert [a["href"] for a in links] == ["c-plus-plus.html", "tea.html"]
    assert {" ".join(a["class"]) for a in links} == {
        "sd-badge sd-bg-secondary sd-bg-text-secondary topofmind-tag"
    }


def test_the_shipped_pages_escape_every_value(tmp_path: Path) -> None:
    files = {
        **FILES,
        "content/d.md": post('<i>x</i> \\" & y', '"<b>bold</b>"', "2024-01-01", "<script>"),
    }
    result = build(write_tree(tmp_path / "site", files))
    assert result.warnings == []
    pages = tag_pages(result.outdir)
    assert "<b>bold</b>" not in pages["index"] and "&lt;b&gt;bold&lt;/b&gt;" in pages["index"]
    page = pages["b-bold-b"]
    assert "<i>" not in page and "<script>" not in page and "<b>" not in page
    parsed = soup(page)
    assert parsed.select_one("h1").get_text() == "Tag: <b>bold</b>"
    assert parsed.select_one("ul.topofmind-tag-articles a").get_text() == '<i>x</i> " & y'
    assert parsed.select_one("p.topofmind-tag-description").get_text() == "<script>"


def test_editing_the_override_rewrites_the_tag_pages(tmp_path: Path) -> None:
    src = write_tree(tmp_path / "site", {**FILES, "_templates/topofmind/tag.html": TAG_OVERRIDE})
    first = build(src, confoverrides={})
    assert first.warnings == []
    tea = first.outdir / "tags/tea.html"
    stamp = tea.stat().st_mtime_ns
    # nothing changed: the page is not written again
    second = build(src, freshenv=False)
    assert second.read == [] and tea.stat().st_mtime_ns == stamp
    override = src / "_templates/topofmind/tag.html"
    override.write_text(TAG_OVERRIDE.replace('class="marker"', 'class="edited"'), encoding="utf-8")
    later = time.time() + 5  # newer than every page, whatever the file system's resolution
    os.utime(override, (later, later))
    third = build(src, freshenv=False)
    assert third.warnings == [] and third.read == []
    for name in ("c-plus-plus", "tea"):
        page = soup(tag_pages(third.outdir)[name])
        assert page.select("p.marker") == [] and len(page.select("p.edited")) == 1


THEMED_CONF = CONF.replace(
    'html_theme = "basic"', 'html_theme = "mine"\nhtml_theme_path = ["_themes"]'
)

#: a theme's own tag page: found before the shipped one, so it replaces it
THEME_TAG = """\
{% extends "page.html" %}
{% block body %}<div class="theme-tag">{{ tag.name|e }}: {{ tag.count_label|e }}</div>{% endblock %}
"""


def test_a_theme_template_replaces_the_shipped_one_and_a_project_extends_it(
    tmp_path: Path,
) -> None:
    theme = {
        "_themes/mine/theme.toml": '[theme]\ninherit = "basic"\n',
        "_themes/mine/topofmind/tag.html": THEME_TAG,
    }
    src = write_tree(tmp_path / "site", {**FILES, **theme, "conf.py": THEMED_CONF})
    themed = build(src)
    assert themed.warnings == []
    pages = tag_pages(themed.outdir)
    assert soup(pages["tea"]).select_one("div.theme-tag").get_text() == "tea: 3 articles"
    assert soup(pages["tea"]).select("ul.topofmind-tag-articles") == []
    assert len(soup(pages["index"]).select("ul.topofmind-tag-cloud li")) == 2

    # a project's '!topofmind/tag.html' is then the theme's
    override = '{% extends "!topofmind/tag.html" %}{% block body %}<b class="p">{{ super() }}</b>{% endblock %}'
    write_tree(src, {"_templates/topofmind/tag.html": override})
    extended = build(src, freshenv=True)
    assert extended.warnings == []
    page = soup(tag_pages(extended.outdir)["tea"])
    assert page.select_one("b.p div.theme-tag").get_text() == "tea: 3 articles"

"""Real builds of small Zola trees: links, images, shortcodes, front matter, builders."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from building import build, write_tree

CONF = """
extensions = ["sphinx_topofmind"]
topofmind_content_root = "content"
topofmind_static_path = ["static"]
root_doc = "index"
"""


def png() -> bytes:
    """A valid 1x1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def article(title: str, body: str, *, date: str = "2024-01-02", tags: str = '"a"') -> str:
    return f'+++\ntitle = "{title}"\ndate = "{date}"\n\n[taxonomies]\ntags = [{tags}]\n+++\n{body}'


INDEX = "# Home\n\n```{toctree}\n:glob:\n\ncontent/**\n```\n"


@pytest.fixture
def links_project(tmp_path: Path) -> Path:
    return write_tree(
        tmp_path / "links",
        {
            "conf.py": CONF,
            "index.md": INDEX,
            # body from line 8: link at 11, anchor at 13, missing at 15, definition at 19
            "content/a.md": article(
                "A",
                "\n## Intro\n\nSee [page b](@/sec/b.md).\n\nJump to [its second part](@/sec/b.md#second-part).\n\n"
                "A [dead link](@/sec/missing.md) here.\n\nBy reference: [b again][ref].\n\n[ref]: @/sec/b.md\n\n"
                "`[code](@/sec/missing.md)` stays.\n",
            ),
            "content/sec/b.md": article(
                "B", "\n## First part\n\nText.\n\n## Second part\n\nMore.\n"
            ),
        },
    )


def test_zola_links_resolve_and_missing_ones_warn(links_project: Path) -> None:
    result = build(links_project)
    assert result.warnings == [
        (
            f"{links_project / 'content/a.md'}:15: WARNING: internal link '@/sec/missing.md' points to "
            "no page of this project; shown as plain text [topofmind.link]"
        )
    ]
    page = result.html("content/a")
    assert 'href="sec/b.html"' in page
    assert 'href="sec/b.html#second-part"' in page
    body = page[page.index('<div class="body"') : page.index('<div class="sphinxsidebar"')]
    assert body.count('href="sec/b.html') == 3
    assert "dead link" in page and "missing" not in page.split("dead link")[0][-200:]
    assert "[code](&#64;/sec/missing.md)" in page  # inside inline code, untouched


@pytest.mark.parametrize(
    ("builder", "page", "to_page", "to_anchor"),
    [
        ("dirhtml", "content/a/index.html", "../sec/b/", "../sec/b/#second-part"),
        # one page: the anchor is the heading's id on it
        ("singlehtml", "index.html", "#document-content/sec/b", "#second-part"),
    ],
)
def test_zola_links_in_other_html_builders(
    links_project: Path, builder: str, page: str, to_page: str, to_anchor: str
) -> None:
    result = build(links_project, builder, confoverrides={"suppress_warnings": ["topofmind.link"]})
    assert result.warnings == []
    soup = BeautifulSoup(result.text(page), "html.parser")
    links = {a.get_text(): a["href"] for a in soup.select("a.reference")}
    assert links["page b"] == to_page
    assert links["its second part"] == to_anchor
    if builder == "singlehtml":
        assert soup.find(id="second-part") is not None


def test_zola_links_as_the_real_site_writes_them(tmp_path: Path) -> None:
    # link text across lines or with code, angle brackets around a path with a space
    src = write_tree(
        tmp_path / "links",
        {
            "conf.py": CONF,
            "index.md": INDEX,
            "content/posts/my post.md": article("Spaced", "\n## Part two\n\nText.\n"),
            "content/top-of-mind/ok-1.md": article("Ok", "\nText.\n"),
            "content/a.md": article(
                "A",
                "\nSee [some\ntext](@/top-of-mind/ok-1.md) here.\n\n"
                "Code: [`ok-1`](@/top-of-mind/ok-1.md).\n\n"
                "Angle [x](<@/posts/my post.md>) and [y](<@/posts/my post.md#part-two>).\n\n"
                "By reference [z][r].\n\n[r]: <@/posts/my post.md>\n",
            ),
        },
    )
    result = build(src)
    assert result.warnings == []
    soup = BeautifulSoup(result.html("content/a"), "html.parser")
    links = [(a.get_text(), a["href"]) for a in soup.select("div.body p a.reference")]
    assert links[-5:] == [
        ("some\ntext", "top-of-mind/ok-1.html"),
        ("ok-1", "top-of-mind/ok-1.html"),
        ("x", "posts/my%20post.html"),
        ("y", "posts/my%20post.html#part-two"),
        ("z", "posts/my%20post.html"),
    ]
    paragraphs = [p.get_text() for p in soup.select("div.body section > p")]
    assert "By reference z." in paragraphs
    assert not [p for p in paragraphs if "@/" in p or "post.md" in p]


def test_zola_links_in_latex(links_project: Path) -> None:
    result = build(links_project, "latex", confoverrides={"suppress_warnings": ["topofmind.link"]})
    assert result.warnings == []
    tex = next(result.outdir.glob("*.tex")).read_text(encoding="utf-8")
    assert r"\hyperref[\detokenize{content/sec/b::doc}]" in tex
    assert r"\hyperref[\detokenize{content/sec/b:second-part}]" in tex


def test_static_images_are_copied_and_missing_ones_warn_once(tmp_path: Path) -> None:
    project = write_tree(
        tmp_path / "images",
        {
            "conf.py": CONF,
            "index.md": INDEX,
            "static/images/found.png": png(),
            "content/a.md": article(
                "A",
                "\n![found](/images/found.png)\n\n![lost](/images/lost.png)\n\n"
                "![remote](https://example.org/x.png)\n",
            ),
        },
    )
    result = build(project)
    assert result.warnings == [
        (
            f"{project / 'content/a.md'}:11: WARNING: image '/images/lost.png' is not in "
            "topofmind_static_path (static) [topofmind.image]"
        )
    ]
    assert (result.outdir / "_images" / "found.png").is_file()
    page = result.html("content/a")
    assert 'src="../_images/found.png"' in page
    assert 'src="https://example.org/x.png"' in page
    assert '<span class="topofmind-missing-image">lost</span>' in page
    # with the site's URL known, a missing image points at the live site
    result = build(project, confoverrides={"topofmind_base_url": "https://blog.example.org/"})
    assert 'src="https://blog.example.org/images/lost.png"' in result.html("content/a")
    assert len(result.warnings) == 1


def test_site_absolute_page_links_stay_site_urls(tmp_path: Path) -> None:
    project = write_tree(
        tmp_path / "site",
        {"conf.py": CONF, "index.md": INDEX, "content/a.md": article("A", "\n[me](/author/me/)\n")},
    )
    result = build(project)
    assert result.warnings == []
    assert 'href="/author/me/"' in result.html("content/a")
    result = build(project, confoverrides={"topofmind_base_url": "https://blog.example.org"})
    assert 'href="https://blog.example.org/author/me/"' in result.html("content/a")


def shortcode_callable(name: str, args: dict, body: str | None) -> str:
    return f"**{args['word']}** from `{name}`"


def test_shortcodes_mapped_unknown_malformed_escaped(tmp_path: Path) -> None:
    project = write_tree(
        tmp_path / "shortcodes",
        {
            "conf.py": CONF
            + "import sys, pathlib\nsys.path.insert(0, str(pathlib.Path(__file__).parent))\n"
            + 'topofmind_shortcodes = {"note": {"directive": "admonition", "argument": "title"},'
            + ' "shout": {"callable": "helpers:shout"}}\n',
            "helpers.py": "def shout(name, args, body):\n    return f\"**{args['word']}** from `{name}`\"\n",
            "index.md": INDEX,
            "content/a.md": article(
                "A",
                '\n{% note(title="Heads up") %}\nThe *body* is Markdown.\n{% end %}\n\n'
                '{{ shout(word="hello") }}\n\n'
                "{{ mystery(x=1) }}\n\n"
                "{{ broken(x=1) }\n\n"
                "{{/* shout(word='shown') */}}\n\n"
                "```text\n{{ .Values.name }}\n```\n",
            ),
        },
    )
    result = build(project)
    source = project / "content/a.md"
    assert result.warnings == [
        (
            f"{source}:15: WARNING: unknown shortcode 'mystery' (map it in topofmind_shortcodes); "
            "shown as text [topofmind.shortcode]"
        ),
        f"{source}:17: WARNING: malformed shortcode '{{{{ broken(x=1) }}': missing '}}}}' [topofmind.shortcode]",
    ]
    page = result.html("content/a")
    assert '<p class="admonition-title">Heads up</p>' in page
    assert "<em>body</em>" in page
    assert "<strong>hello</strong> from" in page
    assert "{{ mystery(x=1) }}" in page
    assert "{{ broken(x=1) }" in page
    # straight quotes: topofmind_smart_punctuation is off by default, as in Zola
    assert "{{ shout(word='shown') }}" in page
    assert "{{ .Values.name }}" in page


def test_yaml_front_matter_is_read_like_toml(tmp_path: Path) -> None:
    project = write_tree(
        tmp_path / "yaml",
        {
            "conf.py": CONF,
            "index.md": INDEX,
            "content/a.md": "---\ntitle: From YAML\ndate: 2024-03-04\ntaxonomies:\n  tags: [one, two]\n---\n\n## Body\n\nText.\n",
        },
    )
    result = build(project)
    assert result.warnings == []
    page = result.html("content/a")
    assert "<title>From YAML" in page
    assert 'datetime="2024-03-04"' in page
    assert 'href="../tags/one.html">one</a>' in page
    assert "title:" not in page


def test_invalid_front_matter_warns_at_its_line_and_the_body_renders(tmp_path: Path) -> None:
    project = write_tree(
        tmp_path / "invalid",
        {
            "conf.py": CONF,
            "index.md": INDEX,
            "content/bad.md": '+++\ntitle = "Fine"\ndate = 2024-13-45\n+++\n\n## Still here\n\nBody text.\n',
            "content/open.md": '+++\ntitle = "Never closed"\n\n## Body\n',
        },
    )
    result = build(project)
    assert result.warnings[0].startswith(
        f"{project / 'content/bad.md'}:3: WARNING: invalid TOML front matter"
    )
    assert result.warnings[0].endswith("[topofmind.frontmatter]")
    assert result.warnings[1] == (
        f"{project / 'content/open.md'}:1: WARNING: front matter opened with '+++' at line 1 "
        "is never closed [topofmind.frontmatter]"
    )
    assert len(result.warnings) == 2
    assert "Body text." in result.html("content/bad")
    assert "Still here" in result.html("content/bad")

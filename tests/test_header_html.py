"""The article header written from its data in HTML (features/header_html.py).

In HTML builders the header reaches the writer as data and each term link is
rendered once per folder; the pages and the search index must be byte-identical
to expanding the header into nodes on every page, in every case where a piece
of it could differ between pages.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from building import build, outputs, write_tree

from sphinx_topofmind.features import header_html
from sphinx_topofmind.nodes import article_header

CONF = (
    'extensions = ["sphinx_topofmind"]\n'
    'topofmind_content_root = "content"\n'
    "topofmind_reading_time = True\n"
    'topofmind_taxonomies = ["tags", {"name": "categories"}]\n'
)
INDEX = "# Home\n\n```{toctree}\n:glob:\n\ncontent/**\n```\n"


def article(title: str, matter: str) -> str:
    return f'+++\ntitle = "{title}"\n{matter}+++\n\n## Body\n\nSome words here.\n'


def site(tmp_path: Path) -> Path:
    return write_tree(
        tmp_path / "site",
        {
            "conf.py": CONF,
            "index.md": INDEX,
            # two folders and two depths; a tag that needs escaping; two taxonomies;
            # an updated date; a page without a date; a page without terms
            "content/notes/one.md": article(
                "One",
                'date = 2023-01-02\nupdated = 2023-03-04\n[taxonomies]\ntags = ["a", "C++ & <b>"]\n'
                'categories = ["Life"]\n',
            ),
            "content/notes/deep/two.md": article(
                "Two", 'date = 2022-05-06\n[taxonomies]\ntags = ["a", "b"]\n'
            ),
            "content/posts/three.md": article(
                "Three", '[taxonomies]\ntags = ["b", "C++ & <b>"]\ncategories = ["Life", "Work"]\n'
            ),
            "content/posts/four.md": article("Four", "date = 2021-07-08\n"),
            "content/posts/five.md": article(
                "Five", 'date = 2021-07-08\n[taxonomies]\ntags = ["a"]\n'
            ),
        },
    )


@pytest.mark.parametrize(
    ("builder", "parallel"), [("html", 0), ("dirhtml", 0), ("html", 2), ("epub", 0)]
)
def test_header_from_data_equals_nodes_on_every_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, builder: str, parallel: int
) -> None:
    src = site(tmp_path)
    from_data = build(src, builder, parallel=parallel, outdir=tmp_path / "data")
    monkeypatch.setattr(header_html, "entries_as_data", lambda builder: False)
    as_nodes = build(src, builder, parallel=parallel, outdir=tmp_path / "nodes")
    assert from_data.warnings == as_nodes.warnings
    expected = outputs(as_nodes.outdir, (".html", ".xhtml", ".js"))
    assert outputs(from_data.outdir, (".html", ".xhtml", ".js")) == expected
    pages = [text for name, text in expected.items() if "topofmind-article-header" in text]
    assert len(pages) >= 5
    if builder in ("html", "dirhtml"):
        # what the header shows, linked: each case above is there to compare
        joined = "\n".join(pages)
        assert "topofmind-archive-link" in joined
        assert "topofmind-updated" in joined
        assert "topofmind-reading-time" in joined
        assert "topofmind-article-categories" in joined
        assert "C++ &amp; &lt;b&gt;" in joined


def test_the_header_stays_data_until_written(tmp_path: Path) -> None:
    """The resolved doctree holds the header as one node with its words (for the
    search index) and its links' pages, not the twenty nodes of its lines."""
    src = site(tmp_path)
    built = build(src, "html", outdir=tmp_path / "out")
    env = built.app.env
    doctree = env.get_and_resolve_doctree("content/notes/one", built.app.builder)
    header = next(doctree.findall(article_header))
    assert [type(child).__name__ for child in header.children] == ["Text"]
    assert header.astext().split() == [
        "January", "2,", "2023", "Updated", "March", "4,", "2023",
        "1", "min", "read",
        "Tags:", "a", "C++", "&", "<b>",
        "Categories:", "Life",
    ]  # fmt: skip
    assert header["dates"][0][3] == "archive/2023"
    assert [target for _text, target in header["terms"][0][2]] == ["tags/a", "tags/c-plus-plus-b"]

"""The sidebar of the pages that are no source document, rendered once per URI class
(features/generated_pages.py): byte for byte what Sphinx renders page by page."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from building import build, write_tree

from sphinx_topofmind.features import generated_pages
from sphinx_topofmind.state import build_memo

CONF = (
    'extensions = ["sphinx_topofmind"]\n'
    'topofmind_content_root = "content"\n'
    # the theme's global toctree on every page (sphinx.testing's default theme is basic)
    'html_sidebars = {"**": ["globaltoc.html", "relations.html"]}\n'
)
# genindex is a toctree entry: its own page marks it current, so it is not shared
INDEX = "# Home\n\n```{toctree}\n:glob:\n\ncontent/*/_index\nextra/*\ngenindex\n```\n"


def post(title: str, tags: list[str], weight: int) -> str:
    listed = ", ".join(f'"{t}"' for t in tags)
    return (
        f'+++\ntitle = "{title}"\nweight = {weight}\n\n[taxonomies]\ntags = [{listed}]\n+++\n\n'
        f"## Part\n\nText of {title}.\n"
    )


def site(root: Path, shared_top_folder: bool) -> Path:
    files = {
        "conf.py": CONF,
        "index.md": INDEX,
        "content/blog/_index.md": '+++\ntitle = "Blog"\nsort_by = "weight"\npaginate_by = 1\n+++\n',
        "content/blog/a.md": post("A", ["red", "blue"], 1),
        "content/blog/b.md": post("B", ["blue"], 2),
        "content/blog/c.md": post("C", ["green"], 3),
        "content/notes/_index.md": '+++\ntitle = "Notes"\n+++\n',
        "content/notes/n.md": post("N", ["red"], 1),
        "extra/about.md": "# About\n\nText.\n",
    }
    if shared_top_folder:
        # a source document where the tag pages go: their URIs keep the common folder
        files["tags/about.md"] = "# About tags\n\nText.\n"
        files["index.md"] = INDEX.replace("extra/*", "extra/*\ntags/about")
    return write_tree(root, files)


def html_files(outdir: Path) -> dict[str, bytes]:
    return {str(p.relative_to(outdir)): p.read_bytes() for p in sorted(outdir.rglob("*.html"))}


def sidebar_classes(result) -> set[tuple]:
    return {key[1] for key in build_memo(result.app.builder) if key[0] == "sidebar"}


#: the URI classes of the generated pages: depth, then the folders shared with documents
#: (Sphinx's own search page keeps its own rendering: only pages of ours share)
CLASSES = {
    # tags/*.html; content/blog/page/*.html
    ("html", False): {("depth", 1), ("depth", 3, "content", "blog")},
    ("html", True): {("depth", 1, "tags"), ("depth", 3, "content", "blog")},
    # tags/; tags/*/; content/blog/page/*/
    ("dirhtml", False): {("depth", 1), ("depth", 2), ("depth", 4, "content", "blog")},
    ("dirhtml", True): {
        ("depth", 1, "tags"),
        ("depth", 2, "tags"),
        ("depth", 4, "content", "blog"),
    },
}


@pytest.mark.parametrize("shared_top_folder", [False, True])
@pytest.mark.parametrize("builder", ["html", "dirhtml"])
def test_generated_pages_are_byte_identical_without_the_memo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, builder: str, shared_top_folder: bool
) -> None:
    src = site(tmp_path / "src", shared_top_folder)
    shared = build(src, builder, outdir=tmp_path / "shared")
    parallel = build(src, builder, outdir=tmp_path / "parallel", parallel=2)
    with monkeypatch.context() as patch:
        patch.setattr(generated_pages, "uri_class", lambda builder, pagename: None)
        alone = build(src, builder, outdir=tmp_path / "alone")
        assert sidebar_classes(alone) == set()
    assert shared.warnings == alone.warnings == parallel.warnings == []
    expected = html_files(alone.outdir)
    assert html_files(shared.outdir) == expected
    assert html_files(parallel.outdir) == expected
    # the memo was used: one rendering per class of page, not one per page
    assert sidebar_classes(shared) == CLASSES[builder, shared_top_folder]


def test_a_page_named_in_a_toctree_keeps_its_current_entry(tmp_path: Path) -> None:
    result = build(site(tmp_path / "src", False))
    assert generated_pages.uri_class(result.app.builder, "genindex") is None
    soup = BeautifulSoup(result.html("genindex"), "html.parser")
    current = soup.select(".sphinxsidebar li.current a")
    assert [a.get_text() for a in current] == ["Index"]
    # a tag page marks nothing
    assert not BeautifulSoup(result.html("tags/red"), "html.parser").select(
        ".sphinxsidebar li.current"
    )


def test_singlehtml_is_left_alone(tmp_path: Path) -> None:
    result = build(site(tmp_path / "src", False), "singlehtml")
    assert generated_pages.uri_class(result.app.builder, "tags/red") is None
    assert sidebar_classes(result) == set()

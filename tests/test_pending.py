"""The nodes the ``doctree-resolved`` handlers replace are found in one walk of each
doctree (``sphinx_topofmind/pending.py``): the output must be what a walk per handler
gave, in every builder, also where a handler makes nodes that another one resolves
(a header's tag links and date, a tags index's tag links)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from building import build, outputs

from sphinx_topofmind import pending

#: what each builder of the test writes
SUFFIXES = (".html", ".txt", ".tex")

EXAMPLE = Path(__file__).resolve().parents[1] / "example_site"

# a tag link written in the text, a tag list and the tag of a tags index, on one page
EXTRA = """\
+++
title = "Links of every kind"
date = 2024-05-01
[taxonomies]
tags = ["sphinx"]
+++

Read {tag}`sphinx` first.

```{tag-list} sphinx
```
"""


def _site(root: Path) -> Path:
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("_build"))
    (root / "content" / "notes" / "links.md").write_text(EXTRA, encoding="utf-8")
    return root


@pytest.mark.parametrize("builder", ["html", "singlehtml", "text", "latex"])
def test_one_walk_gives_what_a_walk_per_handler_gave(
    tmp_path: Path, builder: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    indexed: list[str] = []
    real_index = pending.index

    def counting_index(app: object, doctree: object, docname: str) -> None:
        indexed.append(docname)
        real_index(app, doctree, docname)  # type: ignore[arg-type]

    monkeypatch.setattr(pending, "index", counting_index)
    one_walk = build(_site(tmp_path / "one-walk"), builder)
    assert one_walk.warnings == [] and indexed
    # no index: every handler walks the doctree itself, as before
    monkeypatch.setattr(pending, "index", lambda app, doctree, docname: None)
    a_walk_each = build(_site(tmp_path / "a-walk-each"), builder)
    assert a_walk_each.warnings == []
    assert outputs(one_walk.outdir, SUFFIXES) == outputs(a_walk_each.outdir, SUFFIXES)
    assert "Links of every kind" in "\n".join(outputs(one_walk.outdir, SUFFIXES).values())


def test_pending_walks_a_doctree_it_has_not_indexed() -> None:
    from docutils import nodes
    from docutils.frontend import get_default_settings
    from docutils.parsers.rst import Parser
    from docutils.utils import new_document

    from sphinx_topofmind.nodes import tag_reference

    document = new_document("<test>", get_default_settings(Parser))
    document += nodes.paragraph("", "", tag_reference("", "a", tag="a"))
    assert [n["tag"] for n in pending.pending(document, tag_reference)] == ["a"]
    pending.made(document, nodes.paragraph())  # not indexed: nothing to note


def test_a_node_another_handler_took_out_is_not_resolved(tmp_path: Path) -> None:
    # an extension's handler between the walk and ours removes the header's tag links
    # (singlehtml: there the header is made into nodes; the other HTML builders write
    # it from its data, features/header_html.py)
    site = _site(tmp_path / "site")
    conf = site / "conf.py"
    conf.write_text(
        conf.read_text(encoding="utf-8")
        + "\n\ndef setup(app):\n"
        + "    from sphinx_topofmind.nodes import tag_reference\n\n"
        + "    def drop(app, doctree, docname):\n"
        + "        for node in list(doctree.findall(tag_reference)):\n"
        + "            node.parent.remove(node)\n\n"
        + '    app.connect("doctree-resolved", drop, priority=200)\n',
        encoding="utf-8",
    )
    result = build(site, "singlehtml")
    assert result.warnings == []
    page = result.html("index")
    start = page.index('id="document-content/notes/links"')
    article = page[start : page.index('id="document-', start + 1)]
    assert 'class="topofmind-article-tags"' in article
    assert "topofmind-tag " not in article

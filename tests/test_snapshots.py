"""Doctree snapshots: what a Zola article becomes, before and after late rendering.

Run with ``TOPOFMIND_UPDATE_SNAPSHOTS=1`` to rewrite the stored snapshots after an
intended change, then review the diff.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from building import build, write_tree

SNAPSHOTS = Path(__file__).parent / "snapshots"

ARTICLE = """+++
title = "Snapshot *article*"
date = "2024-05-06"
updated = 2024-06-07T08:09:10Z
description = "What the extension makes of one article."

[taxonomies]
tags = ["C++", "snapshots"]
+++

## First part

See [the other one](@/other.md#its-part) and ![a picture](/images/none.png).

{{ top_of_mind_nav(selected=2) }}
"""

OTHER = """+++
title = "Other"
date = "2024-01-01"
+++

## Its part

{{ top_of_mind_nav(selected=1) }}
"""


def check(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("TOPOFMIND_UPDATE_SNAPSHOTS") or not path.exists():
        path.write_text(text, encoding="utf-8")
        if not os.environ.get("TOPOFMIND_UPDATE_SNAPSHOTS"):
            pytest.fail(f"snapshot {name} was missing and has been written; review and commit it")
    assert text == path.read_text(encoding="utf-8")


def normalise(text: str, srcdir: Path) -> str:
    text = re.sub(re.escape(str(srcdir)), "<srcdir>", text)
    # docutils versions print boolean attributes as 1/0 or True/False
    return text.replace('="1"', '="True"').replace('="0"', '="False"')


@pytest.mark.filterwarnings("ignore:'tags' will become a required keyword argument")
def test_article_doctree(tmp_path: Path) -> None:
    src = write_tree(
        tmp_path / "snap",
        {
            "conf.py": 'extensions = ["sphinx_topofmind"]\nsuppress_warnings = ["topofmind.image"]\n',
            "index.md": "# Home\n\n```{toctree}\narticle\nother\n```\n",
            "article.md": ARTICLE,
            "other.md": OTHER,
        },
    )
    result = build(src)
    assert result.warnings == []
    env = result.app.env
    read = env.get_doctree("article")
    check("article.read.xml", normalise(read.pformat(), src))
    resolved = env.get_and_resolve_doctree("article", result.app.builder)
    check("article.resolved.xml", normalise(resolved.pformat(), src))

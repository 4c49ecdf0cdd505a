"""Doctree snapshots: what a Zola article becomes, before and after late rendering.

Run with ``TOPOFMIND_UPDATE_SNAPSHOTS=1`` to rewrite the stored snapshots after an
intended change: that run fails with a summary of what changed (or skips when
nothing did), never passes; review the diff, commit, and run again without it.
"""

from __future__ import annotations

import difflib
import os
import re
import sys
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


UPDATE = "TOPOFMIND_UPDATE_SNAPSHOTS"


def check(name: str, text: str) -> str | None:
    """Compare ``text`` with the stored snapshot ``name``.

    Under ``TOPOFMIND_UPDATE_SNAPSHOTS`` (or when the snapshot is missing) the
    snapshot is rewritten and a summary of the change comes back instead: the
    caller hands it to :func:`updated`, so an update run never passes as a test.
    """
    path = SNAPSHOTS / name
    if not os.environ.get(UPDATE) and path.exists():
        assert text == path.read_text(encoding="utf-8")
        return None
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if old == text:
        return f"{name}: unchanged"
    path.write_text(text, encoding="utf-8")
    diff = list(
        difflib.unified_diff(old.splitlines(), text.splitlines(), "stored", "new", lineterm="")
    )
    added = sum(1 for line in diff[2:] if line.startswith("+"))
    removed = sum(1 for line in diff[2:] if line.startswith("-"))
    return f"{name}: rewritten, +{added} -{removed} lines\n" + "\n".join(diff[:40])


def updated(summaries: list[str | None]) -> None:
    """Fail when any snapshot was rewritten, skip when an update run changed nothing."""
    changes = [s for s in summaries if s is not None]
    if any(not s.endswith(": unchanged") for s in changes):
        pytest.fail("snapshots written; review the diff and commit:\n" + "\n".join(changes))
    if changes:
        pytest.skip(f"{UPDATE} is set: compared nothing; " + "; ".join(changes))


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
    summaries = [check("article.read.xml", normalise(read.pformat(), src))]
    resolved = env.get_and_resolve_doctree("article", result.app.builder)
    summaries.append(check("article.resolved.xml", normalise(resolved.pformat(), src)))
    updated(summaries)


def test_an_update_run_never_passes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.modules[__name__], "SNAPSHOTS", tmp_path)
    (tmp_path / "a.xml").write_text("one\ntwo\n", encoding="utf-8")
    monkeypatch.setenv(UPDATE, "1")
    with pytest.raises(pytest.fail.Exception, match=r"a.xml: rewritten, \+1 -1 lines"):
        updated([check("a.xml", "one\nthree\n")])
    assert (tmp_path / "a.xml").read_text(encoding="utf-8") == "one\nthree\n"
    with pytest.raises(pytest.skip.Exception, match="a.xml: unchanged"):
        updated([check("a.xml", "one\nthree\n")])
    # without the variable a difference is a failure and nothing is written
    monkeypatch.delenv(UPDATE)
    with pytest.raises(AssertionError):
        check("a.xml", "one\nfour\n")
    assert (tmp_path / "a.xml").read_text(encoding="utf-8") == "one\nthree\n"

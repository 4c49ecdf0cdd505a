"""Drafts are not built, as Zola does without ``--drafts``.

Whether a page is a draft is only known from its front matter, so before the
read phase every Markdown page's front matter is checked (cached by file
modification time in the environment).  Drafts leave ``found_docs``: they are
not read, written, listed in a glob toctree, a series or a tag page.  A page
that becomes a draft is purged like a deleted one.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from . import state
from .frontmatter import declares_draft
from .source import MARKDOWN_SUFFIXES

#: front matter is read from at most this many bytes of a file
_HEAD_BYTES = 1 << 20


def is_draft(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            head = handle.read(_HEAD_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return False
    return declares_draft(head)


def drafts(env: BuildEnvironment) -> set[str]:
    """Docnames of the drafts found by the last scan."""
    return set(state.peek(env, "drafts") or ())


def exclude_drafts(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    if app.config.topofmind_drafts:
        state.put(env, "drafts", set())
        return []
    cache: dict[str, tuple[int, bool]] = state.peek(env, "draft_cache") or {}
    fresh: dict[str, tuple[int, bool]] = {}
    found: set[str] = set()
    for docname in env.found_docs:
        path = Path(env.doc2path(docname))
        if path.suffix.lower() not in MARKDOWN_SUFFIXES:
            continue
        try:
            mtime = path.stat().st_mtime_ns
        except OSError:
            continue
        cached = cache.get(docname)
        draft = cached[1] if cached is not None and cached[0] == mtime else is_draft(path)
        fresh[docname] = (mtime, draft)
        if draft:
            found.add(docname)
    state.put(env, "draft_cache", fresh)
    state.put(env, "drafts", found)
    for docname in found:
        added.discard(docname)
        changed.discard(docname)
        env.found_docs.discard(docname)
        if docname in env.all_docs:
            removed.add(docname)
    return []


def register(app: Sphinx) -> None:
    app.connect("env-get-outdated", exclude_drafts)

"""Drafts are not built, as Zola does without ``--drafts``.

Whether a page is a draft is only known from its front matter, so before the
read phase every Markdown page's front matter is parsed, from the text the read
phase will parse (read as Sphinx reads it, mojibake repaired as ``source-read``
repairs it), and the parser decides (:func:`.frontmatter.declares_draft`).  The
answer is cached in the environment by file modification time and size.
Drafts leave ``found_docs``: they are not read, written, listed in a glob
toctree, a series or a tag page.  A page that becomes a draft is purged like a
deleted one.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from .. import state
from ..compact import digest
from ..zola.frontmatter import DELIMITERS, declares_draft
from ..zola.mojibake import repair_text
from .rewrite import MARKDOWN_SUFFIXES


def _repaired_head(text: str) -> str:
    """The start of ``text`` as :func:`.rewrite.rewrite_source` parses it in ``fix`` mode,
    up to the line closing the front matter: the repair is line by line, so only the
    lines the parser looks at are repaired (the body may be long)."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    lines = text.split("\n")
    head: list[str] = []
    delimiter = None
    for line in lines:
        fixed = line if line.isascii() else repair_text(line)[0]  # ASCII is never damaged
        head.append(fixed)
        # a repair adds no line break of its own, but split as the parser does anyway
        pieces = fixed.split("\n")
        if delimiter is None:
            delimiter = pieces[0].rstrip()
            if delimiter not in DELIMITERS:
                break
            pieces = pieces[1:]
        if any(piece.rstrip() == delimiter for piece in pieces):
            break
    return "\n".join(head)


def source_is_draft(text: str, mojibake: str = "fix") -> bool:
    """Whether the article ``text`` (as Sphinx read it) is a draft, for the given
    ``topofmind_mojibake`` mode."""
    return declares_draft(_repaired_head(text) if mojibake == "fix" else text)


def is_draft(path: Path, *, encoding: str = "utf-8-sig", mojibake: str = "fix") -> bool:
    try:
        # as Sphinx reads a source: the whole file, universal newlines
        text = path.read_text(encoding=encoding, errors="replace")
    except (OSError, LookupError):
        return False
    return source_is_draft(text, mojibake)


def drafts(env: BuildEnvironment) -> set[str]:
    """Docnames of the drafts found by the last scan."""
    return set(state.peek(env, "drafts") or ())


def unchanged_since_read(env: BuildEnvironment, docname: str) -> bool:
    """Whether a fact cached from a document's file still holds without looking at the
    file: Sphinx does not read the document again this build, having found its source
    unchanged since the last read (and a fact cached from a source that was read is
    refreshed in that build, or dropped: :func:`drop_unrefreshed`).  A changed
    configuration makes Sphinx read every document again: never true then."""
    outdated: set[str] | None = state.current(env).get("outdated_sources")
    return outdated is not None and docname not in outdated and docname in env.all_docs


def refreshed(env: BuildEnvironment, docname: str) -> None:
    """Note that a fact was cached from the document's file as it is now."""
    state.current(env).setdefault("refreshed_sources", set()).add(docname)


def drop_unrefreshed(env: BuildEnvironment, cache: dict[str, Any]) -> None:
    """Forget what was cached from sources read this build and not looked at again."""
    current = state.current(env)
    stale = current.get("outdated_sources", set()) - current.get("refreshed_sources", set())
    for docname in stale & cache.keys():
        del cache[docname]


def exclude_drafts(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    # what Sphinx reads again this build (before drafts leave it): every other
    # source is as it was when last read, and what was found in it still holds
    state.current(env)["outdated_sources"] = added | changed
    if app.config.topofmind_drafts:
        state.put(env, "drafts", set())
        return []
    encoding, mojibake = app.config.source_encoding, app.config.topofmind_mojibake
    cache: dict[str, tuple[bytes, bool]] = state.peek(env, "draft_cache") or {}
    fresh: dict[str, tuple[bytes, bool]] = {}
    found: set[str] = set()
    for docname in env.found_docs:
        cached = cache.get(docname)
        if cached is not None and unchanged_since_read(env, docname):
            fresh[docname] = cached
            if cached[1]:
                found.add(docname)
            continue
        path = Path(env.doc2path(docname))
        if path.suffix.lower() not in MARKDOWN_SUFFIXES:
            continue
        try:
            stat = path.stat()
        except OSError:
            continue
        # the answer depends on the file and on how it is read
        key = digest((stat.st_mtime_ns, stat.st_size, encoding, mojibake))  # small to pickle
        cached = cache.get(docname)
        if cached is not None and cached[0] == key:
            draft = cached[1]
        else:
            draft = is_draft(path, encoding=encoding, mojibake=mojibake)
        fresh[docname] = (key, draft)
        if draft:
            found.add(docname)
    state.put(env, "draft_cache", fresh)
    state.put(env, "drafts", found)
    leave_out(env, found, added, changed, removed)
    return []


def leave_out(
    env: BuildEnvironment,
    docnames: Iterable[str],
    added: set[str],
    changed: set[str],
    removed: set[str],
) -> None:
    """Take documents out of this build (on ``env-get-outdated``): not read, not written,
    and removed with their data when an earlier build had them."""
    for docname in docnames:
        added.discard(docname)
        changed.discard(docname)
        env.found_docs.discard(docname)
        if docname in env.all_docs:
            removed.add(docname)


def setup(app: Sphinx) -> None:
    app.connect("env-get-outdated", exclude_drafts)

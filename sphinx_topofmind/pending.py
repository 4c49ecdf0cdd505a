"""The nodes of ours that ``doctree-resolved`` handlers replace, found in one walk.

Eight handlers each looked for their own kind of node (headers, navs, listings,
tag links, ...) with a walk of the whole resolved doctree, on every page: about
1 % of a fresh build (issue 17).  One walk at the start of the event now finds
every kind; a handler asks :func:`pending` for its kind, and a handler that makes
nodes of these kinds (a header's tag links, a tags index) hands them to
:func:`made`, so the handlers after it find them as a walk would.  Each kind is
replaced by exactly one handler, so a replaced node is never asked for again.
Outside the event (or for a doctree not indexed) :func:`pending` walks as before.
"""

from __future__ import annotations

import weakref

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx

from .nodes import (
    article_date,
    article_header,
    series_nav_placeholder,
    tag_reference,
    tags_index_placeholder,
)

#: what the handlers look for; a feature module adds its own placeholder with :func:`track`
KINDS: tuple[type[nodes.Element], ...] = (
    article_header,
    article_date,
    tag_reference,
    series_nav_placeholder,
    tags_index_placeholder,
    addnodes.start_of_file,
)


def track(kind: type[nodes.Element]) -> None:
    """Find ``kind`` in the one walk too (a feature's placeholder, from its ``setup``)."""
    global KINDS
    if kind not in KINDS:
        KINDS = (*KINDS, kind)


# per doctree being resolved: never pickled, gone with the doctree
_FOUND: weakref.WeakKeyDictionary[nodes.document, dict[type, list[nodes.Element]]] = (
    weakref.WeakKeyDictionary()
)


def _add(found: dict[type, list[nodes.Element]], root: nodes.Node) -> None:
    for node in root.findall(nodes.Element):
        if isinstance(node, KINDS):
            for kind in KINDS:
                if isinstance(node, kind):
                    found[kind].append(node)


def index(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``, first: every node of :data:`KINDS`, in document order."""
    found: dict[type, list[nodes.Element]] = {kind: [] for kind in KINDS}
    _add(found, doctree)
    _FOUND[doctree] = found


def forget(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``, last: the doctree may be resolved again (by another
    extension's call); it is then walked again."""
    _FOUND.pop(doctree, None)


def pending(doctree: nodes.document, kind: type[nodes.Element]) -> list[nodes.Element]:
    """The nodes of ``kind`` (one of :data:`KINDS`) in ``doctree``, as
    ``list(doctree.findall(kind))`` gives them."""
    found = _FOUND.get(doctree)
    if found is None:
        return list(doctree.findall(kind))
    # a node another handler took out since is no longer there for a walk to find (and
    # replacing it would fail); docutils keeps its parent, not its place in the parent
    return [node for node in found[kind] if node.parent is not None and node in node.parent]


def made(doctree: nodes.document, *new: nodes.Node) -> None:
    """Nodes a handler put into ``doctree``: those of :data:`KINDS` in them are found
    by the handlers after it."""
    found = _FOUND.get(doctree)
    if found is not None:
        for root in new:
            _add(found, root)


def setup(app: Sphinx) -> None:
    app.connect("doctree-resolved", index, priority=1)
    app.connect("doctree-resolved", forget, priority=999)

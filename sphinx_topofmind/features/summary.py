"""Each page's summary, one rule for section listings, feeds and ``og:description``
(:func:`..zola.summary.pick_summary`): the text before ``<!-- more -->``, else the
description, else the first paragraph.

What the doctree gives (the text before the marker, the first paragraph) is kept
per document at read time; the description comes with the caller's record.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from .. import state
from ..nodes import article_header, series_nav, series_nav_placeholder
from ..zola.summary import MORE_MARKER, pick_summary
from .rewrite import current_rewrite, document_store

#: a summary taken from the article's first paragraph is cut to about this many characters
SUMMARY_CHARS = 600

#: the summary key of the records
KEY = "summaries"

_SKIPPED = (
    article_header,
    series_nav,
    series_nav_placeholder,
    nodes.Admonition,
    nodes.topic,
    nodes.sidebar,
    nodes.table,
    nodes.footnote,
    nodes.citation,
    nodes.system_message,
)


def _shown(para: nodes.Node) -> bool:
    """Not inside the header, a nav, an admonition, a table or a note."""
    parent = para.parent
    while parent is not None:
        if isinstance(parent, _SKIPPED):
            return False
        parent = parent.parent
    return True


def first_paragraph(doctree: nodes.Node) -> str | None:
    """The text of the first paragraph that has any (not the header, a nav or an admonition)."""
    for para in doctree.findall(nodes.paragraph):
        if not _shown(para):
            continue
        text = " ".join(para.astext().split())
        if text:
            if len(text) > SUMMARY_CHARS:
                text = text[:SUMMARY_CHARS].rsplit(" ", 1)[0] + " …"
            return text
    return None


def before_more(doctree: nodes.Node) -> str | None:
    """The text of the paragraphs before ``<!-- more -->``; None without the marker."""
    if not any(MORE_MARKER.search(node.astext()) for node in doctree.findall(nodes.raw)):
        return None  # most pages: no need to take the text of every paragraph
    texts: list[str] = []
    for node in doctree.findall(lambda n: isinstance(n, (nodes.paragraph, nodes.raw))):
        if isinstance(node, nodes.raw):
            if MORE_MARKER.search(node.astext()):
                return " ".join(texts)
        elif _shown(node):
            texts.append(node.astext())
    return None


#: ``(id of the doctree, (text before the marker, first paragraph))`` of the document read
CURRENT_PARTS = "topofmind_summary_parts"


def summary_parts(env: BuildEnvironment, doctree: nodes.Node) -> tuple[str | None, str | None]:
    """What the doctree gives the summary rule, found once per document read (the
    article collector and the summary collector both ask; each is a walk of the tree)."""
    store = document_store(env)
    found = store.get(CURRENT_PARTS)
    if found is None or found[0] != id(doctree):
        found = (id(doctree), (before_more(doctree), first_paragraph(doctree)))
        store[CURRENT_PARTS] = found
    parts: tuple[str | None, str | None] = found[1]
    return parts


def page_summary(env: BuildEnvironment, doctree: nodes.Node, description: str | None) -> str | None:
    more, first = summary_parts(env, doctree)
    return pick_summary(more, description, first)


def records(env: BuildEnvironment) -> dict[str, tuple[str | None, str | None]]:
    return state.get(env, KEY, dict)


def summary_of(env: BuildEnvironment, docname: str, description: str | None) -> str | None:
    """The page's summary by the shared rule."""
    more, first = records(env).get(docname, (None, None))
    return pick_summary(more, description, first)


class SummaryCollector(state.RecordCollector):
    """``{docname: (text before <!-- more -->, first paragraph)}``."""

    key = KEY

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        more, first = summary_parts(app.env, doctree)
        rewrite = current_rewrite(app.env)
        matter = rewrite.front_matter if rewrite is not None else None
        # every caller passes the record's description (the front matter's): when it
        # or the text before the marker is there, the first paragraph is never shown
        if pick_summary(more, matter.description if matter is not None else None, None):
            first = None
        found = (more, first)
        if found != (None, None):
            self.records(app.env)[app.env.docname] = found


def setup(app: Sphinx) -> None:
    app.add_env_collector(SummaryCollector)

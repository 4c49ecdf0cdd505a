"""Per-article feed records, collected at read time: which articles a feed holds,
and each one's summary (its description, else its first paragraph)."""

from __future__ import annotations

import posixpath

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ... import state
from ...collector import Article
from ...nodes import article_header, series_nav, series_nav_placeholder
from ...zola.taxonomy import instant

#: a summary taken from the article's first paragraph is cut to about this many characters
SUMMARY_CHARS = 600

#: a front-matter date as an aware datetime (the tag pages sort by the same rule)
moment = instant


def summaries(env: BuildEnvironment) -> dict[str, str]:
    return state.get(env, "feed_summaries", dict)


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


def first_paragraph(doctree: nodes.Node) -> str | None:
    """The text of the first paragraph that has any (not the header, a nav or an admonition)."""
    for para in doctree.findall(nodes.paragraph):
        parent = para.parent
        skipped = False
        while parent is not None:
            if isinstance(parent, _SKIPPED):
                skipped = True
                break
            parent = parent.parent
        if skipped:
            continue
        text = " ".join(para.astext().split())
        if text:
            if len(text) > SUMMARY_CHARS:
                text = text[:SUMMARY_CHARS].rsplit(" ", 1)[0] + " …"
            return text
    return None


class FeedSummaryCollector(state.RecordCollector):
    """``{docname: first paragraph}`` for the feeds' summaries."""

    key = "feed_summaries"

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        text = first_paragraph(doctree)
        if text:
            summaries(app.env)[app.env.docname] = text


def entry_summary(app: Sphinx, record: Article) -> str | None:
    """The article's description, else its first paragraph."""
    if record.description and record.description.strip():
        return " ".join(record.description.split())
    return summaries(app.env).get(record.docname)


def is_feed_article(app: Sphinx, record: Article | None) -> bool:
    """A dated page with front matter; not a section (``_index``), not a draft.

    Zola's feeds hold pages only, and need their dates."""
    if record is None or not record.has_front_matter or moment(record.date) is None:
        return False
    if record.draft and not app.config.topofmind_drafts:
        return False
    if posixpath.basename(record.docname) == "_index":
        return False
    return record.docname in app.env.all_docs

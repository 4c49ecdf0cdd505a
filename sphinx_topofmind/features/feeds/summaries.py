"""Which articles a feed holds, and each one's summary (the shared rule of
:mod:`..summary`: the text before ``<!-- more -->``, else the description, else the
first paragraph)."""

from __future__ import annotations

import posixpath

from sphinx.application import Sphinx

from ...collector import Article
from ...zola.taxonomy import instant
from ..summary import summary_of

#: a front-matter date as an aware datetime (the tag pages sort by the same rule)
moment = instant


def entry_summary(app: Sphinx, record: Article) -> str | None:
    """The shared summary rule (:mod:`..summary`): before ``<!-- more -->``, else the
    description, else the first paragraph."""
    return summary_of(app.env, record.docname, record.description)


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

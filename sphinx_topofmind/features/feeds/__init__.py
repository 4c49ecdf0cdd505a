"""Atom feeds: the whole site, each tag and each series.

Feeds are written for the ``html`` and ``dirhtml`` builders only, at the end
of every build, from small records kept in the environment (the collector's
:class:`~sphinx_topofmind.collector.Article` records plus one summary per
document collected here), so a new or changed article shows up in the feeds
of an incremental build without re-reading anything else.

Every URL in a feed is absolute, made from ``topofmind_base_url`` (which
defaults to ``html_baseurl``) and the builder's own target URIs.  With
``topofmind_feed_content = "full"`` each article's rendered body is captured
as its page is written and kept under the doctree dir.  Pages that have a
feed advertise it in their head.

One module per job, each importing only those listed before it:

- :mod:`.xmltext`: text as XML can hold it;
- :mod:`.options`: which feeds a build writes, their files and URLs (the
  ``topofmind_feed*`` values are defined and validated in
  :data:`sphinx_topofmind.config.OPTIONS` with every other value);
- :mod:`.summaries`: the per-article records read at read time: which
  articles a feed holds, and the summary rule;
- :mod:`.content`: the full-content capture and its cache;
- :mod:`.render`: a feed as plain data, and its Atom XML (feedgen);
- :mod:`.assembly`: the feeds of a build, built from the records;
- :mod:`.writing`: writing the files, removing stale ones, reporting lost characters;
- :mod:`.head`: the ``<link rel="alternate">`` in page heads.
"""

from __future__ import annotations

from sphinx.application import Sphinx

from .assembly import MAX_ENTRY_CATEGORIES, entry_categories
from .content import capture_page
from .head import add_feed_links
from .options import check_base_url
from .render import EntryData, FeedData, render_feed
from .writing import write_feeds
from .xmltext import xml_safe

__all__ = [
    "MAX_ENTRY_CATEGORIES",
    "EntryData",
    "FeedData",
    "entry_categories",
    "register",
    "render_feed",
    "setup",
    "xml_safe",
]


def setup(app: Sphinx) -> None:
    # the topofmind_feed* values are registered and validated by config.register
    app.connect("builder-inited", check_base_url)
    app.connect("html-page-context", add_feed_links)
    # after the links, as when one handler did both
    app.connect("html-page-context", capture_page)
    app.connect("build-finished", write_feeds)


#: the name extension.py calls

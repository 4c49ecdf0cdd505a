"""Node classes and their visitors for every builder.

Placeholders (:class:`series_nav_placeholder`, :class:`tag_reference`,
:class:`tags_index_placeholder`) exist only between reading and
``doctree-resolved``, where they are replaced by ordinary nodes; they still
get visitors (that skip them) so a doctree handed to a writer unresolved can
never crash a build.  The remaining nodes carry HTML semantics (``<time>``,
``<nav aria-label>``, ``aria-current``, ``rel``) and degrade to plain text
elsewhere.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxTranslator

NON_HTML_FORMATS = ("latex", "text", "man", "texinfo")


class article_header(nodes.General, nodes.Element):
    """The date, updated date and tags shown under an article's title."""


class article_date(nodes.Inline, nodes.TextElement):
    """A date; ``node['datetime']`` is its ISO 8601 value."""


class series_nav_placeholder(nodes.General, nodes.Element):
    """Where a series nav goes; filled on ``doctree-resolved``.

    Attributes: ``series``, ``selected`` (int or None), ``window``,
    ``reversed``, ``line``.
    """


class series_nav(nodes.General, nodes.Element):
    """A rendered series nav: a ``<nav>`` landmark with ``aria-label`` in HTML."""


class series_nav_entries(nodes.General, nodes.Element):
    """The list of a series nav in HTML builders, as data: ``series``, ``fromdoc`` (the
    resolving document), ``shown`` (positions in the series, None for a gap) and
    ``current`` (a position or None).  Its visitors are in
    :mod:`sphinx_topofmind.features.series_nav_html`."""


class current_entry(nodes.Inline, nodes.TextElement):
    """The entry of the page being shown: bold, not a link, ``aria-current="page"``."""


class rel_reference(nodes.reference):
    """A reference with an HTML ``rel`` (``prev``/``next``); a plain reference elsewhere."""


class tag_reference(nodes.Inline, nodes.TextElement):
    """A link to a tag's page, resolved on ``doctree-resolved``.

    Attributes: ``taxonomy`` and ``tag`` (as written).
    """


class tags_index_placeholder(nodes.General, nodes.Element):
    """Where a ``tags-index`` / ``tag-list`` directive's list goes."""


class shortcode_block(nodes.General, nodes.Element):
    """Wraps the block output of a shortcode written inline, so it can be lifted out of
    its paragraph by :class:`sphinx_topofmind.features.shortcodes.LiftShortcodeBlocks`."""


# --- HTML -----------------------------------------------------------------
# Every opening tag goes through ``starttag``: the node's ids become ``id``, its
# classes join ours, and every attribute value is escaped.


def visit_article_date_html(self: Any, node: article_date) -> None:
    self.body.append(
        self.starttag(node, "time", suffix="", CLASS="topofmind-date", datetime=node["datetime"])
    )


def depart_article_date_html(self: Any, node: article_date) -> None:
    self.body.append("</time>")


def visit_series_nav_html(self: Any, node: series_nav) -> None:
    attributes = {"aria-label": node["label"], "data-series": node["series"]}
    self.body.append(self.starttag(node, "nav", CLASS="topofmind-series-nav", **attributes))


def depart_series_nav_html(self: Any, node: series_nav) -> None:
    self.body.append("</nav>\n")


def visit_current_entry_html(self: Any, node: current_entry) -> None:
    attributes = {"aria-current": "page"}
    self.body.append(
        self.starttag(node, "strong", suffix="", CLASS="topofmind-current", **attributes)
    )


def depart_current_entry_html(self: Any, node: current_entry) -> None:
    self.body.append("</strong>")


def visit_rel_reference_html(self: Any, node: rel_reference) -> None:
    attributes = {"href": node["refuri"], "rel": node["rel"]}
    if node.get("reftitle"):
        attributes["title"] = node["reftitle"]
    self.body.append(self.starttag(node, "a", suffix="", CLASS="reference internal", **attributes))


def depart_rel_reference_html(self: Any, node: rel_reference) -> None:
    self.body.append("</a>")


# --- other builders ---------------------------------------------------------


def _pass(self: SphinxTranslator, node: nodes.Element) -> None:
    """Let the children render as they would anywhere else."""


def _skip(self: SphinxTranslator, node: nodes.Element) -> None:
    raise nodes.SkipNode


def _visit_strong(self: Any, node: nodes.Element) -> None:
    self.visit_strong(node)


def _depart_strong(self: Any, node: nodes.Element) -> None:
    self.depart_strong(node)


def _visit_reference(self: Any, node: nodes.Element) -> None:
    self.visit_reference(node)


def _depart_reference(self: Any, node: nodes.Element) -> None:
    self.depart_reference(node)


def _everywhere(html: tuple[Any, Any], other: tuple[Any, Any]) -> dict[str, tuple[Any, Any]]:
    return {"html": html, **{fmt: other for fmt in NON_HTML_FORMATS}}


def setup(app: Sphinx) -> None:
    """Add every node with visitors for html (also epub, dirhtml, singlehtml) and the rest."""
    app.add_node(
        article_date,
        override=False,
        **_everywhere((visit_article_date_html, depart_article_date_html), (_pass, _pass)),
    )
    app.add_node(
        series_nav,
        override=False,
        **_everywhere((visit_series_nav_html, depart_series_nav_html), (_pass, _pass)),
    )
    app.add_node(
        current_entry,
        override=False,
        **_everywhere(
            (visit_current_entry_html, depart_current_entry_html), (_visit_strong, _depart_strong)
        ),
    )
    app.add_node(
        rel_reference,
        override=False,
        **_everywhere(
            (visit_rel_reference_html, depart_rel_reference_html),
            (_visit_reference, _depart_reference),
        ),
    )
    for placeholder in (series_nav_placeholder, tag_reference, tags_index_placeholder):
        app.add_node(placeholder, override=False, **_everywhere((_skip, None), (_skip, None)))
    app.add_node(shortcode_block, override=False, **_everywhere((_pass, _pass), (_pass, _pass)))

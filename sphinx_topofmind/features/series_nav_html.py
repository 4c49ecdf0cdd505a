"""The list of a series nav in HTML: each entry written once per build and folder.

Every member of a series shows the whole series, so a series of M pages has M²
entries to write.  In HTML builders the list reaches the writer as a data-only
:class:`~sphinx_topofmind.nodes.series_nav_entries`; its visitor renders each entry
through the translator's own visitors the first time a page of that folder needs
it, keeps the markup, and on every other page of the folder only joins the kept
markup.  The current entry (and a link to the page itself) is rendered fresh on its
page.  A relative URI depends only on the linking page's folder, so the kept markup
is exactly what rendering the nodes on each page would give.

Other builders, and singlehtml, get the nodes themselves (:func:`.series.entry_list`);
should a data node reach one, its visitor builds them there.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders import Builder

from ..collector import derived
from ..nodes import _everywhere, _pass, series_nav_entries
from ..state import build_memo
from ..zola.series import SeriesEntry
from .series import entry_item, entry_list, shown_entries, uri_folder, uri_resolver


def _entries(builder: Builder, node: series_nav_entries) -> list[SeriesEntry]:
    state = derived(builder.env)
    order = state.orders[node["series"]] if state is not None else None
    return shown_entries(builder, node["series"], order) if order is not None else []


def _render(translator: Any, node: nodes.Node) -> str:
    """The markup the translator writes for ``node``, taken back out of its body."""
    start = len(translator.body)
    node.walkabout(translator)
    markup = "".join(translator.body[start:])
    del translator.body[start:]
    return markup


def visit_series_nav_entries_html(self: Any, node: series_nav_entries) -> None:
    builder = self.builder
    entries = _entries(builder, node)
    fromdoc = node["fromdoc"]
    resolve = uri_resolver(builder, fromdoc)
    key = ("series-nav-html", node["series"], uri_folder(builder, fromdoc))
    memo = build_memo(builder)
    if key not in memo:
        # what the translator decides a compact list on: every entry is one paragraph,
        # so a list of one entry decides as the whole list would, without walking it
        # on every page
        sample = entry_list(resolve, [None], None)
        sample["classes"] = list(node["classes"])
        nodes.container("", sample)  # a parent, as the translator expects one
        memo[key] = (sample, {})
    sample, kept = memo[key]
    current = node["current"]
    current_entry = entries[current] if current is not None else None
    self.visit_bullet_list(sample)
    for position in node["shown"]:
        entry = None if position is None else entries[position]
        if position == current or (entry is not None and entry.docname == fromdoc):
            # the current entry, or a link to the page itself (whose URI is its own)
            self.body.append(_render(self, entry_item(resolve, entry, current_entry)))
            continue
        if position not in kept:
            kept[position] = _render(self, entry_item(resolve, entry, None))
        self.body.append(kept[position])
    self.depart_bullet_list(sample)
    raise nodes.SkipNode


def visit_series_nav_entries_other(self: Any, node: series_nav_entries) -> None:
    """Not reached in practice (other builders get the nodes); builds them here."""
    entries = _entries(self.builder, node)
    current = node["current"]
    shown = [None if n is None else entries[n] for n in node["shown"]]
    node += entry_list(
        uri_resolver(self.builder, node["fromdoc"]),
        shown,
        entries[current] if current is not None else None,
    )


def setup(app: Sphinx) -> None:
    app.add_node(
        series_nav_entries,
        override=False,
        **_everywhere(
            (visit_series_nav_entries_html, None), (visit_series_nav_entries_other, _pass)
        ),
    )

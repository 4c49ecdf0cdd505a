"""Related articles (``topofmind_related_articles = N``): a block at the end of each
article listing the N published articles sharing the most tags with it, ties
newest first (:func:`..article_query.related`).

A placeholder is left at read time; which articles are related depends on every
other article, so the list is chosen after reading, once per build, kept on the
environment, and a page whose related articles (or their titles or dates) change
is rewritten.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from .. import state
from ..article_query import Entry, catalogue, is_section_page, related
from ..compact import digest
from ..i18n import _, format_date
from ..nodes import _everywhere, _pass, _skip
from ..pending import made, pending, track
from ..zola.frontmatter import parse_date
from .article_list import owner_of
from .rewrite import current_rewrite

#: the state keys: the pages holding the block, and what each block shows
HOLDERS = "related_holders"
VIEWS = "related_views"


class related_placeholder(nodes.General, nodes.Element):
    """Where an article's related articles go; filled on ``doctree-resolved``."""


class related_articles(nodes.General, nodes.Element):
    """The block: an ``<aside>`` with an ``aria-label`` in HTML, its list elsewhere."""


def add_placeholder(app: Sphinx, doctree: nodes.document) -> None:
    """At the end of every article (a document with front matter, not a section)."""
    if not app.config.topofmind_related_articles:
        return
    rewrite = current_rewrite(app.env)
    if rewrite is None or rewrite.front_matter is None or is_section_page(app.env.docname):
        return
    target: nodes.Element = doctree
    sections = [n for n in doctree.children if isinstance(n, nodes.section)]
    if sections:
        target = sections[-1]
    target += related_placeholder(topofmind_docname=app.env.docname)


class RelatedCollector(state.RecordCollector):
    """``{docname: True}`` of the pages that hold the block."""

    key = HOLDERS

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        if any(True for _ in doctree.findall(related_placeholder)):
            self.records(app.env)[app.env.docname] = True

    def get_updated_docs(self, app: Sphinx, env: BuildEnvironment) -> list[str]:
        # the views are this build's; the environment keeps a digest per page
        old: dict[str, bytes] | None = state.peek(env, VIEWS)
        # no page shows the block: the catalogue is not made for nothing
        found = catalogue(app) if self.records(env) else None
        count = app.config.topofmind_related_articles
        new = {
            docname: related(found, docname, count) if found is not None else ()
            for docname in self.records(env)
            if docname in env.all_docs
        }
        state.current(env)[VIEWS] = new
        digests = {docname: digest(view) for docname, view in new.items()}
        state.put(env, VIEWS, digests)
        if old is None:
            return []
        return sorted(d for d in new if old.get(d) != digests[d])


def _item(app: Sphinx, entry: Entry, docname: str) -> nodes.list_item:
    item = nodes.list_item()
    para = nodes.paragraph()
    if app.builder.name == "singlehtml":
        uri = f"#document-{entry.docname}"
    else:
        uri = app.builder.get_relative_uri(docname, entry.docname)
    para += nodes.reference("", entry.title, internal=True, refuri=uri)
    value = parse_date(entry.date) if entry.date else None
    if value is not None:
        para += nodes.Text(f" — {format_date(value, app.config.language)}")
    item += para
    return item


def resolve_related(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    placeholders = pending(doctree, related_placeholder)
    if not placeholders:
        return
    views: dict[str, tuple[Entry, ...]] = state.current(app.env).get(VIEWS) or {}
    for node in placeholders:
        shown = views.get(owner_of(node, docname), ())
        if not shown:
            node.replace_self([])
            continue
        label = _("Related articles")
        block = related_articles(label=label, classes=["topofmind-related"])
        block += nodes.rubric("", label)
        listed = nodes.bullet_list(classes=["topofmind-related-list"])
        for entry in shown:
            listed += _item(app, entry, docname)
        block += listed
        node.replace_self(block)
        made(doctree, block)


def visit_related_html(self: Any, node: related_articles) -> None:
    self.body.append(self.starttag(node, "aside", **{"aria-label": node["label"]}))


def depart_related_html(self: Any, node: related_articles) -> None:
    self.body.append("</aside>\n")


def setup(app: Sphinx) -> None:
    app.add_node(related_placeholder, override=False, **_everywhere((_skip, None), (_skip, None)))
    track(related_placeholder)
    app.add_node(
        related_articles,
        override=False,
        **_everywhere((visit_related_html, depart_related_html), (_pass, _pass)),
    )
    # before the collectors read the doctree (priority 500)
    app.connect("doctree-read", add_placeholder, priority=400)
    # after the main collector (its get_updated_docs derives the taxonomies)
    app.add_env_collector(RelatedCollector)
    app.connect("doctree-resolved", resolve_related, priority=400)

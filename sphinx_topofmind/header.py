"""The article header: date, updated date and tags under the title.

Inserted at read time from the page's own front matter (no other page is
needed); the tag links are :class:`~.nodes.tag_reference` placeholders
because a tag's page name depends on every other tag (slug collisions), and
are resolved on ``doctree-resolved``.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

from .collector import derived
from .frontmatter import DateValue
from .i18n import _, format_date
from .nodes import article_date, article_header, tag_reference
from .source import current_rewrite

#: sphinx-design badge classes: the tags look like the theme's badges.
TAG_CLASSES = ["sd-badge", "sd-bg-secondary", "sd-bg-text-secondary", "topofmind-tag"]


def _date_node(label: str, value: DateValue, cls: str, language: str | None) -> nodes.inline:
    wrapper = nodes.inline(classes=[cls])
    if label:
        wrapper += nodes.Text(label + " ")
    wrapper += article_date("", format_date(value, language), datetime=value.isoformat())
    return wrapper


class InsertArticleHeader(SphinxTransform):
    """Put the header right after the page title (the heading made from the front matter)."""

    default_priority = 210

    def apply(self, **kwargs: Any) -> None:
        rewrite = current_rewrite(self.env)
        matter = rewrite.front_matter if rewrite is not None else None
        if matter is None or not (matter.date or matter.updated or matter.tags):
            return
        header = article_header(classes=["topofmind-article-header"])
        meta = nodes.paragraph(classes=["topofmind-article-meta"])
        language = self.config.language
        if matter.date:
            meta += _date_node("", matter.date, "topofmind-published", language)
        if matter.updated:
            if matter.date:
                meta += nodes.Text(" · ")
            meta += _date_node(_("Updated"), matter.updated, "topofmind-updated", language)
        if len(meta):
            header += meta
        if matter.tags:
            tags = nodes.paragraph(classes=["topofmind-article-tags"])
            tags += nodes.inline(text=_("Tags:") + " ", classes=["topofmind-tags-label"])
            for index, tag in enumerate(matter.tags):
                if index:
                    tags += nodes.Text(" ")
                tags += tag_reference(
                    "", tag, taxonomy="tags", tag=tag, topofmind_docname=self.env.docname
                )
            header += tags
        section = next(iter(self.document.findall(nodes.section)), None)
        if section is not None and isinstance(section[0], nodes.title):
            section.insert(1, header)
        else:
            self.document.insert(0, header)


def resolve_tag_references(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Links to tag pages in HTML builders; plain badges elsewhere."""
    state = derived(app.env)
    html = app.builder.format == "html" and hasattr(app.builder, "handle_page")
    for node in list(doctree.findall(tag_reference)):
        tag = state.taxonomy.for_tag(node["tag"]) if state is not None else None
        text = tag.name if tag is not None else node["tag"]
        if html and tag is not None and tag_pages_enabled(app):
            from .tags import tag_pagename

            uri = app.builder.get_relative_uri(docname, tag_pagename(app, tag.slug))
            new: nodes.Node = nodes.reference(
                "", text, internal=True, refuri=uri, classes=list(TAG_CLASSES)
            )
        else:
            new = nodes.inline("", text, classes=list(TAG_CLASSES))
        node.replace_self(new)


def tag_pages_enabled(app: Sphinx) -> bool:
    return app.builder.name in ("html", "dirhtml", "singlehtml") or app.builder.name.startswith("html")


def register(app: Sphinx) -> None:
    app.add_transform(InsertArticleHeader)
    app.connect("doctree-resolved", resolve_tag_references)

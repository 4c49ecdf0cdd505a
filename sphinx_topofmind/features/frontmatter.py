"""The article header: date, updated date and the terms of each taxonomy under the title.

Inserted at read time from the page's own front matter (no other page is
needed); the tag links are :class:`~.nodes.tag_reference` placeholders
because a tag's page name depends on every other tag (slug collisions), and
are resolved on ``doctree-resolved``.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

from ..i18n import _, format_date
from ..nodes import article_date, article_header, tag_reference
from ..zola.frontmatter import DateValue
from ..zola.taxonomy import taxonomy_specs
from .rewrite import current_rewrite


def declared_taxonomies(config: Any) -> list[str]:
    """The declared taxonomies' names, in declaration order."""
    return [spec.name for spec in taxonomy_specs(config.topofmind_taxonomies)]


def taxonomy_title(taxonomy: str) -> str:
    """``Tags`` (translated) for tags; ``Categories`` for ``categories``."""
    if taxonomy == "tags":
        return _("Tags")
    return taxonomy.replace("_", " ").replace("-", " ").capitalize()


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
        if matter is None:
            return
        # only the declared taxonomies: the others have no pages (and a warning)
        terms = [
            (name, matter.taxonomies[name])
            for name in declared_taxonomies(self.config)
            if matter.taxonomies.get(name)
        ]
        if not (matter.date or matter.updated or terms):
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
        for name, values in terms:
            if name == "tags":
                tags = nodes.paragraph(classes=["topofmind-article-tags"])
                label = _("Tags:")
            else:
                tags = nodes.paragraph(
                    classes=["topofmind-article-terms", f"topofmind-article-{name}"]
                )
                label = taxonomy_title(name) + ":"
            tags += nodes.inline(text=label + " ", classes=["topofmind-tags-label"])
            for index, tag in enumerate(values):
                if index:
                    tags += nodes.Text(" ")
                tags += tag_reference(
                    "", tag, taxonomy=name, tag=tag, topofmind_docname=self.env.docname
                )
            header += tags
        section = next(iter(self.document.findall(nodes.section)), None)
        if section is not None and isinstance(section[0], nodes.title):
            section.insert(1, header)
        else:
            self.document.insert(0, header)


def keep_one_description(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """singlehtml inlines every article into the root page, each with its
    ``<meta name="description">``: the page keeps only the root document's own."""
    if app.builder.name != "singlehtml" or docname != app.config.root_doc:
        return
    for inlined in list(doctree.findall(addnodes.start_of_file)):
        for meta in list(inlined.findall(nodes.meta)):
            if meta.get("name") == "description" and meta.parent is not None:
                meta.parent.remove(meta)


def setup(app: Sphinx) -> None:
    app.add_transform(InsertArticleHeader)
    app.connect("doctree-resolved", keep_one_description)

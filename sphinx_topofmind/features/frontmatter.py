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
from sphinx.environment import BuildEnvironment
from sphinx.transforms import SphinxTransform

from ..i18n import _, format_date
from ..nodes import article_date, article_header, tag_reference
from ..pending import made, pending
from ..zola.frontmatter import forget_parsed
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


def _date_node(label: str, text: str, iso: str, cls: str) -> nodes.inline:
    wrapper = nodes.inline(classes=[cls])
    if label:
        wrapper += nodes.Text(label + " ")
    wrapper += article_date("", text, datetime=iso)
    return wrapper


def header_for(document: nodes.document, docname: str) -> article_header:
    """The page's header, made (empty) after the title when the page has none.

    Only this function makes headers, always in the one place it looks at (after
    the first section's title, else first in the document): no walk of the page."""
    section = next(iter(document.findall(nodes.section)), None)
    if section is not None and isinstance(section[0], nodes.title):
        parent, index = section, 1
    else:
        parent, index = document, 0
    if index < len(parent) and isinstance(parent[index], article_header):
        return parent[index]
    header = article_header(
        classes=["topofmind-article-header"], dates=[], terms=[], topofmind_docname=docname
    )
    parent.insert(index, header)
    return header


class InsertArticleHeader(SphinxTransform):
    """Put the header right after the page title (the heading made from the front matter).

    It is read as data (``dates``, ``terms``, ``reading_time``) and made into nodes on
    ``doctree-resolved`` (:func:`expand_headers`): every page keeps a doctree of one node
    for it between reading and writing, in memory and in its pickle.
    """

    default_priority = 210

    def apply(self, **kwargs: Any) -> None:
        rewrite = current_rewrite(self.env)
        matter = rewrite.front_matter if rewrite is not None else None
        if matter is None:
            return
        # only the declared taxonomies: the others have no pages (and a warning)
        terms = [
            [name, list(matter.taxonomies[name])]
            for name in declared_taxonomies(self.config)
            if matter.taxonomies.get(name)
        ]
        if not (matter.date or matter.updated or terms):
            return
        language = self.config.language
        dates = [
            [kind, format_date(value, language), value.isoformat()]
            for kind, value in (("published", matter.date), ("updated", matter.updated))
            if value
        ]
        header = header_for(self.document, self.env.docname)
        header["dates"] = dates
        header["terms"] = terms


#: set on a header whose HTML is written from its data (:mod:`.header_html`)
WRITTEN_FROM_DATA = "topofmind_from_data"


def expand_headers(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``, before the tag links and header dates are resolved: each
    header's data becomes its date line and term lines (in HTML builders, where
    :mod:`.header_html` writes the header from its data, they stay data)."""
    for header in pending(doctree, article_header):
        if "dates" in header and WRITTEN_FROM_DATA not in header:
            _expand(header)
            made(doctree, *header.children)


def meta_line(dates: list[Any], reading_time: str | None) -> nodes.paragraph | None:
    """The header's first line: the dates (``[kind, text, iso, ...]``) and the reading
    time, or None when it has neither."""
    meta = nodes.paragraph(classes=["topofmind-article-meta"])
    for kind, text, iso, *_rest in dates:
        if kind == "published":
            meta += _date_node("", text, iso, "topofmind-published")
        else:
            if len(meta):
                meta += nodes.Text(" · ")
            meta += _date_node(_("Updated"), text, iso, "topofmind-updated")
    if reading_time:
        if len(meta):
            meta += nodes.Text(" · ")
        meta += nodes.inline(text=reading_time, classes=["topofmind-reading-time"])
    return meta if len(meta) else None


def term_line(name: str) -> tuple[list[str], str]:
    """A taxonomy's line in the header: its paragraph's classes and its label."""
    if name == "tags":
        return ["topofmind-article-tags"], _("Tags:")
    return ["topofmind-article-terms", f"topofmind-article-{name}"], taxonomy_title(name) + ":"


def header_words(header: article_header, texts: dict[str, list[str]]) -> str:
    """The words the expanded header shows (for the search index), each term's texts
    from ``texts`` (taxonomy -> the texts its links show)."""
    words = [
        text if kind == "published" else f"{_('Updated')} {text}"
        for kind, text, *_r in header["dates"]
    ]
    if header.get("reading_time"):
        words.append(str(header["reading_time"]))
    for name, *_rest in header["terms"]:
        words.append(str(term_line(name)[1]))
        words.extend(texts.get(name, ()))
    return " ".join(words)


def _expand(header: article_header) -> None:
    meta = meta_line(header["dates"], header.get("reading_time"))
    if meta is not None:
        header += meta
    for name, values in header["terms"]:
        classes, label = term_line(name)
        tags = nodes.paragraph(classes=classes)
        tags += nodes.inline(text=label + " ", classes=["topofmind-tags-label"])
        for index, tag in enumerate(values):
            if index:
                tags += nodes.Text(" ")
            tags += tag_reference(
                "", tag, taxonomy=name, tag=tag, topofmind_docname=header["topofmind_docname"]
            )
        header += tags
    for key in ("dates", "terms", "reading_time", "topofmind_docname"):
        header.attributes.pop(key, None)


def keep_one_description(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """singlehtml inlines every article into the root page, each with its
    ``<meta name="description">``: the page keeps only the root document's own."""
    if app.builder.name != "singlehtml" or docname != app.config.root_doc:
        return
    for inlined in list(doctree.findall(addnodes.start_of_file)):
        for meta in list(inlined.findall(nodes.meta)):
            if meta.get("name") == "description" and meta.parent is not None:
                meta.parent.remove(meta)


def _forget_parsed_front_matter(app: Sphinx, env: BuildEnvironment) -> list[str]:
    forget_parsed()
    return []


def setup(app: Sphinx) -> None:
    app.add_transform(InsertArticleHeader)
    app.connect("env-updated", _forget_parsed_front_matter)
    # first: the tag links and the header dates are resolved from what it makes
    app.connect("doctree-resolved", expand_headers, priority=100)
    app.connect("doctree-resolved", keep_one_description)

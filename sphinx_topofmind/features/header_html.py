"""The article header in HTML: written from its data, each term link once per folder.

Every article shows a header (its dates and its terms).  Made into nodes on every
page (:func:`.frontmatter.expand_headers`, then the tag links of :mod:`.taxonomy`
and the archive link of :mod:`.archives`), it gave each page some twenty more nodes
to resolve, translate and collect as garbage: about 2 % of a fresh build (issue 17).

In HTML builders whose relative URIs depend only on the page's folder (all but
singlehtml, as for the series nav's list), the header reaches the writer as its
data, with its links' target pages resolved on ``doctree-resolved``
(:func:`prepare_headers`).  Its visitor writes what the nodes would give, through
the translator's own visitors: the date line is rendered on its page, each term
link once per build and folder (its relative URI depends only on the folder) and
then joined.  The header keeps its words as one text child for the search index,
which the visitor does not write.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from ..nodes import _everywhere, _pass, article_date, article_header
from ..pending import pending
from ..state import build_memo
from .archives import link_date, year_page
from .frontmatter import WRITTEN_FROM_DATA, header_words, meta_line, term_line
from .series import entries_as_data, uri_folder, uri_resolver
from .series_nav_html import _render
from .taxonomy import TAG_CLASSES, tag_target


def prepare_headers(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``, before :func:`.frontmatter.expand_headers`: in HTML builders
    each header keeps its data, with the pages its links go to."""
    if not entries_as_data(app.builder):
        return
    memo = build_memo(app.builder)
    for header in pending(doctree, article_header):
        if "dates" not in header or WRITTEN_FROM_DATA in header:
            continue
        dates = []
        for kind, text, iso in header["dates"]:
            target = None
            if kind == "published":
                year_key = ("header-year", iso)
                if year_key not in memo:
                    memo[year_key] = year_page(app, iso)
                target = memo[year_key]
            dates.append([kind, text, iso, target])
        header["dates"] = dates
        texts: dict[str, list[str]] = {}
        terms = []
        for name, values in header["terms"]:
            targets = []
            for value in values:
                key = ("header-term", name, value)
                if key not in memo:
                    memo[key] = tag_target(app, name, value)
                targets.append(memo[key])
            terms.append([name, values, targets])
            texts[name] = [text for text, _target in targets]
        # new lists: the doctree's may be shared with another copy of it
        header["terms"] = terms
        header[WRITTEN_FROM_DATA] = True
        header += nodes.Text(header_words(header, texts))


def visit_article_header_html(self: Any, node: article_header) -> None:
    self.body.append(self.starttag(node, "div"))
    if WRITTEN_FROM_DATA not in node:
        return  # its children: the nodes expand_headers made
    meta = meta_line(node["dates"], node.get("reading_time"))
    published = next((date for date in node["dates"] if date[0] == "published"), None)
    if meta is not None and published is not None and published[3] is not None:
        # the published date links to its year's archive page (archives.link_header_dates)
        date = next(
            d for d in meta.findall(article_date) if "topofmind-published" in d.parent["classes"]
        )
        link_date(date, uri_resolver(self.builder, self.builder.current_docname)(published[3]))
    if meta is not None:
        self.body.append(_render(self, meta))
    for name, _written, targets in node["terms"]:
        self.body.append(_term_markup(self, name, targets))
    self.body.append("</div>\n")
    raise nodes.SkipNode


def _term_markup(self: Any, name: str, targets: list[tuple[str, str | None]]) -> str:
    """One taxonomy's line: the label, then each link, kept per build and folder."""
    builder = self.builder
    memo = build_memo(builder)
    folder = uri_folder(builder, builder.current_docname)
    classes, label = term_line(name)
    line = nodes.paragraph(classes=classes)
    start = len(self.body)
    self.visit_paragraph(line)
    label_key = ("header-label-html", label)
    if label_key not in memo:
        memo[label_key] = _render(
            self, _in(line, nodes.inline(text=label + " ", classes=["topofmind-tags-label"]))
        )
    self.body.append(memo[label_key])
    resolve = None
    for index, (text, target) in enumerate(targets):
        if index:
            self.body.append(_render(self, _in(line, nodes.Text(" "))))
        key = ("header-term-html", folder if target is not None else None, text, target)
        if key not in memo:
            if target is None:
                link: nodes.Element = nodes.inline("", text, classes=list(TAG_CLASSES))
            else:
                resolve = resolve or uri_resolver(builder, builder.current_docname)
                link = nodes.reference(
                    "", text, internal=True, refuri=resolve(target), classes=list(TAG_CLASSES)
                )
            memo[key] = _render(self, _in(line, link))
        self.body.append(memo[key])
    self.depart_paragraph(line)
    markup = "".join(self.body[start:])
    del self.body[start:]
    return markup


def _in(parent: nodes.Element, child: nodes.Node) -> nodes.Node:
    """``child`` with ``parent`` as its parent, as the translator expects one (a
    reference inside a text element), without adding it to the parent's children."""
    child.parent = parent
    return child


def setup(app: Sphinx) -> None:
    app.add_node(
        article_header,
        override=False,
        **_everywhere((visit_article_header_html, depart_article_header_html), (_pass, _pass)),
    )
    # before expand_headers (100), which leaves a header prepared here as it is
    app.connect("doctree-resolved", prepare_headers, priority=99)


def depart_article_header_html(self: Any, node: article_header) -> None:
    self.body.append("</div>\n")

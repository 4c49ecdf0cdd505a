"""Raw HTML from a site's shortcode templates, with a readable fallback for other builders.

An ``.html`` shortcode's output is HTML.  HTML builders write it as it is
(:class:`site_html` inline, :class:`site_html_block` as a block); every other
builder (LaTeX, text, man, Texinfo) writes the node's children instead: the
same HTML turned into plain docutils nodes at read time (:func:`html_to_nodes`):
an image becomes its ``alt`` text, a link a reference, an ``iframe`` a reference
to its ``src`` titled by its ``title``, an ``svg`` its title or description,
block elements paragraphs, anything else its text.  So no builder ever shows
markup as text, and no markup reaches a format that cannot hold it.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

from ..nodes import NON_HTML_FORMATS, shortcode_block


class site_html(nodes.Inline, nodes.Element):
    """HTML written by a site template inside running text; ``node['html']`` is the HTML,
    the children its text fallback; ``node['block_level']`` whether it starts with a block
    element (so standing alone on its line it becomes a block)."""


class site_html_block(nodes.General, nodes.Element):
    """HTML written by a site template as a block of its own; children: the fallback."""


_BLOCK = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "caption",
        "center",
        "details",
        "dialog",
        "dd",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "html",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "td",
        "th",
        "ul",
        "br",
    ]
)
_HIDDEN = frozenset(["script", "style", "template", "head", "noscript"])
_SPACE = re.compile(r"\s+")
_FIRST_TAG = re.compile(r"^\s*(?:<!--.*?-->\s*)*<([A-Za-z][A-Za-z0-9-]*)", re.DOTALL)


def starts_with_block(html: str) -> bool:
    """Whether the first element of ``html`` is a block element (a ``div``, a ``p``...)."""
    found = _FIRST_TAG.match(html)
    return found is not None and found.group(1).lower() in _BLOCK | {"iframe"}


class _Converter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[list[nodes.Node]] = [[]]
        self.links: list[nodes.reference] = []
        self.hidden = 0
        self.svg = 0
        self.svg_texts: dict[str, str] = {}
        self.svg_field: str | None = None

    def _add(self, node: nodes.Node) -> None:
        if self.links:
            self.links[-1].append(node)
        else:
            self.paragraphs[-1].append(node)

    def _break(self) -> None:
        if self.links:
            self._add(nodes.Text(" "))  # a link holding blocks stays one link
        elif self.paragraphs[-1]:
            self.paragraphs.append([])

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: value or "" for key, value in attrs}
        if tag in _HIDDEN:
            self.hidden += 1
        elif self.hidden:
            return
        elif tag == "svg":
            self.svg += 1
            if self.svg == 1:
                self.svg_texts = {"label": values.get("aria-label", "")}
        elif self.svg:
            self.svg_field = tag if tag in ("title", "desc") else None
        elif tag in _BLOCK:
            self._break()
        elif tag == "img":
            if values.get("alt"):
                self._add(nodes.Text(values["alt"]))
        elif tag == "iframe" and values.get("src"):
            text = values.get("title") or values["src"]
            self._break()
            self._add(nodes.reference(text, text, refuri=values["src"]))
            self._break()
        elif tag == "a" and values.get("href"):
            reference = nodes.reference("", "", refuri=values["href"])
            self._add(reference)
            self.links.append(reference)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in ("img", "br", "hr", "iframe"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif self.hidden:
            return
        elif tag == "svg" and self.svg:
            self.svg -= 1
            if self.svg == 0:
                texts = self.svg_texts
                text = texts.get("title") or texts.get("label") or texts.get("desc")
                if text:
                    self._add(nodes.Text(f" {text} "))
        elif self.svg:
            self.svg_field = None
        elif tag == "a" and self.links:
            reference = self.links.pop()
            if not reference.astext().strip():
                reference.append(nodes.Text(reference["refuri"]))
        elif tag in _BLOCK:
            self._break()

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        if self.svg:
            if self.svg_field:
                field = self.svg_texts.get(self.svg_field, "")
                self.svg_texts[self.svg_field] = _SPACE.sub(" ", field + data).strip()
            return
        self._add(nodes.Text(data))

    def close(self) -> None:
        super().close()
        self.links.clear()


def _tidy(children: list[nodes.Node]) -> list[nodes.Node]:
    """White space as a browser shows it: runs folded, none at the ends."""
    out: list[nodes.Node] = []
    for child in children:
        if isinstance(child, nodes.Text):
            text = _SPACE.sub(" ", str(child))
            if out and isinstance(out[-1], nodes.Text):  # adjacent texts are one run
                text = _SPACE.sub(" ", str(out.pop()) + text)
            out.append(nodes.Text(text))
            continue
        if isinstance(child, nodes.Element):
            inner = _tidy(list(child.children))
            child.children = []
            child.extend(inner)
        out.append(child)
    if out and isinstance(out[0], nodes.Text):
        out[0] = nodes.Text(str(out[0]).lstrip())
    if out and isinstance(out[-1], nodes.Text):
        out[-1] = nodes.Text(str(out[-1]).rstrip())
    return [child for child in out if not isinstance(child, nodes.Text) or str(child)]


def html_to_nodes(html: str, *, block: bool) -> list[nodes.Node]:
    """The HTML as docutils nodes: paragraphs (``block``) or inline nodes."""
    converter = _Converter()
    converter.feed(html)
    converter.close()
    runs = [_tidy(run) for run in converter.paragraphs]
    runs = [run for run in runs if any(node.astext().strip() for node in run)]
    if block:
        return [nodes.paragraph("", "", *run) for run in runs]
    joined: list[nodes.Node] = []
    for run in runs:
        if joined:
            joined.append(nodes.Text(" "))
        joined.extend(run)
    return joined


def inline_html(html: str, classes: list[str]) -> site_html:
    node = site_html("", *html_to_nodes(html, block=False), classes=classes)
    node["html"] = html
    node["block_level"] = starts_with_block(html)
    return node


def block_html(html: str, classes: list[str]) -> site_html_block:
    node = site_html_block("", *html_to_nodes(html, block=True), classes=classes)
    node["html"] = html
    return node


def _blank(node: nodes.Node | None) -> bool:
    return isinstance(node, nodes.Text) and not str(node).strip()


def _alone(node: site_html) -> tuple[bool, bool]:
    """(alone in its paragraph, alone on its source line)."""
    parent = node.parent
    index = parent.index(node)
    siblings = parent.children[:index] + parent.children[index + 1 :]
    if all(_blank(sibling) for sibling in siblings):
        return True, True
    before = parent.children[index - 1] if index else None
    after = parent.children[index + 1] if index + 1 < len(parent.children) else None
    line_start = before is None or (isinstance(before, nodes.Text) and str(before).endswith("\n"))
    line_end = after is None or (isinstance(after, nodes.Text) and str(after).startswith("\n"))
    return False, line_start and line_end


class PlaceSiteHtml(SphinxTransform):
    """A template's HTML alone in its paragraph, or a block element alone on its line,
    becomes a block (lifted out of the paragraph); inside a sentence it stays inline."""

    default_priority = 199  # just before LiftShortcodeBlocks

    def apply(self, **kwargs: Any) -> None:
        for node in list(self.document.findall(site_html)):
            if not isinstance(node.parent, nodes.paragraph):
                continue
            in_paragraph, on_line = _alone(node)
            if in_paragraph or (on_line and node["block_level"]):
                block = block_html(node["html"], node["classes"])
                node.replace_self(shortcode_block("", block))


def upgrade_raw_blocks(container: nodes.Element, classes: list[str]) -> None:
    """Raw HTML blocks in a ``.md`` template's output get the same text fallback."""
    for raw in list(container.findall(nodes.raw)):
        if "html" in raw.get("format", "").split() and not isinstance(
            raw.parent, nodes.TextElement
        ):
            raw.replace_self(block_html(raw.astext(), classes))


def _visit_html(self: Any, node: nodes.Element) -> None:
    self.body.append(node["html"])
    raise nodes.SkipNode


def _visit_html_block(self: Any, node: nodes.Element) -> None:
    self.body.append(node["html"].rstrip("\n") + "\n")
    raise nodes.SkipNode


def _pass(self: Any, node: nodes.Element) -> None:
    """Other builders write the text fallback (the children)."""


def setup(app: Sphinx) -> None:
    others = {fmt: (_pass, _pass) for fmt in NON_HTML_FORMATS}
    app.add_node(site_html, override=False, html=(_visit_html, None), **others)
    app.add_node(site_html_block, override=False, html=(_visit_html_block, None), **others)
    app.add_transform(PlaceSiteHtml)

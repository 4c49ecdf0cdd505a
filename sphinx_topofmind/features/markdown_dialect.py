"""Zola's Markdown dialect (pulldown-cmark with Zola's ``[markdown]`` options), for Zola
articles only.

A Zola article is a Markdown document with ``+++`` TOML front matter (the documents
:mod:`.source` rewrote from Zola front matter).  For them, and never for the project's
plain MyST pages:

- strikethrough and task lists are on (MyST's ``strikethrough``/``tasklist``), through a
  per-document MyST configuration;
- ``## Title {#id .class}`` gives the heading its anchor and classes;
- GitHub alerts (``> [!NOTE]``) become admonitions;
- smart punctuation follows ``topofmind_smart_punctuation`` (Sphinx's smart quotes);
- a fence language Pygments does not know renders as plain text (with
  ``topofmind_error_on_missing_language``: one ``topofmind.markdown`` warning per language);
- a relative link that is no document stays the relative URL Zola emits;
- ``![alt]()`` is reported (``topofmind.image``) and shows its alt text;
- warnings Zola never gives (skipped heading levels, MyST's "strikethrough only in HTML",
  Pygments' relaxed-mode retries) are left out.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import re
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms import SphinxTransform
from sphinx.util.logging import NAMESPACE, WarningStreamHandler, get_node_location, getLogger

from .. import config, state
from ..compact import CompactSlugs
from ..report import warn
from ..zola.diagnostics import Subtype
from ..zola.slugs import zola_anchor
from .rewrite import current_rewrite

logger = getLogger(__name__)

#: MyST extensions for pulldown-cmark's options Zola turns on (tables and footnotes are
#: MyST defaults).
ZOLA_MYST_EXTENSIONS = ("strikethrough", "tasklist")

#: Fence languages Zola reads as plain text, never an unknown language.
PLAIN_LANGUAGES = frozenset({"txt", "text", "plain", "plaintext"})

ALERTS = {
    "NOTE": nodes.note,
    "TIP": nodes.tip,
    "IMPORTANT": nodes.important,
    "WARNING": nodes.warning,
    "CAUTION": nodes.caution,
}
_ALERT = re.compile(r"^\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\][ \t]*(?:\n|$)", re.IGNORECASE)
# pulldown-cmark's heading attributes: `{#id .class key=value}` at the end of the heading
_HEADING_ATTRIBUTES = re.compile(
    r"[ \t]*\{(?P<body>[ \t]*(?:[#.][^\s{}]+|[^\s{}=]+=[^\s{}]*)(?:[ \t]+(?:[#.][^\s{}]+|[^\s{}=]+=[^\s{}]*))*[ \t]*)\}[ \t]*$"
)

_SAFE_NAME = re.compile(r"[\w\-:.]+")

#: Warnings (type, subtype) Zola never gives for what they are about.
SILENCED = frozenset(
    {
        ("myst", "header"),
        ("myst", "strikethrough"),
        ("misc", "highlighting_failure"),
    }
)


def is_zola_article(env: BuildEnvironment) -> bool:
    """Whether the document being read is a Zola article (``+++`` TOML front matter)."""
    rewrite = current_rewrite(env)
    return (
        rewrite is not None
        and rewrite.front_matter is not None
        and rewrite.front_matter.format == "toml"
    )


def zola_docs(env: BuildEnvironment) -> dict[str, bool]:
    return state.get(env, "zola_docs", dict)


class ZolaDocs(state.RecordCollector):
    """Which documents are Zola articles, kept for the write phase (highlighting)."""

    key = "zola_docs"

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        pass  # filled on source-read, before MyST parses (its warnings need it)


# --- per-document MyST configuration ----------------------------------------------------


def _remember_myst_config(app: Sphinx) -> None:
    base = app.env.myst_config  # type: ignore[attr-defined]
    extensions = set(base.enable_extensions)
    if not config.project_sets(app.config, "myst_enable_extensions"):
        extensions |= set(ZOLA_MYST_EXTENSIONS)
    state.put(
        app.env, "myst_configs", (base, dataclasses.replace(base, enable_extensions=extensions))
    )


def _on_source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    env = app.env
    zola = is_zola_article(env)
    if zola:
        zola_docs(env)[docname] = True
    else:
        zola_docs(env).pop(docname, None)
    configs = state.peek(env, "myst_configs")
    if configs is not None:
        # MyST reads env.myst_config per document: the Zola one for Zola articles only
        env.myst_config = configs[1] if zola else configs[0]  # type: ignore[attr-defined]


def _restore_myst_config(app: Sphinx, env: BuildEnvironment) -> list[str]:
    configs = state.peek(env, "myst_configs")
    if configs is not None:
        env.myst_config = configs[0]  # type: ignore[attr-defined]
    return []


# --- transforms -------------------------------------------------------------------------


class _ZolaTransform(SphinxTransform):
    def apply(self, **kwargs: Any) -> None:
        if self.env.docname in zola_docs(self.env):
            self.zola_apply()

    def zola_apply(self) -> None:
        raise NotImplementedError


class SmartPunctuation(SphinxTransform):
    """Zola articles get smart punctuation only when ``topofmind_smart_punctuation`` asks;
    other documents keep Sphinx's ``smartquotes``.  The settings object is shared by the
    documents of one parser, so it is set for every document."""

    default_priority = 740  # before Sphinx's SphinxSmartQuotes (750)

    def apply(self, **kwargs: Any) -> None:
        if self.env.docname in zola_docs(self.env):
            wanted = bool(self.config.topofmind_smart_punctuation)
        else:
            wanted = self.env.settings.get("smart_quotes", True)
        self.document.settings.smart_quotes = wanted


class HeadingAttributes(_ZolaTransform):
    """``## Title {#id .class}``: the id is the heading's anchor, the classes the section's."""

    default_priority = 200  # before MyST's anchor and slug transforms

    def zola_apply(self) -> None:
        slugs: dict[str, Any] = getattr(self.document, "myst_slugs", {})
        for section in list(self.document.findall(nodes.section)):
            title = section[0] if section.children else None
            if not isinstance(title, nodes.title) or not title.children:
                continue
            last = title[-1]
            if not isinstance(last, nodes.Text):
                continue
            match = _HEADING_ATTRIBUTES.search(str(last))
            if match is None:
                continue
            title.replace(last, nodes.Text(str(last)[: match.start()]))
            anchor = None
            for part in match.group("body").split():
                # Sphinx writes a heading's id into its permalink unescaped: names only
                if not _SAFE_NAME.fullmatch(part[1:]):
                    continue
                if part.startswith("#") and anchor is None:
                    anchor = part[1:]
                elif part.startswith("."):
                    section["classes"].append(part[1:])
            self._rename(section, title.astext())
            old = section.get("slug")
            if old is None:
                continue  # deeper than myst_heading_anchors: no anchor to change
            # Zola: the explicit id, else the slug of the title without its attributes; an
            # id another element holds already cannot be given twice
            wanted = [anchor] if anchor is not None else []
            wanted.append(self._slug(title.astext()))
            free = [w for w in wanted if w and (w == old or w not in self.document.ids | slugs)]
            if not free or free[0] == old:
                continue
            new = free[0]
            line = slugs.pop(old)[0] if old in slugs else section.line
            if old in section["ids"]:
                section["ids"].remove(old)
                self.document.ids.pop(old, None)
            section["ids"].insert(0, new)
            self.document.ids[new] = section
            section["slug"] = new
            slugs[new] = (line, new, title.astext())
        if slugs:
            self.document.myst_slugs = slugs
            self.env.metadata[self.env.docname]["myst_slugs"] = slugs

    def _rename(self, section: nodes.section, text: str) -> None:
        """The section's implicit target name is its new title."""
        for name in section["names"]:
            self.document.nameids.pop(name, None)
            self.document.nametypes.pop(name, None)
        name = nodes.fully_normalize_name(text)
        section["names"] = [name]
        if name not in self.document.nameids and section["ids"]:
            self.document.nameids[name] = section["ids"][0]
            self.document.nametypes[name] = False

    def _slug(self, text: str) -> str:
        function = getattr(getattr(self.env, "myst_config", None), "heading_slug_func", None)
        return function(text) if callable(function) else zola_anchor(text)


class Alerts(_ZolaTransform):
    """``> [!NOTE]`` and the other GitHub alerts: the matching admonition."""

    default_priority = 200

    def zola_apply(self) -> None:
        for quote in list(self.document.findall(nodes.block_quote)):
            first = quote.children[0] if quote.children else None
            if not isinstance(first, nodes.paragraph) or not first.children:
                continue
            head = first[0]
            if not isinstance(head, nodes.Text):
                continue
            match = _ALERT.match(str(head))
            if match is None:
                continue
            rest = str(head)[match.end() :]
            if rest:
                first.replace(head, nodes.Text(rest))
            else:
                first.remove(head)
            # the line break after the marker
            while first.children and isinstance(first[0], nodes.Text) and not str(first[0]).strip():
                first.remove(first[0])
            if not first.children:
                quote.remove(first)
            admonition = ALERTS[match.group(1).upper()]("", *quote.children)
            admonition.source, admonition.line = quote.source, quote.line
            quote.replace_self(admonition)


@functools.lru_cache(maxsize=1024)
def known_language(name: str) -> bool:
    """Whether Pygments has a lexer for ``name``: asked once per name, not once per code
    block (a lookup builds a lexer)."""
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        get_lexer_by_name(name)
    except ClassNotFound:
        return False
    return True


class FenceLanguages(_ZolaTransform):
    """A fence language Pygments does not know renders as plain text, as Zola does."""

    default_priority = 200

    def zola_apply(self) -> None:
        reported: set[str] = set()
        for block in self.document.findall(nodes.literal_block):
            language = block.get("language")
            if not language or language in ("default", "none"):
                continue
            if language.lower() in PLAIN_LANGUAGES:
                block["language"] = "text"
                continue
            if known_language(language):
                continue
            block["language"] = "text"
            if self.config.topofmind_error_on_missing_language and language not in reported:
                reported.add(language)
                warn(
                    Subtype.markdown,
                    f"code block language {language!r} is not known; shown as plain text",
                    (self.env.docname, block.line),
                )


class RelativeLinks(_ZolaTransform):
    """``[n8n.io](n8n.io)``: neither a document nor a URL with a scheme; Zola emits the
    relative URL as it is, so the link stays that URL instead of a missing reference."""

    default_priority = 200

    def zola_apply(self) -> None:
        for xref in list(self.document.findall(addnodes.pending_xref)):
            target = xref.get("reftarget", "")
            if (
                xref.get("reftype") != "myst"
                or xref.get("refdomain") == "doc"
                or xref.get("reflocalid")
                # '@/' links are the rewrite's, site-absolute ones site_links'
                or target.startswith(("@/", "#", "/"))
            ):
                continue
            # MyST wraps the text in an "xref" inline; a plain link holds the text itself
            inner = xref[0] if len(xref) == 1 and isinstance(xref[0], nodes.inline) else xref
            reference = nodes.reference("", "", *inner.children, refuri=target)
            reference.source, reference.line = xref.source, xref.line
            xref.replace_self(reference)


class EmptyImages(_ZolaTransform):
    """``![alt]()``: reported once, shown as its alt text (Sphinx would take the
    article's folder for the image)."""

    default_priority = 200  # before images.ResolveStaticImages and Sphinx's collectors

    def zola_apply(self) -> None:
        for image in list(self.document.findall(nodes.image)):
            if image.get("uri", "").strip():
                continue
            alt = image.get("alt", "")
            warn(
                Subtype.image,
                f"image {alt!r} has an empty URL; its alt text is shown",
                (self.env.docname, _line(image)),
            )
            image.replace_self(nodes.inline(alt, alt, classes=["topofmind-missing-image"]))


def _line(node: nodes.Node) -> int | None:
    current: nodes.Node | None = node
    while current is not None:
        if current.line:
            return current.line
        current = current.parent
    return None


# --- warnings Zola never gives ----------------------------------------------------------


class ZolaWarningFilter(logging.Filter):
    """Drops :data:`SILENCED` warnings located in a Zola article; every other document
    keeps them.  Put first on Sphinx's warning handlers (before ``-W`` raises)."""

    def __init__(self, app: Sphinx) -> None:
        super().__init__()
        self.app = app

    def filter(self, record: logging.LogRecord) -> bool:
        if (getattr(record, "type", None), getattr(record, "subtype", None)) not in SILENCED:
            return True
        return not self._in_zola_article(getattr(record, "location", None))

    def _in_zola_article(self, location: Any) -> bool:
        env = getattr(self.app, "env", None)
        if env is None or location is None:
            return False
        if isinstance(location, tuple):
            docname = location[0]
        else:
            where = get_node_location(location) if isinstance(location, nodes.Node) else location
            if not isinstance(where, str):
                return False
            path = re.sub(r":\d*$", "", where)
            docname = env.path2doc(path)
        if not isinstance(docname, str):
            return False
        # warnings of the read phase are held until its end, so parallel reads are merged
        return docname in zola_docs(env)


def _install_filter(app: Sphinx) -> None:
    for handler in logging.getLogger(NAMESPACE).handlers:
        if isinstance(handler, WarningStreamHandler) and not any(
            isinstance(f, ZolaWarningFilter) for f in handler.filters
        ):
            handler.filters.insert(0, ZolaWarningFilter(app))


def _compact_slugs(app: Sphinx, doctree: nodes.document) -> None:
    """After every transform: the page's heading slugs pickle small (MyST reads them
    only through the mapping interface, when resolving links into the page); after
    Sphinx's toctree collector, whose ``env.tocs`` entry gives the heading texts."""
    env = app.env
    metadata = env.metadata[env.docname]
    slugs = metadata.get("myst_slugs")
    if isinstance(slugs, dict) and slugs:
        metadata["myst_slugs"] = CompactSlugs.pack(slugs, env.tocs.get(env.docname))


def setup(app: Sphinx) -> None:
    _install_filter(app)
    app.connect("doctree-read", _compact_slugs, priority=900)
    app.add_env_collector(ZolaDocs)
    # after myst-parser creates env.myst_config (default priority 500)
    app.connect("builder-inited", _remember_myst_config, priority=600)
    # after source.on_source_read, which keeps the rewrite this needs
    app.connect("source-read", _on_source_read, priority=600)
    app.connect("env-updated", _restore_myst_config)
    for transform in (
        SmartPunctuation,
        HeadingAttributes,
        Alerts,
        FenceLanguages,
        RelativeLinks,
        EmptyImages,
    ):
        app.add_transform(transform)

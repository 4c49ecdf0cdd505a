"""Run Zola shortcodes inside MyST: the ``topofmind-shortcode`` role and block lifting.

:mod:`.rewrite` replaced each shortcode by ``{topofmind-shortcode}`N```.
The role looks call N up and renders it: a series nav placeholder, the
project's directive or callable (``topofmind_shortcodes``), the site's own
template (:mod:`.site_shortcodes`), or the text as written.  Inline output (text, links, images, a one-paragraph Markdown
result) stays where the call was, inside its paragraph.  Block output is
wrapped in :class:`~.nodes.shortcode_block` and lifted out of the paragraph
by :class:`LiftShortcodeBlocks`, so a block shortcode becomes a block of its
own.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

from ..compat import myst_renderer
from ..config import shortcode_name
from ..features import series as nav
from ..nodes import shortcode_block
from ..report import warn
from ..zola.diagnostics import Subtype
from ..zola.rewrite import ROLE, ShortcodeCall
from ..zola.shortcodes import find_shortcodes
from . import site_html, site_shortcodes
from .rewrite import current_rewrite
from .site_html import upgrade_raw_blocks


def _literal(text: str) -> list[nodes.Node]:
    return [nodes.inline(text, text, classes=["topofmind-shortcode-text"])]


def _warn(message: str, inliner: Any, lineno: int) -> None:
    env = inliner.document.settings.env
    warn(Subtype.shortcode, message, (env.docname, lineno))


def shortcode_role(
    name: str,
    rawtext: str,
    text: str,
    lineno: int,
    inliner: Any,
    options: dict[str, Any] | None = None,
    content: list[str] | None = None,
) -> tuple[list[nodes.Node], list[nodes.system_message]]:
    env = inliner.document.settings.env
    rewrite = current_rewrite(env)
    try:
        call = rewrite.calls[int(text)] if rewrite is not None else None
    except (ValueError, IndexError):
        call = None
    if call is None:
        # only the rewrite writes this role; typed by hand it means nothing
        return _literal(rawtext), []
    if call.literal is not None:
        return _literal(call.literal), []
    shortcode = call.shortcode
    # the project's mapping, then the series navs, then the site's templates
    target = env.config.topofmind_shortcodes.get(shortcode.name)
    series = {shortcode_name(s): s for s in env.config.topofmind_series}.get(shortcode.name)
    if target is None and series is not None:
        placeholder = nav.placeholder_from_shortcode(env, series, shortcode)
        return [shortcode_block("", placeholder)], []
    try:
        if target is None:
            produced = site_shortcodes.render(
                env, int(text), lambda result, call_: _markdown(result, call_, inliner)
            )
            return (produced if produced is not None else _literal(shortcode.text)), []
        if isinstance(target, dict) and "callable" in target:
            target = _import(target["callable"])
        if callable(target):
            return _run_callable(target, call, inliner), []
        return _run_directive(target, call, inliner), []
    except Exception as error:  # noqa: BLE001 - a project's callable, directive or template must not stop the build
        _warn(
            f"shortcode '{shortcode.name}' failed: {type(error).__name__}: {error}; shown as text",
            inliner,
            shortcode.line,
        )
        return _literal(shortcode.text), []


def _import(spec: str) -> Callable[..., Any]:
    """``'package.module:function'`` -> the function (a string keeps the config picklable)."""
    module_name, _, attribute = spec.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


def _run_directive(
    target: str | dict[str, Any], call: ShortcodeCall, inliner: Any
) -> list[nodes.Node]:
    shortcode = call.shortcode
    spec: dict[str, Any] = {"directive": target} if isinstance(target, str) else dict(target)
    args = dict(shortcode.args)
    argument_key = spec.get("argument")
    first_line = str(args.pop(argument_key)) if argument_key in args else ""
    renames: dict[str, str] = dict(spec.get("options") or {})
    options: dict[str, str] = {}
    for key, value in args.items():
        option = renames.get(key, key.replace("_", "-"))
        if value is False:
            continue
        options[option] = "" if value is True else str(value)
    produced = myst_renderer(inliner).run_directive(
        spec["directive"],
        first_line,
        shortcode.body or "",
        shortcode.body_line or shortcode.line,
        additional_options=options,
    )
    return _placed(produced)


def _run_callable(
    target: Callable[..., str | list[nodes.Node]], call: ShortcodeCall, inliner: Any
) -> list[nodes.Node]:
    shortcode = call.shortcode
    result = target(name=shortcode.name, args=dict(shortcode.args), body=shortcode.body)
    if isinstance(result, str):
        return _markdown(result, call, inliner)
    if isinstance(result, list) and all(isinstance(node, nodes.Node) for node in result):
        return _placed(result)
    raise TypeError(f"returned {type(result).__name__}, expected str or a list of nodes")


def _markdown(text: str, call: ShortcodeCall, inliner: Any) -> list[nodes.Node]:
    """Markdown output parsed in place, as Zola renders a ``.md`` template's output."""
    shortcode = call.shortcode
    renderer = myst_renderer(inliner)
    container = nodes.container(classes=["topofmind-shortcode", f"topofmind-{shortcode.name}"])
    with renderer.current_node_context(container):
        renderer.nested_render_text(text, shortcode.line)
    # raw HTML blocks in it get a text fallback for builders without HTML
    upgrade_raw_blocks(container, container["classes"])
    if len(container.children) == 1 and isinstance(container[0], nodes.paragraph):
        # one paragraph of Markdown is inline text: it joins the sentence it sits in
        span = nodes.inline("", "", classes=container["classes"])
        span.extend(container[0].children)
        return [span]
    return [shortcode_block("", container)]


def _is_inline(produced: list[nodes.Node]) -> bool:
    return bool(produced) and all(isinstance(node, (nodes.Inline, nodes.Text)) for node in produced)


def _placed(produced: list[nodes.Node]) -> list[nodes.Node]:
    """Inline output stays in the running text; block output is lifted out of it."""
    return list(produced) if _is_inline(produced) else [shortcode_block("", *produced)]


def _blank(children: list[nodes.Node]) -> bool:
    return all(isinstance(child, nodes.Text) and not child.astext().strip() for child in children)


class LiftShortcodeBlocks(SphinxTransform):
    """Move block output of shortcodes out of the paragraph the role sat in."""

    default_priority = 200

    def apply(self, **kwargs: Any) -> None:
        # one at a time: lifting copies the paragraph's other children, so a
        # second block in the same paragraph is only found after the first
        while (block := next(self.document.findall(shortcode_block), None)) is not None:
            parent = block.parent
            if isinstance(parent, nodes.paragraph):
                index = parent.index(block)
                before, after = parent.children[:index], parent.children[index + 1 :]
                replacement: list[nodes.Node] = []
                if not _blank(before):
                    replacement.append(parent.copy())
                    replacement[-1].extend(child.deepcopy() for child in before)
                replacement.extend(child.deepcopy() for child in block.children)
                if not _blank(after):
                    tail = parent.copy()
                    tail.extend(child.deepcopy() for child in after)
                    replacement.append(tail)
                parent.replace_self(replacement)
            else:
                block.replace_self(block.children)


_PLACEHOLDER = re.compile(r"\{" + re.escape(ROLE) + r"\}`([0-9]+)`\n*")


class ShortcodeMessages(SphinxTransform):
    """Put the author's calls back into the source text of translatable nodes,
    so message catalogs (``-b gettext``) show ``{{ name() }}``, not the
    placeholder role the rewrite put there."""

    # before sphinx.transforms.i18n.Locale (20), which matches messages by this text
    default_priority = 15

    def apply(self, **kwargs: Any) -> None:
        rewrite = current_rewrite(self.env)
        if rewrite is None or not rewrite.calls:
            return  # no call: every placeholder would stay as it is
        calls = rewrite.calls

        def original(match: re.Match[str]) -> str:
            index = int(match.group(1))
            return calls[index].shortcode.text if index < len(calls) else match.group()

        for node in self.document.findall(nodes.TextElement):
            if node.rawsource and ROLE in node.rawsource:
                node.rawsource = _PLACEHOLDER.sub(original, node.rawsource)


def _folded(text: str) -> str:
    return " ".join(text.split())


class TranslatedShortcodes(SphinxTransform):
    """Run the calls of a translated paragraph.

    A translation (``msgstr``) is parsed without the source rewrite, so its
    ``{{ name() }}`` arrive as text.  A call the translator kept from the
    original paragraph (same text, white space aside) is run as in the
    original; anything else stays text.  Without MyST's renderer here, a
    directive or a function returning Markdown falls back to text with a
    ``topofmind.shortcode`` warning (see :func:`shortcode_role`).
    """

    default_priority = 22  # after sphinx.transforms.i18n.Locale (20), before lifting

    def apply(self, **kwargs: Any) -> None:
        rewrite = current_rewrite(self.env)
        if rewrite is None or not rewrite.calls:
            return
        known: dict[str, int] = {}
        for index, call in enumerate(rewrite.calls):
            known.setdefault(_folded(call.shortcode.text), index)
        inliner = SimpleNamespace(document=self.document)
        for node in list(self.document.findall(nodes.TextElement)):
            if not node.get("translated") or isinstance(node, nodes.FixedTextElement):
                continue
            for text in list(node.findall(nodes.Text)):
                if isinstance(text.parent, (nodes.literal, nodes.FixedTextElement)):
                    continue
                self._run_calls(text, known, inliner, node.line or 0)

    def _run_calls(self, text: nodes.Text, known: dict[str, int], inliner: Any, line: int) -> None:
        value = str(text)
        if "{{" not in value and "{%" not in value:
            return
        items, _problems = find_shortcodes(value)  # the original paragraph warned already
        replacement: list[nodes.Node] = []
        last = 0
        for item in items:
            index = known.get(_folded(item.text))
            if index is None or item.literal is not None:
                continue
            produced, _messages = shortcode_role(ROLE, item.text, str(index), line, inliner)
            replacement += [nodes.Text(value[last : item.start]), *produced]
            last = item.end
        if replacement:
            replacement.append(nodes.Text(value[last:]))
            text.parent.replace(
                text,
                [node for node in replacement if node.astext() or not isinstance(node, nodes.Text)],
            )


def setup(app: Sphinx) -> None:
    app.add_role(ROLE, shortcode_role)
    app.add_transform(LiftShortcodeBlocks)
    app.add_transform(ShortcodeMessages)
    app.add_transform(TranslatedShortcodes)
    site_html.setup(app)
    site_shortcodes.setup(app)

"""Reference tables generated from the code of sphinx-topofmind, so they never drift.

``{topofmind-config-table}``
    One row per :data:`sphinx_topofmind.config.OPTIONS` entry: the config
    value, its default, what a change rebuilds, and its help text.

``{topofmind-warnings-table}``
    One row per :class:`sphinx_topofmind.zola.diagnostics.Subtype` member: the
    subtype, the name to put in ``suppress_warnings`` and the member's
    docstring (read from the source, as autodoc does).

Help texts and docstrings use reST ````code```` markup only; it is turned into
literal nodes here, so the tables look the same in every builder.
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.pycode import ModuleAnalyzer
from sphinx.util.docutils import SphinxDirective

import sphinx_topofmind
from sphinx_topofmind import config as topofmind_config
from sphinx_topofmind.zola import diagnostics as topofmind_warnings

_LITERAL = re.compile(r"``(.+?)``")


def _inline(text: str) -> list[nodes.Node]:
    """Text with ````code```` spans as literal nodes; whitespace folded."""
    text = " ".join(text.split())
    result: list[nodes.Node] = []
    position = 0
    for match in _LITERAL.finditer(text):
        if match.start() > position:
            result.append(nodes.Text(text[position : match.start()]))
        result.append(nodes.literal(match.group(1), match.group(1)))
        position = match.end()
    if position < len(text):
        result.append(nodes.Text(text[position:]))
    return result


def _cell(*children: nodes.Node) -> nodes.entry:
    entry = nodes.entry()
    paragraph = nodes.paragraph()
    paragraph.extend(children)
    entry += paragraph
    return entry


def _table(headers: list[str], widths: list[int], rows: list[list[nodes.entry]]) -> nodes.table:
    table = nodes.table(classes=["topofmind-reference-table"])
    group = nodes.tgroup(cols=len(headers))
    table += group
    for width in widths:
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    header_row = nodes.row()
    for header in headers:
        header_row += _cell(nodes.Text(header))
    head += header_row
    group += head
    body = nodes.tbody()
    for cells in rows:
        row = nodes.row()
        row.extend(cells)
        body += row
    group += body
    return table


class _GeneratedTable(SphinxDirective):
    has_content = False
    module: Any = None

    def note_source(self) -> None:
        # a change to the package's module rebuilds the page holding the table
        self.env.note_dependency(self.module.__file__)


_REBUILD = {"env": "environment (all pages)", "html": "HTML output", "": "nothing"}


class ConfigTable(_GeneratedTable):
    """``{topofmind-config-table}``: every ``topofmind_*`` value from ``OPTIONS``."""

    module = topofmind_config

    def run(self) -> list[nodes.Node]:
        self.note_source()
        rows = []
        for option in topofmind_config.OPTIONS:
            name = f"topofmind_{option.name}"
            default = repr(option.default)
            rows.append(
                [
                    _cell(nodes.literal(name, name)),
                    _cell(nodes.literal(default, default)),
                    _cell(nodes.Text(_REBUILD.get(option.rebuild, option.rebuild))),
                    _cell(*_inline(option.doc)),
                ]
            )
        return [
            _table(
                ["Config value", "Default", "A change rebuilds", "Meaning"], [22, 22, 14, 42], rows
            )
        ]


class WarningsTable(_GeneratedTable):
    """``{topofmind-warnings-table}``: every warning subtype with its docstring."""

    module = topofmind_warnings

    def run(self) -> list[nodes.Node]:
        self.note_source()
        analyzer = ModuleAnalyzer.for_module(topofmind_warnings.__name__)
        docs = analyzer.find_attr_docs()
        rows = []
        for subtype in topofmind_warnings.Subtype:
            lines = docs.get(("Subtype", subtype.name), [])
            text = " ".join(line for line in lines if line.strip())
            if not text:
                raise self.error(f"warning subtype {subtype.name!r} has no docstring")
            rows.append(
                [
                    _cell(nodes.literal(subtype.value, subtype.value)),
                    _cell(nodes.literal(subtype.qualified, subtype.qualified)),
                    _cell(*_inline(text)),
                ]
            )
        return [
            _table(["Subtype", "In suppress_warnings", "When it is emitted"], [16, 26, 58], rows)
        ]


def zola_escape_role(
    name: str,
    rawtext: str,
    text: str,
    lineno: int,
    inliner: Any,
    options: dict[str, Any] | None = None,
    content: list[str] | None = None,
) -> tuple[list[nodes.Node], list[nodes.system_message]]:
    """``{zola-escape}`name()``` shows Zola's escape ``{{/* name() */}}`` as code.

    The docs are read by sphinx-topofmind, which (like Zola) turns an escape
    written in the page into the plain call, code spans included; this role
    builds the escape after reading.  A leading ``%`` gives the body form
    ``{%/* name() */%}``.
    """
    body = text.startswith("%")
    call = text[1:] if body else text
    shown = ("{%/* " + call + " */%}") if body else ("{{/* " + call + " */}}")
    return [nodes.literal(rawtext, shown)], []


def quote_shortcode(name: str, args: dict[str, object], body: str | None) -> str:
    """The demo blog's ``{% quote(author="...") %}...{% end %}`` shortcode, as Markdown."""
    lines = [f"> {line}".rstrip() for line in (body or "").strip().splitlines()]
    return "\n".join([*lines, ">", f"> — {args.get('author', 'unknown')}"])


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_role("zola-escape", zola_escape_role)
    app.add_directive("topofmind-config-table", ConfigTable)
    app.add_directive("topofmind-warnings-table", WarningsTable)
    return {
        "version": sphinx_topofmind.__version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }

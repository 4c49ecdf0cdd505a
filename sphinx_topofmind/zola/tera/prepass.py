"""The source pre-pass: Tera-only syntax rewritten into Jinja2, line for line.

:func:`translate` re-quotes string literals (Tera has no escapes and allows
backticks), rewrites ``macros::name(...)``/``self::name(...)``, ``set_global``,
``endmacro name`` and ``for k, v in map``; no newline is added or removed.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(
    r"(?P<raw>\{%-?\s*raw\s*-?%\}.*?\{%-?\s*endraw\s*-?%\})"
    r"|(?P<comment>\{#.*?#\})"
    r"|(?P<open>\{\{|\{%)",
    re.DOTALL,
)
_FOR_PAIR = re.compile(r"^(\s*for\s+\w+\s*,\s*\w+\s+in\s)(.*?)(\s*)$", re.DOTALL)
_SET_GLOBAL = re.compile(r"^(\s*)set_global(\s)")
_END_NAMED = re.compile(r"^(\s*end(?:macro|block))\s+\w+(\s*)$")


def translate(source: str) -> str:
    """Rewrite Tera-only syntax into Jinja2; every newline stays where it was."""
    out: list[str] = []
    pos = 0
    while True:
        match = _TOKEN.search(source, pos)
        if match is None:
            out.append(source[pos:])
            break
        out.append(source[pos : match.start()])
        if match.group("open") is None:
            out.append(match.group(0))  # raw blocks and comments stay as written
            pos = match.end()
            continue
        opener = match.group("open")
        closer = "}}" if opener == "{{" else "%}"
        end = _tag_end(source, match.end(), closer)
        if end < 0:  # unterminated: let Jinja2 report it at its line
            out.append(source[match.start() :])
            break
        body = source[match.end() : end]
        out.append(opener + _translate_tag(body, statement=opener == "{%") + closer)
        pos = end + len(closer)
    return "".join(out)


def _tag_end(source: str, start: int, closer: str) -> int:
    """Index of the tag's closer, skipping string literals; -1 when there is none."""
    index = start
    while index < len(source):
        char = source[index]
        if char in "\"'`":
            close = source.find(char, index + 1)
            if close < 0:
                return -1
            index = close + 1
        elif source.startswith(closer, index):
            return index
        else:
            index += 1
    return -1


def _translate_tag(body: str, *, statement: bool) -> str:
    # whitespace control marks (`{%-`, `-%}`) stay outside the rewritten code
    lead = "-" if body.startswith("-") else ""
    trail = "-" if body.endswith("-") and len(body) > len(lead) else ""
    inner = body[len(lead) : len(body) - len(trail)]
    pieces: list[str] = []
    index = 0
    code_start = 0
    while index < len(inner):
        char = inner[index]
        if char in "\"'`":
            close = inner.find(char, index + 1)
            if close < 0:
                break
            pieces.append(_translate_code(inner[code_start:index]))
            # Tera literals have no escapes: keep backslashes and quotes literal in Jinja2
            text = inner[index + 1 : close].replace("\\", "\\\\").replace('"', '\\"')
            pieces.append(f'"{text}"')
            index = close + 1
            code_start = index
        else:
            index += 1
    pieces.append(_translate_code(inner[code_start:]))
    inner = "".join(pieces)
    if statement:
        inner = _SET_GLOBAL.sub(r"\1set\2", inner)
        inner = _END_NAMED.sub(r"\1\2", inner)
        pair = _FOR_PAIR.match(inner)
        if pair:
            inner = f"{pair.group(1)}({pair.group(2)}) | tera_items{pair.group(3)}"
    return lead + inner + trail


def _translate_code(code: str) -> str:
    code = re.sub(r"\b__tera_context\b", "__tera_context()", code)
    code = re.sub(r"\bself::", "", code)
    return re.sub(r"\b(\w+)::(\w+)", r"\1.\2", code)

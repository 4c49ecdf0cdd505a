"""Find and parse Zola shortcodes in Markdown text.

This module is pure (standard library only) so it can be tested without
Sphinx.  It understands the two Zola shortcode forms::

    {{ name(key=value, ...) }}                      inline shortcode
    {% name(key=value, ...) %}body{% end %}         body shortcode

and Zola's escape syntax ``{{/* name() */}}`` / ``{%/* name() */%}``, which
means "show ``{{ name() }}`` literally".

Markdown code (fenced and indented code blocks, inline code spans) and HTML
comments are never searched for shortcodes: documentation about templating
languages often contains ``{{ ... }}`` that is not a Zola shortcode.

Problems are reported as :class:`~sphinx_topofmind.zola.diagnostics.Diagnostic`
values with subtype ``shortcode``; the text that could not be read as a
shortcode is simply not returned, so it stays visible in the rendered page.
"""

from __future__ import annotations

import bisect
import re
from typing import NamedTuple

from .diagnostics import Diagnostic, Subtype

__all__ = [
    "Shortcode",
    "ShortcodeError",
    "find_protected_spans",
    "find_shortcodes",
    "parse_args",
    "scan",
]

# Zola identifiers are ASCII only; ``\w`` would also accept Unicode letters.
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_WS = " \t\r\n"
# Zola's int and float: no leading zeros, no exponent, a float needs digits on both sides.
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")
_BOOL = re.compile(r"true|false")
# Arrays nest (``literal`` includes ``array``); a bound keeps hostile input off the stack.
_MAX_DEPTH = 32
# A value token ends at whitespace, a comma or the end of an array.
_TOKEN = re.compile(r"[^\s,\]]+")
_EXCERPT_MAX = 60

# Opening line of a fenced code block (CommonMark: up to 3 spaces of indent).
_FENCE_OPEN = re.compile(r" {0,3}(`{3,}|~{3,})([^\n]*)")
# Where a paragraph (and so a code span or a shortcode header) must end:
# a blank line, or a line opening a code fence (fences interrupt paragraphs).
_PARA_END = re.compile(r"\n[ \t]*\r?(?:\n|$)|\n {0,3}(?:`{3}|~{3})")
_LIST_ITEM = re.compile(r"[ \t]{0,3}(?:[-*+]|[0-9]{1,9}[.)])(?:[ \t]|$)")
# Characters at which the scanner has something to decide; everything else is skipped.
_INTERESTING = re.compile(r"[\\`<{\n]")
_ESCAPE_OPEN = re.compile(r"\{[{%]/\*")
_ESCAPED_CALL = re.compile(
    r"[ \t\r\n]*([A-Za-z_][A-Za-z0-9_]*)[ \t\r\n]*(?:\((.*)\))?[ \t\r\n]*", re.DOTALL
)


class ShortcodeError(ValueError):
    """Shortcode arguments that cannot be parsed.

    This is the only exception :func:`parse_args` raises; its message says
    what is wrong (repeated argument, unbalanced quote, bad value, ...).
    """


class Shortcode(NamedTuple):
    """One shortcode (or escaped shortcode) found in a text.

    Offsets index the text given to :func:`find_shortcodes`; lines are 1-based.
    ``body_line`` is the line of the first character of ``body``, i.e. the line
    of the closing ``%}`` of the opener: line *k* of ``body`` (counting
    ``\\n``) is line ``body_line + k - 1`` of the text.
    """

    name: str
    args: dict[str, object]
    body: str | None
    start: int
    end: int
    line: int
    end_line: int
    body_line: int | None
    text: str
    literal: str | None = None
    """For an escape ``{{/* x() */}}``: the text to show (``{{ x() }}``).
    Then ``name``/``args`` are filled if the inner call parses, else
    ``name`` is ``""`` and ``args`` is empty.  A call preceded by a backslash
    (Markdown's escaped brace, ``\\{{ x() }}``) is shown as written, without
    the backslash (``args`` empty)."""


# --------------------------------------------------------------------------
# Argument parsing
# --------------------------------------------------------------------------


def _q(s: str) -> str:
    """Quote *s* for a message (single quotes, like the rest of Sphinx)."""
    return f"'{s}'"


class _ArgParser:
    """Recursive-descent parser for Zola's ``kwargs`` (``content.pest``).

    ``kwarg = ident "=" literal``; arguments are separated by a comma or by
    white space alone (``kwargs*`` in the grammar); no trailing comma.
    ``literal = boolean | string | float | int | array``; an array holds
    literals (arrays too), comma separated, a trailing comma allowed.
    """

    def __init__(self, s: str) -> None:
        self.s = s
        self.i = 0

    def _skip_ws(self) -> None:
        while self.i < len(self.s) and self.s[self.i] in _WS:
            self.i += 1

    def _at_end(self) -> bool:
        return self.i >= len(self.s)

    def _token(self, i: int | None = None) -> str:
        """The value-ish text at *i*, for quoting in a message."""
        i = self.i if i is None else i
        m = _TOKEN.match(self.s, i)
        tok = m.group() if m else self.s[i : i + 1]
        return tok if len(tok) <= 30 else tok[:27] + "..."

    def _next_is_kwarg(self) -> bool:
        """An ``ident =`` starts at the cursor (the next argument)."""
        m = _IDENT.match(self.s, self.i)
        if not m:
            return False
        j = m.end()
        while j < len(self.s) and self.s[j] in _WS:
            j += 1
        return self.s.startswith("=", j)

    def parse(self) -> dict[str, object]:
        result: dict[str, object] = {}
        self._skip_ws()
        while not self._at_end():
            key = self._key()
            if key in result:
                raise ShortcodeError(f"repeated argument {_q(key)}")
            self._skip_ws()
            result[key] = self._value(key, depth=0)
            self._skip_ws()
            if self._at_end():
                break
            if self.s[self.i] == ",":
                self.i += 1
                self._skip_ws()
                if self._at_end():
                    raise ShortcodeError(f"trailing ',' after argument {_q(key)}")
            elif not self._next_is_kwarg():
                raise ShortcodeError(
                    f"expected ',' after argument {_q(key)}, found {_q(self._token())}"
                )
        return result

    def _key(self) -> str:
        m = _IDENT.match(self.s, self.i)
        if m:
            j = m.end()
            while j < len(self.s) and self.s[j] in _WS:
                j += 1
            if j < len(self.s) and self.s[j] == "=":
                self.i = j + 1
                return m.group()
            raise ShortcodeError(
                f"positional argument {_q(m.group())} is not allowed; use key=value"
            )
        c = self.s[self.i]
        if c == "=":
            raise ShortcodeError("missing argument name before '='")
        if c in "\"'`[-0123456789":
            raise ShortcodeError(
                f"positional argument {_q(self._token())} is not allowed; use key=value"
            )
        raise ShortcodeError(f"expected an argument name, found {_q(self._token())}")

    def _value(self, key: str, depth: int) -> object:
        where = f"in the array of argument {_q(key)}" if depth else f"for argument {_q(key)}"
        if self._at_end() or self.s[self.i] in ",]":
            raise ShortcodeError(f"missing value {where}")
        start = self.i
        c = self.s[self.i]
        if c in "\"'`":
            return self._string(key)
        if c == "[":
            if depth >= _MAX_DEPTH:
                raise ShortcodeError(f"arrays nested too deeply in argument {_q(key)}")
            return self._array(key, depth + 1)
        value: object
        m = _NUMBER.match(self.s, self.i) or _BOOL.match(self.s, self.i)
        if m is None:
            tok = self._token()
            hint = " (strings must be quoted)" if _IDENT.match(tok) else ""
            raise ShortcodeError(f"bad value {_q(tok)} {where}{hint}")
        text = m.group()
        if text in ("true", "false"):
            value = text == "true"
        else:
            value = float(text) if "." in text else int(text)
        self.i = m.end()
        # Zola needs no separator before the next ``ident=`` (``a=1 b=2``, even
        # ``a=1b=2``), but anything else glued to the value makes it a bad value.
        glued = not self._at_end() and self.s[self.i] not in _WS + ",]"
        if glued and (depth or not self._next_is_kwarg()):
            raise ShortcodeError(f"bad value {_q(self._token(start))} {where}")
        return value

    def _string(self, key: str) -> str:
        # Zola strings have no escapes: the value runs to the next quote of its kind.
        quote = self.s[self.i]
        k = self.s.find(quote, self.i + 1)
        if k < 0:
            raise ShortcodeError(
                f"unbalanced quote: missing closing {quote} for argument {_q(key)}"
            )
        value = self.s[self.i + 1 : k]
        self.i = k + 1
        return value

    def _array(self, key: str, depth: int) -> list[object]:
        self.i += 1  # the '['
        items: list[object] = []
        while True:
            self._skip_ws()
            if self._at_end():
                raise ShortcodeError(f"missing ']' in the array of argument {_q(key)}")
            if self.s[self.i] == "]":
                self.i += 1
                return items
            items.append(self._value(key, depth))
            self._skip_ws()
            if self._at_end():
                raise ShortcodeError(f"missing ']' in the array of argument {_q(key)}")
            if self.s[self.i] == ",":
                self.i += 1
            elif self.s[self.i] != "]":
                raise ShortcodeError(
                    f"expected ',' or ']' in the array of argument {_q(key)}, "
                    f"found {_q(self._token())}"
                )


def parse_args(argtext: str) -> dict[str, object]:
    """Parse the text between the parentheses of a shortcode call.

    Zola's grammar exactly: keyword arguments only (``key=value``),
    separated by a comma or by white space, no trailing comma; white space
    and newlines allowed between tokens.  Values: strings in ``"``, ``'`` or
    backticks (no escapes: a string runs to the next quote of its kind),
    integers, floats (``-1``, ``0.5``; no exponent, no leading zero),
    ``true``/``false`` and arrays of those (arrays nest, a trailing comma is
    allowed).  A repeated argument is an error (Zola keeps the last one
    silently).

    :raises ShortcodeError: with a message saying what is wrong.
    """
    return _ArgParser(argtext).parse()


# --------------------------------------------------------------------------
# Scanning
# --------------------------------------------------------------------------


class _Header(NamedTuple):
    """The delimited part of a shortcode: ``{{ x(...) }}``, ``{% x(...) %}``,
    ``{% end %}`` or an escape."""

    kind: str  # "inline", "open", "end" or "escape"
    start: int
    end: int  # just past the closing delimiter
    name: str
    argtext: str | None = None
    literal: str | None = None


class _HeaderError(Exception):
    """Internal: a ``{{``/``{%`` that does not form a shortcode header."""

    def __init__(self, reason: str, pos: int, stop: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.pos = pos  # where the problem was noticed (for the excerpt)
        # end of the malformed part (shown as text); the rest is left to Markdown
        self.stop = pos if stop is None else stop


def _skip_ws(text: str, i: int, bound: int) -> int:
    while i < bound and text[i] in _WS:
        i += 1
    return i


def _parse_escaped(inner: str) -> tuple[str, dict[str, object]]:
    """Name and args of the call inside an escape, or ``("", {})``."""
    m = _ESCAPED_CALL.fullmatch(inner)
    if not m:
        return "", {}
    name, argtext = m.group(1), m.group(2)
    if argtext is None:
        return (name, {}) if name == "end" else ("", {})
    try:
        return name, parse_args(argtext)
    except ShortcodeError:
        return name, {}


def _parse_header(text: str, i: int, bound: int) -> _Header:
    """Read the shortcode header starting at ``text[i:i+2]`` (``{{`` or ``{%``).

    Nothing at or after *bound* is read: a header cannot cross a paragraph
    break, so a stray ``{{`` does not swallow the rest of the document.
    """
    opener = text[i : i + 2]
    closer, other = ("}}", "%}") if opener == "{{" else ("%}", "}}")
    if text.startswith("/*", i + 2, bound):
        tail = "*/" + closer
        k = text.find(tail, i + 4, bound)
        if k < 0:
            raise _HeaderError(f"missing {_q(tail)} to close the escape", i + 2, i + 4)
        inner = text[i + 4 : k]
        name, _ = _parse_escaped(inner)
        return _Header("escape", i, k + len(tail), name, inner, opener + inner + closer)

    j = _skip_ws(text, i + 2, bound)
    m = _IDENT.match(text, j, bound)
    if not m:
        raise _HeaderError("expected a shortcode name", j)
    name = m.group()
    j = _skip_ws(text, m.end(), bound)
    if opener == "{%" and name == "end" and text.startswith("%}", j, bound):
        return _Header("end", i, j + 2, "end")
    if not text.startswith("(", j, bound):
        if text.startswith(closer, j, bound):
            raise _HeaderError(f"missing '()' after {_q(name)}", j)
        raise _HeaderError(f"expected '(' after {_q(name)}", j)
    paren = j
    j += 1
    while True:
        if j >= bound:
            raise _HeaderError("missing ')'", j, _args_break(text, paren + 1, bound))
        c = text[j]
        if c in "\"'`":
            # Skip the string so that ')' or '}}' inside it do not count
            # (Zola strings have no escapes).
            k = text.find(c, j + 1, bound)
            if k < 0:
                # the open string holds the rest of the line: all of it is the call's
                raise _HeaderError(f"unbalanced quote: no closing {c}", j, bound)
            j = k + 1
            continue
        if c == ")":
            break
        two = text[j : j + 2]
        if two in ("{{", "{%"):
            raise _HeaderError(
                f"nested {_q(two)} inside shortcode", j, min(j, _args_break(text, paren + 1, j))
            )
        if two in ("}}", "%}"):
            raise _HeaderError("missing ')'", j, j + 2)
        j += 1
    argtext, close = text[paren + 1 : j], j
    j = _skip_ws(text, j + 1, bound)
    if text.startswith(closer, j, bound):
        return _Header("inline" if opener == "{{" else "open", i, j + 2, name, argtext)
    if text.startswith(other, j, bound):
        raise _HeaderError(f"opened with {_q(opener)} but closed with {_q(other)}", j, j + 2)
    # Never closed: the call is what reads as arguments (up to the ')' and a
    # botched closer like a lone '}'); what follows is ordinary text.
    broken = _args_break(text, paren + 1, close)
    raise _HeaderError(f"missing {_q(closer)}", j, j if broken >= close else broken)


# What may appear between the parentheses of a call outside strings (Zola's
# idents, numbers, booleans, '=', ',', arrays and white space).
_ARGS_CHARS = re.compile(r"[A-Za-z0-9_=,\[\]\-. \t\r\n]*")


def _args_break(text: str, i: int, limit: int) -> int:
    """Where the text from *i* stops reading as call arguments (strings
    skipped; an unclosed string runs to *limit*)."""
    while True:
        i = _ARGS_CHARS.match(text, i, limit).end()  # type: ignore[union-attr]
        if i >= limit or text[i] not in "\"'`":
            return i
        k = text.find(text[i], i + 1, limit)
        if k < 0:
            return limit
        i = k + 1


class _Run:
    """What one pass of the scanner found."""

    __slots__ = ("diags", "end_marker", "items", "spans")

    def __init__(self) -> None:
        self.spans: list[tuple[int, int]] = []
        self.items: list[Shortcode] = []
        self.diags: list[Diagnostic] = []
        self.end_marker: _Header | None = None  # the {% end %} closing a body


class _Scanner:
    """Left-to-right scanner that finds protected spans and shortcodes together.

    They must be found in one pass: a backtick string argument of a shortcode
    is not a code span, and a ``{{`` inside a code span is not a shortcode;
    whichever starts first wins, as in Zola + CommonMark.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.n = len(text)
        self._reported_inside: set[int] = set()  # nested openers already warned about
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.lines = text.split("\n")
        self.blank = [not ln.strip() for ln in self.lines]
        self.indent = [self._indent_cols(ln) for ln in self.lines]
        # in_list[k]: the last non-blank, non-indented line before line k is a
        # list item, so indented text at k is a list continuation, not code.
        self.in_list: list[bool] = []
        last = False
        for k, ln in enumerate(self.lines):
            self.in_list.append(last)
            if not self.blank[k] and self.indent[k] < 4:
                last = bool(_LIST_ITEM.match(ln))
        self._close_pats: dict[tuple[str, int], re.Pattern[str]] = {}
        self._run_pats: dict[int, re.Pattern[str]] = {}
        self._para_cache = (-1, -1)  # (searched from, paragraph end found)
        self._no_close: dict[int, tuple[int, int]] = {}  # width -> (from, bound) with no closer
        # Openers passed by a body scan that found no {% end %}: the scan
        # depends only on the position, so a body opened there has no end
        # either.  Avoids quadratic rescans of many unclosed openers.
        self._no_end: set[int] = set()

    @staticmethod
    def _indent_cols(line: str) -> int:
        col = 0
        for ch in line:
            if ch == " ":
                col += 1
            elif ch == "\t":
                col += 4 - col % 4
            else:
                break
        return col

    def line_of(self, pos: int) -> int:
        """1-based line of offset *pos* (only ``\\n`` ends a line, so CRLF is fine)."""
        return bisect.bisect_right(self.line_starts, pos)

    def _para_end(self, i: int) -> int:
        # No paragraph end lies between a searched-from offset and the end it
        # found, so every offset in between shares it: one search per paragraph.
        start, end = self._para_cache
        if start <= i <= end:
            return end
        m = _PARA_END.search(self.text, i)
        end = m.start() if m else self.n
        self._para_cache = (i, end)
        return end

    def _quote(self, start: int, stop: int) -> str:
        """The source text ``[start, stop)`` on one line, shortened, quoted."""
        s = " ".join(self.text[start:stop].split())
        if len(s) > _EXCERPT_MAX:
            s = s[: _EXCERPT_MAX - 3] + "..."
        return _q(s)

    def _quote_to_eol(self, start: int, pos: int) -> str:
        stop = self.text.find("\n", max(pos, start))
        return self._quote(start, self.n if stop < 0 else stop)

    def _diag(self, pos: int, message: str, end: int | None = None) -> Diagnostic:
        return Diagnostic(Subtype.shortcode, message, self.line_of(pos), offset=pos, end=end)

    def _line_end(self, i: int) -> int:
        k = self.text.find("\n", i)
        return self.n if k < 0 else k

    # -- blocks ------------------------------------------------------------

    def _fence_at(self, i: int) -> tuple[int, int] | None:
        m = _FENCE_OPEN.match(self.text, i)
        if not m:
            return None
        fence, info = m.group(1), m.group(2)
        if fence[0] == "`" and "`" in info:  # CommonMark: then it is inline code
            return None
        key = (fence[0], len(fence))
        pat = self._close_pats.get(key)
        if pat is None:
            pat = re.compile(
                r"^ {0,3}" + re.escape(fence[0]) + f"{{{len(fence)},}}[ \t]*\r?$", re.MULTILINE
            )
            self._close_pats[key] = pat
        cm = pat.search(self.text, m.end())
        return (i, cm.end() if cm else self.n)  # unclosed: runs to the end

    def _indented_code_at(self, i: int) -> tuple[int, int] | None:
        k = self.line_of(i) - 1
        if self.blank[k] or self.indent[k] < 4 or self.in_list[k]:
            return None
        if k > 0 and not self.blank[k - 1]:  # indented code cannot interrupt a paragraph
            return None
        last = e = k
        while e + 1 < len(self.lines) and (self.blank[e + 1] or self.indent[e + 1] >= 4):
            e += 1
            if not self.blank[e]:
                last = e
        return (i, self.line_starts[last] + len(self.lines[last]))

    # -- inline ------------------------------------------------------------

    def _code_span(self, i: int) -> tuple[tuple[int, int] | None, int]:
        """A code span opened by the backtick run at *i*, and where to go on."""
        j = i
        while j < self.n and self.text[j] == "`":
            j += 1
        width = j - i
        pat = self._run_pats.get(width)
        if pat is None:
            pat = re.compile(rf"(?<!`)`{{{width}}}(?!`)")
            self._run_pats[width] = pat
        bound = self._para_end(j)
        failed = self._no_close.get(width)
        if failed is not None and failed[0] <= j and failed[1] == bound:
            return None, j  # a search from further back already found no closer
        m = pat.search(self.text, j, bound)
        if m:
            return (i, m.end()), m.end()
        self._no_close[width] = (j, bound)
        return None, j  # unmatched run: literal backticks

    def _at_line_start(self, i: int) -> bool:
        line_start = self.text.rfind("\n", 0, i) + 1
        return i - line_start <= 3 and not self.text[line_start:i].strip(" ")

    # -- the scan ----------------------------------------------------------

    def run(self, i: int = 0, body_of: str | None = None) -> _Run:
        """Scan from *i*.  With *body_of* (the name of an open body shortcode)
        stop at its ``{% end %}`` and report nothing but nested body openers."""
        text, n = self.text, self.n
        out = _Run()
        openers: list[int] = []
        while i < n:
            if i == 0 or text[i - 1] == "\n":
                block = self._fence_at(i) or self._indented_code_at(i)
                if block:
                    out.spans.append(block)
                    i = block[1]
                    continue
            c = text[i]
            if c == "\n":
                i += 1
                continue
            if c == "\\":
                if text.startswith(("{{", "{%"), i + 1):
                    # Markdown's escaped brace: the call is shown as written, as text
                    i = self._backslashed(i, body_of, out)
                    continue
                # A backslash-escaped backtick cannot open a code span.
                i += 2 if text[i + 1 : i + 2] in ("\\", "`") else 1
                continue
            if c == "`":
                span, i = self._code_span(i)
                if span:
                    out.spans.append(span)
                continue
            if c == "<" and text.startswith("<!--", i):
                k = text.find("-->", i + 4)
                if k >= 0:
                    out.spans.append((i, k + 3))
                    i = k + 3
                elif self._at_line_start(i):  # an HTML block comment runs to the end
                    out.spans.append((i, n))
                    i = n
                else:
                    i += 4
                continue
            if c == "{" and text[i + 1 : i + 2] in ("{", "%"):
                openers.append(i)
                i = self._shortcode(i, body_of, out)
                if out.end_marker is not None:
                    return out
                continue
            m = _INTERESTING.search(text, i + 1)
            i = m.start() if m else n
        if body_of is not None:
            self._no_end.update(openers)
        return out

    def _shortcode(self, i: int, body_of: str | None, out: _Run) -> int:
        """Handle the ``{{``/``{%`` at *i*; return where scanning goes on."""
        text = self.text
        try:
            h = _parse_header(text, i, self._para_end(i))
        except _HeaderError as e:
            # Only the malformed part, on its line, is shown as text; the rest of
            # the line stays Markdown (table cells, emphasis, a later '{{').
            stop = max(e.stop, i + 2)
            # a closer right there belongs to the broken call ('}}', '%}', a lone '}')
            stop += 2 if text.startswith(("}}", "%}"), stop) else text.startswith("}", stop)
            stop = min(stop, max(self._line_end(i), i + 2))
            # a nested opener was already reported with its outer shortcode: one warning
            if body_of is None and i not in self._reported_inside:
                out.diags.append(
                    self._diag(
                        i, f"malformed shortcode {self._quote_to_eol(i, e.pos)}: {e.reason}", stop
                    )
                )
            if e.reason.startswith("nested"):
                self._reported_inside.add(e.pos)
            return stop
        if h.kind == "end":
            if body_of is not None:
                out.end_marker = h
            else:
                out.diags.append(
                    self._diag(
                        i, f"stray {self._quote(i, h.end)} with no open body shortcode", h.end
                    )
                )
            return h.end
        if h.kind == "escape":
            if body_of is None:
                out.items.append(self._escape_item(h))
            return h.end
        if body_of is not None:
            # Bodies are opaque, but Zola body shortcodes do not nest: the
            # outer body will end at the inner's {% end %}, so say so.
            if h.kind == "open":
                out.diags.append(
                    self._diag(
                        i,
                        f"nested body shortcode {_q(h.name)} inside the body of "
                        f"{_q(body_of)} (body shortcodes do not nest): "
                        f"{self._quote(i, h.end)}",
                    )
                )
            return h.end

        error: str | None = None
        args: dict[str, object] = {}
        try:
            args = parse_args(h.argtext or "")
        except ShortcodeError as e:
            error = f"shortcode {_q(h.name)}: {e} in {self._quote(i, h.end)}"

        if h.kind == "inline":
            if error:
                out.diags.append(self._diag(i, error, h.end))
            else:
                out.items.append(self._item(h, args, i, h.end, None))
            return h.end

        body = _Run() if i in self._no_end else self.run(h.end, body_of=h.name)
        if body.end_marker is None:
            out.diags.append(
                self._diag(
                    i,
                    error
                    or f"body shortcode {_q(h.name)} has no '{{% end %}}': {self._quote(i, h.end)}",
                    h.end,
                )
            )
            return h.end  # rescan the would-be body as ordinary text
        out.spans.extend(body.spans)
        out.diags.extend(body.diags)
        end = body.end_marker.end
        if error:
            out.diags.append(self._diag(i, error, h.end))  # the opener shows as text
        else:
            out.items.append(self._item(h, args, i, end, text[h.end : body.end_marker.start]))
        return end

    def _backslashed(self, i: int, body_of: str | None, out: _Run) -> int:
        """``\\{{ x() }}``: a literal item for the call (without the backslash)."""
        try:
            h = _parse_header(self.text, i + 1, self._para_end(i + 1))
        except _HeaderError:
            return i + 2  # not a call: plain text
        if body_of is None:
            literal = self.text[i + 1 : h.end]
            out.items.append(
                Shortcode(
                    name=h.name,
                    args={},
                    body=None,
                    start=i,
                    end=h.end,
                    line=self.line_of(i),
                    end_line=self.line_of(h.end - 1),
                    body_line=None,
                    text=self.text[i : h.end],
                    literal=literal,
                )
            )
        return h.end

    def _item(
        self, h: _Header, args: dict[str, object], start: int, end: int, body: str | None
    ) -> Shortcode:
        return Shortcode(
            name=h.name,
            args=args,
            body=body,
            start=start,
            end=end,
            line=self.line_of(start),
            end_line=self.line_of(end - 1),
            body_line=None if body is None else self.line_of(h.end),
            text=self.text[start:end],
        )

    def _escape_item(self, h: _Header) -> Shortcode:
        name, args = _parse_escaped(h.argtext or "")
        return Shortcode(
            name=name,
            args=args,
            body=None,
            start=h.start,
            end=h.end,
            line=self.line_of(h.start),
            end_line=self.line_of(h.end - 1),
            body_line=None,
            text=self.text[h.start : h.end],
            literal=h.literal,
        )

    def escapes_in(self, span: tuple[int, int]) -> list[Shortcode]:
        """Well-formed escapes inside a protected span (no diagnostics there)."""
        found: list[Shortcode] = []
        pos = span[0]
        while True:
            m = _ESCAPE_OPEN.search(self.text, pos, span[1])
            if not m:
                return found
            try:
                h = _parse_header(self.text, m.start(), span[1])
            except _HeaderError:
                pos = m.start() + 2
                continue
            found.append(self._escape_item(h))
            pos = h.end


def find_protected_spans(text: str) -> list[tuple[int, int]]:
    """Sorted, non-overlapping ``[start, end)`` offsets of the parts of *text*
    where shortcodes are not looked for: fenced code blocks (an unclosed fence
    runs to the end), indented code blocks, inline code spans and HTML comments.

    Backticks inside a shortcode's string arguments do not open code spans.
    """
    return sorted(_Scanner(text).run().spans)


def find_shortcodes(text: str) -> tuple[list[Shortcode], list[Diagnostic]]:
    """Find the shortcodes of *text* outside protected spans.

    Returns the shortcodes sorted by offset (never overlapping) and one
    ``shortcode`` diagnostic for every ``{{``/``{%`` that does not form a
    valid shortcode, for every stray ``{% end %}`` and for a body shortcode
    opened inside another body.  Malformed text is not returned, so it stays
    visible.  Bodies are opaque: a ``{{`` inside a body is left to whoever
    renders the body.

    Zola replaces escapes (``{{/* x() */}}``) everywhere, code blocks included
    (that is what they are for), so well-formed escapes inside protected spans
    are returned too, unless they lie inside a returned body shortcode.
    """
    _spans, items, diags = scan(text)
    return items, diags


def scan(text: str) -> tuple[list[tuple[int, int]], list[Shortcode], list[Diagnostic]]:
    """:func:`find_protected_spans` and :func:`find_shortcodes` of *text* from one scan
    (both come from the same pass over the text)."""
    scanner = _Scanner(text)
    out = scanner.run()
    items = list(out.items)
    bodies = [(s.start, s.end) for s in items if s.body is not None]
    for span in out.spans:
        for esc in scanner.escapes_in(span):
            if not any(b0 <= esc.start < b1 for b0, b1 in bodies):
                items.append(esc)
    items.sort(key=lambda s: s.start)
    diags = sorted(out.diags, key=lambda d: d.line)
    return sorted(out.spans), items, diags

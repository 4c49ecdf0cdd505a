"""Render a Zola site's Tera templates (its shortcodes) with Jinja2, the Tera way.

Tera and Jinja2 share most of their syntax.  The differences are bridged here:

- A line-preserving **source pre-pass** (:func:`translate`) rewrites the Tera
  forms Jinja2 lacks: string literals (Tera has no escape sequences and allows
  backticks, so every literal is re-quoted with its backslashes kept),
  ``macros::name(...)`` and ``self::name(...)`` calls, ``{% set_global %}``
  (becomes ``{% set %}``: inside a loop it stays local to the loop, a known
  limit), ``{% endmacro name %}``, and ``{% for k, v in map %}`` (iterates the
  map's items).  ``{% break %}``/``{% continue %}`` come from Jinja2's
  ``loopcontrols`` extension.  No newline is added or removed, so a line in an
  error is the line in the original template file.
- **Filters, tests and functions** follow Tera's (and Zola's) names, named
  arguments and results: ``default(value=...)``, ``replace(from=, to=)``,
  ``date(format=)`` with chrono's format, ``truncate`` with ``…`` ...
- **Output** as Tera prints it: ``true``/``false``, an object as ``[object]``,
  an undefined variable is an error (but is false in an ``if``); autoescaping
  (Tera's escaping, which also escapes ``/`` and ``'``) for ``.html``,
  ``.htm`` and ``.xml`` templates only, as Zola does: ``.md`` shortcodes are
  not escaped.
- A **sandboxed** environment: templates cannot reach Python internals;
  ``load_data`` reads only files inside the site.

A template that cannot be compiled or rendered gives one
:class:`~sphinx_topofmind.zola.diagnostics.Diagnostic` naming the template file and
its line, never an exception.
"""

from __future__ import annotations

import base64
import csv
import dataclasses
import datetime as dt
import io
import json
import math
import re
import tomllib
import traceback
import urllib.parse
import zoneinfo
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml
from jinja2 import (
    BaseLoader,
    Template,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    Undefined,
    nodes,
    pass_context,
    pass_eval_context,
)
from jinja2.compiler import CodeGenerator, Frame
from jinja2.nodes import EvalContext
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from ..diagnostics import Diagnostic, Subtype
from ..site_config import SiteConfig
from ..slugs import zola_anchor

__all__ = [
    "DataNotFound",
    "RenderResult",
    "TeraError",
    "TeraRenderer",
    "TeraUndefined",
    "chrono_format",
    "tera_escape",
    "translate",
]

#: Zola autoescapes these template kinds, and only these (``.md`` shortcodes are raw)
AUTOESCAPE_SUFFIXES = (".html", ".htm", ".xml")
#: the longest list ``range()`` builds, as Jinja2's sandbox limits its own range
MAX_RANGE = 100_000
#: the most characters one render may produce: a runaway loop stops with a diagnostic
MAX_OUTPUT = 10_000_000


class TeraError(Exception):
    """A template went wrong the way Tera would refuse it (bad filter input, ``throw``...)."""


class DataNotFound(TeraError):
    """``load_data`` found no such file in the site (``required=false`` makes it null)."""


@dataclasses.dataclass(frozen=True)
class RenderResult:
    """The rendered text (empty when rendering failed) and the problems found."""

    text: str
    diagnostics: tuple[Diagnostic, ...] = ()
    #: the template file that was rendered (``None`` when none was found)
    template: Path | None = None


class TeraUndefined(Undefined):
    """Tera's undefined: an error when printed, iterated or measured, false in a condition."""

    __slots__ = ()

    def __str__(self) -> str:
        return self._fail_with_undefined_error()

    def __iter__(self) -> Iterator[Any]:
        return self._fail_with_undefined_error()

    def __len__(self) -> int:
        return self._fail_with_undefined_error()

    def __contains__(self, item: Any) -> bool:
        return self._fail_with_undefined_error()


# ---------------------------------------------------------------------------
# source pre-pass

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


# ---------------------------------------------------------------------------
# values as Tera prints them


def tera_escape(text: str) -> str:
    """Tera's HTML escaping: ``& < > " ' /``."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#x27;")
        .replace("/", "&#x2F;")
    )


def _render_value(value: Any) -> str:
    if isinstance(value, Undefined):
        value._fail_with_undefined_error()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return str(value)
    if isinstance(value, Mapping):
        return "[object]"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_render_value(item) for item in value) + "]"
    return str(value)


@pass_eval_context
def _finalize(eval_ctx: EvalContext, value: Any) -> Any:
    if isinstance(value, Markup):
        return value
    text = _render_value(value)
    return Markup(tera_escape(text)) if eval_ctx.autoescape else text


def _need_str(value: Any, name: str) -> str:
    if isinstance(value, Undefined):
        value._fail_with_undefined_error()
    if not isinstance(value, str):
        raise TeraError(f"filter `{name}` needs a string, got {_render_value(value)!r}")
    return str(value)


def _need_list(value: Any, name: str) -> list[Any]:
    if isinstance(value, Undefined):
        value._fail_with_undefined_error()
    if not isinstance(value, list | tuple):
        raise TeraError(f"filter `{name}` needs an array, got {_render_value(value)!r}")
    return list(value)


def _need_number(value: Any, name: str) -> int | float:
    if isinstance(value, Undefined):
        value._fail_with_undefined_error()
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TeraError(f"filter `{name}` needs a number, got {_render_value(value)!r}")
    return value


def _dotted(item: Any, path: str) -> Any:
    """``attribute="a.b"`` of Tera's filters: a dotted look-up, ``None`` when missing."""
    for part in path.split("."):
        if isinstance(item, Mapping):
            item = item.get(part)
        elif isinstance(item, list | tuple) and part.isdigit() and int(part) < len(item):
            item = item[int(part)]
        else:
            return None
    return item


# ---------------------------------------------------------------------------
# dates, with chrono's format specifiers

_MONTHS = "January February March April May June July August September October November December"
_DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday"
_MONTH_NAMES = _MONTHS.split()
_DAY_NAMES = _DAYS.split()


def _parse_date(value: Any) -> dt.datetime:
    """A timestamp, an RFC 3339 / ``YYYY-MM-DD`` string or a date; without an offset it is UTC,
    as in Tera."""
    if isinstance(value, Undefined):
        value._fail_with_undefined_error()
    moment: dt.datetime | None = None
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime(value.year, value.month, value.day)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        try:
            moment = dt.datetime.fromtimestamp(value, dt.UTC)
        except (OverflowError, OSError, ValueError) as exc:
            raise TeraError(f"filter `date`: {value} is out of range") from exc
    elif isinstance(value, str):
        text = value.strip()
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            moment = None
    if moment is None:
        raise TeraError(f"filter `date` cannot read {_render_value(value)!r} as a date")
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def chrono_format(moment: dt.datetime, fmt: str) -> str:
    """Format ``moment`` with Rust chrono's specifiers (``%Y``, ``%-d``, ``%e``, ``%:z`` ...)."""
    out: list[str] = []
    index = 0
    while index < len(fmt):
        char = fmt[index]
        if char != "%" or index + 1 >= len(fmt):
            out.append(char)
            index += 1
            continue
        index += 1
        pad: str | None = None
        if fmt[index] in "-_0":
            pad = fmt[index]
            index += 1
        spec = ""
        while index < len(fmt) and fmt[index] in ".:3469":
            spec += fmt[index]
            index += 1
        if index >= len(fmt):
            raise TeraError(f"date format {fmt!r} ends inside a specifier")
        spec += fmt[index]
        index += 1
        out.append(_chrono_spec(moment, spec, pad))
    return "".join(out)


def _chrono_spec(m: dt.datetime, spec: str, pad: str | None) -> str:
    def number(value: int, width: int, fill: str = "0") -> str:
        if pad == "-":
            return str(value)
        fill = {"_": " ", "0": "0"}.get(pad or "", fill)
        return str(value).rjust(width, fill)

    hour12 = m.hour % 12 or 12
    iso = m.isocalendar()
    nanos = m.microsecond * 1000
    numbers: dict[str, tuple[int, int, str]] = {
        "Y": (m.year, 4, "0"),
        "C": (m.year // 100, 2, "0"),
        "y": (m.year % 100, 2, "0"),
        "m": (m.month, 2, "0"),
        "d": (m.day, 2, "0"),
        "e": (m.day, 2, " "),
        "H": (m.hour, 2, "0"),
        "k": (m.hour, 2, " "),
        "I": (hour12, 2, "0"),
        "l": (hour12, 2, " "),
        "M": (m.minute, 2, "0"),
        "S": (m.second, 2, "0"),
        "j": (m.timetuple().tm_yday, 3, "0"),
        "G": (iso.year, 4, "0"),
        "g": (iso.year % 100, 2, "0"),
        "V": (iso.week, 2, "0"),
        "u": (iso.weekday, 1, "0"),
        "w": (iso.weekday % 7, 1, "0"),
        "U": (int(m.strftime("%U")), 2, "0"),
        "W": (int(m.strftime("%W")), 2, "0"),
    }
    if spec in numbers:
        return number(*numbers[spec])
    offset = m.utcoffset()
    seconds = int(offset.total_seconds()) if offset is not None else 0
    sign = "-" if seconds < 0 else "+"
    hours, minutes = divmod(abs(seconds) // 60, 60)
    composite = {
        "D": "%m/%d/%y",
        "x": "%m/%d/%y",
        "F": "%Y-%m-%d",
        "v": "%e-%b-%Y",
        "R": "%H:%M",
        "T": "%H:%M:%S",
        "X": "%H:%M:%S",
        "r": "%I:%M:%S %p",
        "c": "%a %b %e %H:%M:%S %Y",
        "+": "%Y-%m-%dT%H:%M:%S%.f%:z",
    }
    if spec in composite:
        return chrono_format(m, composite[spec])
    texts = {
        "b": _MONTH_NAMES[m.month - 1][:3],
        "h": _MONTH_NAMES[m.month - 1][:3],
        "B": _MONTH_NAMES[m.month - 1],
        "a": _DAY_NAMES[m.weekday()][:3],
        "A": _DAY_NAMES[m.weekday()],
        "p": "AM" if m.hour < 12 else "PM",
        "P": "am" if m.hour < 12 else "pm",
        "z": f"{sign}{hours:02d}{minutes:02d}",
        ":z": f"{sign}{hours:02d}:{minutes:02d}",
        "Z": m.tzname() or f"{sign}{hours:02d}:{minutes:02d}",
        "s": str(int(m.timestamp())),
        "f": f"{nanos:09d}",
        ".f": f".{m.microsecond:06d}".rstrip("0").rstrip(".") if nanos else "",
        ".3f": f".{nanos // 1_000_000:03d}",
        ".6f": f".{nanos // 1000:06d}",
        ".9f": f".{nanos:09d}",
        "3f": f"{nanos // 1_000_000:03d}",
        "6f": f"{nanos // 1000:06d}",
        "9f": f"{nanos:09d}",
        "t": "\t",
        "n": "\n",
        "%": "%",
    }
    if spec in texts:
        return texts[spec]
    raise TeraError(f"unknown date format specifier %{spec}")


# ---------------------------------------------------------------------------
# filters


def _default(*args: Any, **kwargs: Any) -> Any:
    # Tera: default(value=...) applies when the variable is missing (or null)
    value = args[0]
    fallback = kwargs.get("value", args[1] if len(args) > 1 else "")
    return fallback if isinstance(value, Undefined) or value is None else value


def _date(value: Any, format: str = "%Y-%m-%d", timezone: str | None = None) -> str:
    moment = _parse_date(value)
    if timezone is not None:
        try:
            zone = zoneinfo.ZoneInfo(timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise TeraError(f"filter `date`: unknown timezone {timezone!r}") from exc
        aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
        moment = aware.astimezone(zone)
    return chrono_format(moment, format)


def _truncate(value: Any, length: int = 255, end: str = "…") -> str:
    text = _need_str(value, "truncate")
    return text if len(text) <= length else text[:length] + end


def _replace(value: Any, **kwargs: Any) -> str:
    if "from" not in kwargs or "to" not in kwargs:
        raise TeraError("filter `replace` needs `from` and `to`")
    return _need_str(value, "replace").replace(str(kwargs["from"]), str(kwargs["to"]))


def _round(value: Any, method: str = "common", precision: int = 0) -> float:
    number = _need_number(value, "round")
    multiplier = 10.0**precision
    scaled = number * multiplier
    if method == "common":  # Rust's f64::round: half away from zero
        rounded = math.copysign(math.floor(abs(scaled) + 0.5), scaled)
    elif method == "ceil":
        rounded = math.ceil(scaled)
    elif method == "floor":
        rounded = math.floor(scaled)
    else:
        raise TeraError(f"filter `round`: unknown method {method!r}")
    return float(rounded / multiplier)


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Undefined):
        value._fail_with_undefined_error()
    return str(value)


def _json_encode(value: Any, pretty: bool = False) -> str:
    if pretty:
        return json.dumps(value, indent=2, ensure_ascii=False, default=_json_default)
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=_json_default)


def _int(value: Any, default: int = 0, base: int = 10) -> int:
    if isinstance(value, str):
        text = value.strip()
        prefix = {2: "0b", 8: "0o", 16: "0x"}.get(base)
        while prefix and text.startswith(prefix):  # Rust's trim_start_matches
            text = text[2:]
        try:
            return int(text, base)
        except ValueError:
            if "." in text:  # Tera reads "2.7" as 2
                try:
                    return int(float(text))
                except ValueError:
                    return default
            return default
    if _is_number(value):
        return int(value)
    raise TeraError(f"filter `int` cannot convert {_render_value(value)!r}")


def _float(value: Any, default: float = 0.0) -> float:
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return default
    if _is_number(value):
        return float(value)
    raise TeraError(f"filter `float` cannot convert {_render_value(value)!r}")


def _sort_key(value: Any) -> Any:
    if value is None or isinstance(value, Undefined):
        raise TeraError("filter `sort`: null values cannot be sorted")
    return value


def _sort(value: Any, attribute: str | None = None) -> list[Any]:
    items = _need_list(value, "sort")
    try:
        if attribute:
            return sorted(items, key=lambda item: _sort_key(_dotted(item, attribute)))
        return sorted(items, key=_sort_key)
    except TypeError as exc:
        raise TeraError(f"filter `sort`: values of different kinds ({exc})") from exc


def _unique(value: Any, attribute: str | None = None, case_sensitive: bool = False) -> list[Any]:
    seen: set[Any] = set()
    result = []
    for item in _need_list(value, "unique"):
        key = _dotted(item, attribute) if attribute else item
        if attribute and key is None:  # Tera drops items without the attribute
            continue
        if isinstance(key, str) and not case_sensitive:
            key = key.lower()
        marker = json.dumps(key, sort_keys=True, default=_json_default)
        if marker not in seen:
            seen.add(marker)
            result.append(item)
    return result


def _slice(value: Any, start: int = 0, end: int | None = None) -> Any:
    if isinstance(value, str):
        return value[start:end]
    return _need_list(value, "slice")[start:end]


def _concat(value: Any, **kwargs: Any) -> list[Any]:
    if "with" not in kwargs:
        raise TeraError("filter `concat` needs `with`")
    extra = kwargs["with"]
    items = _need_list(value, "concat")
    return items + (list(extra) if isinstance(extra, list | tuple) else [extra])


_MISSING = object()


def _get(value: Any, key: str, default: Any = _MISSING) -> Any:
    if not isinstance(value, Mapping):
        raise TeraError(f"filter `get` needs an object, got {_render_value(value)!r}")
    if key in value:
        return value[key]
    if default is _MISSING:
        raise TeraError(f"filter `get`: no key {key!r} in the object")
    return default


def _filter(*args: Any, **kwargs: Any) -> list[Any]:
    # the piped value comes first; Tera's own `value=` argument is a keyword
    items = _need_list(args[0], "filter")
    attribute = kwargs.get("attribute", args[1] if len(args) > 1 else None)
    if not isinstance(attribute, str):
        raise TeraError("filter `filter` needs `attribute`")
    if "value" in kwargs:
        return [item for item in items if _dotted(item, attribute) == kwargs["value"]]
    return [item for item in items if _dotted(item, attribute) is not None]


def _map(value: Any, attribute: str) -> list[Any]:
    items = (_dotted(item, attribute) for item in _need_list(value, "map"))
    return [item for item in items if item is not None]


def _group_by(value: Any, attribute: str) -> dict[str, list[Any]]:
    groups: dict[str, list[Any]] = {}
    for item in _need_list(value, "group_by"):
        key = _dotted(item, attribute)
        if key is not None:
            groups.setdefault(_render_value(key), []).append(item)
    return groups


def _lines(text: str) -> list[str]:
    """Rust's ``str::lines``: no final empty line, ``\r\n`` counts as one break."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.removesuffix("\r") for line in lines]


def _indent(value: Any, prefix: str = "    ", first: bool = False, blank: bool = False) -> str:
    out = []
    for number, line in enumerate(_lines(_need_str(value, "indent"))):
        indented = first if number == 0 else (blank or bool(line.lstrip()))
        out.append(prefix + line if indented else line)
    return "\n".join(out)


def _pluralize(value: Any, singular: str = "", plural: str = "s", **kwargs: Any) -> str:
    plural = kwargs.get("suffix", plural)  # the name older Tera versions used
    return singular if abs(_need_number(value, "pluralize")) == 1 else plural


def _filesizeformat(value: Any, binary: bool = False) -> str:
    # Tera formats with humansize's WINDOWS (1024, "kB") or BINARY (1024, "KiB") options
    size = _need_number(value, "filesizeformat")
    if size < 0:
        raise TeraError(f"filter `filesizeformat` needs a size, got {size}")
    suffix = "iB" if binary else "B"
    units = ["k" if not binary else "K", "M", "G", "T", "P", "E"]
    if size < 1024:
        return f"{int(size)} B"
    scaled = float(size)
    unit = ""
    for unit in units:
        scaled /= 1024
        if scaled < 1024:
            break
    text = f"{scaled:.0f}" if scaled == int(scaled) else f"{scaled:.2f}"
    return f"{text} {unit}{suffix}"


def _tera_pattern(pat: str) -> str:
    # Tera strings have no escapes, so these filters read a written \n or \t themselves
    return pat.replace("\\n", "\n").replace("\\t", "\t")


def _regex_replace(value: Any, pattern: str, rep: str) -> str:
    # Rust's regex replacement names groups $name / ${name}; Python's re wants \g<name>
    python_rep = re.sub(r"\$\{(\w+)\}|\$(\w+)", lambda m: rf"\g<{m.group(1) or m.group(2)}>", rep)
    try:
        return re.sub(pattern, python_rep, _need_str(value, "regex_replace"))
    except re.error as exc:
        raise TeraError(f"filter `regex_replace`: {exc}") from exc


def _trim_start_matches(value: Any, pat: str) -> str:
    text = _need_str(value, "trim_start_matches")
    pat = _tera_pattern(pat)
    while pat and text.startswith(pat):
        text = text[len(pat) :]
    return text


def _trim_end_matches(value: Any, pat: str) -> str:
    text = _need_str(value, "trim_end_matches")
    pat = _tera_pattern(pat)
    while pat and text.endswith(pat):
        text = text[: -len(pat)]
    return text


def _title(value: Any) -> str:
    return re.sub(
        r"\b([\w'])([\w']*)\b",
        lambda m: m.group(1).upper() + m.group(2).lower(),
        _need_str(value, "title"),
    )


def _capitalize(value: Any) -> str:
    text = _need_str(value, "capitalize")
    return text[:1].upper() + text[1:].lower()


def _first(value: Any) -> Any:
    items = _need_list(value, "first")
    return items[0] if items else ""


def _last(value: Any) -> Any:
    items = _need_list(value, "last")
    return items[-1] if items else ""


def _nth(value: Any, n: int) -> Any:
    items = _need_list(value, "nth")
    return items[n] if 0 <= n < len(items) else ""


def _length(value: Any) -> int:
    if isinstance(value, Undefined):
        value._fail_with_undefined_error()
    if isinstance(value, str | list | tuple | Mapping):
        return len(value)
    raise TeraError(f"filter `length` needs an array, a string or an object, got {value!r}")


def _reverse(value: Any) -> Any:
    if isinstance(value, str):
        return value[::-1]
    return _need_list(value, "reverse")[::-1]


def _escape_xml(value: Any) -> str:
    return (
        _need_str(value, "escape_xml")
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&apos;")
    )


def _tera_items(value: Any) -> Iterable[Any]:
    """``{% for k, v in x %}``: an object's items; arrays of pairs stay as they are."""
    if isinstance(value, Mapping):
        return list(value.items())
    return value


def _urlencode_strict(text: str) -> str:
    return "".join(
        chr(byte) if chr(byte).isascii() and chr(byte).isalnum() else f"%{byte:02X}"
        for byte in text.encode("utf-8")
    )


def _string_filters() -> dict[str, Callable[..., Any]]:
    def text(name: str, op: Callable[[str], Any]) -> Callable[[Any], Any]:
        return lambda value: op(_need_str(value, name))

    return {
        "lower": text("lower", str.lower),
        "upper": text("upper", str.upper),
        "trim": text("trim", str.strip),
        "trim_start": text("trim_start", str.lstrip),
        "trim_end": text("trim_end", str.rstrip),
        "wordcount": text("wordcount", lambda s: len(s.split())),
        "slugify": text("slugify", zola_anchor),
        # Tera's set leaves "/" and "%" as they are; the strict one encodes all but ASCII letters
        # and digits (Python's quote always keeps "_.-~")
        "urlencode": text("urlencode", lambda s: urllib.parse.quote(s, safe="/%")),
        "urlencode_strict": text("urlencode_strict", _urlencode_strict),
        "striptags": text(
            "striptags", lambda s: re.sub(r"<!--.*?-->|<[^>]*>", "", s, flags=re.DOTALL)
        ),
        "linebreaksbr": text(
            "linebreaksbr", lambda s: s.replace("\r\n", "<br>").replace("\n", "<br>")
        ),
        "spaceless": text("spaceless", lambda s: re.sub(r">\s+<", "><", s)),
        "addslashes": text(
            "addslashes", lambda s: s.replace("\\", "\\\\").replace('"', '\\"').replace("'", "\\'")
        ),
        "escape": text("escape", tera_escape),
        "split": lambda value, pat: _need_str(value, "split").split(_tera_pattern(pat)),
        "base64_encode": text("base64_encode", lambda s: base64.b64encode(s.encode()).decode()),
        "base64_decode": text(
            "base64_decode", lambda s: base64.b64decode(s.encode()).decode("utf-8", "replace")
        ),
    }


def _filters(markdown: Callable[..., str]) -> dict[str, Callable[..., Any]]:
    filters = _string_filters()
    filters.update(
        {
            "safe": lambda value: Markup(_render_value(value)),
            "markdown": markdown,
            "default": _default,
            "date": _date,
            "replace": _replace,
            "join": lambda value, sep="": sep.join(
                _render_value(item) for item in _need_list(value, "join")
            ),
            "first": _first,
            "last": _last,
            "nth": _nth,
            "length": _length,
            "truncate": _truncate,
            "title": _title,
            "capitalize": _capitalize,
            "round": _round,
            "json_encode": _json_encode,
            "as_str": _render_value,
            "int": _int,
            "float": _float,
            "escape_xml": _escape_xml,
            "reverse": _reverse,
            "sort": _sort,
            "unique": _unique,
            "slice": _slice,
            "concat": _concat,
            "get": _get,
            "filter": _filter,
            "map": _map,
            "group_by": _group_by,
            "indent": _indent,
            "abs": lambda value: abs(_need_number(value, "abs")),
            "pluralize": _pluralize,
            "filesizeformat": _filesizeformat,
            "regex_replace": _regex_replace,
            "trim_start_matches": _trim_start_matches,
            "trim_end_matches": _trim_end_matches,
            "tera_items": _tera_items,
        }
    )
    return filters


# ---------------------------------------------------------------------------
# tests


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _tester(name: str, test: Callable[..., bool]) -> Callable[..., bool]:
    """Tera's tests (but ``defined``/``undefined``) refuse an undefined variable."""

    def checked(value: Any, *args: Any) -> bool:
        if isinstance(value, Undefined):
            raise TeraError(f"test `{name}` was called on an undefined variable")
        return test(value, *args)

    return checked


def _needs(name: str, value: Any, kind: str) -> Any:
    ok = _is_number(value) if kind == "number" else isinstance(value, str)
    if not ok:
        raise TeraError(f"test `{name}` needs a {kind}, got {_render_value(value)!r}")
    return value


def _matching(value: Any, pattern: str) -> bool:
    text = _needs("matching", value, "string")
    try:
        return re.search(_needs("matching", pattern, "string"), text) is not None
    except re.error as exc:
        raise TeraError(f"test `matching`: invalid regex {pattern!r}: {exc}") from exc


def _containing(value: Any, needle: Any) -> bool:
    if isinstance(value, str):
        return _needs("containing", needle, "string") in value
    if isinstance(value, Mapping):
        return _needs("containing", needle, "string") in value
    if isinstance(value, list | tuple):
        return needle in value
    raise TeraError(f"test `containing` needs a string, an array or an object, got {value!r}")


def _odd(value: Any) -> bool:
    return bool(_needs("odd", value, "number") % 2 != 0)


def _divisibleby(value: Any, divisor: Any) -> bool:
    number = _needs("divisibleby", value, "number")
    by = _needs("divisibleby", divisor, "number")
    return by != 0 and number % by == 0


_CHECKED_TESTS: dict[str, Callable[..., bool]] = {
    "odd": _odd,
    "even": lambda value: not _odd(value),
    "string": lambda value: isinstance(value, str),
    "number": _is_number,
    "starting_with": lambda value, pat: _needs("starting_with", value, "string").startswith(
        _needs("starting_with", pat, "string")
    ),
    "ending_with": lambda value, pat: _needs("ending_with", value, "string").endswith(
        _needs("ending_with", pat, "string")
    ),
    "containing": _containing,
    "matching": _matching,
    "iterable": lambda value: isinstance(value, list | tuple | Mapping),
    "object": lambda value: isinstance(value, Mapping),
    "divisibleby": _divisibleby,
}

_TESTS: dict[str, Callable[..., bool]] = {
    "defined": lambda value: not isinstance(value, Undefined),
    "undefined": lambda value: isinstance(value, Undefined),
    **{name: _tester(name, test) for name, test in _CHECKED_TESTS.items()},
}


# ---------------------------------------------------------------------------
# the pure functions


def _throw(message: str = "") -> None:
    raise TeraError(message)


def _range(end: int | None = None, start: int = 0, step_by: int = 1) -> list[int]:
    if end is None:
        raise TeraError("function `range` needs `end`")
    if step_by <= 0:
        raise TeraError("function `range`: `step_by` must be positive")
    if start > end:
        raise TeraError("function `range`: `start` is greater than `end`")
    if (end - start) // step_by > MAX_RANGE:
        raise TeraError(f"function `range`: more than {MAX_RANGE} numbers")
    return list(range(start, end, step_by))


def _now(timestamp: bool = False, utc: bool = False) -> Any:
    moment = dt.datetime.now(dt.UTC) if utc else dt.datetime.now().astimezone()
    return int(moment.timestamp()) if timestamp else moment.isoformat()


_DATA_FORMATS = {
    ".toml": "toml",
    ".json": "json",
    ".csv": "csv",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".bib": "bibtex",
    ".xml": "xml",
}


def _parse_data(text: str, fmt: str) -> Any:
    if fmt == "plain":
        return text
    if fmt == "json":
        return json.loads(text)
    if fmt == "toml":
        return tomllib.loads(text)
    if fmt == "yaml":
        return yaml.safe_load(text)
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(text)))
        return {"headers": rows[0] if rows else [], "records": rows[1:]}
    raise TeraError(f"function `load_data`: format {fmt!r} is not supported here")


# ---------------------------------------------------------------------------
# the renderer


@pass_context
def _tera_context(context: Context) -> str:
    """``{{ __tera_context }}``: the template's variables, as Tera prints them (JSON)."""
    variables = {k: v for k, v in context.get_all().items() if not callable(v)}
    return json.dumps(variables, indent=2, ensure_ascii=False, default=_json_default)


class _TeraCodeGenerator(CodeGenerator):
    """Jinja2's code generator, with ``~`` joining values as Tera prints them."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.tera_concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class _TeraEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox (no Python internals, no mutation of lists or maps) with Tera's operators."""

    code_generator_class = _TeraCodeGenerator
    # Tera's `*` is arithmetic only, and it has no `**` or `//`: "a" * 10**9 cannot exhaust memory
    intercepted_binops = frozenset({"*", "**", "//"})

    @staticmethod
    def tera_concat(items: Iterable[Any]) -> str:
        return "".join(_render_value(item) for item in items)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator != "*":
            raise TeraError(f"`{operator}` is not a Tera operator")
        if not (_is_number(left) and _is_number(right)):
            raise TeraError(
                f"`*` needs numbers, got {_render_value(left)!r} and {_render_value(right)!r}"
            )
        return left * right


class _TeraLoader(BaseLoader):
    """Templates by name under the site's ``templates/`` directory, pre-passed."""

    def __init__(self, templates_dir: Path) -> None:
        self.templates_dir = templates_dir

    def get_source(
        self, environment: Any, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        path = (self.templates_dir / template).resolve()
        if not path.is_relative_to(self.templates_dir.resolve()) or not path.is_file():
            raise TemplateNotFound(template)
        try:
            source = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise TemplateError(f"cannot read {template}: {exc}") from exc
        return translate(source), str(path), lambda: True


class TeraRenderer:
    """Render a Zola site's templates; one renderer per site, templates compiled once.

    ``functions`` maps a function name (``get_url``, ``get_page``...) to a
    callable taking Tera's named arguments; they add to, or replace, the pure
    ones here (``load_data``, ``now``, ``throw``, ``range``).  ``config`` is the
    site's config (its :meth:`SiteConfig.template_view` is the ``config``
    variable; its Markdown options drive the ``markdown`` filter).
    """

    def __init__(
        self,
        site_root: str | Path,
        content_dir: str | Path | None = None,
        *,
        functions: Mapping[str, Callable[..., Any]] | None = None,
        config: SiteConfig | None = None,
        templates_dir: str | Path | None = None,
    ) -> None:
        self.site_root = Path(site_root)
        self.content_dir = Path(content_dir) if content_dir else self.site_root / "content"
        self.templates_dir = Path(templates_dir) if templates_dir else self.site_root / "templates"
        self.config = config if config is not None else SiteConfig()
        self._data_cache: dict[tuple[Path, str, int], Any] = {}
        self._compiled: dict[str, Template | Diagnostic] = {}
        self._markdown_parser: Any = None
        env = _TeraEnvironment(
            loader=_TeraLoader(self.templates_dir),
            undefined=TeraUndefined,
            autoescape=lambda name: bool(name) and str(name).endswith(AUTOESCAPE_SUFFIXES),
            keep_trailing_newline=True,
            finalize=_finalize,
            extensions=["jinja2.ext.loopcontrols"],
            auto_reload=False,
            # no constant folding: it would join `"a" ~ true` the Python way at compile time
            optimized=False,
        )
        env.filters.update(_filters(self._markdown))
        env.tests.update(_TESTS)
        env.globals.clear()
        env.globals.update(
            load_data=self.load_data,
            now=_now,
            throw=_throw,
            range=_range,
            __tera_context=_tera_context,
        )
        env.globals.update(functions or {})
        self.environment = env

    # -- functions ---------------------------------------------------------

    def resolve_data_path(self, path: str) -> Path:
        """Zola's file search: ``@/`` is ``content/``; then the root, ``static/``, ``content/``.

        Raises :class:`TeraError` for a path that leaves the site root (also through a
        symlink) or that is found nowhere.
        """
        relative = "content/" + path[2:] if path.startswith("@/") else path
        relative = relative.lstrip("/")
        root = self.site_root.resolve()
        candidates = [
            self.site_root / relative,
            self.site_root / "static" / relative,
            self.content_dir / relative,
        ]
        outside = False
        for candidate in candidates:
            resolved = candidate.resolve()
            if not resolved.is_relative_to(root):
                outside = True
                continue
            if resolved.is_file():
                return resolved
        if outside:
            raise TeraError(f"function `load_data`: {path!r} is outside the site")
        raise DataNotFound(f"function `load_data`: {path!r} not found in the site")

    def load_data(
        self,
        path: str | None = None,
        literal: str | None = None,
        format: str | None = None,
        required: bool = True,
        url: str | None = None,
        **_: Any,
    ) -> Any:
        """Zola's ``load_data`` for local files and literals (never the network)."""
        if url is not None:
            raise TeraError("function `load_data`: `url` is not supported (no network access)")
        if literal is not None:
            return self._parse(literal, format or "plain", "literal")
        if path is None:
            raise TeraError("function `load_data` needs `path` or `literal`")
        try:
            file = self.resolve_data_path(path)
        except DataNotFound:
            if not required:
                return None
            raise
        fmt = format or _DATA_FORMATS.get(file.suffix.lower(), "plain")
        key = (file, fmt, file.stat().st_mtime_ns)
        if key not in self._data_cache:
            try:
                text = file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise TeraError(f"function `load_data`: cannot read {path!r}: {exc}") from exc
            self._data_cache[key] = self._parse(text, fmt, path)
        return self._data_cache[key]

    @staticmethod
    def _parse(text: str, fmt: str, where: str) -> Any:
        try:
            return _parse_data(text, fmt)
        except TeraError:
            raise
        except Exception as exc:  # each parser has its own error type
            raise TeraError(f"function `load_data`: {where!r} is not valid {fmt}: {exc}") from exc

    def _markdown(self, value: Any, inline: bool = False) -> str:
        if self._markdown_parser is None:
            from markdown_it import MarkdownIt

            parser = MarkdownIt(
                "commonmark", {"typographer": self.config.markdown.smart_punctuation}
            )
            parser.enable(["table", "strikethrough"])
            if self.config.markdown.smart_punctuation:
                parser.enable(["replacements", "smartquotes"])
            self._markdown_parser = parser
        html = str(self._markdown_parser.render(_need_str(value, "markdown")))
        if inline:  # Zola strips the paragraph the renderer wraps around the text
            stripped = html.strip()
            if stripped.startswith("<p>") and stripped.endswith("</p>"):
                html = stripped[3:-4]
        return html

    # -- rendering ---------------------------------------------------------

    def template_name(self, template_path: str | Path) -> str:
        """The loader name of a template given as a path (absolute or under ``templates/``)."""
        path = Path(template_path)
        if path.is_absolute():
            try:
                return path.relative_to(self.templates_dir).as_posix()
            except ValueError:
                return path.as_posix()  # the loader refuses it: outside templates/
        return path.as_posix()

    def find_shortcode(self, name: str) -> Path | None:
        """``templates/shortcodes/NAME.html`` or ``.md`` (HTML first; Zola leaves the choice open)."""
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            return None
        for suffix in (".html", ".md"):
            path = self.templates_dir / "shortcodes" / f"{name}{suffix}"
            if path.is_file():
                return path
        return None

    def shortcode_names(self) -> list[str]:
        """The names of the site's shortcodes, sorted."""
        folder = self.templates_dir / "shortcodes"
        if not folder.is_dir():
            return []
        return sorted(
            {p.stem for p in folder.iterdir() if p.suffix in (".html", ".md") and p.is_file()}
        )

    def compile(self, template_path: str | Path) -> Template | Diagnostic:
        """The compiled template (cached), or the diagnostic saying why it cannot compile."""
        name = self.template_name(template_path)
        if name not in self._compiled:
            try:
                self._compiled[name] = self.environment.get_template(name)
            except TemplateSyntaxError as exc:
                line = exc.lineno or 1
                self._compiled[name] = Diagnostic(
                    Subtype.shortcode,
                    f"template {name}, line {line}: syntax error: {exc.message}",
                    line,
                )
            except TemplateNotFound:
                self._compiled[name] = Diagnostic(
                    Subtype.shortcode, f"template {name} not found in {self.templates_dir}", 1
                )
            except Exception as exc:  # noqa: BLE001 - unreadable, or too deep for the parser
                message = exc.message if isinstance(exc, TemplateError) else repr(exc)
                self._compiled[name] = Diagnostic(
                    Subtype.shortcode, f"template {name}: {message}", 1
                )
        return self._compiled[name]

    def render(self, template_path: str | Path, context: Mapping[str, Any]) -> RenderResult:
        """Render one template with ``context``; failures are one located diagnostic."""
        name = self.template_name(template_path)
        file = self.templates_dir / name
        template = self.compile(name)
        if isinstance(template, Diagnostic):
            return RenderResult("", (template,), file if file.is_file() else None)
        try:
            text = _bounded(template.generate(dict(context)))
        except Exception as exc:  # noqa: BLE001 - a template error, or one from a filter or function
            line = _template_line(exc, template.filename)
            message = exc.message if isinstance(exc, TemplateError) and exc.message else str(exc)
            included = getattr(exc, "name", None) if isinstance(exc, TemplateNotFound) else None
            if included:
                message = f"included template {included!r} not found"
            diagnostic = Diagnostic(
                Subtype.shortcode, f"template {name}, line {line}: {message}", line
            )
            return RenderResult("", (diagnostic,), file)
        return RenderResult(text, (), file)

    def shortcode_context(
        self,
        args: Mapping[str, Any],
        *,
        body: str | None = None,
        nth: int = 1,
        page: Any = None,
        lang: str | None = None,
    ) -> dict[str, Any]:
        """What a Zola shortcode sees: its arguments, then ``body``, ``nth``, ``page``,
        ``config`` and ``lang`` (these win over an argument of the same name, as in Zola)."""
        context = dict(args)
        if body is not None:
            context["body"] = body.rstrip()  # Zola trims the body's end
        context.update(
            nth=nth,
            page=page,
            config=self.config.template_view(),
            lang=lang or self.config.default_language,
        )
        return context

    def render_shortcode(
        self,
        name: str,
        args: Mapping[str, Any],
        *,
        body: str | None = None,
        nth: int = 1,
        page: Any = None,
        lang: str | None = None,
    ) -> RenderResult:
        """Render the site's shortcode ``name`` for one call."""
        path = self.find_shortcode(name)
        if path is None:
            diagnostic = Diagnostic(
                Subtype.shortcode, f"no shortcode template {name!r} in the site", 1
            )
            return RenderResult("", (diagnostic,), None)
        context = self.shortcode_context(args, body=body, nth=nth, page=page, lang=lang)
        return self.render(path, context)


def _bounded(chunks: Iterator[str]) -> str:
    parts: list[str] = []
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > MAX_OUTPUT:
            error = TeraError(f"the output is longer than {MAX_OUTPUT} characters")
            if isinstance(chunks, Generator):
                # thrown into the template, so the error carries the line being output
                chunks.throw(error)
            raise error
        parts.append(chunk)
    return "".join(parts)


def _template_line(exc: BaseException, filename: str | None) -> int:
    """The line of the innermost frame in the template (Jinja2 maps frames to template lines)."""
    line = getattr(exc, "lineno", None)
    for frame in traceback.extract_tb(exc.__traceback__):
        if filename is not None and frame.filename == filename and frame.lineno:
            line = frame.lineno
    return int(line) if line else 1

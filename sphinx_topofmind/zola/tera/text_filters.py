"""Tera's string filters: case, trimming, patterns, escaping, encoding, indenting."""

from __future__ import annotations

import base64
import re
import urllib.parse
from collections.abc import Callable
from typing import Any

from ..slugs import zola_anchor
from .errors import TeraError
from .values import _need_number, _need_str, tera_escape


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


def _escape_xml(value: Any) -> str:
    return (
        _need_str(value, "escape_xml")
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&apos;")
    )


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

"""Text as XML can hold it: the characters XML 1.0 refuses, taken out and named."""

from __future__ import annotations

import re
from collections.abc import Iterable

#: what XML 1.0 cannot hold: C0 controls but tab, newline and carriage return, lone
#: surrogates (no UTF-8 exists for them), U+FFFE and U+FFFF
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
SURROGATE = re.compile("[\ud800-\udfff]")


def _replacement(match: re.Match[str]) -> str:
    # a lone surrogate stood for a character that got lost: mark the place; controls go
    return "\ufffd" if "\ud800" <= match.group() <= "\udfff" else ""


def xml_safe(text: str) -> tuple[str, list[str]]:
    """*text* as XML can hold it, and the characters taken out (first appearance order).

    Controls (bell, escape, form feed, NUL, ...) are dropped; a lone surrogate
    becomes U+FFFD."""
    found = NOT_XML.findall(text)
    if not found:
        return text, []
    return NOT_XML.sub(_replacement, text), list(dict.fromkeys(found))


def codepoints(chars: Iterable[str]) -> str:
    return ", ".join(f"U+{ord(ch):04X}" for ch in chars)

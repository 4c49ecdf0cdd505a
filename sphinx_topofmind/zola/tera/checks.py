"""Tera's tests (``is odd``, ``is containing``...).

But for ``defined``/``undefined``, a test of an undefined variable is an error.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from jinja2 import Undefined

from .errors import TeraError
from .values import _is_number, _render_value


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

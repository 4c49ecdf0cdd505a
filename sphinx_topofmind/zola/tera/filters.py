"""Tera's (and Zola's) filters on values, arrays, objects and numbers.

:func:`_filters` is the table of every filter (the string ones come from
:mod:`.text_filters`) the environment installs.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import zoneinfo
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from jinja2 import Undefined
from markupsafe import Markup

from .dates import _parse_date, chrono_format
from .errors import TeraError
from .text_filters import (
    _capitalize,
    _escape_xml,
    _filesizeformat,
    _indent,
    _pluralize,
    _regex_replace,
    _string_filters,
    _title,
    _trim_end_matches,
    _trim_start_matches,
)
from .values import _dotted, _is_number, _need_list, _need_number, _need_str, _render_value


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


def _tera_items(value: Any) -> Iterable[Any]:
    """``{% for k, v in x %}``: an object's items; arrays of pairs stay as they are."""
    if isinstance(value, Mapping):
        return list(value.items())
    return value


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

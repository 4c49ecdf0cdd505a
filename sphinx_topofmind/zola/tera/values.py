"""Values as Tera prints them, and the input checks the filters share.

Tera's HTML escaping, ``true``/``[object]`` output, the ``_need_*`` checks and
the dotted look-ups of ``attribute=``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jinja2 import (
    Undefined,
    pass_eval_context,
)
from jinja2.nodes import EvalContext
from markupsafe import Markup

from .errors import TeraError


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


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


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

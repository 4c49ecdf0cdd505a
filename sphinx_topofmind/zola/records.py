"""Records pickled with the Sphinx environment, many times over: :class:`CompactRecord`
pickles a frozen dataclass as its constructor's arguments alone (issue 17: env size)."""

from __future__ import annotations

import dataclasses
from typing import Any


class CompactRecord:
    """A frozen dataclass that pickles as ``cls(*values)``: no field names, and the
    fields at the end that hold their defaults left out (a pickled dataclass otherwise
    repeats every field's name in every record)."""

    __slots__ = ()

    def __reduce__(self) -> tuple[Any, ...]:
        fields = [f for f in dataclasses.fields(self) if f.init]  # type: ignore[arg-type]
        values = [getattr(self, f.name) for f in fields]
        while fields and _is_default(fields[-1], values[-1]):
            fields.pop()
            values.pop()
        return (type(self), tuple(values))


def _is_default(field: dataclasses.Field[Any], value: Any) -> bool:
    if field.default is not dataclasses.MISSING:
        return bool(type(value) is type(field.default) and value == field.default)
    if field.default_factory is not dataclasses.MISSING:
        default = field.default_factory()
        return bool(type(value) is type(default) and value == default)
    return False

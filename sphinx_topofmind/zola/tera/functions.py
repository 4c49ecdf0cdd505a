"""The pure global functions: ``throw``, ``range``, ``now``.

And the data parsing behind ``load_data`` (the file search is the renderer's).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import tomllib
from typing import Any

import yaml

from .errors import TeraError

#: the longest list ``range()`` builds, as Jinja2's sandbox limits its own range
MAX_RANGE = 100_000


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

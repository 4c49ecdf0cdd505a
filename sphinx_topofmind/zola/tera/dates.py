"""Dates for the ``date`` filter: parsing Tera's inputs and chrono's format specifiers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jinja2 import Undefined

from .errors import TeraError
from .values import _render_value

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

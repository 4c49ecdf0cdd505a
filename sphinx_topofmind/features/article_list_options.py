"""The ``article-list`` directive's options, read into a :class:`~..article_query.Query`:
a value it cannot use is a problem (warned by the directive) and is ignored."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..article_query import DRAFT_MODES, SORTS, Query

SHOWABLE = ("date", "updated", "tags", "summary", "reading_time")
DEFAULT_SHOW: tuple[str, ...] = ("date",)

OPTIONS = (
    "tag",
    "taxonomy",
    "series",
    "section",
    "year",
    "drafts",
    "sort",
    "reverse",
    "limit",
    "paginate",
    "show",
)


def _whole(value: str, low: int, high: int | None = None) -> int | None:
    try:
        number = int(value.strip())
    except ValueError:
        return None
    return number if number >= low and (high is None or number <= high) else None


def parse_options(
    options: Mapping[str, str], config: Any
) -> tuple[Query, tuple[str, ...], int | None, list[str]]:
    """``(query, show, paginate, problems)``; a bad value is ignored with a problem."""
    problems: list[str] = []
    fields: dict[str, Any] = {}
    text = {name: (value or "").strip() for name, value in options.items()}
    if "tag" in text:
        if text["tag"]:
            fields["term"] = text["tag"]
        else:
            problems.append(":tag: needs a tag (or term) name; ignored")
    if "taxonomy" in text:
        if not text["taxonomy"]:
            problems.append(":taxonomy: needs a taxonomy name; ignored")
        elif "term" not in fields:
            problems.append(":taxonomy: has no effect without :tag:; ignored")
        else:
            fields["taxonomy"] = text["taxonomy"]
    if "series" in text:
        known = list(config.topofmind_series)
        if text["series"] in known:
            fields["series"] = text["series"]
        else:
            names = ", ".join(repr(n) for n in known) or "none"
            problems.append(f":series: {text['series']!r} is no series (known: {names}); ignored")
    if "section" in text:
        section = re.sub(r"(^|/)_index(\.md)?$", "", text["section"].replace("\\", "/"))
        fields["section"] = section.strip("/")
    if "year" in text:
        year = _whole(text["year"], 1, 9999)
        if year is None:
            problems.append(f":year: must be a year such as 2024, not {text['year']!r}; ignored")
        else:
            fields["year"] = year
    if "drafts" in text:
        if text["drafts"] in DRAFT_MODES:
            fields["drafts"] = text["drafts"]
        else:
            problems.append(
                f":drafts: must be one of {', '.join(DRAFT_MODES)}, not {text['drafts']!r}; ignored"
            )
    if "sort" in text:
        if text["sort"] not in SORTS:
            problems.append(
                f":sort: must be one of {', '.join(SORTS)}, not {text['sort']!r}; sorting by date"
            )
        elif text["sort"] == "series" and "series" not in fields:
            problems.append(":sort: series needs :series:; sorting by date")
        else:
            fields["sort"] = text["sort"]
    if "reverse" in text:
        if text["reverse"]:
            problems.append(f":reverse: takes no value, not {text['reverse']!r}; ignored")
        else:
            fields["reverse"] = True
    if "limit" in text:
        limit = _whole(text["limit"], 1)
        if limit is None:
            problems.append(f":limit: must be a whole number >= 1, not {text['limit']!r}; ignored")
        fields["limit"] = limit
    per_page = config.topofmind_paginate_by
    if "paginate" in text:
        if text["paginate"].lower() == "none":
            per_page = None
        elif (number := _whole(text["paginate"], 1)) is not None:
            per_page = number
        else:
            problems.append(
                f":paginate: must be a whole number >= 1 or none, not {text['paginate']!r}; ignored"
            )
    show: tuple[str, ...] = DEFAULT_SHOW
    if "show" in text:
        asked = [item for item in re.split(r"[\s,]+", text["show"]) if item]
        unknown = [item for item in asked if item not in SHOWABLE]
        if unknown:
            problems.append(
                f":show: {', '.join(repr(u) for u in unknown)} unknown (known: "
                f"{', '.join(SHOWABLE)}); ignored"
            )
        show = tuple(dict.fromkeys(item for item in asked if item in SHOWABLE))
    return Query(**fields), show, per_page, problems

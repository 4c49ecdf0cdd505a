"""Every label the extension writes goes through Sphinx's locale machinery.

Messages live in the ``sphinx_topofmind`` catalog (``locale/<lang>/LC_MESSAGES``);
Sphinx picks the project's ``language``.  Dates are formatted by Babel (a
Sphinx dependency) in that language too.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

from babel.core import UnknownLocaleError
from babel.dates import format_date as babel_format_date
from sphinx.application import Sphinx
from sphinx.locale import get_translation

CATALOG = "sphinx_topofmind"
LOCALE_DIR = Path(__file__).parent / "locale"

_ = get_translation(CATALOG)


def format_date(value: dt.date, language: str | None) -> str:
    """``August 18, 2023`` in English, ``18. August 2023`` in German, ..."""
    day = value.date() if isinstance(value, dt.datetime) else value
    return _format_day(day, language)


@functools.lru_cache(maxsize=4096)
def _format_day(day: dt.date, language: str | None) -> str:
    """Babel is slow and one date is shown on many pages (header, listings, tag pages)."""
    try:
        return babel_format_date(day, format="long", locale=(language or "en").replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return babel_format_date(day, format="long", locale="en")


def articles_count(count: int) -> str:
    return _("1 article") if count == 1 else _("%d articles") % count


def setup(app: Sphinx) -> None:
    app.add_message_catalog(CATALOG, str(LOCALE_DIR))

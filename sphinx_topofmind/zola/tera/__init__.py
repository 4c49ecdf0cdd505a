"""Render a Zola site's Tera templates (its shortcodes) with Jinja2, the Tera way.

Tera and Jinja2 share most of their syntax.  The differences are bridged here:

- A line-preserving **source pre-pass** (:func:`translate`) rewrites the Tera
  forms Jinja2 lacks: string literals (Tera has no escape sequences and allows
  backticks, so every literal is re-quoted with its backslashes kept),
  ``macros::name(...)`` and ``self::name(...)`` calls, ``{% set_global %}``
  (becomes ``{% set %}``: inside a loop it stays local to the loop, a known
  limit), ``{% endmacro name %}``, and ``{% for k, v in map %}`` (iterates the
  map's items).  ``{% break %}``/``{% continue %}`` come from Jinja2's
  ``loopcontrols`` extension.  No newline is added or removed, so a line in an
  error is the line in the original template file.
- **Filters, tests and functions** follow Tera's (and Zola's) names, named
  arguments and results: ``default(value=...)``, ``replace(from=, to=)``,
  ``date(format=)`` with chrono's format, ``truncate`` with ``…`` ...
- **Output** as Tera prints it: ``true``/``false``, an object as ``[object]``,
  an undefined variable is an error (but is false in an ``if``); autoescaping
  (Tera's escaping, which also escapes ``/`` and ``'``) for ``.html``,
  ``.htm`` and ``.xml`` templates only, as Zola does: ``.md`` shortcodes are
  not escaped.
- A **sandboxed** environment: templates cannot reach Python internals;
  ``load_data`` reads only files inside the site.

A template that cannot be compiled or rendered gives one
:class:`~sphinx_topofmind.zola.diagnostics.Diagnostic` naming the template file and
its line, never an exception.

The package, by job: :mod:`.prepass` (the source pre-pass), :mod:`.values`
(printing, escaping and the input checks), :mod:`.dates`, :mod:`.filters` and
:mod:`.text_filters`, :mod:`.checks` (Tera's tests), :mod:`.functions`,
:mod:`.environment` (the Jinja2 machinery) and :mod:`.renderer`
(:class:`TeraRenderer`); :mod:`.errors` holds the exceptions they share.
"""

from __future__ import annotations

from .dates import chrono_format
from .environment import TeraUndefined
from .errors import DataNotFound, TeraError
from .prepass import translate
from .renderer import RenderResult, TeraRenderer
from .values import tera_escape

__all__ = [
    "DataNotFound",
    "RenderResult",
    "TeraError",
    "TeraRenderer",
    "TeraUndefined",
    "chrono_format",
    "tera_escape",
    "translate",
]

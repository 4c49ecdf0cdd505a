"""The one way the extension warns: Sphinx's logger, ``type="topofmind"``, a documented
subtype and a location.

Every module calls :func:`warn` (or :func:`warn_diagnostic` for what a pure Zola parser
found), so no warning can lose its type, its subtype or its place; a project silences
any of them with ``suppress_warnings = ["topofmind.<subtype>"]``.
"""

from __future__ import annotations

from typing import Any, TypeAlias

from docutils import nodes
from sphinx.util.logging import getLogger

from .zola.diagnostics import WARNING_TYPE, Diagnostic, Subtype

#: a docname, ``(docname, line)``, ``"path:line"``, a node, or None (no place)
Location: TypeAlias = str | tuple[str, int | None] | nodes.Node | None

logger = getLogger("sphinx_topofmind")


def warn(subtype: Subtype, message: str, location: Location, *, once: bool = False) -> None:
    """Warn with the extension's type and *subtype* at *location*."""
    extra: dict[str, Any] = {"once": True} if once else {}
    logger.warning(message, type=WARNING_TYPE, subtype=subtype.value, location=location, **extra)


def warn_diagnostic(diagnostic: Diagnostic, docname: str) -> None:
    """Report what a pure parser found in document *docname*, at its line."""
    warn(diagnostic.subtype, diagnostic.message, (docname, diagnostic.line))


def warn_in_file(diagnostic: Diagnostic, path: object) -> None:
    """Report what a pure parser found in a file that is no document (a nav file)."""
    warn(diagnostic.subtype, diagnostic.message, f"{path}:{diagnostic.line}")

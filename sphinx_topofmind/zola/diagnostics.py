"""The documented warning subtypes of sphinx-topofmind.

Every warning the extension emits goes through Sphinx's logger with
``type="topofmind"`` and one of these subtypes, so a project can silence any
of them with ``suppress_warnings = ["topofmind.<subtype>"]``.  The pure
parsers report problems as :class:`Diagnostic` values; the Sphinx wiring
turns them into located warnings.
"""

from __future__ import annotations

import dataclasses
import enum

WARNING_TYPE = "topofmind"


class Subtype(str, enum.Enum):
    """Warning subtypes; each docstring says when it fires (the docs list them)."""

    frontmatter = "frontmatter"
    """Front matter that cannot be read: unclosed ``+++``/``---``, invalid TOML
    or YAML, or a key of the wrong type (the key is ignored, the body renders)."""

    shortcode = "shortcode"
    """A Zola shortcode that is unknown, malformed, has bad arguments, or a body
    shortcode without ``{% end %}``; it stays visible as text."""

    link = "link"
    """A Zola internal link ``@/path.md`` to a page that is not in the project."""

    image = "image"
    """A site-absolute image path (``/images/...``) not found in ``topofmind_static_path``,
    an image or downloaded file outside the project (``../``, a symbolic link): not copied,
    or an image of a Zola article with an empty URL (``![alt]()``)."""

    mojibake = "mojibake"
    """A line with damaged text (UTF-8 read as Mac Roman / Latin-1), given only with
    ``topofmind_mojibake = "warn"``; the default ``"fix"`` repairs it silently."""

    series = "series"
    """Series problems: a declared position that disagrees with the nav file,
    tied positions, an invalid ``selected`` value, an unknown series."""

    nav_file = "nav_file"
    """A series nav file (Zola ``nav.yaml``) that cannot be read, or an entry of
    it that is malformed or points to no document."""

    tags = "tags"
    """Taxonomy problems: a tag (or term) that is not a string, an empty tag, a tag
    holding invisible characters (ignored), slug collisions that had to be resolved, a
    generated page clashing with a source page, a taxonomy the site does not declare."""

    feed = "feed"
    """Text of an article that an Atom feed cannot hold as it is: control characters
    (bell, escape, form feed, ...) are left out, a lone surrogate becomes U+FFFD."""

    config = "config"
    """An invalid ``topofmind_*`` configuration value (it is reset to its default,
    or its bad part dropped), or a ``topofmind_*`` name the extension does not know."""

    markdown = "markdown"
    """Zola Markdown that Zola itself would refuse: with
    ``topofmind_error_on_missing_language``, a code block language that is not known
    (shown as plain text)."""

    redirect = "redirect"
    """A redirect page (for ``aliases``, ``slug``, ``path``, a section's folder URL or
    ``redirect_to``) that is not written: its path would leave the output dir or is a
    URL, a real page or another redirect is already there, or ``redirect_to`` is no
    site path nor ``http(s)`` URL; or ``aliases``/``redirect_to`` of the wrong type."""

    deprecated = "deprecated"
    """A configuration value or directive option used under the name it had before a
    release renamed it: the value is moved to the new name, which it keeps for one minor
    version (see the deprecation policy in ``CONTRIBUTING.md``)."""

    listing = "listing"
    """An ``article-list`` option with a value it cannot use (the option is ignored), or
    a list asking for what the site does not have: an undeclared taxonomy, a term no
    article has, a series or section that does not exist."""

    @property
    def qualified(self) -> str:
        """The name to put in ``suppress_warnings``."""
        return f"{WARNING_TYPE}.{self.value}"


@dataclasses.dataclass(frozen=True)
class Diagnostic:
    """A problem found by a pure parser, located by a 1-based line of the original file."""

    subtype: Subtype
    message: str
    line: int
    #: offset of the offending text in the parsed string, where the parser knows it
    offset: int | None = dataclasses.field(default=None, compare=False)
    #: end of the offending text, when only ``[offset, end)`` is to be shown as text
    end: int | None = dataclasses.field(default=None, compare=False)

"""The series of a whole Zola site, found without configuration.

Every ``nav.yaml`` under the content folder is a series.  Its name is that of the
shortcode that shows it: the template under ``templates/shortcodes/`` whose
``load_data(path=...)`` loads that nav file (``top_of_mind_nav.md`` loads
``/top-of-mind/nav.yaml``: series ``top-of-mind``, shortcode ``top_of_mind_nav``),
else the folder path (``spire/mtls/nav.yaml``: series ``spire-mtls``, shortcode
``spire_mtls_nav``).  Its title is the folder's section title (``_index.md``),
else the folder name.

Pure: reads files, imports nothing of Sphinx.
"""

from __future__ import annotations

import re
from pathlib import Path

from .frontmatter import parse_front_matter

__all__ = ["NAV_FILE", "discover_series"]

NAV_FILE = "nav.yaml"

# load_data(path="/x/nav.yaml") in any quote style, with optional spaces
_LOAD_DATA = re.compile(r"""load_data\s*\(\s*path\s*=\s*(["'`])(?P<path>[^"'`]+)\1""")
# what topofmind_series accepts as a name
_SERIES_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def _template_names(shortcodes: Path | None) -> dict[str, str]:
    """Content-relative nav file path -> name of the shortcode template that loads it."""
    names: dict[str, str] = {}
    if shortcodes is None:
        return names
    for template in sorted(shortcodes.iterdir()):
        if template.suffix not in (".md", ".html") or not template.is_file():
            continue
        try:
            text = template.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        for match in _LOAD_DATA.finditer(text):
            path = match["path"].removeprefix("@/").lstrip("/")
            names.setdefault(path, template.stem)
    return names


def _section_title(folder: Path) -> str:
    index = folder / "_index.md"
    try:
        matter, _ = parse_front_matter(index.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        matter = None
    if matter is not None and matter.title:
        return matter.title
    return folder.name.replace("-", " ").replace("_", " ").title()


def discover_series(content: Path, shortcodes: Path | None) -> dict[str, dict[str, str]]:
    """``{series name: {"title": ..., "nav_file": content-relative path}}``, sorted by name.

    A nav file whose name cannot be a series name (upper case, dots) is left out.
    """
    by_template = _template_names(shortcodes)
    found: dict[str, dict[str, str]] = {}
    for nav in sorted(content.rglob(NAV_FILE)):
        if not nav.is_file():
            continue
        relative = nav.relative_to(content).as_posix()
        template = by_template.get(relative)
        if template is not None and template.endswith("_nav"):
            name = template.removesuffix("_nav").replace("_", "-")
        else:
            name = nav.parent.relative_to(content).as_posix().replace("/", "-").replace("_", "-")
        if not _SERIES_NAME.match(name) or name in found:
            continue
        found[name] = {"title": _section_title(nav.parent), "nav_file": relative}
    return dict(sorted(found.items()))

"""Every use of a private Sphinx or MyST name, each behind one small function.

Each function names the versions it was checked on; ``tests/test_compat.py``
fails when one of them stops working, so an upgrade shows at once which one
to mend.  Nothing else in the package reaches into private names.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sphinx.config import Config


def conf_py_values(config: Config) -> Mapping[str, Any]:
    """The names ``conf.py`` itself assigned (not defaults, not ``-D`` overrides).

    Sphinx keeps them only in the private ``Config._raw_config`` (checked on Sphinx
    8.0 to 9.0); there is no public way to tell "the project chose this value".
    """
    raw: Mapping[str, Any] = getattr(config, "_raw_config", {})
    return raw


def myst_renderer(inliner: Any) -> Any:
    """The MyST renderer behind a role's ``inliner``: runs a directive or renders Markdown
    where a shortcode stands (``run_directive``, ``nested_render_text``).

    MyST keeps it as the private ``MockInliner._renderer`` (checked on myst-parser 4.0 and
    5.2); a role has no public way to reach it.  Raises RuntimeError outside MyST.
    """
    renderer = getattr(inliner, "_renderer", None)
    if renderer is None:
        raise RuntimeError("shortcodes need the MyST parser")
    return renderer


def previous_build_info(outdir: str | Path) -> Any:
    """The ``.buildinfo`` of the last HTML build in ``outdir``, or None when unreadable.

    Sphinx 8.1+ reads it with the private ``sphinx.builders.html._build_info.BuildInfo``;
    Sphinx 8.0 exposed ``BuildInfo`` from ``sphinx.builders.html`` and read an open file
    (checked on 8.0.2, 8.2.3 and 9.0.4).
    """
    path = Path(outdir) / ".buildinfo"
    try:
        try:
            from sphinx.builders.html._build_info import BuildInfo

            return BuildInfo.load(path)
        except ImportError:
            import sphinx.builders.html as html_builders

            with path.open(encoding="utf-8") as handle:
                return getattr(html_builders, "BuildInfo").load(handle)  # noqa: B009
    except (OSError, ValueError):
        return None

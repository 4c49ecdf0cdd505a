"""The ``sphinx-topofmind`` command: ``init`` a Sphinx configuration for a Zola site.

``sphinx-topofmind init [ZOLA_SITE]`` writes a commented ``conf.py`` at the site
root (never over an existing one) and prints the command that builds the site
with Sphinx, every page at its Zola URL.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from . import __version__
from .zola.site_config import find_site, read_site_config

CONF_PY = """\
# Sphinx configuration for the Zola site in this folder ({title}),
# written by `sphinx-topofmind init`.  Build it with:
#
#     {command}
#
# The extension reads the site as Zola does: content/ (the pages), static/
# (files served from "/", such as /images/...), templates/shortcodes/ (the
# site's own shortcodes) and config.toml (base_url, title, [markdown],
# taxonomies, [extra]).  Set any topofmind_* option here to override what
# the site says; see https://sphinx-topofmind.readthedocs.io for all of them.

extensions = ["sphinx_topofmind"]

# The Zola site root, relative to this file.
topofmind_zola_site = "."

# Drafts (draft = true) are left out, as `zola build` does; True builds them.
# topofmind_drafts = True

# Any Sphinx theme works; the default is alabaster.
# html_theme = "furo"
"""


def build_command(site: Path, builder: str = "dirhtml") -> str:
    """The ``sphinx-build`` command for the site: pages from content/, conf.py at the root."""
    content = site / "content"
    out = site / "_build" / builder
    return shlex.join(["sphinx-build", "-b", builder, "-c", str(site), str(content), str(out)])


def init(site_arg: str, out: TextIO | None = None) -> int:
    """Write ``conf.py`` for the Zola site at ``site_arg``; 0 on success, 1 on a refusal."""
    out = out or sys.stdout
    site = Path(site_arg)
    layout = find_site(site)
    if layout.content is None:
        print(f"error: {site} has no content/ folder; is it a Zola site?", file=sys.stderr)
        return 1
    conf = site / "conf.py"
    command = build_command(site)
    if conf.exists():
        print(f"{conf} exists already; it is left as it is.", file=sys.stderr)
    else:
        title = "a Zola site"
        if layout.config_toml is not None:
            site_config, _ = read_site_config(layout.config_toml)
            title = site_config.title or title
        conf.write_text(CONF_PY.format(title=title, command=command), encoding="utf-8")
        print(f"wrote {conf}", file=out)
    print(f"build the site with:\n    {command}", file=out)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="sphinx-topofmind",
        description="Render Zola blog articles, unchanged, with Sphinx.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    init_parser = commands.add_parser(
        "init", help="write a conf.py for a Zola site and print the build command"
    )
    init_parser.add_argument("site", nargs="?", default=".", help="the Zola site root (default: .)")
    args = parser.parse_args(argv)
    if args.command == "init":
        return init(args.site)
    return 2  # pragma: no cover - argparse refuses unknown commands


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

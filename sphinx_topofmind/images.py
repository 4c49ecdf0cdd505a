"""Site-absolute image paths (``/images/x.png``), as Zola serves them from ``static/``.

Sphinx reads a leading ``/`` as "relative to the source dir", so such an
image would be missing.  Before Sphinx's image collector runs, each one is
looked up in ``topofmind_static_path`` and pointed at the file found there
(Sphinx then copies it into ``_images/`` for every builder).  A missing file
gives one warning of ours, and the image becomes its site URL when the site's
``base_url`` is known, otherwise its alt text; either way Sphinx has nothing
left to warn about.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.util.logging import getLogger

from . import state
from .warnings_ import WARNING_TYPE, Subtype

logger = getLogger(__name__)


def file_within(folder: Path, uri: str) -> Path | None:
    """The file a site-absolute path names within ``folder``, never above it (``/../x``)."""
    base = folder.resolve()
    candidate = (base / uri.split("?")[0].split("#")[0].lstrip("/")).resolve()
    return candidate if candidate.is_relative_to(base) and candidate.is_file() else None


def inside(folder: Path, uri: str) -> bool:
    return file_within(folder, uri) is not None


def site_absolute(uri: str) -> bool:
    return uri.startswith("/") and not uri.startswith("//")


def find_static(confdir: Path, static_path: list[str], uri: str) -> Path | None:
    """The file a site-absolute URI names in the static folders, never outside them."""
    for folder in static_path:
        found = file_within(confdir / folder, uri)
        if found is not None:
            return found
    return None


def _line(node: nodes.Node) -> int | None:
    while node is not None:
        if node.line:
            return node.line
        node = node.parent
    return None


class ResolveStaticImages(SphinxTransform):
    # before Sphinx's ImageCollector (doctree-read) and its own image transforms
    default_priority = 205

    def apply(self, **kwargs: Any) -> None:
        config = self.config
        docname = self.env.docname
        docdir = Path(self.env.doc2path(docname)).parent
        for image in list(self.document.findall(nodes.image)):
            uri = image.get("uri", "")
            if not site_absolute(uri):
                continue
            # a file under the source dir keeps Sphinx's own meaning of '/'
            if inside(Path(self.env.srcdir), uri):
                continue
            found = find_static(
                Path(state.peek(self.env, "confdir")), list(config.topofmind_static_path), uri
            )
            if found is not None:
                image["uri"] = Path(os.path.relpath(found, docdir)).as_posix()
                continue
            logger.warning(
                f"image '{uri}' is not in topofmind_static_path "
                f"({', '.join(config.topofmind_static_path) or 'empty'})",
                type=WARNING_TYPE,
                subtype=Subtype.image.value,
                location=(docname, _line(image)),
            )
            base = config.topofmind_base_url
            if base:
                image["uri"] = base.rstrip("/") + uri
            else:
                alt = image.get("alt", "")
                image.replace_self(nodes.inline(alt, alt, classes=["topofmind-missing-image"]))


def _remember_confdir(app: Sphinx) -> None:
    # transforms cannot reach the application without a deprecated accessor
    state.put(app.env, "confdir", str(app.confdir))


def register(app: Sphinx) -> None:
    app.connect("builder-inited", _remember_confdir)
    app.add_transform(ResolveStaticImages)

"""Site-absolute links that are not pages (``/author/volkan/``): the site's own URLs.

MyST reads ``[x](/path)`` as a link to a file of the project and warns when
there is none.  For a Zola article such a link means a URL of the live site:
with ``topofmind_base_url`` it becomes that absolute URL, otherwise it stays
a root-relative href.  Links to real documents or files are left to MyST.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

from .images import inside, site_absolute
from .rewrite import is_markdown


class SiteAbsoluteLinks(SphinxTransform):
    default_priority = 206

    def apply(self, **kwargs: Any) -> None:
        env = self.env
        if not is_markdown(env, env.docname):
            return
        base = (self.config.topofmind_base_url or "").rstrip("/")
        for xref in list(self.document.findall(addnodes.pending_xref)):
            target = xref.get("reftarget", "")
            if (
                xref.get("reftype") != "myst"
                or not target.startswith("/")
                or target.startswith("//")
            ):
                continue
            if self._is_project_target(target):
                continue
            xref.replace_self(self._site_link(base + target, xref))
        # MyST turns a path to an existing file into a download; one that climbs out of
        # the source dir ('/../../etc/passwd') must not be copied into the output
        for download in list(self.document.findall(addnodes.download_reference)):
            target = download.get("reftarget", "")
            if site_absolute(target) and not inside(Path(self.env.srcdir), target):
                download.replace_self(self._site_link(base + target, download))

    @staticmethod
    def _site_link(uri: str, old: nodes.Element) -> nodes.reference:
        reference = nodes.reference("", "", refuri=uri, classes=["topofmind-site-link"])
        reference += old.children
        return reference

    def _is_project_target(self, target: str) -> bool:
        path = target.split("#")[0].split("?")[0].strip("/")
        if not path:
            return False
        if inside(Path(self.env.srcdir), path):
            return True
        docname = path.rsplit(".", 1)[0] if Path(path).suffix else path
        return docname in self.env.found_docs or f"{path}/index" in self.env.found_docs


def register(app: Sphinx) -> None:
    app.add_transform(SiteAbsoluteLinks)

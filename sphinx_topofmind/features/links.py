"""Links to pages of the site: ``@/`` links as dependencies, and site-absolute links.

``@/page.md`` links are resolved when a page is read (a missing target keeps only
the text).  Each page's targets are recorded with what they resolved to, so a page
whose target appears, disappears or is renamed is read again (:class:`LinkTargets`).

Site-absolute links that are not pages (``/author/volkan/``) are the site's own
URLs.  MyST reads ``[x](/path)`` as a link to a file of the project and warns when
there is none.  For a Zola article such a link means a URL of the live site:
with ``topofmind_base_url`` it becomes that absolute URL, otherwise it stays
a root-relative href.  Links to real documents or files are left to MyST.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms import SphinxTransform

from .. import state
from ..compact import digest
from .images import inside, site_absolute
from .rewrite import content_path_to_docname, current_rewrite, is_markdown


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


class LinkTargets(state.RecordCollector):
    """Per page, its ``@/`` targets and a digest of the documents they resolved to.

    Recorded at read time (``clear_doc`` and ``merge_other`` keep it per page across
    parallel readers); :func:`pages_with_moved_targets` compares it with the
    documents found by the next build.
    """

    key = "link_targets"

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        rewrite = current_rewrite(app.env)
        if rewrite is None or not rewrite.links:
            return
        paths = tuple(dict.fromkeys(rewrite.links))
        # one string pickles smaller than a tuple of them
        stored = paths if any("\n" in path for path in paths) else "\n".join(paths)
        self.records(app.env)[app.env.docname] = (stored, _resolved_digest(app, paths))


def _resolved_digest(app: Sphinx, paths: tuple[str, ...]) -> bytes:
    """What the targets resolve to, as a digest: only compared with the next build's."""
    return digest(tuple(content_path_to_docname(app, path) for path in paths))


def pages_with_moved_targets(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Pages to read again: one of their ``@/`` targets now resolves differently
    (added, removed, renamed, turned into a draft), so their rewrite would differ."""
    if not added and not removed:
        # a target resolves through the documents found alone (the configuration
        # that also counts makes Sphinx read everything again)
        return []
    records: Mapping[str, tuple[str | tuple[str, ...], bytes]] = state.get(
        env, LinkTargets.key, dict
    )
    return sorted(
        docname
        for docname, (paths, was) in records.items()
        if docname in env.found_docs
        and docname not in changed
        and _resolved_digest(app, tuple(paths.split("\n")) if isinstance(paths, str) else paths)
        != was
    )


def setup(app: Sphinx) -> None:
    app.add_transform(SiteAbsoluteLinks)
    app.add_env_collector(LinkTargets)
    # after drafts.exclude_drafts (priority 500) has taken the drafts out of found_docs
    app.connect("env-get-outdated", pages_with_moved_targets, priority=800)

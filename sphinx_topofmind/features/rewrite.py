"""``source-read``: turn a Zola article into MyST Markdown (see :mod:`.rewrite`).

The parsed front matter and the shortcode calls are kept in
``env.current_document`` for the rest of this document's read (the role, the
header transform and the collector), never in module state.
"""

from __future__ import annotations

import hashlib
import posixpath
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.logging import getLogger

from ..config import shortcode_name
from ..report import warn_diagnostic
from ..state import RecordCollector, file_fact, get
from ..zola.diagnostics import Diagnostic, Subtype
from ..zola.rewrite import Rewritten, rewrite_source
from ..zola.series import NavEntry, parse_nav_file

logger = getLogger(__name__)

#: Keys in ``env.current_document`` (per document being read).
CURRENT_REWRITE = "topofmind_rewrite"
CURRENT_SECTION_TOCTREE = "topofmind_section_toctree"

MARKDOWN_SUFFIXES = (".md", ".markdown")


def is_section(app: Sphinx, docname: str) -> bool:
    return docname.rsplit("/", 1)[-1] == "_index" and app.config.topofmind_section_toctree


def section_toctree(env: BuildEnvironment, docname: str) -> str:
    """A Zola section (``_index.md``) holds its pages and subsections: a hidden toctree
    of them, appended after the last line (so no line moves), in the order of the
    folder's nav file when there is one (so sidebars follow the series), then in the
    section's ``sort_by`` order (:mod:`.sections`).

    Depends on the documents found, the nav file and the front matter of the section's
    files: :func:`sections_to_reread` compares it with what the section was read with."""
    from .sections import section_entries

    folder = docname.rsplit("/", 1)[0] + "/" if "/" in docname else ""
    ordered = section_entries(env, docname, _nav_ordered(env, docname, folder))
    # relative to the section's folder, explicit (a glob would sort by name)
    entries = [
        name.removeprefix(folder) if name.startswith(folder) else posixpath.relpath(name, folder)
        for name in ordered
    ]
    if not entries:
        return ""
    return "\n\n```{toctree}\n:hidden:\n\n" + "\n".join(entries) + "\n```\n"


#: a nav file's text digest, its entries and its problems
ParsedNav = tuple[str, tuple[NavEntry, ...], tuple[Diagnostic, ...]]


def parsed_nav_file(env: BuildEnvironment, nav: Path) -> ParsedNav | None:
    """A nav file parsed once for each version of its text, kept with the environment:
    YAML is slow, and every build asks (each section's toctree, each series' order),
    also a build where nothing changed.  None when the file cannot be read."""
    try:
        text = nav.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    digest = hashlib.sha256(text.encode()).hexdigest()
    cache: dict[str, ParsedNav] = get(env, "nav_files", dict)
    found = cache.get(str(nav))
    if found is None or found[0] != digest:
        entries, problems = parse_nav_file(text)
        found = (digest, tuple(entries), tuple(problems))
        cache[str(nav)] = found
    return found


def _nav_ordered(env: BuildEnvironment, docname: str, folder: str) -> list[str]:
    """Documents of the folder's ``nav.yaml``, in its order (its problems are reported
    by the series collector, not here)."""
    nav = Path(env.doc2path(docname)).parent / "nav.yaml"
    if not nav.is_file():
        return []
    parsed = parsed_nav_file(env, nav)
    entries = parsed[1] if parsed is not None else ()
    root = root_of(env.config)
    ordered = []
    for entry in entries:
        if entry.target is None:
            continue
        # source-dir relative: Sphinx finds it in a dict (an absolute path is made
        # relative first, on every call)
        candidate = env.path2doc(posixpath.normpath(posixpath.join(root, entry.target)))
        # only the section's own pages: a nav entry elsewhere belongs to another toctree;
        # the section itself may be an entry of its series (Zola just lists the link), but
        # a toctree cannot hold its own page
        if (
            candidate in env.found_docs
            and candidate != docname
            and candidate.rsplit("/", 1)[0] + "/" == folder
        ):
            ordered.append(candidate)
    return list(dict.fromkeys(ordered))


class SectionToctrees(RecordCollector):
    """The hidden toctree each section page was read with."""

    key = "section_toctrees"

    def process_doc(self, app: Sphinx, doctree: nodes.document) -> None:
        toctree = document_store(app.env).get(CURRENT_SECTION_TOCTREE)
        if toctree is not None:
            self.records(app.env)[app.env.docname] = toctree


def sections_to_reread(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Sections whose toctree would now differ: their nav file was created, deleted or
    reordered, or one of its entries appeared or went away (a glob toctree alone is
    re-read by Sphinx only when documents are added or removed, never for a nav file)."""
    records: dict[str, str] = get(env, SectionToctrees.key, dict)
    return sorted(
        docname
        for docname, toctree in records.items()
        if docname in env.found_docs
        and docname not in changed
        and section_toctree(env, docname) != toctree
    )


def content_root(app: Sphinx) -> str:
    """The content root as a POSIX path relative to the source dir ('' = the source dir)."""
    return root_of(app.config)


def root_of(config: Any) -> str:
    """:func:`content_root` from the configuration alone."""
    return str(config.topofmind_content_root).replace("\\", "/").strip("/")


def under_root(path: str, root: str) -> str | None:
    """A source-dir-relative POSIX ``path`` relative to the content ``root`` (as
    :func:`content_root` gives it), or None outside it: ``posixpath.relpath`` without
    its cost, which counted on every build for every document."""
    root = posixpath.normpath(root) if root else "."
    path = posixpath.normpath(path)
    if root == ".":
        return None if path == ".." or path.startswith("../") else path
    return path[len(root) + 1 :] if path.startswith(root + "/") else None


def content_path_to_docname(app: Sphinx, path: str) -> str | None:
    """``section/page.md`` (content-root-relative) -> docname, if that document exists."""
    root = content_root(app)
    full = posixpath.normpath(posixpath.join(root, path)) if root else posixpath.normpath(path)
    if full.startswith(("../", "/")) or full == "..":
        return None
    # srcdir-relative: Sphinx looks the files it found up in a dict (an absolute path
    # is made relative first, on every call); remembered, as every link asks again
    docname = file_fact(app.env, ("path2doc", full), lambda: app.env.path2doc(full))
    # drafts leave found_docs after the files are found: asked each time
    if docname is None or docname not in app.env.found_docs:
        return None
    return docname


def known_shortcodes(app: Sphinx) -> set[str]:
    from .site_shortcodes import shortcode_names  # it imports this module

    names = {shortcode_name(series) for series in app.config.topofmind_series}
    return names | set(app.config.topofmind_shortcodes) | shortcode_names(app)


def is_markdown(env: BuildEnvironment, docname: str) -> bool:
    # asked for each page by several features; finding the file's path costs more
    return file_fact(
        env,
        ("is_markdown", docname),
        lambda: Path(env.doc2path(docname)).suffix.lower() in MARKDOWN_SUFFIXES,
    )


def fallback_title(docname: str) -> str:
    """A title for a page whose front matter has none: its file (or folder, for ``_index``)."""
    parts = docname.split("/")
    if parts[-1] in ("_index", "index") and len(parts) > 1:
        return parts[-2]
    return parts[-1]


def on_source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    env = app.env
    if not is_markdown(env, docname):
        return
    root = content_root(app)

    def resolve_link(path: str) -> str | None:
        docname_ = content_path_to_docname(app, path)
        if docname_ is None:
            return None
        # MyST reads a leading '/' as "relative to the source dir"
        return "/" + (posixpath.join(root, path) if root else path).lstrip("/")

    result = rewrite_source(
        source[0],
        known_shortcodes=known_shortcodes(app),
        resolve_link=resolve_link,
        mojibake=app.config.topofmind_mojibake,
        fallback_title=fallback_title(docname),
    )
    toctree = section_toctree(env, docname) if is_section(app, docname) else None
    source[0] = result.text + (toctree or "")
    document_store(env)[CURRENT_REWRITE] = result
    document_store(env)[CURRENT_SECTION_TOCTREE] = toctree
    _report(app, docname, result)


def _report(app: Sphinx, docname: str, result: Rewritten) -> None:
    for diagnostic in result.diagnostics:
        warn_diagnostic(diagnostic, docname)
    mode = app.config.topofmind_mojibake
    for repair in result.repairs:
        if mode == "warn":
            warn_diagnostic(
                Diagnostic(
                    Subtype.mojibake,
                    f"damaged text (UTF-8 read as another encoding): {repair.original.strip()[:80]!r}"
                    f" should read {repair.repaired.strip()[:80]!r}",
                    repair.line,
                ),
                docname,
            )
        else:
            # "fix" repairs silently at the default verbosity; -v shows what changed
            logger.verbose(
                "repaired damaged text: %r",
                repair.repaired.strip()[:80],
                location=(docname, repair.line),
            )


def single_page_anchors(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """singlehtml: ``#document-x#anchor`` -> ``#anchor``.

    Sphinx 9 no longer fixes the double fragment that a link to a heading of
    another page gets on the one page (``@/page.md#anchor`` through MyST, a nav
    entry with an anchor); the browser would look for an id that does not exist.
    """
    if app.builder.name != "singlehtml":
        return
    for reference in doctree.findall(nodes.reference):
        uri = reference.get("refuri", "")
        if uri.startswith("#document-") and "#" in uri[1:]:
            reference["refuri"] = uri[uri.index("#", 1) :]


def document_store(env: BuildEnvironment) -> Any:
    """Per-document scratch space: ``env.current_document`` (Sphinx 8.2+), else ``temp_data``."""
    store = getattr(env, "current_document", None)
    return store if store is not None else env.temp_data


def current_rewrite(env: BuildEnvironment) -> Rewritten | None:
    return document_store(env).get(CURRENT_REWRITE)


def setup(app: Sphinx) -> None:
    app.connect("source-read", on_source_read)
    app.add_env_collector(SectionToctrees)
    # after drafts.exclude_drafts (priority 500) has taken the drafts out of found_docs
    app.connect("env-get-outdated", sections_to_reread, priority=800)
    # late: after every handler that makes links (the series nav among them)
    app.connect("doctree-resolved", single_page_anchors, priority=900)

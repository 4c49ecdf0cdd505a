"""Site-absolute image paths (``/images/x.png``), as Zola serves them from ``static/``.

Sphinx reads a leading ``/`` as "relative to the source dir", so such an
image would be missing.  Before Sphinx's image collector runs, each one is
looked up in ``topofmind_static_path`` and pointed at the file found there
(Sphinx then copies it into ``_images/`` for every builder).  A missing file
gives one warning of ours, and the image becomes its site URL when the site's
``base_url`` is known, otherwise its alt text; either way Sphinx has nothing
left to warn about.

Any other image or downloaded file (``{download}``, a Markdown link to a file)
that resolves outside the source dir and the static folders, whether by
``../`` or through a symbolic link, is refused with a warning and never
copied into the output (Sphinx itself would copy ``../../../etc/passwd``).
"""

from __future__ import annotations

import functools
import os
import stat
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms import SphinxTransform

from .. import state
from ..report import warn
from ..zola.diagnostics import Subtype


def file_within(folder: Path, uri: str) -> Path | None:
    """The file a site-absolute path names within ``folder``, never above it (``/../x``)."""
    return _file_within_resolved(folder.resolve(), uri)


def _file_within_resolved(base: Path, uri: str) -> Path | None:
    """:func:`file_within` of a folder already resolved."""
    relative = uri.split("?")[0].split("#")[0].lstrip("/")
    found = _below(os.fspath(base), relative.split("/"))
    if found is not None:
        return Path(found[0]) if found[1] else None
    candidate = (base / relative).resolve()
    return candidate if candidate.is_relative_to(base) and candidate.is_file() else None


def _below(base: str, parts: list[str]) -> tuple[str, bool] | None:
    """``base`` (resolved) joined with ``parts`` and whether that is a file, asking the
    file system only about the parts (a resolve asks about every folder of the path);
    None when a part is a symbolic link, ``.``, ``..``, empty or holds a backslash (a
    separator on Windows): then only a resolve tells where the path leads."""
    if {"", ".", ".."} & set(parts) or any("\\" in part for part in parts):
        return None
    path, mode = base, 0
    for part in parts:
        path = f"{path}{os.sep}{part}"
        try:
            mode = os.lstat(path).st_mode
        except (OSError, ValueError):
            # missing: resolve() gives the path as written too, the parts above being no links
            return os.sep.join([base, *parts]), False
        if stat.S_ISLNK(mode):
            return None
    return path, stat.S_ISREG(mode)


def inside(folder: Path, uri: str) -> bool:
    return file_within(folder, uri) is not None


def leaves_by_link(folder: Path, uri: str) -> bool:
    """Whether ``uri`` names a path within ``folder`` that a symbolic link leads out of."""
    base = folder.resolve()
    lexical = Path(os.path.normpath(base / uri.split("?")[0].split("#")[0].lstrip("/")))
    return (
        lexical.is_relative_to(base)
        and lexical.exists()
        and not lexical.resolve().is_relative_to(base)
    )


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
        images = [
            image
            for image in self.document.findall(nodes.image)
            if site_absolute(image.get("uri", ""))
        ]
        if not images:
            return
        config = self.config
        docname = self.env.docname
        docdir = Path(self.env.doc2path(docname)).parent
        folder = docname.rpartition("/")[0]
        srcdir, static = _resolved_roots(self.env)
        for image in images:
            uri = image.get("uri", "")
            # many pages show the same images
            in_srcdir, found = state.file_fact(
                self.env,
                ("static image", uri, srcdir, tuple(static)),
                functools.partial(_static_file, srcdir, static, uri),
            )
            # a file under the source dir keeps Sphinx's own meaning of '/'
            if in_srcdir:
                continue
            if found is not None:
                # from every page of a folder the same path: found once
                image["uri"] = state.file_fact(
                    self.env,
                    ("static image from", found, folder),
                    functools.partial(_relative_posix, found, docdir),
                )
                continue
            folders = ", ".join(config.topofmind_static_path) or "empty"
            confdir = Path(state.peek(self.env, "confdir"))
            if any(leaves_by_link(confdir / f, uri) for f in config.topofmind_static_path):
                problem = f"is a symbolic link leaving topofmind_static_path ({folders})"
            else:
                problem = f"is not in topofmind_static_path ({folders})"
            warn(Subtype.image, f"image '{uri}' {problem}", (docname, _line(image)))
            base = config.topofmind_base_url
            if base:
                image["uri"] = base.rstrip("/") + uri
            else:
                alt = image.get("alt", "")
                image.replace_self(nodes.inline(alt, alt, classes=["topofmind-missing-image"]))


def _relative_posix(path: Path, start: Path) -> str:
    return Path(os.path.relpath(path, start)).as_posix()


def _static_file(srcdir: Path, static: list[Path], uri: str) -> tuple[bool, Path | None]:
    """Whether the site-absolute ``uri`` names a file under the source dir, else the file
    it names in the first static folder that has it."""
    if _file_within_resolved(srcdir, uri) is not None:
        return True, None
    found = next(
        (f for base in static if (f := _file_within_resolved(base, uri)) is not None), None
    )
    return False, found


def _is_url(uri: str) -> bool:
    # what Sphinx's asset collectors leave alone
    return "://" in uri or uri.startswith("data:")


class RefuseOutsideFiles(SphinxTransform):
    """Images and downloads that resolve outside the project are never copied.

    Runs after :class:`ResolveStaticImages` (which points site-absolute images
    at the static folders) and after the site-link transform (which turns
    Markdown ``/``-links into site URLs), before Sphinx's asset collectors.
    """

    default_priority = 207

    def apply(self, **kwargs: Any) -> None:
        images = list(self.document.findall(nodes.image))
        downloads = list(self.document.findall(addnodes.download_reference))
        if not images and not downloads:
            return
        srcdir, static = _resolved_roots(self.env)
        roots = [srcdir, *static]
        for image in images:
            uri = image.get("uri", "")
            if uri and not _is_url(uri) and (problem := self._outside(uri, roots)):
                self._warn("image", uri, problem, image)
                alt = image.get("alt", "")
                image.replace_self(nodes.inline(alt, alt, classes=["topofmind-missing-image"]))
        for download in downloads:
            target = download.get("reftarget", "")
            if target and not _is_url(target) and (problem := self._outside(target, roots)):
                self._warn("file", target, problem, download)
                download.replace_self(nodes.inline("", "", *download.children))

    def _outside(self, uri: str, roots: list[Path]) -> str | None:
        # the very path Sphinx would read ('//x' and '/../x' included); it depends on
        # the page's folder only, and every page of a folder shows the same images
        docname = self.env.docname
        _, absolute = state.file_fact(
            self.env,
            ("relfn2path", uri, docname.rpartition("/")[0]),
            lambda: self.env.relfn2path(uri, docname),
        )
        # many pages show the same images: each file is looked at once per build
        inside = state.file_fact(
            self.env,
            ("within", absolute, tuple(roots)),
            lambda: any(_within(absolute, root) for root in roots),
        )
        if inside:
            return None
        if site_absolute(uri):
            lexical = Path(self.env.srcdir).resolve() / uri.lstrip("/")
        else:
            lexical = Path(self.env.doc2path(self.env.docname)).resolve().parent / uri
        if any(Path(os.path.normpath(lexical)).is_relative_to(root) for root in roots):
            return "is a symbolic link leaving the project"
        return "is outside the project (source dir and topofmind_static_path)"

    def _warn(self, what: str, uri: str, problem: str, node: nodes.Node) -> None:
        warn(
            Subtype.image, f"{what} '{uri}' {problem}; not copied", (self.env.docname, _line(node))
        )


def _within(path: str, root: Path) -> bool:
    """Whether ``path`` (absolute, normalised), resolved, lies in ``root`` (resolved)."""
    base = os.fspath(root)
    if path.startswith(base + os.sep) and _below(base, path[len(base) + 1 :].split(os.sep)):
        return True
    return Path(path).resolve().is_relative_to(root)


def _remember_confdir(app: Sphinx) -> None:
    # transforms cannot reach the application without a deprecated accessor
    state.put(app.env, "confdir", str(app.confdir))
    state.current(app.env).pop(ROOTS, None)


#: the resolved source dir and static folders, for this build (``state.current``)
ROOTS = "asset_roots"


def _resolved_roots(env: BuildEnvironment) -> tuple[Path, list[Path]]:
    """The source dir and the static folders, resolved once a build, not once a page
    (each resolve asks the file system about every folder of the path)."""
    found: tuple[Path, list[Path]] | None = state.current(env).get(ROOTS)
    if found is None:
        confdir = state.peek(env, "confdir")
        static = (
            [(Path(confdir) / folder).resolve() for folder in env.config.topofmind_static_path]
            if confdir is not None
            else []
        )
        found = (Path(env.srcdir).resolve(), static)
        state.current(env)[ROOTS] = found
    return found


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", _remember_confdir)
    app.add_transform(ResolveStaticImages)
    app.add_transform(RefuseOutsideFiles)

"""Build a small Sphinx project for a test and collect its warnings and output."""

from __future__ import annotations

import dataclasses
import re
import shutil
import textwrap
from pathlib import Path

from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors

WARNING_LINE = re.compile(
    r"^(?P<location>.*?): (?:WARNING|ERROR): (?P<message>.*?)(?: \[(?P<type>[\w.]+)\])?$"
)


@dataclasses.dataclass
class Build:
    app: SphinxTestApp
    srcdir: Path
    outdir: Path
    warnings: list[str]
    #: documents read and written by this build, in order
    read: list[str] = dataclasses.field(default_factory=list)
    written: list[str] = dataclasses.field(default_factory=list)

    def html(self, pagename: str) -> str:
        return (self.outdir / f"{pagename}.html").read_text(encoding="utf-8")

    def text(self, name: str) -> str:
        return (self.outdir / name).read_text(encoding="utf-8")

    def warning_types(self) -> list[str]:
        found = []
        for line in self.warnings:
            match = WARNING_LINE.match(line)
            found.append(match.group("type") if match and match.group("type") else line)
        return found


def outputs(outdir: Path, suffixes: tuple[str, ...] = (".html",)) -> dict[str, str]:
    """Every output file with one of ``suffixes`` (``searchindex.js`` too when asked
    for ``.js``), by path: to compare two builds page by page."""
    return {
        str(path.relative_to(outdir)): path.read_text(encoding="utf-8", errors="replace")
        for path in sorted(outdir.rglob("*"))
        if path.suffix in suffixes
        and ".doctrees" not in path.parts
        and (path.suffix != ".js" or path.name == "searchindex.js")
    }


def main_content(outdir: Path) -> dict[str, str]:
    """Every HTML page's main content (theme sidebars are Sphinx's own business), by path."""
    pages = {}
    for page in sorted(outdir.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        if '<div class="body"' in text:
            text = text[text.index('<div class="body"') : text.index('<div class="sphinxsidebar"')]
        pages[str(page.relative_to(outdir))] = text
    return pages


def corpus_project(root: Path, corpus: Path, extra_conf: str = "") -> Path:
    """The real corpus's ``content/`` as a Sphinx project rooted at its section page."""
    shutil.copytree(corpus / "content", root / "content")
    (root / "conf.py").write_text(
        'extensions = ["sphinx_topofmind"]\n'
        'root_doc = "content/top-of-mind/_index"\n'
        'topofmind_content_root = "content"\n' + extra_conf,
        encoding="utf-8",
    )
    return root


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


def build(
    srcdir: Path,
    buildername: str = "html",
    *,
    confoverrides: dict | None = None,
    parallel: int = 0,
    freshenv: bool = True,
    outdir: Path | None = None,
) -> Build:
    """Run one build; the warnings come back one per line, colours stripped."""
    kwargs = {}
    if outdir is not None:
        kwargs["builddir"] = outdir
    app = SphinxTestApp(
        buildername,
        srcdir=srcdir,
        confoverrides=confoverrides or {},
        parallel=parallel,
        freshenv=freshenv,
        **kwargs,
    )
    read: list[str] = []
    written: list[str] = []
    app.connect("source-read", lambda app_, docname, source: read.append(docname))
    app.connect("doctree-resolved", lambda app_, doctree, docname: written.append(docname))
    try:
        app.build()
    finally:
        app.cleanup()
    text = strip_colors(app.warning.getvalue())
    warnings = [line for line in text.splitlines() if line.strip()]
    return Build(
        app=app,
        srcdir=srcdir,
        outdir=Path(app.outdir),
        warnings=warnings,
        read=read,
        written=written,
    )

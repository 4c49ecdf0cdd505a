"""Hostile input: each case under ``tests/hostile/cases/<NN-name>/`` is built in a
fresh project beside two healthy articles, and must

1. build without an exception;
2. give exactly the warnings listed in its ``expected.txt``;
3. fail a ``-W`` build exactly when it warns (Sphinx 9: ``warningiserror=True``
   no longer raises, it sets ``app.statuscode`` to 1 at the end of the build);
4. let no markup from the input reach the HTML unescaped;
5. write nothing outside ``_build/`` and change nothing in the source tree
   (and no copy of ``/etc/passwd`` anywhere in the output);
6. leave the healthy companions in the series nav and on ``tags/healthy.html``.

How long a case takes is not asserted here (a shared machine makes any budget
flaky): ``python benchmarks/hostile.py`` times every case.

A case directory holds

``content/...``
    the hostile files (copied under the project's ``content/``);
``generate.py`` (optional)
    ``files() -> dict[str, bytes]``: files too big or too odd (CRLF, NUL) to
    keep as data, paths relative to the project;
``conf.py`` (optional)
    lines appended to the harness's ``conf.py`` (e.g. ``html_baseurl``, which
    the feeds need);
``expected.txt``
    one warning per line, ``<path>:<line>: [<type>] <message fragment>``
    (``<path>: [<type>] ...`` for a warning without a line); ``#`` comments;
``markers.txt`` (optional)
    extra strings that must not appear in any output ``.html`` file;
``xfail.txt`` (optional)
    the reason the case is a known bug; ``expected.txt`` then holds the
    *correct* behaviour and the case is ``xfail(strict=True)``.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
from pathlib import Path

import pytest
import sphinx
from bs4 import BeautifulSoup
from sphinx.errors import SphinxWarning
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors

CASES = Path(__file__).parent / "hostile" / "cases"

CONF = 'extensions = ["sphinx_topofmind"]\ntopofmind_content_root = "content"\n'
INDEX = "# Home\n\n```{toctree}\n:glob:\n\ncontent/**\n```\n"
HEALTHY = {
    "content/top-of-mind/ok-1.md": (
        '+++\ntitle = "Healthy one"\ndate = "2024-01-01"\n\n[taxonomies]\ntags = ["healthy"]\n+++\n\n'
        "## Body\n\nFine.\n\n{{ top_of_mind_nav(selected=1) }}\n"
    ),
    "content/top-of-mind/ok-2.md": (
        '+++\ntitle = "Healthy two"\ndate = "2024-01-02"\n\n[taxonomies]\ntags = ["healthy"]\n+++\n\n'
        "## Body\n\nFine.\n\n{{ top_of_mind_nav(selected=2) }}\n"
    ),
}
HEALTHY_TITLES = ["Healthy one", "Healthy two"]

#: Markup the cases put in their input; none of it may reach the HTML as markup
#: (escaped, ``&lt;img src=x onerror=...`` is fine: only raw ``<`` counts).  The
#: parsed pages are also checked for ``javascript:`` URLs and ``on*`` attributes.
MARKERS = ["<script>alert", "<img src=x", "<b>y</b>", "<i>desc</i>", "<marquee"]

WARNING = re.compile(
    r"^(?:(?P<location>.*?): )?(?:WARNING|ERROR|CRITICAL): (?P<message>.*?)(?: \[(?P<type>[\w.]+)\])?$"
)
EXPECTED = re.compile(
    r"^(?P<path>[^:]+?)(?::(?P<line>\d+))?: \[(?P<type>[\w.]+)\] (?P<fragment>.*)$"
)


def case_dirs() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if p.is_dir())


def params():
    for case in case_dirs():
        marks = []
        if (case / "xfail.txt").is_file():
            reason = (case / "xfail.txt").read_text(encoding="utf-8").strip()
            marks.append(pytest.mark.xfail(strict=True, reason=reason))
        yield pytest.param(case, id=case.name, marks=marks)


def read_expected(case: Path) -> list[tuple[str, int | None, str, str]]:
    expected = []
    for raw in (case / "expected.txt").read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        match = EXPECTED.match(raw)
        assert match, f"bad line in {case.name}/expected.txt: {raw!r}"
        line = int(match["line"]) if match["line"] else None
        expected.append((match["path"], line, match["type"], match["fragment"]))
    return expected


def parse_warning(text: str, srcdir: Path) -> tuple[str, int | None, str, str]:
    match = WARNING.match(text)
    if match is None:
        return ("?", None, "?", text)  # a continuation line or a traceback: never expected
    location = match["location"] or ""
    path, line = location, None
    if (m := re.match(r"^(.*?):(\d+)$", location)) is not None:
        path, line = m[1], int(m[2])
    prefix = str(srcdir) + "/"
    path = path.removeprefix(prefix)
    return (path, line, match["type"] or "", match["message"])


def project_files(case: Path) -> dict[str, bytes]:
    conf = CONF
    if (case / "conf.py").is_file():
        conf += (case / "conf.py").read_text(encoding="utf-8")
    files: dict[str, bytes] = {"conf.py": conf.encode(), "index.md": INDEX.encode()}
    files.update({name: text.encode() for name, text in HEALTHY.items()})
    for path in sorted((case / "content").rglob("*")):
        if path.is_file():
            files[path.relative_to(case).as_posix()] = path.read_bytes()
    generator = case / "generate.py"
    if generator.is_file():
        spec = importlib.util.spec_from_file_location(
            f"hostile_{case.name.replace('-', '_')}", generator
        )
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        files.update(module.files())
    return files


def snapshot(root: Path, skip: Path) -> dict[str, str]:
    state = {}
    for path in sorted(root.rglob("*")):
        if path == skip or skip in path.parents:
            continue
        if path.is_symlink():
            state[str(path)] = "link:" + str(path.readlink())
        elif path.is_file():
            state[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            state[str(path)] = "dir"
    return state


def series_names(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    nav = soup.select_one("nav.topofmind-series-top-of-mind")
    assert nav is not None, "no series nav"
    return [
        li.get_text().strip().removeprefix("▶ ")
        for li in nav.select("ul.topofmind-series-list > li")
    ]


#: Before Sphinx 8.1, -W raised at the first warning instead of failing at the end
W_RAISES = sphinx.version_info < (8, 1)


@pytest.mark.parametrize("case", list(params()))
def test_hostile_case(case: Path, tmp_path: Path) -> None:
    srcdir = tmp_path / "site"
    for name, content in project_files(case).items():
        path = srcdir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    builddir = srcdir / "_build"
    before = snapshot(tmp_path, builddir)

    # (1) the build finishes; (3) with -W it fails exactly when it warns
    app = SphinxTestApp(
        "html", srcdir=srcdir, builddir=builddir, freshenv=True, warningiserror=not W_RAISES
    )
    try:
        app.build()
    finally:
        app.cleanup()
    outdir = Path(app.outdir)
    lines = [line for line in strip_colors(app.warning.getvalue()).splitlines() if line.strip()]
    actual = [parse_warning(line, srcdir) for line in lines]

    # (2) exactly the expected warnings (in any order)
    expected = read_expected(case)
    unmatched = list(actual)
    missing = []
    for path, line, kind, fragment in expected:
        for candidate in unmatched:
            if candidate[:3] == (path, line, kind) and fragment in candidate[3]:
                unmatched.remove(candidate)
                break
        else:
            missing.append((path, line, kind, fragment))
    assert not missing and not unmatched, (
        f"\nexpected but not given: {missing}\ngiven but not expected: {unmatched}\nall warnings:\n"
        + "\n".join(lines)
    )
    if W_RAISES:
        # Sphinx < 8.1 stops at the first warning under -W: build once more to see it
        strict = SphinxTestApp(
            "html", srcdir=srcdir, builddir=builddir / "strict", freshenv=True, warningiserror=True
        )
        try:
            if expected:
                with pytest.raises(SphinxWarning):
                    strict.build()
            else:
                strict.build()
        finally:
            strict.cleanup()
    else:
        assert app.statuscode == (1 if expected else 0)

    # (4) no markup from the input in any page
    markers = list(MARKERS)
    if (case / "markers.txt").is_file():
        markers += [m for m in (case / "markers.txt").read_text(encoding="utf-8").splitlines() if m]
    passwd = Path("/etc/passwd").read_bytes() if Path("/etc/passwd").is_file() else None
    for page in outdir.rglob("*"):
        if not page.is_file():
            continue
        if passwd is not None and page.stat().st_size == len(passwd):
            assert page.read_bytes() != passwd, f"/etc/passwd copied to {page.relative_to(outdir)}"
        if page.suffix != ".html":
            continue
        text = page.read_text(encoding="utf-8", errors="replace")
        for marker in markers:
            assert marker not in text, f"{marker!r} unescaped in {page.relative_to(outdir)}"
        soup = BeautifulSoup(text, "html.parser")
        for tag in soup.find_all(True):
            for attr, value in tag.attrs.items():
                values = value if isinstance(value, list) else [value]
                for v in values:
                    assert not re.match(r"\s*(javascript|vbscript|data):", str(v), re.IGNORECASE), (
                        page.name,
                        tag.name,
                        attr,
                        v,
                    )
            assert not any(a.lower().startswith("on") for a in tag.attrs), (page.name, tag)

    # (5) nothing written outside _build/, nothing in the sources changed
    assert snapshot(tmp_path, builddir) == before
    assert not (outdir.parent.parent.parent / "etc").exists()

    # (6) the healthy companions are still in the series and on their tag page
    for name, title in zip(HEALTHY, HEALTHY_TITLES):
        page = outdir / name.replace(".md", ".html")
        assert page.is_file(), name
        names = series_names(page.read_text(encoding="utf-8"))
        assert "Healthy one" in names and "Healthy two" in names, names
        assert names.index("Healthy one") < names.index("Healthy two"), names
    tag_page = BeautifulSoup(
        (outdir / "tags" / "healthy.html").read_text(encoding="utf-8"), "html.parser"
    )
    listed = [a.get_text() for a in tag_page.select("ul.topofmind-tag-articles a")]
    assert sorted(listed) == HEALTHY_TITLES, listed

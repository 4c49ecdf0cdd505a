"""Builds do not leak into each other; parallel reads give the serial output."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from building import build, corpus_project, write_tree

CONF = 'extensions = ["sphinx_topofmind"]\ntopofmind_content_root = "content"\n'
INDEX = "# Home\n\n```{toctree}\n:glob:\n\ncontent/**\n```\n"


def post(title: str, tag: str, position: int, shortcode: str = "top_of_mind_nav") -> str:
    return (
        f'+++\ntitle = "{title}"\ndate = "2024-01-0{position}"\n\n[taxonomies]\ntags = ["{tag}"]\n+++\n\n'
        f"## Body\n\n{{{{ {shortcode}(selected={position}) }}}}\n"
    )


def test_two_projects_in_one_process_do_not_leak(tmp_path: Path) -> None:
    first = write_tree(
        tmp_path / "first",
        {
            "conf.py": CONF
            + 'topofmind_series = {"top-of-mind": {}, "roadmap": {}}\nhtml_static_path = []\n',
            "index.md": INDEX,
            "content/a.md": post("First A", "only-first", 1),
            "content/r.md": post("Road", "only-first", 1, "roadmap_nav"),
        },
    )
    second = write_tree(
        tmp_path / "second",
        {
            "conf.py": CONF,
            "index.md": INDEX,
            "content/b.md": post("Second B", "only-second", 1),
            "content/c.md": '+++\ntitle = "C"\n+++\n\n```{roadmap-nav}\n```\n',
        },
    )
    one = build(first)
    two = build(second)
    assert one.warnings == []
    # the first project's 'roadmap' series left no directive behind
    assert two.warning_types() == ["myst.directive_unknown"]
    page = two.html("content/b")
    assert "First A" not in page and "Road" not in page
    assert sorted(p.name for p in (two.outdir / "tags").glob("*.html")) == [
        "index.html",
        "only-second.html",
    ]
    # the second project knows nothing of the first one's extra series
    assert two.app.config.topofmind_series == {"top-of-mind": {"title": "Top of Mind"}}
    # and one's html_static_path was not changed by the extension for later builds
    assert two.app.config.html_static_path.count(two.app.config.html_static_path[-1]) == 1


def test_corpus_parallel_equals_serial(tmp_path: Path, corpus: Path) -> None:
    project = corpus_project(
        tmp_path / "corpus", corpus, 'suppress_warnings = ["topofmind.image"]\n'
    )
    serial = build(project, outdir=tmp_path / "serial")
    parallel = build(project, outdir=tmp_path / "parallel", parallel=2)
    assert serial.warnings == parallel.warnings == []
    pages = sorted(p.relative_to(serial.outdir) for p in serial.outdir.rglob("*.html"))
    assert pages == sorted(p.relative_to(parallel.outdir) for p in parallel.outdir.rglob("*.html"))
    for page in pages:
        assert (serial.outdir / page).read_text(encoding="utf-8") == (
            parallel.outdir / page
        ).read_text(encoding="utf-8"), page


@pytest.mark.parametrize("builder", ["html", "text", "man"])
def test_docs_build_cleanly(tmp_path: Path, builder: str) -> None:
    docs = Path(__file__).resolve().parents[1] / "docs"
    target = tmp_path / "docs"
    shutil.copytree(docs, target, ignore=shutil.ignore_patterns("_build"))
    # docs/changelog.md and docs/contributing.md include the project's own files
    for name in ("CHANGELOG.md", "CONTRIBUTING.md"):
        shutil.copy(docs.parent / name, tmp_path)
    result = build(target, builder, confoverrides={"nitpicky": True})
    assert result.warnings == []

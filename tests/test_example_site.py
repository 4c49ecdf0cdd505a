"""The example site: every builder with -W, and -j 2 identical to -j 1."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from building import build

EXAMPLE = Path(__file__).resolve().parents[1] / "example_site"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    # a copy, so no build output ever lands in the repository
    target = tmp_path / "example_site"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("_build"))
    return target


@pytest.mark.parametrize(
    "builder", ["html", "dirhtml", "singlehtml", "latex", "text", "man", "texinfo", "epub"]
)
def test_builds_without_warnings(example: Path, builder: str) -> None:
    result = build(example, builder)
    assert result.warnings == []


def test_source_dir_is_left_alone(example: Path) -> None:
    before = sorted(p.relative_to(example) for p in example.rglob("*"))
    build(example, "html", outdir=example.parent / "out")
    after = sorted(p.relative_to(example) for p in example.rglob("*"))
    assert after == before


def test_draft_is_not_published(example: Path) -> None:
    result = build(example)
    assert not (result.outdir / "content/notes/half-formed-ideas.html").exists()
    assert "half-formed" not in (result.outdir / "tags/index.html").read_text(encoding="utf-8")


def _pages(outdir: Path) -> dict[str, str]:
    pages = {}
    for page in sorted(outdir.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        # the search index and build timestamps differ per run, not per content
        pages[str(page.relative_to(outdir))] = re.sub(r"\?v=[0-9a-f]+", "", text)
    return pages


def test_parallel_output_equals_serial(tmp_path: Path, example: Path) -> None:
    serial = build(example, outdir=tmp_path / "serial")
    parallel = build(example, outdir=tmp_path / "parallel", parallel=2)
    assert serial.warnings == parallel.warnings == []
    assert _pages(serial.outdir) == _pages(parallel.outdir)

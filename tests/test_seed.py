"""The as-received seed article, alone in a project whose conf.py names only the extension."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from building import build


@pytest.fixture
def seed_project(tmp_path: Path, seed: Path) -> Path:
    project = tmp_path / "seed"
    project.mkdir()
    shutil.copy(seed, project / seed.name)
    (project / "conf.py").write_text('extensions = ["sphinx_topofmind"]\n', encoding="utf-8")
    return project


def test_seed_builds_with_only_the_missing_image_warning(seed_project: Path, seed: Path) -> None:
    result = build(seed_project)
    assert result.warnings == [
        (
            f"{seed_project / seed.name}:9: WARNING: image '/images/size/w1200/2024/03/dream-job.png' "
            "is not in topofmind_static_path (empty) [topofmind.image]"
        )
    ]
    page = result.html(seed.stem)
    assert "<title>Build Strong Connections to Land Your Dream Job &#8212;" in page
    assert "<h1>Build Strong Connections to Land Your Dream Job<a" in page
    for leaked in ("+++", "title =", "[taxonomies]", "{{", "{%", "√"):
        assert leaked not in page
    assert "résumé" in page
    assert "🦄" in page
    assert '<time class="topofmind-date" datetime="2023-08-18">August 18, 2023</time>' in page
    for tag in ("top-of-mind", "career", "networking"):
        assert f'href="tags/{tag}.html">{tag}</a>' in page
        assert (result.outdir / "tags" / f"{tag}.html").is_file()
    # nothing was written next to the source
    assert sorted(p.name for p in seed_project.iterdir()) == sorted(
        ["_build", "conf.py", seed.name]
    )


def test_seed_heading_levels_do_not_warn(seed_project: Path) -> None:
    result = build(seed_project, "text")
    assert all("topofmind.image" in line for line in result.warnings)
    assert not any("H2" in line for line in result.warnings)


@pytest.mark.parametrize(
    ("mode", "expect_fixed", "expected_types"),
    [
        ("warn", False, ["topofmind.mojibake", "topofmind.mojibake", "topofmind.image"]),
        ("off", False, ["topofmind.image"]),
        ("fix", True, ["topofmind.image"]),
    ],
)
def test_mojibake_modes(
    seed_project: Path, seed: Path, mode: str, expect_fixed: bool, expected_types: list[str]
) -> None:
    result = build(seed_project, confoverrides={"topofmind_mojibake": mode})
    assert result.warning_types() == expected_types
    page = result.html(seed.stem)
    assert ("résumé" in page) is expect_fixed
    assert ("r√©sum√©" in page) is not expect_fixed
    if mode == "warn":
        assert f"{seed.name}:14: WARNING: damaged text" in result.warnings[0]
        assert f"{seed.name}:123: WARNING: damaged text" in result.warnings[1]

"""Images and downloads never bring a file from outside the project into the output."""

from __future__ import annotations

import os
from pathlib import Path

from building import build, write_tree
from hypothesis import given
from hypothesis import strategies as st
from test_features import CONF, INDEX, article, png


def test_symlinked_folder_in_static_path_is_refused_as_a_link(tmp_path: Path) -> None:
    outside = write_tree(tmp_path / "elsewhere", {"secret.png": png()})
    project = write_tree(
        tmp_path / "site",
        {
            "conf.py": CONF,
            "index.md": INDEX,
            "static/images/ok.png": png(),
            "content/a.md": article(
                "A", "\n![ok](/images/ok.png)\n\n![linked](/linked/secret.png)\n"
            ),
        },
    )
    (project / "static" / "linked").symlink_to(outside, target_is_directory=True)
    result = build(project)
    assert result.warnings == [
        (
            f"{project / 'content/a.md'}:11: WARNING: image '/linked/secret.png' is a symbolic "
            "link leaving topofmind_static_path (static) [topofmind.image]"
        )
    ]
    assert sorted(p.name for p in (result.outdir / "_images").iterdir()) == ["ok.png"]


def test_relative_paths_through_a_link_or_out_of_the_project_are_not_copied(
    tmp_path: Path,
) -> None:
    outside = write_tree(tmp_path / "elsewhere", {"secret.png": png(), "secret.pdf": b"%PDF"})
    project = write_tree(
        tmp_path / "site",
        {
            "conf.py": CONF,
            "index.md": INDEX,
            "content/pic.png": png(),
            "content/paper.pdf": b"%PDF",
            "content/a.md": article(
                "A",
                "\n![pic](pic.png) [paper](paper.pdf)\n\n"
                "![via link](linked/secret.png) [via link](linked/secret.pdf)\n\n"
                "![up](../../elsewhere/secret.png) {download}`up <../../elsewhere/secret.pdf>`\n",
            ),
        },
    )
    (project / "content" / "linked").symlink_to(outside, target_is_directory=True)
    result = build(project)
    where = f"{project / 'content/a.md'}"
    link = "is a symbolic link leaving the project; not copied [topofmind.image]"
    out = (
        "is outside the project (source dir and topofmind_static_path); not copied "
        "[topofmind.image]"
    )
    assert sorted(result.warnings) == sorted(
        [
            f"{where}:11: WARNING: image 'linked/secret.png' {link}",
            f"{where}:11: WARNING: file 'linked/secret.pdf' {link}",
            f"{where}:13: WARNING: image '../../elsewhere/secret.png' {out}",
            f"{where}:13: WARNING: file '../../elsewhere/secret.pdf' {out}",
        ]
    )
    copied = sorted(
        p.name for d in ("_images", "_downloads") for p in (result.outdir / d).rglob("*.*")
    )
    assert copied == ["paper.pdf", "pic.png"]
    page = result.html("content/a")
    assert '<span class="topofmind-missing-image">via link</span>' in page


# the lookup asks the file system only below the folder; it must say what a full
# resolve says, links, dots and missing parts included
_TREE_PARTS = st.sampled_from(["a", "b", "f.png", "link", "up", "..", ".", "", "x\\..", "missing"])


def _tree(root: Path) -> Path:
    base = root / "static"
    (base / "a" / "b").mkdir(parents=True)
    (base / "a" / "f.png").write_bytes(b"png")
    (base / "a" / "b" / "f.png").write_bytes(b"png")
    (root / "f.png").write_bytes(b"outside")
    (base / "link").symlink_to(base / "a")
    (base / "a" / "up").symlink_to(root)
    return base.resolve()


@given(parts=st.lists(_TREE_PARTS, min_size=1, max_size=5))
def test_the_static_lookup_agrees_with_a_full_resolve(tmp_path_factory, parts: list[str]) -> None:
    from sphinx_topofmind.features import images

    base = _tree(tmp_path_factory.mktemp("tree"))
    uri = "/" + "/".join(parts)
    candidate = (base / uri.lstrip("/")).resolve()
    expected = candidate if candidate.is_relative_to(base) and candidate.is_file() else None
    assert images._file_within_resolved(base, uri) == expected
    lexical = os.path.normpath(base / uri.lstrip("/"))
    assert images._within(lexical, base) == Path(lexical).resolve().is_relative_to(base)

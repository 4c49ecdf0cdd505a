"""Each private Sphinx name the package relies on (``sphinx_topofmind/compat.py``)
still works: a Sphinx upgrade that breaks one fails here, by name."""

from __future__ import annotations

from pathlib import Path

from building import build, write_tree

from sphinx_topofmind import compat, config


def test_conf_py_values_sees_what_conf_py_assigned(tmp_path: Path) -> None:
    src = write_tree(
        tmp_path / "src",
        {
            "conf.py": 'extensions = ["sphinx_topofmind"]\nmyst_heading_anchors = 2\n',
            "index.md": "# Home\n",
        },
    )
    result = build(src, confoverrides={"topofmind_drafts": True})
    values = compat.conf_py_values(result.app.config)
    assert values["myst_heading_anchors"] == 2
    # a default is no choice, and an override is not conf.py's
    assert "myst_heading_slug_func" not in values
    assert "topofmind_drafts" not in values
    assert config.project_sets(result.app.config, "topofmind_drafts")
    # so the project's own value survives the extension's defaults
    assert result.app.config.myst_heading_anchors == 2


def test_previous_build_info_reads_the_last_build(tmp_path: Path) -> None:
    src = write_tree(
        tmp_path / "src",
        {"conf.py": 'extensions = ["sphinx_topofmind"]\n', "index.md": "# Home\n"},
    )
    out = tmp_path / "out"
    first = build(src, outdir=out)
    previous = compat.previous_build_info(first.outdir)
    assert previous is not None
    assert previous == first.app.builder.build_info
    assert compat.previous_build_info(tmp_path / "nowhere") is None


def test_myst_renderer_is_reachable_from_a_role(tmp_path: Path) -> None:
    # a project shortcode mapped to a directive runs through MyST's renderer; if the private
    # name goes away the call is shown as text with a "failed" warning instead
    src = write_tree(
        tmp_path / "src",
        {
            "conf.py": 'extensions = ["sphinx_topofmind"]\n'
            'topofmind_shortcodes = {"note": {"directive": "note", "argument": "text"}}\n',
            "index.md": '+++\ntitle = "Home"\n+++\n\n{{ note(text="Careful") }}\n',
        },
    )
    result = build(src)
    assert result.warnings == []
    assert '<div class="admonition note">' in result.html("index")

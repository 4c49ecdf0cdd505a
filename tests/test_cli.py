"""``sphinx-topofmind init``: a conf.py for a Zola site, and a build command that works."""

from __future__ import annotations

import io
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from building import write_tree
from sphinx.cmd.build import build_main

from sphinx_topofmind import __version__, cli


def tiny_site(root: Path) -> Path:
    return write_tree(
        root,
        {
            "config.toml": 'title = "Tiny"\nbase_url = "https://tiny.example"\n',
            "content/_index.md": '+++\ntitle = "Home"\n+++\n\nHello.\n',
            "content/notes/_index.md": '+++\ntitle = "Notes"\n+++\n',
            "content/notes/one.md": '+++\ntitle = "One"\ndate = 2024-05-01\n+++\n\nText.\n',
        },
    )


def test_init_writes_conf_py_and_the_command_builds(tmp_path: Path) -> None:
    site = tiny_site(tmp_path / "site")
    out = io.StringIO()
    assert cli.init(str(site), out) == 0
    conf = (site / "conf.py").read_text(encoding="utf-8")
    assert 'extensions = ["sphinx_topofmind"]' in conf
    assert 'topofmind_zola_site = "."' in conf
    assert "(Tiny)" in conf
    command = out.getvalue().splitlines()[-1].strip()
    args = shlex.split(command)
    assert args[0] == "sphinx-build"
    assert build_main([*args[1:], "-q", "-W"]) == 0
    built = site / "_build" / "dirhtml"
    assert (built / "notes" / "one" / "index.html").is_file()


def test_init_never_overwrites(tmp_path: Path) -> None:
    site = tiny_site(tmp_path / "site")
    (site / "conf.py").write_text("# mine\n", encoding="utf-8")
    assert cli.init(str(site), io.StringIO()) == 0
    assert (site / "conf.py").read_text(encoding="utf-8") == "# mine\n"


def test_init_refuses_a_folder_without_content(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["init", str(tmp_path)]) == 1
    assert "has no content/ folder" in capsys.readouterr().err
    assert not (tmp_path / "conf.py").exists()


def test_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "sphinx_topofmind.cli", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.strip() == f"sphinx-topofmind {__version__}"

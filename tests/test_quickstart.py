"""docs/quickstart.md works when followed literally.

Every ``{code-block}`` whose ``:caption:`` is a path is a file the reader
creates; the ``$ sphinx-build`` command of the page is then run as written,
in-process, in that folder.  It must succeed with ``-W`` and give what the page
promises.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from sphinx.cmd.build import build_main

QUICKSTART = Path(__file__).resolve().parents[1] / "docs" / "quickstart.md"

#: an opening fence of three or more backticks with a ``code-block`` and its caption
BLOCK = re.compile(
    r"^(?P<fence>`{3,})\{code-block\}[^\n]*\n:caption: (?P<path>[^\n]+)\n\n(?P<body>.*?)^(?P=fence)$",
    re.MULTILINE | re.DOTALL,
)


def quickstart_files(text: str) -> dict[str, str]:
    files = {m["path"].strip(): m["body"] for m in BLOCK.finditer(text)}
    for path in files:
        assert not path.startswith("/") and ".." not in path.split("/"), path
    return files


def quickstart_build_command(text: str) -> list[str]:
    (line,) = [line for line in text.splitlines() if line.startswith("$ sphinx-build ")]
    return shlex.split(line.removeprefix("$ sphinx-build "))


def test_the_quickstart_builds_with_W_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    text = QUICKSTART.read_text(encoding="utf-8")
    files = quickstart_files(text)
    assert sorted(files) == [
        "conf.py",
        "content/top-of-mind/naming-branches.md",
        "content/top-of-mind/small-prs.md",
        "index.md",
        "static/images/branches.svg",
    ]
    blog = tmp_path / "my-blog"
    for name, body in files.items():
        (blog / name).parent.mkdir(parents=True, exist_ok=True)
        (blog / name).write_text(body, encoding="utf-8")
    args = quickstart_build_command(text)
    assert "-W" in args
    monkeypatch.chdir(blog)
    status = build_main(args)
    assert status == 0, capsys.readouterr().err

    out = blog / "_build" / "html"
    page = (out / "content/top-of-mind/naming-branches.html").read_text(encoding="utf-8")
    # what the page promises: the image copied, the anchor link, the series nav, the tags
    assert (out / "_images" / "branches.svg").is_file()
    assert 'href="small-prs.html#keep-them-small"' in page
    assert "topofmind-series-top-of-mind" in page
    assert (out / "tags" / "git.html").is_file()

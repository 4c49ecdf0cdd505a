"""Labels and dates follow the project's language; the catalogs cover every message."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from building import build, write_tree

PACKAGE = Path(__file__).resolve().parents[1] / "sphinx_topofmind"


def messages_in_code() -> set[str]:
    """Every literal passed to ``_()`` in the package."""
    found = set()
    for module in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "_"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.add(node.args[0].value)
    return found


@pytest.mark.parametrize("language", ["de", "tr"])
def test_catalog_is_complete(language: str) -> None:
    path = PACKAGE / "locale" / language / "LC_MESSAGES" / "sphinx_topofmind.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    translated = {message.id for message in catalog if message.id and message.string}
    assert messages_in_code() <= translated
    mo = path.with_suffix(".mo")
    assert mo.is_file() and mo.stat().st_mtime >= path.stat().st_mtime - 1


def test_german_labels_and_dates(tmp_path: Path) -> None:
    src = write_tree(
        tmp_path / "de",
        {
            "conf.py": 'extensions = ["sphinx_topofmind"]\nlanguage = "de"\n',
            "index.md": "# Start\n\n```{toctree}\na\nb\n```\n",
            "a.md": '+++\ntitle = "A"\ndate = "2023-08-18"\nupdated = "2024-01-02"\n\n[taxonomies]\ntags = ["x"]\n+++\n\n{{ top_of_mind_nav(selected=1) }}\n',
            "b.md": '+++\ntitle = "B"\ndate = "2023-08-19"\n+++\n\n{{ top_of_mind_nav(selected=2) }}\n',
        },
    )
    result = build(src)
    assert result.warnings == []
    page = result.html("a")
    assert ">18. August 2023</time>" in page
    assert "Aktualisiert <time" in page
    assert "Schlagwörter: </span>" in page
    assert 'aria-label="Reihe Top of Mind"' in page
    assert "Weiter: B →" in page
    tag_page = (result.outdir / "tags/x.html").read_text(encoding="utf-8")
    assert (
        "Schlagwort: x" in tag_page and "1 Artikel" in tag_page and "Alle Schlagwörter" in tag_page
    )

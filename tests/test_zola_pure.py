"""The Zola-format subpackage stays pure: no sphinx, docutils or myst_parser, directly or not."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "sphinx_topofmind"
ZOLA = PACKAGE / "zola"
FORBIDDEN = ("sphinx", "docutils", "myst_parser")
# recursive, so that subpackages (zola/tera/) are guarded too
MODULES = sorted(ZOLA.rglob("*.py"))


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "__import__":
            names.update(a.value for a in node.args if isinstance(a, ast.Constant))
    return {str(name) for name in names}


def test_there_are_modules_to_check() -> None:
    names = {p.relative_to(ZOLA).as_posix() for p in MODULES}
    assert names >= {"__init__.py", "site_config.py", "tera/__init__.py"}


def test_imported_names_sees_every_form() -> None:
    tree = ast.parse("import sphinx.util\nfrom docutils import nodes\n__import__('myst_parser')")
    assert imported_names(tree) == {"sphinx.util", "docutils", "myst_parser"}


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.relative_to(ZOLA).as_posix())
def test_no_forbidden_import_in_source(module: Path) -> None:
    names = imported_names(ast.parse(module.read_text(encoding="utf-8"), str(module)))
    bad = sorted(n for n in names if n.split(".")[0] in FORBIDDEN)
    assert bad == [], f"{module_name(module)} imports {bad}"


# The real parent package is imported too: its __init__ must stay free of Sphinx at
# import time (setup() imports the Sphinx side only when Sphinx calls it).
PROBE = """
import importlib, json, sys
sys.path.insert(0, {root!r})
for name in {modules!r}:
    importlib.import_module(name)
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in {forbidden!r})))
"""


def test_importing_the_subpackage_loads_no_forbidden_module() -> None:
    modules = [module_name(p) for p in MODULES]
    assert "sphinx_topofmind.zola" in modules and "sphinx_topofmind.zola.tera" in modules
    code = PROBE.format(root=str(PACKAGE.parent), modules=modules, forbidden=FORBIDDEN)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []


def test_the_probe_would_notice() -> None:
    # the same probe, importing a module that does pull in docutils, reports it
    code = PROBE.format(root=str(PACKAGE.parent), modules=["docutils.nodes"], forbidden=FORBIDDEN)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "docutils.nodes" in json.loads(result.stdout.strip().splitlines()[-1])

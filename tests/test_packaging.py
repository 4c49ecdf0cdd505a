"""Release readiness: the package metadata, the CI, release and Read the Docs files, and
that CI runs the very commands of the local gate ``.ci/run``.

The workflow and Read the Docs files are validated against the schemas check-jsonschema
vendors (no network); everything else is read from the files themselves, so these tests
also pass from the unpacked sdist.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from packaging.specifiers import SpecifierSet
from packaging.version import Version
from trove_classifiers import classifiers as known_classifiers

import sphinx_topofmind

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]
WORKFLOWS = ROOT / ".github" / "workflows"


def load_yaml(path: Path) -> Any:
    # PyYAML reads the key "on" as True (YAML 1.1); GitHub reads it as "on"
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


CI = load_yaml(WORKFLOWS / "ci.yml")
RELEASE = load_yaml(WORKFLOWS / "release.yml")


def run_lines(job: dict[str, Any]) -> list[str]:
    """Every line of every ``run:`` step of a job."""
    return [
        line.strip()
        for step in job["steps"]
        for line in step.get("run", "").splitlines()
        if line.strip()
    ]


def gate_commands() -> list[str]:
    """The commands ``.ci/run`` runs, without comments, shell set-up and the apt block."""
    commands = []
    for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith((".venv/bin/", "python3 -m venv", ".ci/")):
            commands.append(line)
    return commands


@pytest.mark.parametrize(
    ("schema", "files"),
    [
        ("vendor.github-workflows", ["ci.yml", "release.yml"]),
        ("vendor.readthedocs", ["../../.readthedocs.yaml"]),
    ],
)
def test_files_validate_against_their_schema(schema: str, files: list[str]) -> None:
    paths = [str((WORKFLOWS / name).resolve()) for name in files]
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *paths],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ci_runs_every_command_of_the_local_gate() -> None:
    commands = gate_commands()
    # the gate: install, lint pins, ruff, ruff format, mypy, docs, pytest, dist
    assert len(commands) == 8, commands
    ci_lines = [line for job in CI["jobs"].values() for line in run_lines(job)]
    for command in commands:
        if command.startswith(".ci/check-dist"):
            # the gate runs a quick part of the sdist's tests, CI all of them
            assert ".ci/check-dist" in ci_lines
        else:
            assert command in ci_lines, command
    jobs = CI["jobs"]
    for needed in ("ruff check .", "ruff format --check .", "mypy sphinx_topofmind"):
        assert f".venv/bin/{needed}" in run_lines(jobs["lint"])
    assert ".venv/bin/python -m pytest" in run_lines(jobs["tests"])
    assert any(line.startswith(".venv/bin/sphinx-build -nW") for line in run_lines(jobs["docs"]))
    assert ".ci/check-dist" in run_lines(jobs["dist"])


def test_browser_job_installs_chromium_and_requires_it() -> None:
    gate = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    browser = CI["jobs"]["browser"]
    install = next(line for line in run_lines(browser) if "apt-get install" in line)
    assert install in gate
    assert "export TOPOFMIND_REQUIRE_BROWSER=1" in gate
    assert browser["env"]["TOPOFMIND_REQUIRE_BROWSER"] == "1"
    assert ".venv/bin/python -m pytest tests/test_browser.py" in run_lines(browser)


def test_linter_pins_agree_everywhere() -> None:
    gate = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    tox = (ROOT / "tox.ini").read_text(encoding="utf-8")
    ci_lint = " ".join(run_lines(CI["jobs"]["lint"]))
    ruff = re.search(r"ruff==([\d.]+)", gate)
    mypy = re.search(r"mypy==([\d.]+)", gate)
    assert ruff and mypy
    for text in (tox, ci_lint):
        assert f"ruff=={ruff[1]}" in text and f"mypy=={mypy[1]}" in text
    hooks = load_yaml(ROOT / ".pre-commit-config.yaml")
    ruff_repo = next(r for r in hooks["repos"] if r["repo"].endswith("/ruff-pre-commit"))
    assert ruff_repo["rev"] == f"v{ruff[1]}"
    assert {hook["id"] for hook in ruff_repo["hooks"]} == {"ruff-check", "ruff-format"}


def test_test_matrix_matches_the_supported_versions() -> None:
    matrix = CI["jobs"]["tests"]["strategy"]["matrix"]
    classified = [
        c.rsplit(" :: ", 1)[1]
        for c in PROJECT["classifiers"]
        if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
    ]
    assert matrix["python"] == classified == ["3.11", "3.12", "3.13"]
    assert SpecifierSet(PROJECT["requires-python"]) == SpecifierSet(f">={classified[0]}")
    # the oldest supported Sphinx: the lower bound of the dependency, pinned in .ci/oldest.txt
    assert matrix["include"] == [{"python": classified[0], "deps": "oldest"}]
    steps = " ".join(run_lines(CI["jobs"]["tests"]))
    assert "PIP_CONSTRAINT=$PWD/.ci/oldest.txt" in steps
    oldest = (ROOT / ".ci" / "oldest.txt").read_text(encoding="utf-8")
    pinned = re.search(r"^sphinx==([\d.]+)$", oldest, re.MULTILINE)
    sphinx = next(d for d in PROJECT["dependencies"] if re.match(r"sphinx[<>=]", d))
    lower = re.search(r">=([\d.]+)", sphinx)
    assert pinned and lower and Version(pinned[1]) == Version(lower[1])


def test_release_publishes_on_a_version_tag_with_trusted_publishing() -> None:
    assert RELEASE["on"] == {"push": {"tags": ["v*"]}}
    build, publish = RELEASE["jobs"]["build"], RELEASE["jobs"]["publish"]
    assert ".ci/check-dist" in run_lines(build)
    assert any("$GITHUB_REF_NAME" in line for line in run_lines(build))
    assert publish["needs"] == "build"
    assert publish["permissions"] == {"id-token": "write"}
    uses = [step["uses"] for step in publish["steps"]]
    assert uses[-1] == "pypa/gh-action-pypi-publish@release/v1"
    # trusted publishing: no stored token or password anywhere
    text = (WORKFLOWS / "release.yml").read_text(encoding="utf-8")
    assert "secrets." not in text and "password" not in text


def test_read_the_docs_builds_the_docs_with_warnings_as_errors() -> None:
    config = load_yaml(ROOT / ".readthedocs.yaml")
    assert config["sphinx"] == {
        "configuration": "docs/conf.py",
        "builder": "html",
        "fail_on_warning": "true",
    }
    assert config["python"]["install"] == [{"method": "pip", "path": "."}]
    assert PROJECT["urls"]["Documentation"] == "https://sphinx-topofmind.readthedocs.io"


def test_metadata() -> None:
    classifiers = PROJECT["classifiers"]
    assert set(classifiers) <= known_classifiers, set(classifiers) - known_classifiers
    for needed in (
        "Framework :: Sphinx :: Extension",
        "License :: OSI Approved :: MIT License",
        "Typing :: Typed",
    ):
        assert needed in classifiers
    assert (ROOT / "sphinx_topofmind" / "py.typed").is_file()
    # one version, in the package: flit reads it, the CLI prints it
    assert PROJECT["dynamic"] == ["version", "description"]
    assert "version" not in PROJECT
    result = subprocess.run(
        [sys.executable, "-m", "sphinx_topofmind.cli", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["sphinx-topofmind", sphinx_topofmind.__version__]
    # only addresses that exist (the docs are hosted by Read the Docs)
    assert set(PROJECT["urls"]) == {"Documentation", "Changelog"}
    assert all(url.startswith("https://") for url in PROJECT["urls"].values())


def test_sdist_includes_what_the_tests_and_docs_need() -> None:
    include = set(PYPROJECT["tool"]["flit"]["sdist"]["include"])
    needed = {"docs/", "example_site/", "tests/", "benchmarks/", ".ci/", ".github/", "tox.ini"}
    needed |= {"CHANGELOG.md", "CONTRIBUTING.md", ".readthedocs.yaml", ".pre-commit-config.yaml"}
    assert needed <= include
    for entry in include:
        assert (ROOT / entry).exists(), entry


def test_changelog_is_keep_a_changelog_and_in_the_docs() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "[Keep a Changelog](https://keepachangelog.com/en/1.1.0/)" in text
    headings = re.findall(r"^## (.+)$", text, re.MULTILINE)
    version = re.escape(sphinx_topofmind.__version__)
    # the changes still to be released come first; each release is "<version> - <date>"
    assert re.fullmatch(rf"Unreleased|{version} - Unreleased", headings[0]), headings[0]
    assert any(re.match(rf"{version} - ", heading) for heading in headings)
    for heading in headings[1:]:
        assert re.fullmatch(r"\d+\.\d+\.\d+ - \d{4}-\d\d-\d\d", heading), heading
    kinds = set(re.findall(r"^### (.+)$", text, re.MULTILINE))
    keep = {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}
    assert kinds and kinds <= keep, kinds - keep
    assert "{include} ../CHANGELOG.md" in (ROOT / "docs" / "changelog.md").read_text("utf-8")
    assert "{include} ../CONTRIBUTING.md" in (ROOT / "docs" / "contributing.md").read_text("utf-8")


def test_readme_says_how_to_install_today_and_once_published() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Install", 1)[1].split("\n## ", 1)[0]
    commands = [
        shlex.split(line)
        for line in section.splitlines()
        if line.startswith(("pip ", "python", ".venv/"))
    ]
    assert ["pip", "install", "sphinx-topofmind"] in commands
    assert any("dist/sphinx_topofmind-*.whl" in args for args in commands)
    assert any(args[:3] == ["pip", "install", "."] or "-e" in args for args in commands)
    for placeholder in ("TODO", "<", "example.com", "your-", "XXX"):
        assert placeholder not in section

"""The deprecation policy: a renamed config value or directive option keeps working for one
minor version, with a ``topofmind.deprecated`` warning at the line that uses the old name.

Nothing has been renamed yet, so each test registers a rename the way a release would,
by adding it to the tables in :mod:`sphinx_topofmind.deprecation`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from building import build, write_tree

from sphinx_topofmind import deprecation

CONF = 'extensions = ["sphinx_topofmind"]\n'
ARTICLE = (
    '+++\ntitle = "Tea"\ndate = "2024-01-02"\n\n[taxonomies]\ntags = ["green"]\n+++\n\nText.\n'
)
INDEX = "# Home\n\n```{toctree}\ntea\n```\n"


@pytest.fixture
def tag_path_renamed(monkeypatch: pytest.MonkeyPatch) -> None:
    # as if release 0.2 had renamed topofmind_tag_path to topofmind_tags_path
    renames = {"topofmind_tag_path": ("topofmind_tags_path", "0.3")}
    monkeypatch.setattr(deprecation, "RENAMED_CONFIG", renames)
    # config.py holds the table it imported
    monkeypatch.setattr("sphinx_topofmind.config.RENAMED_CONFIG", renames)


def site(root: Path, conf: str) -> Path:
    return write_tree(root, {"conf.py": conf, "index.md": INDEX, "tea.md": ARTICLE})


def test_nothing_is_renamed_today() -> None:
    # a rename is a release decision: CHANGELOG.md names it when an entry is added here
    assert deprecation.RENAMED_CONFIG == {}
    assert deprecation.RENAMED_OPTIONS == {}


@pytest.mark.usefixtures("tag_path_renamed")
def test_old_config_name_still_works_with_a_located_warning(tmp_path: Path) -> None:
    src = site(tmp_path / "site", CONF + 'topofmind_tag_path = "labels"\n')
    result = build(src)
    assert result.warnings == [
        (
            f"{src / 'conf.py'}:2: WARNING: topofmind_tag_path is renamed topofmind_tags_path; "
            "the old name stops working in version 0.3 [topofmind.deprecated]"
        )
    ]
    assert result.app.config.topofmind_tags_path == "labels"
    assert (result.outdir / "labels" / "green.html").is_file()
    assert not (result.outdir / "tags").exists()


@pytest.mark.usefixtures("tag_path_renamed")
def test_old_name_from_an_override_is_converted_and_moved(tmp_path: Path) -> None:
    src = site(tmp_path / "site", CONF)
    result = build(src, confoverrides={"topofmind_tag_path": "labels"})
    assert result.warnings == [
        # Sphinx's own, about a name it does not know; then ours, with no conf.py line
        "WARNING: unknown config value 'topofmind_tag_path' in override, ignoring",
        (
            "WARNING: topofmind_tag_path is renamed topofmind_tags_path; "
            "the old name stops working in version 0.3 [topofmind.deprecated]"
        ),
    ]
    assert (result.outdir / "labels" / "green.html").is_file()


@pytest.mark.usefixtures("tag_path_renamed")
def test_new_name_wins_when_both_are_set(tmp_path: Path) -> None:
    conf = CONF + 'topofmind_tag_path = "labels"\ntopofmind_tags_path = "topics"\n'
    src = site(tmp_path / "site", conf)
    result = build(src)
    assert result.warnings == [
        (
            f"{src / 'conf.py'}:2: WARNING: topofmind_tag_path and topofmind_tags_path are both "
            "set; topofmind_tag_path is ignored [topofmind.deprecated]"
        )
    ]
    assert (result.outdir / "topics" / "green.html").is_file()


@pytest.mark.usefixtures("tag_path_renamed")
def test_invalid_value_under_the_old_name_is_checked_as_the_new_one(tmp_path: Path) -> None:
    src = site(tmp_path / "site", CONF + 'topofmind_tag_path = "_static"\n')
    result = build(src)
    conf_py = src / "conf.py"
    assert result.warnings == [
        (
            f"{conf_py}:2: WARNING: topofmind_tag_path is renamed topofmind_tags_path; "
            "the old name stops working in version 0.3 [topofmind.deprecated]"
        ),
        (
            f"{conf_py}:2: WARNING: topofmind_tags_path must not put the tag pages among Sphinx's "
            "own pages and folders ('_static'); using the default 'tags' [topofmind.config]"
        ),
    ]
    assert (result.outdir / "tags" / "green.html").is_file()


SERIES_POST = (
    '+++\ntitle = "P{n}"\ndate = "2024-01-0{n}"\n+++\n\n{{{{ top_of_mind_nav(selected={n}) }}}}\n'
)
NAV_PAGE = '+++\ntitle = "W"\n+++\n\n```{{top-of-mind-nav}}\n:selected: 0\n{options}```\n'


def series_site(root: Path, options: str) -> Path:
    files = {f"content/tom/p{n}.md": SERIES_POST.format(n=n) for n in range(1, 4)}
    files["content/w.md"] = NAV_PAGE.format(options=options)
    index = "# Home\n\n```{toctree}\n:glob:\n\ncontent/**\n```\n"
    conf = CONF + 'topofmind_content_root = "content"\n'
    return write_tree(root, {"conf.py": conf, "index.md": index, **files})


def nav_names(html: str) -> list[str]:
    nav = BeautifulSoup(html, "html.parser").select_one("nav.topofmind-series-top-of-mind")
    assert nav is not None
    return [li.get_text().strip() for li in nav.select("ul.topofmind-series-list > li")]


def test_old_directive_option_still_works_with_a_located_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # as if a release had renamed the nav directive's :reversed: option from :reverse:
    renames = {"top-of-mind-nav": {"reverse": ("reversed", "0.3")}}
    monkeypatch.setattr(deprecation, "RENAMED_OPTIONS", renames)
    src = series_site(tmp_path / "site", ":reverse:\n")
    result = build(src)
    assert result.warnings == [
        (
            f"{src / 'content/w.md'}:5: WARNING: directive 'top-of-mind-nav': option :reverse: is "
            "renamed :reversed:; the old name stops working in version 0.3 [topofmind.deprecated]"
        )
    ]
    assert nav_names(result.html("content/w")) == ["P3", "P2", "P1"]
    # without the rename the old option is unknown, as MyST reports any unknown option
    monkeypatch.setattr(deprecation, "RENAMED_OPTIONS", {})
    src = series_site(tmp_path / "plain", ":reverse:\n")
    assert build(src).warnings == [
        (
            f"{src / 'content/w.md'}:7: WARNING: 'top-of-mind-nav': Unknown option key: 'reverse' "
            "(allowed: ['reversed', 'selected', 'window']) [myst.directive_option]"
        )
    ]


def test_both_directive_option_names_keep_the_new_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    renames = {"top-of-mind-nav": {"span": ("window", "0.3")}}
    monkeypatch.setattr(deprecation, "RENAMED_OPTIONS", renames)
    src = series_site(tmp_path / "site", ":span: 5\n:window: 1\n")
    result = build(src)
    assert result.warnings == [
        (
            f"{src / 'content/w.md'}:5: WARNING: directive 'top-of-mind-nav': both :span: and "
            ":window: are given; :span: ignored [topofmind.deprecated]"
        )
    ]

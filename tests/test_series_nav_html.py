"""The series nav's list written from kept markup (features/series_nav_html.py).

In HTML builders the list reaches the writer as data and each entry is rendered
once per folder; the pages must be byte-identical to rendering the nodes on every
page, in every case where an entry's markup could differ between pages.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from building import build, outputs, write_tree

from sphinx_topofmind.features import series

CONF = 'extensions = ["sphinx_topofmind"]\ntopofmind_content_root = "content"\n'
INDEX = "# Home\n\n```{toctree}\n:glob:\n\ncontent/**\n```\n"

# members in two folders and at two depths, an anchor, an unlinked entry, a name
# that needs escaping
NAV = (
    '- name: "One"\n  url: "@/top-of-mind/one.md"\n'
    '- name: "Two <b>&</b>"\n  url: "@/notes/two.md"\n'
    '- name: "Three, its body"\n  url: "@/top-of-mind/three.md#body"\n'
    '- name: "Nowhere"\n'
    '- name: "Four"\n  url: "@/notes/deep/four.md"\n'
    '- name: "Five"\n  url: "@/top-of-mind/five.md"\n'
)


def article(title: str, nav: str) -> str:
    return f'+++\ntitle = "{title}"\n+++\n\n## Body\n\nText.\n\n{nav}\n'


def site(tmp_path: Path) -> Path:
    return write_tree(
        tmp_path / "site",
        {
            "conf.py": CONF,
            "index.md": INDEX,
            "content/top-of-mind/nav.yaml": NAV,
            "content/top-of-mind/one.md": article("One", "{{ top_of_mind_nav(selected=1) }}"),
            "content/notes/two.md": article("Two", "{{ top_of_mind_nav(selected=2) }}"),
            "content/top-of-mind/three.md": article("Three", "{{ top_of_mind_nav(selected=3) }}"),
            "content/notes/deep/four.md": article(
                "Four", "```{top-of-mind-nav}\n:selected: 5\n:window: 1\n```"
            ),
            # a listed page that highlights nothing links to itself
            "content/top-of-mind/five.md": article("Five", "{{ top_of_mind_nav(selected=0) }}"),
            "content/notes/other.md": article(
                "Other", "```{top-of-mind-nav}\n:selected: 0\n:reversed:\n```"
            ),
        },
    )


@pytest.mark.parametrize(("builder", "parallel"), [("html", 0), ("dirhtml", 0), ("html", 2)])
def test_kept_markup_equals_nodes_on_every_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, builder: str, parallel: int
) -> None:
    src = site(tmp_path)
    kept = build(src, builder, parallel=parallel, outdir=tmp_path / "kept")
    monkeypatch.setattr(series, "entries_as_data", lambda builder: False)
    as_nodes = build(src, builder, parallel=parallel, outdir=tmp_path / "nodes")
    assert kept.warnings == as_nodes.warnings
    expected = outputs(as_nodes.outdir)
    assert outputs(kept.outdir) == expected
    assert len(expected) >= 7


def test_each_page_links_the_others_from_its_own_folder(tmp_path: Path) -> None:
    result = build(site(tmp_path))

    def nav(docname: str) -> list[tuple[str, str | None, str | None]]:
        soup = BeautifulSoup(result.html(docname), "html.parser")
        items = soup.select("nav.topofmind-series-top-of-mind ul.topofmind-series-list > li")
        return [
            (
                li.get_text().strip(),
                li.a["href"] if li.a else None,
                li.strong["aria-current"] if li.strong else None,
            )
            for li in items
        ]

    assert nav("content/top-of-mind/one") == [
        ("▶ One", None, "page"),
        ("Two <b>&</b>", "../notes/two.html", None),
        ("Three, its body", "three.html#body", None),
        ("Nowhere", None, None),
        ("Four", "../notes/deep/four.html", None),
        ("Five", "five.html", None),
    ]
    assert nav("content/notes/deep/four") == [
        ("…", None, None),
        ("Nowhere", None, None),
        ("▶ Four", None, "page"),
        ("Five", "../../top-of-mind/five.html", None),
    ]
    # selected=0 on a listed page: no current entry, and its own entry links to itself
    five = nav("content/top-of-mind/five")
    assert [name for name, _, current in five if current] == []
    assert ("Five", "#", None) in five
    assert ("One", "one.html", None) in five
    other = nav("content/notes/other")
    assert other[0][0] == "Five"
    assert ("Two <b>&</b>", "two.html", None) in other


def test_other_builders_get_the_nodes(tmp_path: Path) -> None:
    result = build(site(tmp_path), "text")
    text = (result.outdir / "content/notes/deep/four.txt").read_text(encoding="utf-8")
    assert "▶ Four" in text and "Five" in text and "Nowhere" in text

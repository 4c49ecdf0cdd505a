"""Incremental builds give the output of a clean build, after any sequence of edits.

Each example applies random edits to a small site (add, delete, rename, retitle,
re-tag, re-position, draft/undraft an article; show or hide its series nav; point
its ``@/`` link elsewhere, possibly at no page; add, rewrite, delete the nav file
or swap two of its entries, which reorders the section's toctree), rebuilds
incrementally after each edit, and compares EVERY file of the output with a
clean build of the same sources, byte for byte: pages, ``<link rel>``
previous/next links, tag pages, feeds, the search index.  ``HYPOTHESIS_PROFILE=long``
runs many more.

Two differences are Sphinx's own and allowed:

- Sphinx leaves the page (and ``_sources`` copy) of a deleted document behind; the
  extension's own pages (tags, feeds) of things that are gone must be removed.
- The theme's global navigation sidebar (alabaster's ``navigation.html``) lists the
  whole toctree on every page.  Sphinx rewrites only the pages it read and their
  toctree parents, so after a new article every other page's global sidebar is
  stale in plain Sphinx too (rewriting every page for each added article would
  defeat incremental builds).  The test site shows the page-local sidebars
  instead, including the relations box, which must be right.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from building import build, write_tree
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

CONF = (
    'extensions = ["sphinx_topofmind"]\n'
    'topofmind_content_root = "content"\n'
    'html_baseurl = "https://example.org/"\n'
    'topofmind_feed_content = "full"\n'
    'html_sidebars = {"**": ["localtoc.html", "relations.html", "sourcelink.html"]}\n'
)
INDEX = (
    "# Home\n\n```{toctree}\n:glob:\n\ncontent/top-of-mind/_index\ncontent/notes/*\nall-tags\n```\n"
)
SECTION = (
    '+++\ntitle = "Top of Mind"\nsort_by = "weight"\n+++\n\n'
    "The series.\n\n{{ top_of_mind_nav(selected=0) }}\n"
)
# links to posts that exist at first, that appear later, and that never exist
NOTES = (
    '+++\ntitle = "Notes"\n+++\n\n'
    "See [one][1], [five](@/top-of-mind/p5.md) and [nine](@/top-of-mind/p9.md#body).\n\n"
    "[1]: @/top-of-mind/p1.md\n"
)
ALL_TAGS = "# All tags\n\n```{tags-index}\n```\n"
TAGS = ["alpha", "Beta", "beta", "C++", "c"]


def article(post: dict) -> str:
    listed = ", ".join(f'"{t}"' for t in post["tags"])
    draft_line = "draft = true\n" if post["draft"] else ""
    link = f"See [the other one](@/top-of-mind/{post['link']}.md#body).\n" if post["link"] else ""
    shown = f", window={post['window']}" if post["window"] else ""
    nav = f"\n{{{{ top_of_mind_nav(selected={post['position']}{shown}) }}}}\n"
    return (
        f'+++\ntitle = "{post["title"]}"\ndate = "2024-01-{post["position"]:02d}"\n{draft_line}\n'
        f"[taxonomies]\ntags = [{listed}]\n+++\n\n## Body\n\nWords of {post['title']}.\n\n"
        f"{link}{nav if post['nav'] else ''}"
    )


class Site:
    """The sources, kept as data so each edit is easy to state and to undo."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.posts: dict[str, dict] = {}
        for n in range(1, 5):
            self.posts[f"p{n}"] = {
                "title": f"Post {n}",
                "position": n,
                "tags": [TAGS[n % len(TAGS)]],
                "draft": False,
                # every other article shows a windowed nav: only the windows that show a
                # change are rewritten, which the comparison with a clean build checks
                "window": 1 if n % 2 else None,
                # p4 shows no nav: it is in the series only through the nav file, and
                # in the section's toctree always
                "nav": n != 4,
                "link": f"p{n % 4 + 1}",
            }
        self.nav: list[str] | None = None
        self.counter = 5
        write_tree(
            root,
            {
                "conf.py": CONF,
                "index.md": INDEX,
                "all-tags.md": ALL_TAGS,
                "content/top-of-mind/_index.md": SECTION,
                "content/notes/n1.md": NOTES,
            },
        )
        for name in self.posts:
            self.write(name)

    def path(self, name: str) -> Path:
        return self.root / "content/top-of-mind" / f"{name}.md"

    def write(self, name: str) -> None:
        self.path(name).write_text(article(self.posts[name]), encoding="utf-8")

    def write_nav(self) -> None:
        nav_path = self.root / "content/top-of-mind/nav.yaml"
        if self.nav is None:
            nav_path.unlink(missing_ok=True)
            return
        lines = [f'- name: "Nav {name}"\n  url: "@/top-of-mind/{name}.md"\n' for name in self.nav]
        nav_path.write_text("".join(lines), encoding="utf-8")

    def new_name(self) -> str:
        name = f"p{self.counter}"
        self.counter += 1
        return name

    def apply(self, edit: tuple[str, int]) -> None:
        kind, pick = edit
        names = sorted(self.posts)
        name = names[pick % len(names)] if names else None
        if kind == "add" or name is None:
            new = self.new_name()
            self.posts[new] = {
                "title": f"Post {new}",
                "position": pick % 7 + 1,
                "tags": [TAGS[pick % 5]],
                "draft": False,
                "window": None,
                "nav": bool(pick % 3),
                "link": f"p{pick % 9 + 1}",
            }
            self.write(new)
        elif kind == "delete" and len(self.posts) > 1:
            del self.posts[name]
            self.path(name).unlink()
        elif kind == "rename":
            # links and nav entries naming the old file now point at no page
            new = self.new_name()
            self.posts[new] = self.posts.pop(name)
            self.path(name).rename(self.path(new))
        elif kind == "retitle":
            self.posts[name]["title"] = f"Retitled {name} {pick}"
            self.write(name)
        elif kind == "retag":
            self.posts[name]["tags"] = [TAGS[pick % 5], TAGS[(pick + 2) % 5]][: pick % 3]
            self.write(name)
        elif kind == "reposition":
            self.posts[name]["position"] = pick % 7 + 1
            self.write(name)
        elif kind == "draft":
            self.posts[name]["draft"] = not self.posts[name]["draft"]
            self.write(name)
        elif kind == "shownav":
            self.posts[name]["nav"] = not self.posts[name]["nav"]
            self.write(name)
        elif kind == "link":
            # p1..p9: some exist, some appear later, some never do; or no link at all
            self.posts[name]["link"] = f"p{pick % 10}" if pick % 10 else None
            self.write(name)
        elif kind == "nav":
            if self.nav is None:
                self.nav = names[::-1]
                if pick % 3 == 0:
                    self.nav.insert(pick % (len(names) + 1), "_index")  # issue 12
            elif pick % 2:
                self.nav = None
            else:
                self.nav = names[pick % len(names) :] + names[: pick % len(names)]
            self.write_nav()
        elif kind == "swap":
            if self.nav is None:
                self.nav = list(names)
            if len(self.nav) > 1:
                first = pick % len(self.nav)
                second = (first + 1 + pick // len(self.nav)) % len(self.nav)
                if first == second:
                    second = (first + 1) % len(self.nav)
                self.nav[first], self.nav[second] = self.nav[second], self.nav[first]
            self.write_nav()


def output_files(outdir: Path) -> dict[str, bytes]:
    found = {
        path.relative_to(outdir).as_posix(): path.read_bytes()
        for path in sorted(outdir.rglob("*"))
        if path.is_file()
    }
    if "searchindex.js" in found:
        found["searchindex.js"] = search_index(found["searchindex.js"])
    return found


def search_index(data: bytes) -> bytes:
    """The search index without the words no page has: Sphinx's incremental index keeps
    a word that left every page as an empty list (``IndexBuilder.prune``), a clean one
    never holds it; both find the same pages for every search."""
    prefix, suffix = b"Search.setIndex(", b")"
    assert data.startswith(prefix) and data.endswith(suffix), data[:40]
    index = json.loads(data[len(prefix) : -len(suffix)])
    for key in ("terms", "titleterms"):
        index[key] = {word: docs for word, docs in index[key].items() if docs != []}
    return json.dumps(index, sort_keys=True).encode()


def left_behind(name: str, docnames: set[str]) -> bool:
    """The page or source copy Sphinx keeps of a document that no longer exists."""
    for suffix in (".html", ".md.txt"):
        if name.endswith(suffix):
            docname = name.removeprefix("_sources/").removesuffix(suffix)
            return docname not in docnames and not docname.startswith("tags/")
    return False


def assert_same_output(incremental: Path, clean: Path, docnames: set[str], context: object) -> None:
    got = output_files(incremental)
    expected = output_files(clean)
    stale = {name for name in got.keys() - expected.keys() if left_behind(name, docnames)}
    missing = sorted(expected.keys() - got.keys())
    extra = sorted(got.keys() - expected.keys() - stale)
    differ = sorted(name for name in expected.keys() & got.keys() if got[name] != expected[name])
    assert not (missing or extra or differ), (context, missing, extra, differ)


# --- the defects the property test found, as plain examples ----------------------------

PLAIN_CONF = (
    'extensions = ["sphinx_topofmind"]\n'
    'topofmind_content_root = "content"\n'
    'html_sidebars = {"**": ["localtoc.html", "relations.html", "sourcelink.html"]}\n'
)


def page(title: str, body: str = "Text.") -> str:
    return f'+++\ntitle = "{title}"\n+++\n\n{body}\n'


def rebuild_and_compare(src: Path, out: Path, clean: Path):
    """An incremental build into ``out``, checked file by file against a clean build."""
    time.sleep(0.01)  # the edit before this call is newer than the last read
    incremental = build(src, outdir=out, freshenv=False)
    fresh = build(src, outdir=clean)
    docnames = set(fresh.app.env.found_docs)
    assert_same_output(incremental.outdir, fresh.outdir, docnames, src)
    shutil.rmtree(clean)
    return incremental


@pytest.mark.parametrize("parallel", [0, 2])
def test_a_link_follows_its_target_appearing_and_disappearing(
    tmp_path: Path, parallel: int
) -> None:
    """Issue 11: an ``@/`` link to a missing page is plain text; once the page exists an
    incremental build links it, and a rename makes it plain text again (also with -j 2,
    whose readers each record their own pages' targets)."""
    src = write_tree(
        tmp_path / "src",
        {
            "conf.py": PLAIN_CONF,
            "index.md": "# Home\n\n```{toctree}\n:glob:\n\ncontent/*\n```\n",
            "content/a.md": page("A", "See [bee](@/b.md) and [the other][o].\n\n[o]: @/b.md"),
            # more pages than readers, so -j 2 really reads in chunks
            **{f"content/z{n}.md": page(f"Z{n}") for n in range(4)},
        },
    )
    out, clean = tmp_path / "out", tmp_path / "clean"
    first = build(src, outdir=out, parallel=parallel)
    assert [w for w in first.warnings if "'@/b.md'" in w] == [
        f"{src / 'content/a.md'}:{line}: WARNING: internal link '@/b.md' points to no page "
        "of this project; shown as plain text [topofmind.link]"
        for line in (5, 7)
    ]
    (src / "content/b.md").write_text(page("B"), encoding="utf-8")
    added = rebuild_and_compare(src, out, clean)
    assert "content/a" in added.read and added.warnings == []
    assert 'href="b.html"' in (out / "html/content/a.html").read_text(encoding="utf-8")

    (src / "content/b.md").rename(src / "content/c.md")
    renamed = rebuild_and_compare(src, out, clean)
    assert "content/a" in renamed.read
    assert sum("'@/b.md' points to no page" in w for w in renamed.warnings) == 2
    assert 'href="b.html"' not in (out / "html/content/a.html").read_text(encoding="utf-8")

    # the records describe the sources again: a rebuild with no change reads nothing
    time.sleep(0.01)
    assert build(src, outdir=out, freshenv=False, parallel=parallel).read == []


NAV = "".join(f'- name: "{n.upper()}"\n  url: "@/sec/{n}.md"\n' for n in "abcd")


def swapped(text: str, first: str, second: str) -> str:
    entries = text.split("- name")[1:]
    names = [entry.split('"')[1].lower() for entry in entries]
    i, j = names.index(first), names.index(second)
    entries[i], entries[j] = entries[j], entries[i]
    return "".join("- name" + entry for entry in entries)


def test_pages_whose_toctree_neighbours_change_are_rewritten(tmp_path: Path) -> None:
    """Issue 11: the section toctree follows the nav file; after creating it or swapping
    two entries, pages that show no series nav get their new previous/next links
    (``<link rel>`` and the theme's relation links) like in a clean build."""
    src = write_tree(
        tmp_path / "src",
        {
            "conf.py": PLAIN_CONF + 'root_doc = "content/sec/_index"\n',
            "content/sec/_index.md": page("Section"),
            **{f"content/sec/{n}.md": page(n.upper()) for n in "abcd"},
        },
    )
    out, clean = tmp_path / "out", tmp_path / "clean"
    build(src, outdir=out)
    # a new nav file reverses the folder's order
    nav = src / "content/sec/nav.yaml"
    nav.write_text(swapped(swapped(NAV, "a", "d"), "b", "c"), encoding="utf-8")
    created = rebuild_and_compare(src, out, clean)
    assert created.read == ["content/sec/_index"]
    c_page = (out / "html/content/sec/c.html").read_text(encoding="utf-8")
    assert '<link rel="next" title="B" href="b.html" />' in c_page
    # swapping two entries rewrites the pages around them, and only those
    nav.write_text(swapped(nav.read_text(encoding="utf-8"), "b", "c"), encoding="utf-8")
    swap = rebuild_and_compare(src, out, clean)
    assert sorted(swap.written) == ["content/sec/_index", "content/sec/a", "content/sec/b"] + [
        "content/sec/c",
        "content/sec/d",
    ]
    # a retitle changes the titles its neighbours show for it
    (src / "content/sec/a.md").write_text(page("A renamed"), encoding="utf-8")
    retitle = rebuild_and_compare(src, out, clean)
    assert "content/sec/c" in retitle.written  # shows a as its next page
    assert "A renamed" in (out / "html/content/sec/c.html").read_text(encoding="utf-8")


EDITS = st.tuples(
    st.sampled_from(
        [
            "add",
            "delete",
            "rename",
            "retitle",
            "retag",
            "reposition",
            "draft",
            "shownav",
            "link",
            "nav",
            "swap",
        ]
    ),
    st.integers(min_value=0, max_value=50),
)


# each example runs two builds per edit: a handful by default, many under the long profile
EXAMPLES = 8 if os.environ.get("HYPOTHESIS_PROFILE", "default") == "default" else 150


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(edits=st.lists(EDITS, min_size=1, max_size=4))
# found by CI: the section, listed in its own nav file, links itself ('' from its own page);
# that URI was memoised for the folder and reused by its neighbours
@example(edits=[("nav", 0), ("add", 12)])
def test_incremental_equals_clean(tmp_path_factory, edits: list[tuple[str, int]]) -> None:
    root = tmp_path_factory.mktemp("incremental")
    site = Site(root / "src")
    out = root / "incremental"
    build(site.root, outdir=out)
    for number, edit in enumerate(edits):
        time.sleep(0.01)  # modification times strictly after the previous read
        site.apply(edit)
        incremental = build(site.root, outdir=out, freshenv=False)
        clean_dir = root / f"clean-{number}"
        clean = build(site.root, outdir=clean_dir)
        docnames = set(clean.app.env.found_docs)
        assert_same_output(incremental.outdir, clean.outdir, docnames, (edits, edit))
        shutil.rmtree(clean_dir)

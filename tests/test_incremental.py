"""Incremental builds give the output of a clean build, after any sequence of edits.

Each example applies random edits (add, delete, retitle, re-tag, re-position,
draft/undraft an article; add, edit or delete the nav file) to a small site,
rebuilds incrementally after each edit, and compares every page with a clean
build of the same sources.  ``HYPOTHESIS_PROFILE=long`` runs many more.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from building import build, main_content, write_tree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

CONF = 'extensions = ["sphinx_topofmind"]\ntopofmind_content_root = "content"\n'
INDEX = "# Home\n\n```{toctree}\n:glob:\n\ncontent/**\nall-tags\n```\n"
ALL_TAGS = "# All tags\n\n```{tags-index}\n```\n"
TAGS = ["alpha", "Beta", "beta", "C++", "c"]


def article(
    title: str, position: int, tags: list[str], draft: bool, window: int | None = None
) -> str:
    listed = ", ".join(f'"{t}"' for t in tags)
    shown = f", window={window}" if window else ""
    draft_line = "draft = true\n" if draft else ""
    return (
        f'+++\ntitle = "{title}"\ndate = "2024-01-{position:02d}"\n{draft_line}\n'
        f"[taxonomies]\ntags = [{listed}]\n+++\n\n## Body\n\nWords of {title}.\n\n"
        f"{{{{ top_of_mind_nav(selected={position}{shown}) }}}}\n"
    )


class Site:
    """The sources, kept as data so each edit is easy to state and to undo."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.posts: dict[str, dict] = {
            f"p{n}": {
                "title": f"Post {n}",
                "position": n,
                "tags": [TAGS[n % len(TAGS)]],
                "draft": False,
            }
            for n in range(1, 5)
        }
        self.nav: list[str] | None = None
        self.counter = 5
        write_tree(root, {"conf.py": CONF, "index.md": INDEX, "all-tags.md": ALL_TAGS})
        for name in self.posts:
            self.write(name)

    def path(self, name: str) -> Path:
        return self.root / "content/top-of-mind" / f"{name}.md"

    def write(self, name: str) -> None:
        post = self.posts[name]
        self.path(name).parent.mkdir(parents=True, exist_ok=True)
        # every other article shows a windowed nav: only the windows that show a change
        # are rewritten, which the comparison with a clean build checks
        window = 1 if int(name.removeprefix("p")) % 2 else None
        text = article(post["title"], post["position"], post["tags"], post["draft"], window)
        self.path(name).write_text(text, encoding="utf-8")

    def write_nav(self) -> None:
        nav_path = self.root / "content/top-of-mind/nav.yaml"
        if self.nav is None:
            nav_path.unlink(missing_ok=True)
            return
        lines = [f'- name: "Nav {name}"\n  url: "@/top-of-mind/{name}.md"\n' for name in self.nav]
        nav_path.write_text("".join(lines), encoding="utf-8")

    def apply(self, edit: tuple[str, int]) -> None:
        kind, pick = edit
        names = sorted(self.posts)
        name = names[pick % len(names)] if names else None
        if kind == "add" or name is None:
            new = f"p{self.counter}"
            self.counter += 1
            self.posts[new] = {
                "title": f"Post {new}",
                "position": pick % 7 + 1,
                "tags": [TAGS[pick % 5]],
                "draft": False,
            }
            self.write(new)
        elif kind == "delete" and len(self.posts) > 1:
            del self.posts[name]
            self.path(name).unlink()
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
        elif kind == "nav":
            if self.nav is None:
                self.nav = names[::-1]
            elif pick % 2:
                self.nav = None
            else:
                self.nav = names[pick % len(names) :] + names[: pick % len(names)]
            self.write_nav()


EDITS = st.tuples(
    st.sampled_from(["add", "delete", "retitle", "retag", "reposition", "draft", "nav"]),
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
        expected = main_content(clean.outdir)
        got = main_content(incremental.outdir)
        # Sphinx leaves the pages of deleted documents behind; ours are all compared
        stale = {name for name in got if name not in expected and not name.startswith("tags/")}
        assert {name: got[name] for name in got if name not in stale} == expected, (edits, edit)
        shutil.rmtree(clean_dir)

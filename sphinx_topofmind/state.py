"""What the extension keeps on the build environment, in one place.

Everything here is pickled with the environment, so it must stay small
(records, never doctrees) and be rebuilt from sources alone.  Attribute names
are ``topofmind_<key>``; going through these helpers keeps them typed.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from typing import Any, TypeVar

from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.environment import CONFIG_OK, BuildEnvironment
from sphinx.environment.collectors import EnvironmentCollector

T = TypeVar("T")

# Memos that live as long as one builder (one build, in each writing process): weakly
# keyed, never pickled, never an attribute set on a Sphinx object.
_MEMOS: weakref.WeakKeyDictionary[Builder, dict[Any, Any]] = weakref.WeakKeyDictionary()


def build_memo(builder: Builder) -> dict[Any, Any]:
    """A dict for values computed once per build (URIs, per-page feed links)."""
    return _MEMOS.setdefault(builder, {})


# Values recomputed on every build from the records (after reading, before writing) and
# read while writing: kept with the environment object, never pickled with it.
_CURRENT: weakref.WeakKeyDictionary[BuildEnvironment, dict[str, Any]] = weakref.WeakKeyDictionary()


def current(env: BuildEnvironment) -> dict[str, Any]:
    """A dict for this build's derived views (the environment keeps only their digests)."""
    return _CURRENT.setdefault(env, {})


# Whether this build removed or (re)read a page.  Everything the extension derives from
# the records alone (series, taxonomies, listings, the archive, toctree relations) is
# then as the last build left it: the records change only when a page is read or
# removed, and a changed configuration makes Sphinx reread every page.


def _reading_starts(
    app: Sphinx,
    env: BuildEnvironment,
    added: AbstractSet[str],
    changed: AbstractSet[str],
    removed: AbstractSet[str],
) -> list[str]:
    # emitted once per read phase, before Sphinx purges the removed and outdated pages
    current(env)["read_pages"] = False
    current(env).pop("file_facts", None)  # Sphinx has just looked for the files again
    # Sphinx resets the status once the pages are read: noted while it still tells
    current(env)["config_changed"] = env.config_status != CONFIG_OK
    return []


def config_changed(env: BuildEnvironment) -> bool:
    """Whether this build's configuration differs from the last one's (or there was no
    last one): Sphinx then reads and writes every page again."""
    return bool(current(env).get("config_changed", True))


def file_fact(env: BuildEnvironment, key: Any, make: Callable[[], T]) -> T:
    """A fact about the found documents' files (a page's suffix), made once and kept
    until the next read phase, which starts by finding the files again."""
    facts: dict[Any, Any] = current(env).setdefault("file_facts", {})
    if key not in facts:
        facts[key] = make()
    found: T = facts[key]
    return found


def _page_purged(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    # Sphinx purges every page it removes and every page before it reads it again
    current(env)["read_pages"] = True


def read_nothing(env: BuildEnvironment) -> bool:
    """Whether this build's read phase removed and read no page, under the last build's
    configuration (False outside a read phase we saw start, to be safe)."""
    return current(env).get("read_pages") is False and not config_changed(env)


def setup(app: Sphinx) -> None:
    app.connect("env-get-outdated", _reading_starts, priority=1)
    app.connect("env-purge-doc", _page_purged, priority=1)


def get(env: BuildEnvironment, key: str, default: Callable[[], T]) -> T:
    """The value stored under ``key``, created with ``default()`` the first time."""
    name = f"topofmind_{key}"
    if not hasattr(env, name):
        setattr(env, name, default())
    value: T = getattr(env, name)
    return value


def peek(env: BuildEnvironment, key: str) -> Any:
    """The value stored under ``key``, or None (never creates it)."""
    return getattr(env, f"topofmind_{key}", None)


def put(env: BuildEnvironment, key: str, value: object) -> None:
    setattr(env, f"topofmind_{key}", value)


class RecordCollector(EnvironmentCollector):
    """A collector whose data is one ``{docname: record}`` dict kept under :attr:`key`:
    clearing and merging parallel reads are the same for all of them."""

    key = ""

    def records(self, env: BuildEnvironment) -> dict[str, Any]:
        return get(env, self.key, dict)

    def clear_doc(self, app: Sphinx, env: BuildEnvironment, docname: str) -> None:
        self.records(env).pop(docname, None)

    def merge_other(
        self,
        app: Sphinx,
        env: BuildEnvironment,
        docnames: AbstractSet[str],
        other: BuildEnvironment,
    ) -> None:
        theirs = self.records(other)
        ours = self.records(env)
        for docname in docnames:
            if docname in theirs:
                ours[docname] = theirs[docname]

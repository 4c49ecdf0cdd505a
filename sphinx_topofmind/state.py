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
from sphinx.environment import BuildEnvironment
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

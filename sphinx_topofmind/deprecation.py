"""Renamed configuration values and directive options keep working for one minor version.

The policy (``CONTRIBUTING.md``): a release that renames a ``topofmind_*`` value or a
directive option adds the old name to :data:`RENAMED_CONFIG` or :data:`RENAMED_OPTIONS`
with the version that removes it; until then a project using the old name builds as
before, with a ``topofmind.deprecated`` warning at the line that uses it.  Both tables
are empty while nothing has been renamed.
"""

from __future__ import annotations

from typing import Any

from docutils.parsers.rst import Directive, directives
from sphinx.application import Sphinx
from sphinx.util.docutils import is_directive_registered

from .report import warn
from .zola.diagnostics import Subtype

#: old ``conf.py`` name -> (new name, the version whose release drops the old one),
#: e.g. ``{"topofmind_tag_path": ("topofmind_tags_path", "0.3")}``
RENAMED_CONFIG: dict[str, tuple[str, str]] = {}

#: directive name -> {old option -> (new option, the version that drops the old one)}
RENAMED_OPTIONS: dict[str, dict[str, tuple[str, str]]] = {}


def setup(app: Sphinx) -> None:
    # late: the series directives are registered on config-inited (priority 500)
    app.connect("config-inited", _accept_renamed_options, priority=900)


def _accept_renamed_options(app: Sphinx, config: Any) -> None:
    for name, renames in RENAMED_OPTIONS.items():
        if renames and is_directive_registered(name):
            cls, _ = directives.directive(name, None, None)
            if cls is not None and not getattr(cls, "topofmind_renamed", False):
                app.add_directive(name, accepting_renamed(cls, name, renames), override=True)


def accepting_renamed(
    cls: type[Directive], name: str, renames: dict[str, tuple[str, str]]
) -> type[Directive]:
    """``cls`` that also takes each old option name and reads it as the new one."""
    spec = dict(cls.option_spec or {})
    for old, (new, _) in renames.items():
        if new in spec:
            spec.setdefault(old, spec[new])

    def run(self: Directive) -> Any:
        docname = self.state.document.settings.env.docname
        for old, (new, removed_in) in renames.items():
            if old not in self.options:
                continue
            value = self.options.pop(old)
            if new in self.options:
                message = f"directive '{name}': both :{old}: and :{new}: are given; :{old}: ignored"
            else:
                self.options[new] = value
                message = (
                    f"directive '{name}': option :{old}: is renamed :{new}:; "
                    f"the old name stops working in version {removed_in}"
                )
            warn(Subtype.deprecated, message, (docname, self.lineno))
        return cls.run(self)

    return type(cls.__name__, (cls,), {"option_spec": spec, "run": run, "topofmind_renamed": True})

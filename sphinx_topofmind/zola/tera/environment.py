"""The Jinja2 machinery made to behave like Tera.

Tera's undefined, the sandboxed environment with Tera's operators and ``~``, the
loader that pre-passes each template, the bound on the output and the template
line of an error.
"""

from __future__ import annotations

import json
import traceback
from collections.abc import Callable, Generator, Iterable, Iterator
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    TemplateError,
    TemplateNotFound,
    Undefined,
    nodes,
    pass_context,
)
from jinja2.compiler import CodeGenerator, Frame
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .errors import TeraError
from .filters import _json_default
from .prepass import translate
from .values import _is_number, _render_value

#: the most characters one render may produce: a runaway loop stops with a diagnostic
MAX_OUTPUT = 10_000_000


class TeraUndefined(Undefined):
    """Tera's undefined: an error when printed, iterated or measured, false in a condition."""

    __slots__ = ()

    def __str__(self) -> str:
        return self._fail_with_undefined_error()

    def __iter__(self) -> Iterator[Any]:
        return self._fail_with_undefined_error()

    def __len__(self) -> int:
        return self._fail_with_undefined_error()

    def __contains__(self, item: Any) -> bool:
        return self._fail_with_undefined_error()


@pass_context
def _tera_context(context: Context) -> str:
    """``{{ __tera_context }}``: the template's variables, as Tera prints them (JSON)."""
    variables = {k: v for k, v in context.get_all().items() if not callable(v)}
    return json.dumps(variables, indent=2, ensure_ascii=False, default=_json_default)


class _TeraCodeGenerator(CodeGenerator):
    """Jinja2's code generator, with ``~`` joining values as Tera prints them."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.tera_concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class _TeraEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox (no Python internals, no mutation of lists or maps) with Tera's operators."""

    code_generator_class = _TeraCodeGenerator
    # Tera's `*` is arithmetic only, and it has no `**` or `//`: "a" * 10**9 cannot exhaust memory
    intercepted_binops = frozenset({"*", "**", "//"})

    @staticmethod
    def tera_concat(items: Iterable[Any]) -> str:
        return "".join(_render_value(item) for item in items)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator != "*":
            raise TeraError(f"`{operator}` is not a Tera operator")
        if not (_is_number(left) and _is_number(right)):
            raise TeraError(
                f"`*` needs numbers, got {_render_value(left)!r} and {_render_value(right)!r}"
            )
        return left * right


class _TeraLoader(BaseLoader):
    """Templates by name under the site's ``templates/`` directory, pre-passed."""

    def __init__(self, templates_dir: Path) -> None:
        self.templates_dir = templates_dir

    def get_source(
        self, environment: Any, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        path = (self.templates_dir / template).resolve()
        if not path.is_relative_to(self.templates_dir.resolve()) or not path.is_file():
            raise TemplateNotFound(template)
        try:
            source = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise TemplateError(f"cannot read {template}: {exc}") from exc
        return translate(source), str(path), lambda: True


def _bounded(chunks: Iterator[str]) -> str:
    parts: list[str] = []
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > MAX_OUTPUT:
            error = TeraError(f"the output is longer than {MAX_OUTPUT} characters")
            if isinstance(chunks, Generator):
                # thrown into the template, so the error carries the line being output
                chunks.throw(error)
            raise error
        parts.append(chunk)
    return "".join(parts)


def _template_line(exc: BaseException, filename: str | None) -> int:
    """The line of the innermost frame in the template (Jinja2 maps frames to template lines)."""
    line = getattr(exc, "lineno", None)
    for frame in traceback.extract_tb(exc.__traceback__):
        if filename is not None and frame.filename == filename and frame.lineno:
            line = frame.lineno
    return int(line) if line else 1

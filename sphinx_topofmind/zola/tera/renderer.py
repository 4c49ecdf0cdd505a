"""The renderer: :class:`TeraRenderer`, one per site.

It compiles the site's templates once and turns every failure into one located
diagnostic (:class:`RenderResult`).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from jinja2 import (
    Template,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
)

from ..diagnostics import Diagnostic, Subtype
from ..site_config import SiteConfig
from .checks import _TESTS
from .environment import (
    TeraUndefined,
    _bounded,
    _template_line,
    _tera_context,
    _TeraEnvironment,
    _TeraLoader,
)
from .errors import DataNotFound, TeraError
from .filters import _filters
from .functions import _DATA_FORMATS, _now, _parse_data, _range, _throw
from .values import _finalize, _need_str

#: Zola autoescapes these template kinds, and only these (``.md`` shortcodes are raw)
AUTOESCAPE_SUFFIXES = (".html", ".htm", ".xml")


@dataclasses.dataclass(frozen=True)
class RenderResult:
    """The rendered text (empty when rendering failed) and the problems found."""

    text: str
    diagnostics: tuple[Diagnostic, ...] = ()
    #: the template file that was rendered (``None`` when none was found)
    template: Path | None = None


class TeraRenderer:
    """Render a Zola site's templates; one renderer per site, templates compiled once.

    ``functions`` maps a function name (``get_url``, ``get_page``...) to a
    callable taking Tera's named arguments; they add to, or replace, the pure
    ones here (``load_data``, ``now``, ``throw``, ``range``).  ``config`` is the
    site's config (its :meth:`SiteConfig.template_view` is the ``config``
    variable; its Markdown options drive the ``markdown`` filter).
    """

    def __init__(
        self,
        site_root: str | Path,
        content_dir: str | Path | None = None,
        *,
        functions: Mapping[str, Callable[..., Any]] | None = None,
        config: SiteConfig | None = None,
        templates_dir: str | Path | None = None,
    ) -> None:
        self.site_root = Path(site_root)
        self.content_dir = Path(content_dir) if content_dir else self.site_root / "content"
        self.templates_dir = Path(templates_dir) if templates_dir else self.site_root / "templates"
        self.config = config if config is not None else SiteConfig()
        self._data_cache: dict[tuple[Path, str, int], Any] = {}
        self._compiled: dict[str, Template | Diagnostic] = {}
        self._markdown_parser: Any = None
        env = _TeraEnvironment(
            loader=_TeraLoader(self.templates_dir),
            undefined=TeraUndefined,
            autoescape=lambda name: bool(name) and str(name).endswith(AUTOESCAPE_SUFFIXES),
            keep_trailing_newline=True,
            finalize=_finalize,
            extensions=["jinja2.ext.loopcontrols"],
            auto_reload=False,
            # no constant folding: it would join `"a" ~ true` the Python way at compile time
            optimized=False,
        )
        env.filters.update(_filters(self._markdown))
        env.tests.update(_TESTS)
        env.globals.clear()
        env.globals.update(
            load_data=self.load_data,
            now=_now,
            throw=_throw,
            range=_range,
            __tera_context=_tera_context,
        )
        env.globals.update(functions or {})
        self.environment = env

    # -- functions ---------------------------------------------------------

    def resolve_data_path(self, path: str) -> Path:
        """Zola's file search: ``@/`` is ``content/``; then the root, ``static/``, ``content/``.

        Raises :class:`TeraError` for a path that leaves the site root (also through a
        symlink) or that is found nowhere.
        """
        relative = "content/" + path[2:] if path.startswith("@/") else path
        relative = relative.lstrip("/")
        root = self.site_root.resolve()
        candidates = [
            self.site_root / relative,
            self.site_root / "static" / relative,
            self.content_dir / relative,
        ]
        outside = False
        for candidate in candidates:
            resolved = candidate.resolve()
            if not resolved.is_relative_to(root):
                outside = True
                continue
            if resolved.is_file():
                return resolved
        if outside:
            raise TeraError(f"function `load_data`: {path!r} is outside the site")
        raise DataNotFound(f"function `load_data`: {path!r} not found in the site")

    def load_data(
        self,
        path: str | None = None,
        literal: str | None = None,
        format: str | None = None,
        required: bool = True,
        url: str | None = None,
        **_: Any,
    ) -> Any:
        """Zola's ``load_data`` for local files and literals (never the network)."""
        if url is not None:
            raise TeraError("function `load_data`: `url` is not supported (no network access)")
        if literal is not None:
            return self._parse(literal, format or "plain", "literal")
        if path is None:
            raise TeraError("function `load_data` needs `path` or `literal`")
        try:
            file = self.resolve_data_path(path)
        except DataNotFound:
            if not required:
                return None
            raise
        fmt = format or _DATA_FORMATS.get(file.suffix.lower(), "plain")
        key = (file, fmt, file.stat().st_mtime_ns)
        if key not in self._data_cache:
            try:
                text = file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise TeraError(f"function `load_data`: cannot read {path!r}: {exc}") from exc
            self._data_cache[key] = self._parse(text, fmt, path)
        return self._data_cache[key]

    @staticmethod
    def _parse(text: str, fmt: str, where: str) -> Any:
        try:
            return _parse_data(text, fmt)
        except TeraError:
            raise
        except Exception as exc:  # each parser has its own error type
            raise TeraError(f"function `load_data`: {where!r} is not valid {fmt}: {exc}") from exc

    def _markdown(self, value: Any, inline: bool = False) -> str:
        if self._markdown_parser is None:
            from markdown_it import MarkdownIt

            parser = MarkdownIt(
                "commonmark", {"typographer": self.config.markdown.smart_punctuation}
            )
            parser.enable(["table", "strikethrough"])
            if self.config.markdown.smart_punctuation:
                parser.enable(["replacements", "smartquotes"])
            self._markdown_parser = parser
        html = str(self._markdown_parser.render(_need_str(value, "markdown")))
        if inline:  # Zola strips the paragraph the renderer wraps around the text
            stripped = html.strip()
            if stripped.startswith("<p>") and stripped.endswith("</p>"):
                html = stripped[3:-4]
        return html

    # -- rendering ---------------------------------------------------------

    def template_name(self, template_path: str | Path) -> str:
        """The loader name of a template given as a path (absolute or under ``templates/``)."""
        path = Path(template_path)
        if path.is_absolute():
            try:
                return path.relative_to(self.templates_dir).as_posix()
            except ValueError:
                return path.as_posix()  # the loader refuses it: outside templates/
        return path.as_posix()

    def find_shortcode(self, name: str) -> Path | None:
        """``templates/shortcodes/NAME.html`` or ``.md`` (HTML first; Zola leaves the choice open)."""
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            return None
        for suffix in (".html", ".md"):
            path = self.templates_dir / "shortcodes" / f"{name}{suffix}"
            if path.is_file():
                return path
        return None

    def shortcode_names(self) -> list[str]:
        """The names of the site's shortcodes, sorted."""
        folder = self.templates_dir / "shortcodes"
        if not folder.is_dir():
            return []
        return sorted(
            {p.stem for p in folder.iterdir() if p.suffix in (".html", ".md") and p.is_file()}
        )

    def compile(self, template_path: str | Path) -> Template | Diagnostic:
        """The compiled template (cached), or the diagnostic saying why it cannot compile."""
        name = self.template_name(template_path)
        if name not in self._compiled:
            try:
                self._compiled[name] = self.environment.get_template(name)
            except TemplateSyntaxError as exc:
                line = exc.lineno or 1
                self._compiled[name] = Diagnostic(
                    Subtype.shortcode,
                    f"template {name}, line {line}: syntax error: {exc.message}",
                    line,
                )
            except TemplateNotFound:
                self._compiled[name] = Diagnostic(
                    Subtype.shortcode, f"template {name} not found in {self.templates_dir}", 1
                )
            except Exception as exc:  # noqa: BLE001 - unreadable, or too deep for the parser
                message = exc.message if isinstance(exc, TemplateError) else repr(exc)
                self._compiled[name] = Diagnostic(
                    Subtype.shortcode, f"template {name}: {message}", 1
                )
        return self._compiled[name]

    def render(self, template_path: str | Path, context: Mapping[str, Any]) -> RenderResult:
        """Render one template with ``context``; failures are one located diagnostic."""
        name = self.template_name(template_path)
        file = self.templates_dir / name
        template = self.compile(name)
        if isinstance(template, Diagnostic):
            return RenderResult("", (template,), file if file.is_file() else None)
        try:
            text = _bounded(template.generate(dict(context)))
        except Exception as exc:  # noqa: BLE001 - a template error, or one from a filter or function
            line = _template_line(exc, template.filename)
            message = exc.message if isinstance(exc, TemplateError) and exc.message else str(exc)
            included = getattr(exc, "name", None) if isinstance(exc, TemplateNotFound) else None
            if included:
                message = f"included template {included!r} not found"
            diagnostic = Diagnostic(
                Subtype.shortcode, f"template {name}, line {line}: {message}", line
            )
            return RenderResult("", (diagnostic,), file)
        return RenderResult(text, (), file)

    def shortcode_context(
        self,
        args: Mapping[str, Any],
        *,
        body: str | None = None,
        nth: int = 1,
        page: Any = None,
        lang: str | None = None,
    ) -> dict[str, Any]:
        """What a Zola shortcode sees: its arguments, then ``body``, ``nth``, ``page``,
        ``config`` and ``lang`` (these win over an argument of the same name, as in Zola)."""
        context = dict(args)
        if body is not None:
            context["body"] = body.rstrip()  # Zola trims the body's end
        context.update(
            nth=nth,
            page=page,
            config=self.config.template_view(),
            lang=lang or self.config.default_language,
        )
        return context

    def render_shortcode(
        self,
        name: str,
        args: Mapping[str, Any],
        *,
        body: str | None = None,
        nth: int = 1,
        page: Any = None,
        lang: str | None = None,
    ) -> RenderResult:
        """Render the site's shortcode ``name`` for one call."""
        path = self.find_shortcode(name)
        if path is None:
            diagnostic = Diagnostic(
                Subtype.shortcode, f"no shortcode template {name!r} in the site", 1
            )
            return RenderResult("", (diagnostic,), None)
        context = self.shortcode_context(args, body=body, nth=nth, page=page, lang=lang)
        return self.render(path, context)

"""Deterministic synthetic Zola sites for the performance benchmarks.

One call writes the same articles in up to four variants, side by side::

    python benchmarks/generate.py --n 1000 --series 10 --tags 40 --out /tmp/sites

* ``topofmind``: the Zola files as they are, built with ``extensions = ["sphinx_topofmind"]``
  and only the settings the layout needs (content root, static folder, the series).
* ``fairfloor``: what a Sphinx author writes instead, the base of the ratios: the same
  articles as plain MyST, built with ``extensions = ["myst_parser"]`` only.  YAML front
  matter with ``date`` and ``tags`` (no title), the title as a ``#`` heading, no series
  nav (the article's own ``## Series`` heading above it stays: only the shortcode has no
  plain-MyST form), ``@/`` links as relative MyST links to the same
  pages, the images where plain MyST finds ``/images/...``; each section page lists its
  pages in an explicit hidden toctree, in the order of the extension's section toctree
  (:func:`section_pages`), under the same root toctree.
* ``floor``: byte-identical Markdown files (and nav.yaml, images), built with plain
  ``extensions = ["myst_parser"]``: front matter and shortcodes are read as text.
  This is the cheapest way Sphinx can read the same sources, the cost floor.
* ``ablog``: the same articles as ablog posts: the TOML front matter becomes YAML
  (``blogpost: true``, ``date``, ``tags``) and the title becomes a ``# heading``
  (ablog takes a post's title from its first heading); the body is unchanged.

Everything comes from ``random.Random(seed)``: the same arguments give the same bytes.

Layout (``content/`` is ``topofmind_content_root``)::

    conf.py  index.md                      root page, glob toctree of the sections
    content/s<k>/_index.md                 one Zola section per series, with the nav (selected=0)
    content/s<k>/nav.yaml                  for every even k (odd series use declared numbers)
    content/s<k>/a<i>.md                   series members, {{ s<k>_nav(selected=N) }}
    content/notes/_index.md, a<i>.md       every 10th article: in no series
    static/images/img-<j>.png              site-absolute /images/img-<j>.png (topofmind)
    images/img-<j>.png                     the same files for the other variants, where
                                           plain MyST looks for /images/... (the source dir)
"""

from __future__ import annotations

import argparse
import posixpath
import random
import re
import shutil
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path

VARIANTS = ("topofmind", "fairfloor", "floor", "ablog")
N_IMAGES = 20

WORDS = [
    "system",
    "review",
    "change",
    "deploy",
    "latency",
    "cache",
    "build",
    "release",
    "branch",
    "merge",
    "test",
    "fixture",
    "queue",
    "worker",
    "schedule",
    "budget",
    "estimate",
    "team",
    "habit",
    "incident",
    "runbook",
    "alert",
    "page",
    "metric",
    "trace",
    "log",
    "error",
    "retry",
    "timeout",
    "backoff",
    "service",
    "client",
    "server",
    "request",
    "response",
    "schema",
    "migration",
    "index",
    "query",
    "table",
    "column",
    "record",
    "batch",
    "stream",
    "event",
    "handler",
    "config",
    "default",
    "option",
    "flag",
    "feature",
    "rollout",
    "rollback",
    "canary",
    "version",
    "package",
    "module",
    "function",
    "class",
    "method",
    "interface",
    "contract",
    "boundary",
    "layer",
    "owner",
    "reader",
    "writer",
    "author",
    "reviewer",
    "note",
    "draft",
    "outline",
    "summary",
    "detail",
    "example",
    "pattern",
    "practice",
    "principle",
    "tradeoff",
    "decision",
    "context",
    "constraint",
    "goal",
    "risk",
    "cost",
    "value",
    "signal",
    "noise",
    "focus",
    "rhythm",
    "calm",
    "clarity",
    "small",
    "simple",
    "honest",
    "careful",
    "steady",
    "quick",
    "slow",
    "clear",
    "plain",
    "useful",
    "common",
    "rare",
    "early",
    "late",
]
CONNECTORS = ("and", "but", "so", "because", "while", "when", "although", "since")
LANGS = ("python", "bash", "toml", "text")


def _png(seed: int) -> bytes:
    """A valid 2x2 RGB PNG whose colour depends on ``seed``."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    colour = bytes(((seed * 53) % 256, (seed * 97) % 256, (seed * 151) % 256))
    raw = b"".join(b"\x00" + colour * 2 for _ in range(2))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


@dataclass
class Article:
    index: int
    section: str  # "s<k>" or "notes"
    series: str | None
    position: int | None  # 1-based place in its series
    title: str
    date: str
    description: str
    tags: list[str]
    body: str = ""
    links: list[int] = field(default_factory=list)

    @property
    def filename(self) -> str:
        return f"a{self.index:05d}.md"

    @property
    def content_path(self) -> str:
        return f"{self.section}/{self.filename}"

    @property
    def docname(self) -> str:
        return f"content/{self.section}/a{self.index:05d}"


@dataclass
class SitePlan:
    n: int
    series: int
    tags: int
    seed: int
    window: int | None
    articles: list[Article]
    sections: list[str]

    def series_names(self) -> list[str]:
        return [f"s{k}" for k in range(self.series)]

    def has_nav_file(self, series: str) -> bool:
        return int(series[1:]) % 2 == 0

    def members(self, series: str) -> list[Article]:
        return [a for a in self.articles if a.series == series]


def _sentence(rng: random.Random, words: int | None = None) -> str:
    count = words or rng.randint(8, 18)
    picked = [rng.choice(WORDS) for _ in range(count)]
    if count > 10:
        picked.insert(count // 2, rng.choice(CONNECTORS))
    text = " ".join(picked)
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(_sentence(rng) for _ in range(sentences))


def _title(rng: random.Random) -> str:
    return " ".join(w.capitalize() for w in (rng.choice(WORDS) for _ in range(rng.randint(3, 6))))


def plan_site(
    n: int,
    series: int = 5,
    tags: int = 30,
    seed: int = 1,
    window: int | None = None,
    notes_every: int = 10,
) -> SitePlan:
    """Decide every article's section, series place, title, tags and links.

    Every ``notes_every``-th article goes to ``notes`` (in no series); 0: none does.
    """
    if series < 1:
        raise ValueError("at least one series")
    rng = random.Random(seed)
    tag_names = [f"tag-{j:03d}" for j in range(tags)]
    articles: list[Article] = []
    counters = [0] * series
    in_series = 0
    for i in range(n):
        if notes_every and i % notes_every == notes_every - 1:
            section, name, position = "notes", None, None
        else:
            k = in_series % series
            in_series += 1
            counters[k] += 1
            section, name, position = f"s{k}", f"s{k}", counters[k]
        day = 1 + (i * 7) % 28
        month = 1 + (i // 28) % 12
        year = 2015 + (i // 336) % 10
        articles.append(
            Article(
                index=i,
                section=section,
                series=name,
                position=position,
                title=f"{_title(rng)} {i}",
                date=f"{year:04d}-{month:02d}-{day:02d}",
                description=_sentence(rng, 10),
                tags=sorted(rng.sample(tag_names, k=min(3, len(tag_names)))) if tag_names else [],
            )
        )
    for article in articles:
        others = (
            [j for j in (rng.randrange(n) for _ in range(2)) if j != article.index] if n > 1 else []
        )
        article.links = others
        article.body = _body(rng, article, articles, window)
    sections = sorted({a.section for a in articles} | {f"s{k}" for k in range(series)})
    return SitePlan(n, series, tags, seed, window, articles, sections)


def _body(rng: random.Random, article: Article, articles: list[Article], window: int | None) -> str:
    """~600-900 words: an image, headings, lists, a code block, inline code, @/ links, the nav."""
    parts = [f"![{article.description[:-1]}](/images/img-{article.index % N_IMAGES:03d}.png)", ""]
    links = [f"[{articles[j].title}](@/{articles[j].content_path})" for j in article.links]
    for h in range(rng.randint(4, 5)):
        parts += [f"## {_title(rng)}", ""]
        for p in range(2):
            text = _paragraph(rng, rng.randint(4, 6))
            if p == 0 and links:
                text += f" See {links.pop()} for more."
            if p == 1:
                text += f" Call `{rng.choice(WORDS)}_{rng.choice(WORDS)}()` before the `{rng.choice(WORDS)}` step."
            parts += [text, ""]
        if h == 1:
            parts += [f"- {_sentence(rng, 7)}" for _ in range(4)] + [""]
        if h == 2:
            lang = rng.choice(LANGS)
            code = [
                f"{rng.choice(WORDS)}_{k} = {rng.randint(0, 999)}  # {rng.choice(WORDS)}"
                for k in range(6)
            ]
            parts += [f"```{lang}", *code, "```", ""]
        if h == 3:
            parts += [f"{k}. {_sentence(rng, 6)}" for k in range(1, 4)] + [""]
    if article.series is not None:
        extra = f", window={window}" if window else ""
        parts += [
            "## Series",
            "",
            f"{{{{ {article.series}_nav(selected={article.position}{extra}) }}}}",
            "",
        ]
    return "\n".join(parts)


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


_LINK = re.compile(r"\]\(@/([^)#\s]+)\)")
_SERIES_NAV = re.compile(r"\{\{ s\d+_nav\([^)]*\) \}\}\n\n?")


def plain_myst_body(article: Article) -> str:
    """The body as a Sphinx author writes it: no series nav (its heading is the article's
    own and stays), ``@/`` links relative."""
    here = posixpath.dirname(article.content_path)

    def relative(match: re.Match[str]) -> str:
        return f"]({posixpath.relpath(match.group(1), here)})"

    return _LINK.sub(relative, _SERIES_NAV.sub("", article.body)).rstrip("\n") + "\n"


def article_text(article: Article, variant: str) -> str:
    if variant == "fairfloor":
        head = [
            "---",
            f"date: {article.date}",
            "tags: [" + ", ".join(article.tags) + "]",
            "---",
            "",
            f"# {article.title}",
            "",
            "",
        ]
        return "\n".join(head) + plain_myst_body(article)
    if variant == "ablog":
        head = [
            "---",
            "blogpost: true",
            f"date: {article.date}",
            f"tags: {', '.join(article.tags)}",
            f"description: {_toml_string(article.description)}",
            "---",
            "",
            f"# {article.title}",
            "",
        ]
    else:
        head = [
            "+++",
            f"title = {_toml_string(article.title)}",
            f'date = "{article.date}"',
            f"description = {_toml_string(article.description)}",
            "",
            "[taxonomies]",
            "tags = [" + ", ".join(_toml_string(t) for t in article.tags) + "]",
            "+++",
            "",
        ]
    return "\n".join(head) + article.body


def section_pages(plan: SitePlan, section: str) -> list[Article]:
    """A section's pages in the order of the extension's hidden section toctree
    (``features/rewrite.py:section_toctree``): the pages of the folder's ``nav.yaml``
    in its order, then the others in the section's ``sort_by`` order (``none`` here:
    by path)."""
    pages = [a for a in plan.articles if a.section == section]
    nav = (
        plan.members(section)
        if section in plan.series_names() and plan.has_nav_file(section)
        else []
    )
    rest = sorted((a for a in pages if a not in nav), key=lambda a: a.content_path)
    return nav + rest


def section_text(plan: SitePlan, section: str, variant: str) -> str:
    title = "Notes" if section == "notes" else f"Series {section[1:]}"
    body = f"The {title.lower()} section of this synthetic site.\n"
    if variant == "fairfloor":
        entries = "\n".join(a.filename[:-3] for a in section_pages(plan, section))
        toctree = f"\n```{{toctree}}\n:hidden:\n\n{entries}\n```\n" if entries else ""
        return f"# {title}\n\n{body}{toctree}"
    if section != "notes":
        body += f"\n## Contents\n\n{{{{ {section}_nav(selected=0) }}}}\n"
    if variant == "ablog":
        return f"---\ndescription: {title}\n---\n\n# {title}\n\n{body}"
    return f'+++\ntitle = "{title}"\ndate = "2024-01-01"\n+++\n\n{body}'


def nav_yaml(plan: SitePlan, series: str) -> str:
    lines = []
    for article in plan.members(series):
        lines += [f"- name: {_toml_string(article.title)}", f'  url: "@/{article.content_path}"']
    return "\n".join(lines) + "\n"


INDEX = """# Synthetic Zola site

A generated site for the sphinx-topofmind benchmarks.

```{toctree}
:maxdepth: 1
:glob:

content/*/_index
```
"""

# Warnings the floor and ablog cannot avoid on Zola sources (unresolved @/ links and
# /images paths, articles outside any toctree); silenced so the logs stay readable.
_QUIET = [
    "myst.xref_missing",
    "toc.not_included",
    "image.not_readable",
    "myst.header",
    "ref.any",
    "toc.no_title",
]


def conf_text(plan: SitePlan, variant: str) -> str:
    common = (
        f'project = "bench-{variant}"\n'
        'author = "bench"\n'
        'exclude_patterns = ["_build"]\n'
        'html_theme = "alabaster"\n'
    )
    if variant == "topofmind":
        series = ", ".join(f'"{s}": {{"title": "Series {s[1:]}"}}' for s in plan.series_names())
        return common + (
            'extensions = ["sphinx_topofmind"]\n'
            'topofmind_content_root = "content"\n'
            'topofmind_static_path = ["static"]\n'
            f"topofmind_series = {{{series}}}\n"
        )
    if variant == "fairfloor":
        return common + 'extensions = ["myst_parser"]\n'  # no warning to silence
    if variant == "floor":
        return common + 'extensions = ["myst_parser"]\n' + f"suppress_warnings = {_QUIET!r}\n"
    if variant == "ablog":
        return common + (
            'extensions = ["myst_parser", "ablog"]\n'
            'blog_path = "blog"\n'
            'blog_title = "Synthetic blog"\n'
            "post_auto_image = 0\n"
            f"suppress_warnings = {_QUIET!r}\n"
        )
    raise ValueError(f"unknown variant {variant!r}")


def write_site(plan: SitePlan, root: Path, variant: str) -> Path:
    """Write one variant of ``plan`` into ``root`` (replaced if it exists)."""
    if root.exists():
        shutil.rmtree(root)
    content = root / "content"
    for section in plan.sections:
        (content / section).mkdir(parents=True, exist_ok=True)
        (content / section / "_index.md").write_text(
            section_text(plan, section, variant), encoding="utf-8"
        )
    for series in plan.series_names():
        if plan.has_nav_file(series) and variant != "fairfloor":
            (content / series / "nav.yaml").write_text(nav_yaml(plan, series), encoding="utf-8")
    for article in plan.articles:
        (content / article.content_path).write_text(
            article_text(article, variant), encoding="utf-8"
        )
    # topofmind finds /images/x.png in topofmind_static_path; plain MyST reads a leading
    # '/' as the source dir, so the other variants get the images there (else every
    # article has a missing dependency and Sphinx re-reads it on every build)
    images = root / ("static/images" if variant == "topofmind" else "images")
    images.mkdir(parents=True)
    for j in range(N_IMAGES):
        (images / f"img-{j:03d}.png").write_bytes(_png(j))
    (root / "index.md").write_text(INDEX, encoding="utf-8")
    (root / "conf.py").write_text(conf_text(plan, variant), encoding="utf-8")
    return root


def generate(
    out: Path,
    n: int,
    series: int = 5,
    tags: int = 30,
    seed: int = 1,
    variants: tuple[str, ...] = VARIANTS,
    window: int | None = None,
    notes_every: int = 10,
) -> tuple[SitePlan, dict[str, Path]]:
    plan = plan_site(n, series, tags, seed, window, notes_every)
    return plan, {v: write_site(plan, Path(out) / v, v) for v in variants}


# --- edits used by the rebuild scenarios -----------------------------------------


def body_edit_target(plan: SitePlan) -> Article:
    """A series member in the middle of the site."""
    members = [a for a in plan.articles if a.series is not None]
    return members[len(members) // 2]


def title_edit_target(plan: SitePlan) -> Article:
    """A member of a series without a nav file (its nav shows the titles themselves)."""
    candidates = [
        a for a in plan.articles if a.series is not None and not plan.has_nav_file(a.series)
    ]
    if not candidates:
        candidates = [a for a in plan.articles if a.series is not None]
    return candidates[len(candidates) // 2]


def edit_body(site: Path, article: Article) -> None:
    path = site / "content" / article.content_path
    text = path.read_text(encoding="utf-8")
    marker = "\n## "
    at = text.index(marker, text.index(marker) + 1)  # before the second heading
    path.write_text(
        text[:at] + "\nOne more sentence, added by the benchmark.\n" + text[at:], encoding="utf-8"
    )


def edit_title(site: Path, article: Article) -> None:
    path = site / "content" / article.content_path
    text = path.read_text(encoding="utf-8")
    for old in (f"title = {_toml_string(article.title)}", f"# {article.title}\n"):
        if old in text:
            new = old.replace(article.title, article.title + " Revised")
            path.write_text(text.replace(old, new, 1), encoding="utf-8")
            return
    raise ValueError(f"no title line in {path}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100, help="number of articles")
    parser.add_argument("--series", type=int, default=5)
    parser.add_argument("--tags", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--window", type=int, default=None, help="window=N on every series nav")
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    plan, sites = generate(
        args.out,
        args.n,
        args.series,
        args.tags,
        args.seed,
        tuple(args.variants.split(",")),
        args.window,
    )
    words = sum(len(a.body.split()) for a in plan.articles) / max(1, len(plan.articles))
    for variant, path in sites.items():
        print(f"{variant}: {path}")
    print(
        f"{plan.n} articles, {plan.series} series, {plan.tags} tags, {words:.0f} words/article on average"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

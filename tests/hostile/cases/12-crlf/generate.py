"""CRLF line ends: lines must still count like LF ones (bad TOML on line 3, dead link on line 8)."""


def files() -> dict[str, bytes]:
    lines = [
        "+++",
        'title = "CRLF"',
        "date = 2024-13-45",
        "+++",
        "",
        "## Body",
        "",
        "See [dead](@/none.md).",
        "",
    ]
    return {"content/hostile/a.md": "\r\n".join(lines).encode("utf-8")}

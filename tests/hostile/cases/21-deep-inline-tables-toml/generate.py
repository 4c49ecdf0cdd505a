"""Inline tables nested 3000 deep in TOML front matter (line 3)."""


def files() -> dict[str, bytes]:
    deep = "{a = " * 3000 + "1" + "}" * 3000
    return {
        "content/hostile/a.md": f'+++\ntitle = "Deep tables"\nx = {deep}\n+++\n\n## Body\n\nText.\n'.encode()
    }

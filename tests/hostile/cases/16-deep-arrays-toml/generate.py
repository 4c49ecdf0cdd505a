"""An array nested 3000 deep in TOML front matter (line 3)."""


def files() -> dict[str, bytes]:
    deep = "[" * 3000 + "]" * 3000
    return {
        "content/hostile/a.md": f'+++\ntitle = "Deep"\nx = {deep}\n+++\n\n## Body\n\nText.\n'.encode()
    }

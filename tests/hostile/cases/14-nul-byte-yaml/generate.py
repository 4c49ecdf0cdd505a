"""A NUL byte inside the YAML front matter (line 3)."""


def files() -> dict[str, bytes]:
    return {
        "content/hostile/a.md": b"---\ntitle: Nul\ndescription: a\x00b\n---\n\n## Body\n\nText.\n"
    }

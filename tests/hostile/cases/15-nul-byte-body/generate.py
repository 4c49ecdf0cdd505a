"""A NUL byte in the article body (line 7), after valid front matter."""


def files() -> dict[str, bytes]:
    return {"content/hostile/a.md": b'+++\ntitle = "Nul body"\n+++\n\n## Body\n\nbefore\x00after\n'}

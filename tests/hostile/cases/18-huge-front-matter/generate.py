"""A front matter of about 3 MB (valid TOML), then a dead link right after it."""


def files() -> dict[str, bytes]:
    keys = "".join(f'k{i} = "{"x" * 100}"\n' for i in range(30000))
    text = f'+++\ntitle = "Huge"\n{keys}+++\n\nSee [dead](@/none.md).\n'
    return {"content/hostile/a.md": text.encode()}

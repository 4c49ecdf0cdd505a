"""About 3 MB of TOML front matter whose very last line is invalid."""


def files() -> dict[str, bytes]:
    keys = "".join(f'k{i} = "{"x" * 100}"\n' for i in range(30000))
    text = f'+++\ntitle = "Huge"\n{keys}broken =\n+++\n\nText.\n'
    return {"content/hostile/a.md": text.encode()}

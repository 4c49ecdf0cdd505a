"""A UTF-8 byte order mark before the front matter, and an invalid key on line 3."""


def files() -> dict[str, bytes]:
    text = '\ufeff+++\ntitle = "With BOM"\nweight = "x"\n\n[taxonomies]\ntags = ["bom"]\n+++\n\n## Body\n\nSee [dead](@/none.md).\n'
    return {"content/hostile/a.md": text.encode("utf-8")}

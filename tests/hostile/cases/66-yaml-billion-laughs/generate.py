"""YAML aliases that expand to a million strings from a 600-byte front matter
(six levels of ten); the tags key (line 11) points at the top one."""


def files() -> dict[str, bytes]:
    levels = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for i in range(1, 7):
        levels.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    text = (
        "---\ntitle: Laughs\n"
        + "\n".join(levels)
        + "\ntaxonomies:\n  tags: *a6\n---\n\n## Body\n\nText.\n"
    )
    return {"content/hostile/a.md": text.encode()}

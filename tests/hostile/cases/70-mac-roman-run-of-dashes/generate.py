"""A 9 KB article whose body is one run of 3,000 em dashes (Mac Roman high-half
characters); the mojibake repair tried every sub-run of it and took 39 s."""


def files() -> dict[str, bytes]:
    text = '+++\ntitle = "Dashes"\n+++\n\n## Body\n\n' + "—" * 3000 + "\n\nSee [dead](@/none.md).\n"
    return {"content/hostile/a.md": text.encode()}

"""About 60 KB of brackets, backtick runs and link tails in one paragraph: the
link scan must stay linear (no rescans, no regex backtracking)."""


def files() -> dict[str, bytes]:
    noise = "[a `b ``c [d] `` e](@/top-of-mind/ok-1.md) [[[ ` ]]] (@/x.md) ](@/y.md) \\[ "
    body = "\n".join(noise for _ in range(800))
    text = f'+++\ntitle = "Brackets"\ndate = "2024-01-03"\n+++\n\n{body}\n'
    return {"content/hostile/a.md": text.encode()}

"""Generate the placeholder PNGs under static/images/ (standard library only).

Run from anywhere: ``python example_site/make_images.py``. Each image is a
240x120 solid colour with diagonal stripes; the colours are fixed, so the
output is byte-for-byte reproducible.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

WIDTH, HEIGHT = 240, 120
OUT = Path(__file__).resolve().parent / "static" / "images"

# name -> (background RGB, stripe RGB)
IMAGES: dict[str, tuple[tuple[int, int, int], tuple[int, int, int]]] = {
    "top-of-mind": ((52, 73, 94), (236, 240, 241)),
    "small-pull-requests": ((39, 174, 96), (255, 255, 255)),
    "kind-code-review": ((41, 128, 185), (255, 255, 255)),
    "naming-things": ((142, 68, 173), (245, 245, 245)),
    "deleting-code": ((192, 57, 43), (250, 219, 216)),
    "read-the-error-message": ((211, 84, 0), (255, 243, 224)),
    "writing-runbooks": ((22, 160, 133), (232, 248, 245)),
    "on-call-calm": ((44, 62, 80), (133, 193, 233)),
    "honest-estimates": ((243, 156, 18), (60, 60, 60)),
    "pairing": ((26, 188, 156), (44, 62, 80)),
    "documentation-debt": ((127, 140, 141), (255, 255, 255)),
    "release-checklist": ((230, 126, 34), (255, 255, 255)),
    "commit-messages": ((52, 152, 219), (253, 254, 254)),
}


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def make_png(bg: tuple[int, int, int], fg: tuple[int, int, int]) -> bytes:
    """Return an RGB PNG of WIDTH x HEIGHT with diagonal stripes."""
    rows = bytearray()
    for y in range(HEIGHT):
        rows.append(0)  # filter type: None
        for x in range(WIDTH):
            rows.extend(fg if (x + y) % 40 < 8 else bg)
    ihdr = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", ihdr)
        + _chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + _chunk(b"IEND", b"")
    )


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, (bg, fg) in IMAGES.items():
        (OUT / f"{name}.png").write_bytes(make_png(bg, fg))


if __name__ == "__main__":
    main()

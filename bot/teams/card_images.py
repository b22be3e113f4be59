"""Charts for cards: data: URIs, re-encoded smaller when that is what makes a chart fit a card.

A card's picture is shown at the card's width (a few hundred pixels), so a chart may lose pixels
and colours without losing anything a reader sees: first a 64-colour palette at full size (the
charts use a few flat colours), then smaller sizes, never below a minimum width.
"""

from __future__ import annotations

import base64
import io
import logging
import math
from functools import lru_cache

log = logging.getLogger(__name__)

PALETTE = 64  # colours
MAX_STEPS = 4  # re-encodings tried at smaller sizes
MARGIN = 0.9  # aim a little below the size that would just fit
PALETTE_RATIO = 0.33  # a chart as a 64-colour palette PNG, against matplotlib's RGBA PNG (measured 0.27–0.35)


def data_uri(content: bytes, mimetype: str = "image/png") -> str:
    """The file as a data: URI."""
    return f"data:{mimetype};base64,{base64.b64encode(content).decode('ascii')}"


def uri_size(content: bytes, mimetype: str = "image/png") -> int:
    """Characters of the file's data: URI."""
    return len(f"data:{mimetype};base64,") + 4 * math.ceil(len(content) / 3)


@lru_cache(maxsize=16)  # a reply's chart is tried in its card first, then in one of its own
def fit_png(content: bytes, max_uri: int, min_width: int) -> bytes | None:
    """The PNG as it is when its data: URI has at most `max_uri` characters, else re-encoded to
    fit at a width of at least `min_width` pixels; None when it cannot be made to fit."""
    if uri_size(content) <= max_uri:
        return content
    from PIL import Image, UnidentifiedImageError

    try:
        picture = Image.open(io.BytesIO(content))
        picture.load()
    except (UnidentifiedImageError, OSError, ValueError):
        log.warning("A picture could not be read to make it smaller; it is sent as it is", exc_info=True)
        return None
    picture = _on_white(picture)
    full = picture.size[0]
    # The first guess from the usual palette saving, so a large chart is quantized once or twice.
    width = _narrower(full, uri_size(content) * PALETTE_RATIO, max_uri)
    for _ in range(MAX_STEPS):
        if width < min_width:
            return None
        out = _palette(picture if width >= full else _scaled(picture, width))
        if uri_size(out) <= max_uri:
            return out
        width = _narrower(width, uri_size(out), max_uri)
    return None


def _narrower(width: int, now: float, target: int) -> int:
    """The width at which a chart of `now` bytes at `width` would take `target`: a chart's PNG
    grows about linearly with its width (its lines, not its area, hold the bytes)."""
    return width if now <= target else int(width * (target / now) ** 0.9 * MARGIN)


def _scaled(picture, width: int):
    from PIL import Image

    height = max(1, round(picture.size[1] * width / picture.size[0]))
    # Box (area averaging): as sharp as Lanczos at these factors, in a third of the time.
    return picture.resize((width, height), Image.Resampling.BOX)


def _on_white(picture):
    """The picture in RGB, on white where it is transparent (a palette would lose the alpha badly);
    matplotlib's charts are opaque, so usually only a conversion."""
    from PIL import Image

    if picture.mode == "RGB":
        return picture
    if picture.mode == "RGBA" and picture.getchannel("A").getextrema() == (255, 255):
        return picture.convert("RGB")
    rgba = picture.convert("RGBA")
    flat = Image.new("RGB", rgba.size, "white")
    flat.paste(rgba, mask=rgba.getchannel("A"))
    return flat


def _palette(picture) -> bytes:
    from PIL import Image

    # Fast octree and no `optimize`: a fifth of the time of median cut with optimize, a tenth larger.
    reduced = picture.quantize(colors=PALETTE, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    out = io.BytesIO()
    reduced.save(out, "PNG")
    return out.getvalue()

"""Charts for cards: data: URIs, and a smaller re-encoding when a chart would not fit a card."""

from __future__ import annotations

import base64
import io
import logging
from functools import lru_cache

log = logging.getLogger(__name__)

PALETTE = 64  # colours: the charts use a few flat colours, so a palette keeps them sharp


def data_uri(content: bytes, mimetype: str = "image/png") -> str:
    """The file as a data: URI."""
    return f"data:{mimetype};base64,{base64.b64encode(content).decode('ascii')}"


@lru_cache(maxsize=8)  # a reply's chart is tried inline first, then in its own card
def smaller_png(content: bytes) -> bytes | None:
    """The picture as a palette PNG (about a third of a chart's size), or None when that is not
    smaller or the bytes are not a picture Pillow can read."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(content)) as picture:
            # A white background first: a palette of an RGBA chart would lose the transparency badly.
            flat = Image.new("RGB", picture.size, "white")
            rgba = picture.convert("RGBA")
            flat.paste(rgba, mask=rgba.getchannel("A"))
            reduced = flat.quantize(colors=PALETTE, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
            out = io.BytesIO()
            reduced.save(out, "PNG", optimize=True)
    except (UnidentifiedImageError, OSError, ValueError):
        log.warning("A chart could not be re-encoded; it is sent as it is", exc_info=True)
        return None
    smaller = out.getvalue()
    return smaller if len(smaller) < len(content) else None

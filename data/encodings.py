"""Recognising text files that are not UTF-8 although they may decode as UTF-8: UTF-16 and UTF-32."""

from __future__ import annotations

import codecs


def wide_encoding(raw: bytes) -> str | None:
    """ "UTF-16" or "UTF-32" when the bytes are text in one of them (with or without a BOM), else None.

    Without a BOM, such text of Latin letters has a NUL byte beside nearly every character: UTF-8
    would decode it, as letters spaced by NULs (the header "i n d i k a t o r"). A stray NUL in
    a UTF-8 file is no such pattern; the cell it is in is refused instead (data.fields).
    """
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "UTF-32"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "UTF-16"
    sample = raw[:4096]
    if len(sample) < 4:
        return None
    nul = [sample[k::4].count(0) / len(sample[k::4]) for k in range(4)]
    little, big = (min(nul[1:]) > 0.6 and nul[0] < 0.4), (min(nul[:3]) > 0.6 and nul[3] < 0.4)
    if little or big:
        return "UTF-32"
    even, odd = (nul[0] + nul[2]) / 2, (nul[1] + nul[3]) / 2
    if max(even, odd) > 0.3 and min(even, odd) < 0.05:
        return "UTF-16"
    return None

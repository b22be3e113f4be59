"""Words as the matcher sees them: folded, stemmed, without function words, abbreviations spelt out.

Folding (æ→ae, ø→o, å→a, lower case) and a few Norwegian endings make "legemiddellisten" and
"velferdsteknologien" the same words as "legemiddelliste" and "velferdsteknologi".
"""

from __future__ import annotations

import re

_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "é": "e", "è": "e", "ä": "a", "ö": "o", "ü": "u"})
_TOKEN = re.compile(r"[a-z0-9]+")
# Definite, plural and genitive endings, longest first; applied at most twice.
_SUFFIXES = ("ene", "ane", "ne", "er", "en", "et", "ar", "e", "a", "s")
# Function words of bokmål, nynorsk and English that never identify an indicator.
STOPWORDS = frozenset(
    [
        "av",
        "til",
        "pa",
        "i",
        "med",
        "og",
        "som",
        "for",
        "en",
        "et",
        "ei",
        "fra",
        "per",
        "hos",
        "det",
        "den",
        "de",
        "dei",
        "om",
        "ved",
        "eller",
        "the",
        "of",
        "a",
        "an",
        "to",
        "in",
        "on",
        "for",
        "and",
        "with",
        "by",
        "at",
        "from",
        "is",
        "are",
        "be",
    ]
)
# Words in many names that say little about which indicator is meant.
WEAK = {"bruk": 0.3, "andel": 0.3, "antall": 0.3, "effekt": 0.5, "digital": 0.6, "digit": 0.6}
# Abbreviations users write that the names spell out.
ABBREVIATIONS = {
    "dho": "digital hjemmeoppfølging",
    "ddfl": "digital dialog fastlege",
    "pll": "pasientens legemiddelliste",
    "kj": "kjernejournal",
    "hto": "helseteknologiordningen",
    "vft": "velferdsteknologi",
    "pjd": "pasientens journaldokumenter",
}
# English words for the names' key Norwegian words, so that English questions find them too.
ENGLISH = {
    "trust": "tillit",
    "welfare": "velferdsteknologi",
    "medication": "legemiddelliste",
    "medicines": "legemiddelliste",
    "monitoring": "hjemmeoppfølging",
    "remote": "hjemmeoppfølging",
    "gp": "fastlege",
    "gps": "fastlege",
    "ai": "ki",
    "ehr": "epj",
    "records": "journal",
    "proxy": "fullmakt",
    "selfhelp": "selvhjelp",
    "treatment": "behandling",
    "municipalities": "kommune",
    "hospitals": "spesialisthelsetjenesten",
    "patients": "pasienter",
    "applications": "søknader",
}


def fold(text: str) -> str:
    """Lower-case text with Norwegian letters folded to ASCII, for matching only."""
    return text.casefold().translate(_FOLD)


def words(text: str) -> list[str]:
    """The folded words of a text."""
    return _TOKEN.findall(fold(text))


def stem(word: str) -> str:
    """The word without common Norwegian endings ("kommunene" → "kommun")."""
    for _ in range(2):
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 4 and not word.isdigit():
                word = word[: -len(suffix)]
                break
        else:
            break
    return word


def content_stems(text: str) -> list[str]:
    """Stems of the words of a text that are not function words."""
    return [stem(w) for w in words(text) if w not in STOPWORDS]


def query_stems(text: str) -> list[str]:
    """Stems of a question's words, with English words translated to the names' Norwegian."""
    out: list[str] = []
    for w in words(text):
        if w in STOPWORDS:
            continue
        out += content_stems(ENGLISH[w]) if w in ENGLISH else [stem(w)]
    return out

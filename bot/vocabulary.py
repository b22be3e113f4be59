"""Words as the matcher sees them: folded, stemmed, without function words, abbreviations spelt out.

The function words (STOPWORDS) never identify a name; the question and command words (FILLER,
GOAL_FILLER) are removed from a question before its rest is matched against the names.

Folding (æ→ae, ø→o, å→a, lower case) and a few Norwegian endings make "legemiddellisten" and
"velferdsteknologien" the same words as "legemiddelliste" and "velferdsteknologi".
"""

from __future__ import annotations

import re

_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "é": "e", "è": "e", "ä": "a", "ö": "o", "ü": "u"})
_TOKEN = re.compile(r"[a-z0-9]+")
# Definite, plural and genitive endings, longest first; applied at most twice.
_SUFFIXES = ("ene", "ane", "ne", "er", "en", "et", "ar", "e", "a", "s")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


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
# Question and command words removed before the rest is matched against the names (with STOPWORDS).
FILLER = _words(
    """
    status hvordan korleis kordan gar gaar ga hva kva er var vart hvilken hvilket hvilke kvar kor
    hvor mange mykje mye stor har hadde vis viss visa show meg oss me us kan du jeg eg vi gi gje si
    fortell tell about how what which whats does do doing going indikator indikatoren indikatorer
    indicator indicators graf grafen grafer diagram diagrammet kurve kurven chart graph plot
    utvikling utviklingen utviklinga trend trenden trends development tall tallene siste latest
    nyeste na no now dag today please takk thanks hei hallo hello hi bra godt ligger ligg egentlig
    eigentleg ambisjon ambisjonen ambisjonene ambisjonsniva ambisjonsnivaet maltall maltallet malet
    target ambition kilde kilden kildene kjelde kjelda datakilde datakilden source sources ofte
    oppdateres oppdatert frekvens frequency updated verdi verdien verdiene value values andel
    andelen share klar klart readiness sporet track paa rett kurs pr innen within where come comes
    coming data dataene dataa tallet
    """
)
# Words that filter a list of indicators (by readiness, verdict, frequency, missing data): never
# looked up as names, so "hvilke er ikke klare" cannot select an indicator called something "klar".
FILTER = _words(
    """
    ikke ikkje not klar klare klart ferdig ferdige mangler mangel mangla manglar missing uten utan
    without kvartalsvis kvartalsvise manedlig manedlige maanedlig arlig arlige aarlig halvarlig
    halvarlige ukentlig daglig lopende quarterly monthly yearly annual annually weekly fremtidig
    fremtidige framtidig arbeid henger heng etter behind sporet usikre usikker usikkert uncertain
    eksempeldata eksempel example ready
    """
)
# Words that would otherwise look like goal names when they only frame the question.
GOAL_FILLER = _words(
    "overordnet overordna overordnede overordnete strategisk strategiske mal malet goal goals"
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

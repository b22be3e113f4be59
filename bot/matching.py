"""Fuzzy matching of indicator, goal and council names in free text (rapidfuzz).

Words are folded (æ→ae, ø→o, å→a, lower case) and stemmed with a few Norwegian endings, so
that "legemiddellisten" finds "legemiddelliste" and "velferdsteknologien" "velferdsteknologi";
misspellings within a small edit distance still match ("legemidelliste"). Each query word is
weighted by how rare it is among the names (IDF), so "velferdsteknologi" decides more than
"kommune", and words that match no name at all ("hei", "takk") are ignored.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field

from radsbot.bot.names import Names
from radsbot.bot.vocabulary import ABBREVIATIONS, STOPWORDS, WEAK, content_stems, fold, query_stems
from rapidfuzz import fuzz, process

FUZZY_CUTOFF = 84  # rapidfuzz ratio for a misspelt word to count as the same word
MIN_FUZZY_LENGTH = 5  # shorter words ("ki", "pll") must match exactly
MATCH_THRESHOLD = 0.6
MARGIN = 0.1


@dataclass(frozen=True)
class Candidate:
    """A name the text may refer to, with its score (1.0 and above is a full match)."""

    kind: str  # "indicator" | "goal"
    code: str
    label: str
    score: float


@dataclass(frozen=True)
class Match:
    """The result of matching a phrase: one entity, several, or none with suggestions."""

    phrase: str
    best: Candidate | None = None  # set when the phrase identifies one entity
    candidates: tuple[Candidate, ...] = ()  # near-ties (ambiguous) or suggestions (not found)
    alternatives: tuple[Candidate, ...] = ()  # near-ties set aside by a preference rule
    unknown: tuple[str, ...] = ()  # the phrase's words that are in no name (then nothing is chosen)
    suggested: bool = False  # whether `candidates` are only the nearest names, not matches

    @property
    def found(self) -> bool:
        """Whether the phrase identifies exactly one entity."""
        return self.best is not None

    @property
    def ambiguous(self) -> bool:
        """Whether several entities fit the phrase equally well."""
        return (
            self.best is None
            and not self.suggested
            and len(self.candidates) > 1
            and self.candidates[0].score >= MATCH_THRESHOLD
        )


@dataclass
class _Entity:
    kind: str
    code: str
    label: str
    terms: list[tuple[str, ...]]
    stems: set[str] = field(default_factory=set)
    indicator_set: str = "dashbord"
    parent: str = ""


@dataclass
class NameIndex:
    """Every indicator and goal name as stems, with the rarity of each stem."""

    entities: list[_Entity]
    postings: dict[str, set[int]]
    weights: dict[str, float]
    vocabulary: list[str]
    codes: dict[str, int]
    labels: list[str]
    councils: list[tuple[str, tuple[tuple[str, ...], ...]]]

    @classmethod
    def build(cls, names: Names) -> NameIndex:
        """Index the names (a few milliseconds for a few hundred of them)."""
        entities = [
            _Entity(
                "indicator",
                i.code,
                f"{i.code} – {i.short_name or i.name}",
                [tuple(content_stems(t)) for t in i.terms],
                indicator_set=i.indicator_set,
                parent=i.parent,
            )
            for i in names.indicators
        ] + [
            _Entity("goal", g.code, g.label, [tuple(content_stems(t)) for t in g.terms]) for g in names.goals
        ]
        postings: dict[str, set[int]] = defaultdict(set)
        for n, entity in enumerate(entities):
            entity.stems = {s for term in entity.terms for s in term}
            for s in entity.stems:
                postings[s].add(n)
        total = max(1, len(entities))
        weights = {s: math.log(1 + total / len(ids)) * WEAK.get(s, 1.0) for s, ids in postings.items()}
        codes = {fold(e.code): n for n, e in enumerate(entities) if e.kind == "indicator"}
        councils = [(c.code, tuple(tuple(content_stems(t)) for t in c.terms)) for c in names.councils]
        return cls(
            entities, dict(postings), weights, sorted(postings), codes, [e.label for e in entities], councils
        )

    def similar(self, word: str) -> dict[str, float]:
        """Vocabulary stems close to a stem, with their similarity (1.0 = the same)."""
        found = {word: 1.0} if word in self.postings else {}
        if len(word) >= MIN_FUZZY_LENGTH and not word.isdigit():
            for other, score, _ in process.extract(
                word, self.vocabulary, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=5
            ):
                if len(other) >= MIN_FUZZY_LENGTH:
                    found.setdefault(other, score / 100.0)
        return found

    def _word_hits(self, word: str) -> tuple[dict[int, float], float]:
        """Entities a query word points at (with similarity) and the word's weight."""
        hits: dict[int, float] = {}
        weight = 0.0
        for other, sim in self.similar(word).items():
            weight = max(weight, self.weights[other])
            for n in self.postings[other]:
                hits[n] = max(hits.get(n, 0.0), sim)
        expansion = ABBREVIATIONS.get(word)
        if expansion:
            parts = content_stems(expansion)
            for n, entity in enumerate(self.entities):
                if all(p in entity.stems for p in parts):
                    hits[n] = 1.0
                    weight = max(weight, *(self.weights[p] for p in parts))
        return hits, weight

    def match(self, phrase: str, kinds: tuple[str, ...] = ("indicator", "goal"), prefer: str = "") -> Match:
        """Find the indicator or goal a phrase names.

        Args:
            phrase: the words that name the thing ("legemiddellisten", "DHO kommune").
            kinds: which kinds of entity may match.
            prefer: a kind to choose when an indicator and a goal fit equally well.
        """
        raw = phrase.strip()
        code = self._exact_code(raw, kinds)
        if code is not None:
            return Match(raw, best=self._candidate(code, 2.0))
        query = [s for s in query_stems(raw) if s]
        scores: dict[int, float] = defaultdict(float)
        matched_stems: dict[int, set[str]] = defaultdict(set)
        total = 0.0
        known: list[str] = []
        unknown: list[str] = []
        for word in dict.fromkeys(query):
            hits, weight = self._word_hits(word)
            if not hits:
                if not word.isdigit():
                    unknown.append(word)
                continue
            known.append(word)
            total += weight
            for n, sim in hits.items():
                if self.entities[n].kind in kinds:
                    scores[n] += weight * sim
                    matched_stems[n].update(self.similar(word))
                    if word in ABBREVIATIONS:
                        matched_stems[n].update(content_stems(ABBREVIATIONS[word]))
        if not scores or total == 0:
            return Match(raw, candidates=self.suggest(raw, kinds), unknown=tuple(unknown), suggested=True)
        ranked = sorted(
            (
                self._candidate(n, s / total + self._bonus(n, matched_stems[n], known))
                for n, s in scores.items()
            ),
            key=lambda c: -c.score,
        )
        top = ranked[0].score
        if self._mostly_unknown(known, unknown, ranked, matched_stems):
            # "kvantedatamaskiner i sykehus": one known word must not answer for a subject we lack.
            nearest = tuple(c for c in ranked[:3] if c.score >= 0.25) or self.suggest(raw, kinds)
            return Match(raw, candidates=nearest, unknown=tuple(unknown), suggested=True)
        if top < MATCH_THRESHOLD:
            return Match(raw, candidates=tuple(c for c in ranked[:3] if c.score >= 0.25))
        ties = self._current([c for c in ranked if c.score > top - MARGIN])
        chosen = self._prefer(ties, prefer)
        if chosen is not None:
            # Parts of the chosen indicator are on its card already; the rest are worth a mention.
            others = tuple(c for c in ties if c != chosen and self._entity(c).parent != chosen.code)
            return Match(raw, best=chosen, alternatives=others[:4])
        return Match(raw, candidates=tuple(ties[:6]))

    def _mostly_unknown(
        self, known: list[str], unknown: list[str], ranked: list[Candidate], matched: dict[int, set[str]]
    ) -> bool:
        """Whether the words in no name outweigh the known ones (a tie counts when the known words
        name no single thing fully, as "PLL" or "velferdsteknologi" do)."""
        if len(unknown) != len(known):
            return len(unknown) > len(known)
        best = ranked[0]
        if len(ranked) > 1 and ranked[1].score > best.score - MARGIN:
            return True
        n = next(n for n, e in enumerate(self.entities) if e.code == best.code and e.kind == best.kind)
        return not any(term and set(term) <= matched[n] for term in self.entities[n].terms)

    def _current(self, ties: list[Candidate]) -> list[Candidate]:
        """The near-ties without the 2023 plan's indicators when the dashboard has one that fits."""
        current = [c for c in ties if c.kind == "goal" or self._entity(c).indicator_set == "dashbord"]
        return current or ties

    def _bonus(self, n: int, matched: set[str], known: list[str]) -> float:
        """Up to 0.2 more for names the query covers well, and exactly."""
        entity = self.entities[n]
        coverage = 0.0
        exact = 0.0
        for term in entity.terms:
            if not term:
                continue
            weight = sum(self.weights[s] for s in term)
            covered = sum(self.weights[s] for s in term if s in matched)
            coverage = max(coverage, covered / weight if weight else 0.0)
            if set(term) == set(known) or (set(term) <= matched and len(term) == len(known)):
                exact = 1.0
        return 0.1 * coverage + 0.1 * exact

    def _prefer(self, ties: list[Candidate], prefer: str) -> Candidate | None:
        """One of several near-ties, when a rule says which is meant; else None."""
        if len(ties) == 1:
            return ties[0]
        codes = {c.code for c in ties}
        rules = (
            lambda c: c.kind == prefer,
            # A composite and its own parts: the composite is meant (its card lists the parts).
            lambda c: c.kind == "goal" or self._entity(c).parent not in codes,
        )
        pool = ties
        for rule in rules:
            kept = [c for c in pool if rule(c)]
            if len(kept) == 1:
                return kept[0]
            if kept:
                pool = kept
        return None

    def entity_stems(self, candidate: Candidate) -> set[str]:
        """The stems of every name of a matched entity."""
        return self._entity(candidate).stems

    def _entity(self, candidate: Candidate) -> _Entity:
        return next(e for e in self.entities if e.code == candidate.code and e.kind == candidate.kind)

    def _exact_code(self, raw: str, kinds: tuple[str, ...]) -> int | None:
        """An indicator code given on its own, or one with "_" (DHO_KOMMUNE) among other words.

        A plain code among other words ("aktive pasienter med DHO") is matched like any word, so
        that the other words can point at a part of it.
        """
        if "indicator" not in kinds:
            return None
        tokens = re.findall(r"[\wæøåÆØÅ]+", raw)
        content = [t for t in tokens if fold(t) not in STOPWORDS]
        for token in content:
            n = self.codes.get(fold(token))
            if n is not None and (len(content) == 1 or "_" in token):
                return n
        return None

    def _candidate(self, n: int, score: float) -> Candidate:
        e = self.entities[n]
        return Candidate(e.kind, e.code, e.label, round(score, 4))

    def suggest(self, phrase: str, kinds: tuple[str, ...] = ("indicator", "goal"), limit: int = 3):
        """The names nearest to a phrase that matched nothing, for "Mente du …?"."""
        if not phrase.strip():
            return ()
        choices = {n: label for n, label in enumerate(self.labels) if self.entities[n].kind in kinds}
        found = process.extract(
            fold(phrase),
            {n: fold(v) for n, v in choices.items()},
            scorer=fuzz.WRatio,
            limit=limit,
            score_cutoff=55,
        )
        return tuple(self._candidate(n, score / 100.0) for _label, score, n in found)

    def council(self, text: str) -> str | None:
        """The code of the council a text names (current or former name), or None.

        A compound with "møte" names the council too: "fagrådsmøte", "e-helserådsmøtet".
        """
        stems = content_stems(_COUNCIL_MEETING.sub(r"\1 \2", fold(text)))
        best, best_len = None, 0
        for code, terms in self.councils:
            for term in terms:
                if not term or len(term) <= best_len:
                    continue
                if _contains(stems, term):
                    best, best_len = code, len(term)
        return best


# "fagradsmote" → "fagrad mote": a council's name joined to "møte" (folded), with the joining s.
_COUNCIL_MEETING = re.compile(r"\b(\w*rad|nuit|nufa)s?(mote\w*)\b")


def _contains(stems: list[str], term: tuple[str, ...]) -> bool:
    """Whether the term's stems occur consecutively in the text (misspellings allowed)."""
    size = len(term)
    for start in range(len(stems) - size + 1):
        window = stems[start : start + size]
        if all(_same(a, b) for a, b in zip(window, term, strict=True)):
            return True
    return False


def _same(a: str, b: str) -> bool:
    if a == b:
        return True
    return min(len(a), len(b)) >= 6 and fuzz.ratio(a, b) >= 88

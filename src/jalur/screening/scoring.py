"""Scoring a candidate: weigh the named features, keep the explanation.

The score is logistic in the weighted sum of feature values, so it reads as a probability in
[0, 1] (calibrated on the list-alias tune split, see docs/screening.md) and each feature's
contribution (weight × value, in log-odds) is exactly what moved the score. The best alias of an
entity decides its name evidence; birth date, country, identifier and type then add or subtract.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from rapidfuzz.distance import OSA

from jalur.screening.config import ScreeningConfig
from jalur.screening.entities import ListedEntity
from jalur.screening.features import (
    EVIDENCE_FEATURES,
    NAME_FEATURES,
    NameEvidence,
    Query,
    string_similarity,
)
from jalur.screening.index import (
    Alias,
    ScreeningIndex,
    joined_key,
    rarity_weight,
    typo_eligible,
)
from jalur.screening.names import INFORMATIVE, Name, NameKind, NamePart, PartTag, part_weight
from jalur.screening.population import is_common
from jalur.screening.text import fold, scripts_of
from jalur.screening.vocab import Expansion

#: The least weight a fully covered name carries (one rare word weighs 1, a very common one
#: `rarity_floor`); chosen with the weights on the tune halves.
MIN_MASS = 0.9
#: How alike two forms of address must be to agree ("haji" / "hajji").
HONORIFIC_AGREES = 0.9
#: A single-letter query word ("J.") against a listed word with that initial.
INITIAL_MATCH = 0.7
#: A Chinese-character word matches a Latin one through its Mandarin (pinyin) reading: one
#: reading among several (Korean and Japanese read the same characters otherwise: 金 is Jin
#: and Kim) and shared by many characters (瑜, 雨, 玉 are all "yu"), so such a pair counts at
#: most this much, like a Latin spelling that fits an Arabic word.
HAN_READING = 0.9
#: `name_rival`: another entry of the same list within this many log-odds of a hit (or above
#: it) fits the query as well; chosen on the recorded-alias tune halves (docs/screening.md).
RIVAL_WITHIN = 1.0


@dataclass(frozen=True, slots=True)
class Contribution:
    """One feature's part in a score: its value and what it added in log-odds."""

    feature: str
    value: float
    weight: float

    @property
    def contribution(self) -> float:
        return self.value * self.weight

    def as_dict(self) -> dict[str, float | str]:
        return {
            "feature": self.feature,
            "value": self.value,
            "weight": self.weight,
            "contribution": self.contribution,
        }


@dataclass(frozen=True, slots=True)
class Hit:
    """A listed entity that matches a query, with why."""

    entity: ListedEntity
    score: float
    matched_alias: str
    features: tuple[Contribution, ...]
    words: tuple[tuple[str, str, float], ...]
    #: The score in log-odds: the bias plus every feature's contribution.
    logit: float
    #: The entry of the same list that fits the query as well (see `with_rivals`), if any.
    rival: str | None = None
    #: The disguises undone in the query's name before matching (`Name.notes`).
    normalised: tuple[str, ...] = ()

    @property
    def bias(self) -> float:
        """The log-odds every candidate starts from: the bias plus the contributions is the
        logit, so an explanation that shows it adds up to the score."""
        return self.logit - sum(c.contribution for c in self.features)

    def explanation(self) -> str:
        """One line an analyst reads: the alias, the bias, each feature that moved the score,
        their sum and the score it gives, then what was undone in the query's name
        (invisible characters, look-alike letters…)."""
        parts = [f"alias {self.matched_alias!r}", f"bias {self.bias:+.2f}"]
        parts += [
            f"{c.feature}={c.value:.2f} ({c.contribution:+.2f}"
            + (f", also fits: {self.rival!r})" if c.feature == "name_rival" else ")")
            for c in self.features
            if c.value and c.weight
        ]
        parts.append(f"= {self.logit:+.2f} log-odds → score {_score_shown(self.score)}")
        words = ", ".join(f"{q}~{a} {s:.2f}" for q, a, s in self.words)
        if words:
            parts.append(f"words: {words}")
        if self.normalised:
            parts.append("input normalised: " + ", ".join(self.normalised))
        return "; ".join(parts)

    def entity_facts(self) -> dict[str, object]:
        """What tells the listed entry apart at a glance: caption, topics, birth dates and
        countries (nationality, citizenship, country), shown next to every hit."""
        entity = self.entity
        return {
            "caption": entity.caption,
            "topics": list(entity.topics),
            "birth_dates": list(entity.birth_dates),
            "countries": sorted(entity.countries),
        }

    def as_dict(self) -> dict[str, object]:
        return {
            "entity_id": self.entity.entity_id,
            "list": self.entity.list_name,
            "source_id": self.entity.source_id,
            "schema": self.entity.schema,
            **self.entity_facts(),
            "risk_class": self.entity.risk.value,
            "score": self.score,
            "bias": self.bias,
            "logit": self.logit,
            "matched_alias": self.matched_alias,
            "rival": self.rival,
            "normalised": list(self.normalised),
            "features": [c.as_dict() for c in self.features],
            "words": [
                {"query": q, "alias": a, "similarity": round(s, 4)} for q, a, s in self.words
            ],
            "explanation": self.explanation(),
        }


#: Separator of several values in one cell of a hits file (topics, birth dates, countries).
CELL_SEPARATOR = "; "


def hit_file_row(hit: Hit) -> dict[str, object]:
    """A hit as one row of a hits file (CSV or Parquet): the entry's facts as text cells."""
    facts = {
        key: CELL_SEPARATOR.join(value) if isinstance(value, list) else value
        for key, value in hit.entity_facts().items()
    }
    return {
        "entity_id": hit.entity.entity_id,
        "list": hit.entity.list_name,
        "source_id": hit.entity.source_id,
        **facts,
        "score": hit.score,
        "matched_alias": hit.matched_alias,
        "explanation": hit.explanation(),
    }


@dataclass(frozen=True, slots=True)
class QueryWords:
    """A normalised query with its word expansions and weights, computed once per query."""

    name: Name
    expansions: list[Expansion]
    weights: list[float]
    rarities: list[float]
    total: float
    joined: str
    caps: tuple[float, ...]  # the most each word's similarity can be (`HAN_READING`)
    #: (position, listed word): the word there and the next one are that listed word written
    #: as one ("Abdul Rahman" / ABDULRAHMAN), see `compounds`.
    compounds: tuple[tuple[int, int], ...] = ()
    #: by part: what a form of address adds to both names when the alias carries it too, its
    #: rarity's weight as a name word's ("Hafiz Saeed" / HAFIZ MUHAMMAD SAEED); 0 for the rest.
    #: One carried by one side only weighs nothing: "Mr Hambali" is still all of HAMBALI.
    honours: tuple[float, ...] = ()
    #: by listed word: the query parts whose expansion holds it, with their similarity (capped
    #: by `caps`), so `align` looks up each alias word once rather than once per query part
    holders: dict[int, tuple[tuple[int, float], ...]] = field(default_factory=dict)
    #: the one-letter parts an alias word may match as an initial (`INITIAL_MATCH`)
    initials: tuple[int, ...] = ()


def query_words(
    name: Name, expansions: list[Expansion], index: ScreeningIndex, rarity_floor: float
) -> QueryWords:
    vocab = index.vocab
    rarities = [
        vocab.rarity(index.closest_word(p, exp)) if part_weight(p.tag) > 0 else 0.0
        for p, exp in zip(name.parts, expansions, strict=True)
    ]
    weights = [
        part_weight(p.tag) * rarity_weight(rarity, rarity_floor)
        for p, rarity in zip(name.parts, rarities, strict=True)
    ]
    caps = tuple(HAN_READING if "Han" in scripts_of(p.text) else 1.0 for p in name.parts)
    honours = tuple(
        rarity_weight(vocab.rarity(index.closest_word(p, exp)), rarity_floor)
        if p.tag is PartTag.HONORIFIC
        else 0.0
        for p, exp in zip(name.parts, expansions, strict=True)
    )
    holders: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for i, expansion in enumerate(expansions):
        for token_id, similarity in expansion.items():
            if (capped := min(similarity, caps[i])) > 0.0:
                holders[token_id].append((i, capped))
    initials = tuple(
        i for i, p in enumerate(name.parts) if len(p.latin) == 1 and p.tag is not PartTag.HONORIFIC
    )
    return QueryWords(
        name, expansions, weights, rarities, sum(weights), joined_key(name), caps,
        compounds(name, index), honours, {t: tuple(h) for t, h in holders.items()}, initials,
    )  # fmt: skip


#: Parts never joined with the next word into one listed word.
_NOT_COMPOUNDED = frozenset({PartTag.HONORIFIC, PartTag.LEGAL_FORM})


def compounds(name: Name, index: ScreeningIndex) -> tuple[tuple[int, int], ...]:
    """Two adjacent query words that a list writes as one word: (first position, word id).

    Indonesian and Arabic names are written with and without the space: "Abdul Rahman Yasin"
    / ABDULRAHMAN YASIN AL ANI, "Nur Hidayat" / NURHIDAYAT, "Abu Bakar" / ABUBAKAR. A whole
    name run together is matched by its joined form already; this finds the joined word
    inside a longer name. Only a listed word with exactly the two words' fold counts.
    """
    parts = name.parts
    found = []
    for i in range(len(parts) - 1):
        first, second = parts[i], parts[i + 1]
        if first.abjad or second.abjad or {first.tag, second.tag} & _NOT_COMPOUNDED:
            continue
        token_id = index.vocab.keys.get(fold(first.latin + second.latin))
        if token_id is not None:
            found.append((i, token_id))
    return tuple(found)


class Aligned(NamedTuple):
    """What `align` finds for a query and one alias."""

    query_coverage: float
    alias_coverage: float
    information: float  # summed rarity of the matched query words, capped at 1
    pairs: tuple[tuple[str, str, float], ...]  # (query word, alias word, similarity)
    conflict: float  # the smaller of the two sides' shares left without a counterpart
    common: bool  # the match rests on one word common in the screened population
    typo: float  # share of the name matched only through likely typos
    lineage: float  # 1: one name's leading given name unmatched, the next one matched


#: Whether an alignment may still reach the screener's floor, from its query coverage, alias
#: coverage, information and an upper bound on its typo share (see `align`).
Reaches = Callable[[float, float, float, float], bool]


def align(
    words: QueryWords,
    alias: Alias,
    index: ScreeningIndex,
    rarity_floor: float,
    reaches: Reaches | None = None,
    typo_parts: int = -1,
) -> Aligned | None:
    """Align the query's words with the alias's words, one-to-one, best pairs first.

    Spelling matches first, then words one typo apart among those left over
    (`_typo_pairs`); the fields of `Aligned` say what each part of the result is.
    With `reaches`, None as soon as the spelling matches show that the alignment cannot
    reach the caller's floor: the coverages are final once the spelling matches are made, and
    the typo pairs can add no more than the words both sides left over — none at all when no
    query part left over may pair as a typo with this alias (`typo_parts`, a bit mask of the
    parts that may: `Screener._bounded` knows them; -1 for all). A query of common Arabic
    name words meets a hundred aliases or more that fall short; the typo search, the
    common-name and lineage checks are their larger cost.
    """
    vocab = index.vocab
    a_weights, a_total, _ = index.alias_weights(alias, rarity_floor)
    candidates = []
    holders = words.holders
    for j, token_id in enumerate(alias.tokens):
        for i, sim in holders.get(token_id, ()):
            candidates.append((sim, i, j))
    for i in words.initials:  # an initial matches a word it begins that it does not spell
        latin, exp = words.name.parts[i].latin, words.expansions[i]
        for j, token_id in enumerate(alias.tokens):
            if exp.get(token_id, 0.0) == 0.0 and vocab.latins[token_id].startswith(latin):
                candidates.append((INITIAL_MATCH, i, j))
    candidates.sort(reverse=True)
    used_q: set[int] = set()
    used_a: set[int] = set()
    q_got = a_got = info = 0.0
    pairs = []
    folds: list[tuple[NamePart, str]] = []
    for i, token_id in words.compounds:  # two query words as one listed word, before the rest
        j = next((j for j, t in enumerate(alias.tokens) if t == token_id and j not in used_a), -1)
        if j < 0 or i in used_q or i + 1 in used_q:
            continue
        sim = min(words.caps[i], words.caps[i + 1])
        used_q.update((i, i + 1))
        used_a.add(j)
        for k in (i, i + 1):
            if part_weight(words.name.parts[k].tag) >= INFORMATIVE:
                folds.append((words.name.parts[k], vocab.folds[token_id]))
            q_got += words.weights[k] * sim
            info += words.rarities[k] * sim
        a_got += a_weights[j] * sim
        joined = f"{words.name.parts[i].text} {words.name.parts[i + 1].text}"
        pairs.append((joined, alias.name.parts[j].text, sim))
    agreed, honour = 0, 0.0  # forms of address both names carry, and their weight
    for sim, i, j in candidates:
        if i in used_q or j in used_a:
            continue
        used_q.add(i)
        used_a.add(j)
        if _honorifics_agree(words.name.parts[i], alias.name.parts[j], sim):
            agreed += 1
            honour += words.honours[i]
        if part_weight(words.name.parts[i].tag) >= INFORMATIVE:
            folds.append((words.name.parts[i], vocab.folds[alias.tokens[j]]))
        q_got += words.weights[i] * sim
        info += words.rarities[i] * sim
        a_got += a_weights[j] * sim
        pairs.append((words.name.parts[i].text, alias.name.parts[j].text, sim))
    # A name must carry at least MIN_MASS of (rarity-weighted) weight to be fully covered:
    # "Muhammad" alone is not a full match for anyone, "Hambali" or "Wiranto" alone can be.
    coverage = (
        _share(q_got + honour, max(words.total + honour, MIN_MASS)),
        _share(a_got + honour, max(a_total + honour, MIN_MASS)),
    )
    joined_only = coverage[0] < 0.999 and words.joined and words.joined == alias.joined
    if reaches is not None and not joined_only:
        typo_q = sum(
            w for i, w in enumerate(words.weights) if i not in used_q and typo_parts >> i & 1
        )
        typo_bound = 0.0
        if typo_q > 0.0:
            a_left = sum(w for j, w in enumerate(a_weights) if j not in used_a)
            typo_bound = (
                _share(typo_q, max(words.total, MIN_MASS)) + _share(a_left, max(a_total, MIN_MASS))
            ) / 2
        if not reaches(coverage[0], coverage[1], min(info, 1.0), typo_bound):
            return None
    typo = _typo_pairs(words, alias, index, used_q, used_a)
    typo_q = typo_a = 0.0
    for sim, i, j in typo:
        typo_q += words.weights[i] * sim
        typo_a += a_weights[j] * sim
        pairs.append((words.name.parts[i].text, alias.name.parts[j].text, sim))
    if joined_only:
        # the same letters split differently: "ABC Co." / "A.B.C. Company", "Abdurrahman"
        reading = min(words.caps)  # a name in Chinese characters is read, not spelt
        mass = min(1.0, words.total / MIN_MASS) * reading, min(1.0, a_total / MIN_MASS) * reading
        informative = [p for p in words.name.parts if part_weight(p.tag) >= INFORMATIVE]
        common = single_common(words, alias, [(p, alias.joined) for p in informative[:1]])
        pair = ((words.joined, alias.joined, reading),)
        return Aligned(*mass, min(1.0, sum(words.rarities)), pair, 0.0, common, 0.0, 0.0)
    q_left = sum(w for i, w in enumerate(words.weights) if i not in used_q)
    a_left = sum(w for j, w in enumerate(a_weights) if j not in used_a)
    conflict = min(
        _share(q_left, max(words.total, MIN_MASS)), _share(a_left, max(a_total, MIN_MASS))
    )
    common = single_common(words, alias, folds, agreed)
    typo_share = (
        _share(typo_q, max(words.total, MIN_MASS)) + _share(typo_a, max(a_total, MIN_MASS))
    ) / 2
    lineage = (
        words.name.kind is not NameKind.ORG
        and min(_informative_count(words.name), _informative_count(alias.name)) >= CHAIN
        and (_lead_unmatched(words.name, used_q) or _lead_unmatched(alias.name, used_a))
    )
    return Aligned(
        coverage[0], coverage[1], min(info, 1.0), tuple(pairs), conflict, common, typo_share,
        1.0 if lineage else 0.0,
    )  # fmt: skip


#: `name_lineage` needs both names to be chains of at least this many name words: "Saddam
#: Hussein al-Tikriti" against "Uday Saddam Hussein al-Tikriti" is a father and his son, while
#: "Ozia Mazio" against "Dieudonné Ozia Mazio" is a given name and a family name, with the
#: first name left out (held-out aliases of the UN list).
CHAIN = 3


def _informative_count(name: Name) -> int:
    return sum(1 for p in name.parts if part_weight(p.tag) >= INFORMATIVE)


def _lead_unmatched(name: Name, matched: set[int]) -> bool:
    """The name's first given name has no counterpart, yet the one after it has.

    In Arabic (nasab) and other patronymic naming, a person's name is their own given name
    followed by their father's and grandfather's: "Uday Saddam Hussein al-Tikriti" is
    Saddam Hussein's son, and "Saddam Hussein al-Tikriti" against it names the father.
    A dropped middle or last name does not look like this.
    """
    informative = [
        i for i, p in enumerate(name.parts) if part_weight(p.tag) >= INFORMATIVE and not p.abjad
    ] or [i for i, p in enumerate(name.parts) if part_weight(p.tag) >= INFORMATIVE]
    return len(informative) >= 2 and informative[0] not in matched and informative[1] in matched


def _typo_pairs(
    words: QueryWords, alias: Alias, index: ScreeningIndex, used_q: set[int], used_a: set[int]
) -> list[tuple[float, int, int]]:
    """Words left over on both sides that are one keystroke apart, best pairs first.

    A typo in a short word ("KMI SOK CHOL", "ISAM ALu MOHAMED") puts it below the spelling
    cutoff of the word expansions (a transposition in a three-letter word is two Indel edits
    of six letters), so the word found no counterpart. Among the words both sides left over,
    one edit (a transposition counts as one) is a likely typo; it counts in its own feature,
    `name_typo`, not as a spelling match.
    Marks the paired positions in `used_q` / `used_a`.
    """
    vocab = index.vocab
    parts = words.name.parts
    left_q = [
        i
        for i in range(len(parts))
        if i not in used_q and typo_eligible(parts[i]) and words.caps[i] == 1.0
    ]
    left_a = [j for j in range(len(alias.tokens)) if j not in used_a]
    found = []
    for i in left_q:
        part = parts[i]
        for j in left_a:
            token = alias.tokens[j]
            if vocab.abjad[token] or part_weight(alias.name.parts[j].tag) < INFORMATIVE:
                continue
            sim = typo_similarity(part.latin, vocab.latins[token])
            sim = max(sim, typo_similarity(part.fold, vocab.folds[token]))
            if sim > 0.0:
                found.append((sim, i, j))
    found.sort(reverse=True)
    chosen = []
    for sim, i, j in found:
        if i in used_q or j in used_a:
            continue
        used_q.add(i)
        used_a.add(j)
        chosen.append((sim, i, j))
    return chosen


def typo_similarity(left: str, right: str) -> float:
    """1 − 1 / length when two words are one typo apart (an edit; a transposition is one;
    two-letter words only swapped), else 0. Longer words two edits apart are within the
    spelling match already."""
    shortest = min(len(left), len(right))
    if left == right or shortest < 2:
        return 0.0
    if shortest == 2:  # "OH" for "HO": only a swap of the two letters
        return 0.5 if len(left) == len(right) and left == right[::-1] else 0.0
    if OSA.distance(left, right, score_cutoff=1) > 1:
        return 0.0
    return 1.0 - 1 / max(len(left), len(right))


def _honorifics_agree(asked: NamePart, listed: NamePart, similarity: float) -> bool:
    """The query and the alias carry the same form of address at these places."""
    return (
        asked.tag is PartTag.HONORIFIC
        and listed.tag is PartTag.HONORIFIC
        and similarity >= HONORIFIC_AGREES
    )


def single_common(
    words: QueryWords, alias: Alias, folds: list[tuple[NamePart, str]], agreed: int = 0
) -> bool:
    """The match rests on one word, and that word is a common given name among customers.

    True when the query or the alias has a single informative word (honorifics, particles and
    legal forms aside) and every matched informative pair (`folds`: query part, alias fold)
    is written in Latin script on the query's side with a common given name on one side:
    "Rahmat" / "Qari RAHMAT", "Nur" / "NOOR", "Dian" / "DAN". "Wiranto" / "WIRANTO" is a
    single word too, but not a common one; a query for an organisation is never one. The table
    says how common a Latin spelling is among an Indonesian bank's customers; it says nothing
    of a query written in Arabic, Cyrillic or Hebrew script (`دايفيد`, `Юсуф`), which is left
    to the name features alone. Where both names are one form of address and one name word,
    and the forms agree (`agreed`), the match rests on both: "Hafiz Saeed" / HAFIZ SAEED. A
    partial one still rests on its one word: "Maulana Hakim" / MAULANA HAKIM MOHAMMAD MAZHAR
    (an ordinary customer's name, which the title alone lifted to 0.76).
    """
    if not folds or words.name.kind is NameKind.ORG:
        return False  # a given-name table says nothing of a query for "Al Rashid Trust"
    query_words = sum(1 for p in words.name.parts if part_weight(p.tag) >= INFORMATIVE)
    alias_words = sum(1 for w in alias.weights if w >= INFORMATIVE)
    if agreed and query_words == alias_words == 1:
        return False  # "Hafiz Saeed" / HAFIZ SAEED, "Haji Iman" / HAJJI IMAN: title and name
    if query_words > 1 and alias_words > 1:
        return False
    return all(
        (is_common(part.fold) or is_common(listed)) and scripts_of(part.text) == {"Latin"}
        for part, listed in folds
    )


def coverage_bound(words: QueryWords, mask: int) -> tuple[float, int, float]:
    """Before aligning: the most query coverage and information a candidate could give.

    `mask` says which query parts have a counterpart in the alias at all; each can match at
    most one alias word, with similarity at most 1. Also returns how many parts that is (the
    alias coverage bound is that many of the alias's heaviest words).
    """
    matched = [i for i in range(len(words.weights)) if mask >> i & 1]
    query_bound = _share(sum(words.weights[i] for i in matched), max(words.total, MIN_MASS))
    info_bound = min(1.0, sum(words.rarities[i] for i in matched))
    return query_bound, len(matched), info_bound


def name_evidence(words: QueryWords, alias: Alias, aligned: Aligned) -> NameEvidence:
    """All name features of a query against one alias, given their `align`ment."""
    query_cov, alias_cov, info, pairs, conflict, common, typo, lineage = aligned
    return NameEvidence(
        query_coverage=query_cov,
        alias_coverage=alias_cov,
        information=info,
        string=string_similarity(words.name, alias.name),
        weak=alias.weak,
        pairs=pairs,
        conflict=conflict,
        common=common,
        typo=typo,
        lineage=lineage,
    )


def _share(got: float, total: float) -> float:
    return got / total if total > 0 else 0.0


def evidence_ceiling(query: Query, config: ScreeningConfig) -> float:
    """The most the query's other evidence (birth date, country, id) could add, in log-odds."""
    weights = config.weights
    present = {
        "birth_date": query.birth_dates,
        "country": query.country_code,
        "identifier": query.identifier,
    }
    return sum(max(weights[name], 0.0) for name, value in present.items() if value)


def name_logit(evidence: NameEvidence, config: ScreeningConfig) -> float:
    weights = config.weights
    return weights["bias"] + sum(
        weights[name] * feature(evidence) for name, feature in NAME_FEATURES.items()
    )


def score_entity(
    query: Query,
    entity: ListedEntity,
    alias: Alias,
    evidence: NameEvidence,
    config: ScreeningConfig,
) -> Hit:
    """The hit for an entity given its best-matching alias."""
    weights = config.weights
    contributions = [
        Contribution(name, feature(evidence), weights[name])
        for name, feature in NAME_FEATURES.items()
    ]
    contributions += [
        Contribution(name, feature(query, entity), weights[name])
        for name, feature in EVIDENCE_FEATURES.items()
    ]
    logit = weights["bias"] + sum(c.contribution for c in contributions)
    return Hit(
        entity=entity,
        score=_sigmoid(logit),
        matched_alias=alias.name.text,
        features=tuple(contributions),
        words=evidence.pairs,
        logit=logit,
    )


def with_rivals(hits: list[Hit], config: ScreeningConfig) -> list[Hit]:
    """Each hit with `name_rival`: does another entry of the same list fit the query as well?

    A customer is one person. When a list holds several entries that fit the query about
    equally ("Abdul Rahman" against ABDUL RAHMAN AGHA, ABDUL RAHMAN YASIN and ABDUL RAHMAN
    ZAHED; "Kim Jong" against a dozen Kims), the name alone does not say which of them it is,
    and each such hit is weaker evidence than a name that fits one entry only. Likewise a hit
    that another entry of the list fits better ("Ali Kony" is SALIM KONY's neighbour, but the
    list records "Ali Kony" for another entry) is explained by that entry. The feature is 1
    for every hit of a list but the best, and for the best when the runner-up of the same
    list is within `RIVAL_WITHIN` log-odds of it. Entries of different lists do not compete:
    one person is often on several lists. `hits` must include every candidate within
    `RIVAL_WITHIN` below the reporting cut (the screener lowers its pruning floor for that).
    """
    weight = config.weights["name_rival"]
    by_list: dict[str, list[Hit]] = defaultdict(list)
    for hit in hits:
        by_list[hit.entity.list_name].append(hit)
    out = []
    for listed in by_list.values():
        listed.sort(key=lambda h: (-h.logit, h.entity.entity_id))
        for rank, hit in enumerate(listed):
            other = None if len(listed) < 2 else listed[1] if rank == 0 else listed[0]
            if other is None or (rank == 0 and other.logit < hit.logit - RIVAL_WITHIN):
                out.append(_with_rival(hit, 0.0, weight, None))
            else:
                out.append(_with_rival(hit, 1.0, weight, _rival_name(hit, other)))
    return out


def _rival_name(hit: Hit, other: Hit) -> str:
    """The rival entry's caption, with its entity id when the two entries share a caption."""
    caption = other.entity.caption
    if caption.casefold() == hit.entity.caption.casefold():
        return f"{caption} [{other.entity.entity_id}]"
    return caption


def _with_rival(hit: Hit, value: float, weight: float, rival: str | None) -> Hit:
    logit = hit.logit + value * weight
    features = (*hit.features, Contribution("name_rival", value, weight))
    return replace(hit, score=_sigmoid(logit), features=features, logit=logit, rival=rival)


def _sigmoid(value: float) -> float:
    if value < -60:
        return 0.0
    return 1.0 / (1.0 + math.exp(-value))


def _score_shown(score: float) -> str:
    """A score in an explanation: 4 decimals, cut (not rounded) just under 1 as the headline
    cuts it (`clikit.score_text`): rounded, 0.99956 read 0.9996 under a 0.9995 headline and
    0.99996 read a certain 1.0000."""
    if 0.9995 <= score < 1:
        return f"{score:.12f}"[:6]
    return f"{score:.4f}"

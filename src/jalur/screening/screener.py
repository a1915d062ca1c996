"""The screening engine a service holds in memory: an index plus a configuration.

`Screener.screen(query)` answers one query (retrieval, then scoring of the few candidates);
`screen_many` answers a batch with the query words of the whole batch expanded at once (one
vectorised rapidfuzz cdist) and repeated names scored once. `refresh(store)` folds new list
versions into the index from their deltas, without a rebuild.
"""

from __future__ import annotations

import json
import logging
import math
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import chain
from typing import NamedTuple, TypeVar

import numpy as np

from jalur.lists import current_entity_rows, current_versions, deltas_since
from jalur.model import entity_from_dict
from jalur.screening.config import ScreeningConfig
from jalur.screening.features import NameEvidence, Query
from jalur.screening.index import MAY_BE_TYPO, ScreeningIndex, build_index, sorted_unique
from jalur.screening.lexicon import SymbolLexicon
from jalur.screening.names import (
    Name,
    NamePart,
    PartTag,
    WordLookup,
    normalise_name,
    query_symbols,
)
from jalur.screening.scoring import (
    HONORIFIC_AGREES,
    MIN_MASS,
    RIVAL_WITHIN,
    Hit,
    QueryWords,
    align,
    coverage_bound,
    evidence_ceiling,
    hit_file_row,
    name_evidence,
    name_logit,
    query_words,
    score_entity,
    with_rivals,
)
from jalur.screening.text import fold, scripts_of, to_latin
from jalur.screening.vocab import Expansion
from jalur.store import Store

log = logging.getLogger(__name__)

_F = TypeVar("_F", float, np.ndarray)

#: Batch results remembered per normalised name (and evidence), most recent first.
RECENT_NAMES = 200_000


@dataclass
class Screener:
    """Screen names against every loaded list; cheap to query, refreshed from list deltas."""

    index: ScreeningIndex
    config: ScreeningConfig
    _recent: OrderedDict[tuple[object, ...], list[Hit]] = field(default_factory=OrderedDict)
    _recent_written: OrderedDict[tuple[object, ...], list[Hit]] = field(default_factory=OrderedDict)
    _shares: tuple[np.ndarray, np.ndarray] | None = None
    #: The query words' name symbols without rigour's tagger (a stored index's); valid for
    #: this index as built, so dropped when `refresh` changes it.
    lexicon: SymbolLexicon | None = None

    @classmethod
    def from_store(
        cls,
        store: Store,
        config: ScreeningConfig | None = None,
        lists: Sequence[str] | None = None,
    ) -> Screener:
        """Index every current listed subject of every list in the store, or of `lists` only
        (an empty sequence indexes nothing: a caller who sees no list screens against none)."""
        if lists is not None and not lists:
            rows = []
        else:
            rows = current_entity_rows(
                store, None if lists is None else list(lists), subjects_only=True
            )
        index = build_index(
            (entity_from_dict(json.loads(data)), list_name, source_id, list(topics or []))
            for list_name, _, _, source_id, topics, data in rows
        )
        index.version = max((v.version_id for v in current_versions(store)), default=0)
        return cls(index, config or ScreeningConfig.defaults())

    def prepare(self) -> Screener:
        """Build the lookup tables now rather than on the first query (a warm index)."""
        self.index.vocab.prepare()
        self.index.alias_bounds(self.config.rarity_floor)
        self.index.deletion_table()
        self.index.prepare_postings()
        return self

    def precompile(self) -> int:
        """What a long-lived process screening many queries wants ready before the first:
        the listed Arabic-script words' spelling patterns (`Vocabulary.compile_forms`)."""
        return self.index.vocab.compile_forms()

    def refresh(self, store: Store) -> dict[str, int]:
        """Apply every list delta recorded since the index was built; counts by change."""
        changes = deltas_since(store, self.index.version)
        counts = {"added": 0, "changed": 0, "removed": 0}
        wanted: dict[str, set[str]] = {}
        for list_name, entity_id, change in changes:
            counts[change] += 1
            if change == "removed":
                self.index.remove_entity(list_name, entity_id)
            else:
                wanted.setdefault(list_name, set()).add(entity_id)
        for list_name, ids in wanted.items():
            for _, entity_id, _, source_id, topics, data in current_entity_rows(store, [list_name]):
                if entity_id in ids:
                    entity = entity_from_dict(json.loads(data))
                    self.index.add_entity(entity, list_name, source_id, list(topics or []))
        self.index.version = max((v.version_id for v in current_versions(store)), default=0)
        self._recent.clear()
        self._recent_written.clear()
        self.lexicon = None
        log.info("screening index refreshed: %s", counts)
        return counts

    def screen(self, query: Query, threshold: float | None = None) -> list[Hit]:
        """Hits for one query at or above the threshold, best first."""
        with query_symbols(self.lexicon):
            name = self._unmerged(normalise_name(query.name, query.schema), query.schema)
        expansions = [self.index.expansion(part) for part in name.parts]
        return _noted(self._hits(query, name, expansions, threshold), name)

    def _unmerged(self, name: Name, schema: str | None) -> Name:
        """The name with a word that is two listed words run together split in two.

        A lost or mistyped space ("TARIQAZIZ", "ABDUL RAHMANiYASIN", "DJAMELeLOUNICI") makes
        one word that resembles no listed word, so nothing retrieves the entry. Such a word
        (no listed word within `SPLIT_BELOW` or one typo away) is split where both halves are
        listed words of three letters or more (four when a letter between them is dropped as
        the typo).
        """
        if not any(_mergeable(part) for part in name.parts):
            return name
        words: list[str] = []
        changed = False
        for part in name.parts:
            split = None
            if (
                _mergeable(part)
                and max(self.index.expansion(part).values(), default=0) < SPLIT_BELOW
                and not len(self.index.typo_aliases(part))  # a typo, not a lost space
            ):
                split = _split_listed(part.latin, self.index.vocab.keys)
                if split and "Han" in scripts_of(part.text):
                    split = _han_halves(part.text, split)
            words += split if split else [part.text]
            changed = changed or split is not None
        if not changed:
            return name
        return replace(normalise_name(" ".join(words), schema), notes=name.notes)

    def screen_many(
        self, queries: Sequence[Query], threshold: float | None = None, workers: int = 1
    ) -> list[list[Hit]]:
        """Hits for each query (same order), with the batch's new words expanded in one go.

        A customer file repeats common names: a query written exactly as one screened
        before takes its hits without being normalised again, and one that normalises to the
        same words is scored once.
        """
        results: list[list[Hit] | None] = []
        written = self._recent_written
        pending: dict[tuple[object, ...], list[int]] = {}  # rows by name as written
        for query in queries:
            as_written: tuple[object, ...] = (threshold, query.name, *_evidence_of(query))
            found = written.get(as_written)
            if found is None:
                pending.setdefault(as_written, []).append(len(results))
            results.append(found)
        fresh = [(rows, queries[rows[0]], key) for key, rows in pending.items()]
        with query_symbols(self.lexicon):
            names = [normalise_name(q.name, q.schema) for _, q, _ in fresh]
            self._expand_new_words((part for name in names for part in name.parts), workers)
            names = [self._unmerged(n, q.schema) for n, (_, q, _) in zip(names, fresh, strict=True)]
        seen = self._recent
        for (rows, query, as_written), name in zip(fresh, names, strict=True):
            words = tuple((p.lookup, p.tag) for p in name.parts)
            key: tuple[object, ...] = (threshold, words, *_evidence_of(query))
            hits = seen.get(key)
            if hits is None:
                expansions = [self.index.expansion(part) for part in name.parts]
                hits = seen[key] = self._hits(query, name, expansions, threshold)
                if len(seen) > RECENT_NAMES:
                    seen.popitem(last=False)
            noted = _noted(hits, name)  # the plain and the disguised name share hits
            for row in rows:
                results[row] = noted
            written[as_written] = noted
            if len(written) > RECENT_NAMES:
                written.popitem(last=False)
        return [hits if hits is not None else [] for hits in results]

    def batch_rows(
        self, queries: list[Query], threshold: float | None = None
    ) -> list[list[dict[str, object]]]:
        """`screen_many` as the rows of a HITS file (without the input id)."""
        return [
            [hit_file_row(hit) for hit in hits] for hits in self.screen_many(queries, threshold)
        ]

    def _expand_new_words(self, parts: Iterable[NamePart], workers: int = 1) -> None:
        new: dict[WordLookup, NamePart] = {}
        for part in parts:
            if part.lookup not in new and not self.index.known(part):
                new[part.lookup] = part
        if not new:
            return
        unique = list(new.values())
        for part, expansion in zip(
            unique, self.index.vocab.expand_many(unique, workers), strict=True
        ):
            self.index.remember(part, expansion)

    def _hits(
        self, query: Query, name: Name, expansions: list[Expansion], threshold: float | None
    ) -> list[Hit]:
        config = self.config
        cut = config.threshold if threshold is None else threshold
        words = query_words(name, expansions, self.index, config.rarity_floor)
        floor = self._floor(query, cut)
        best: dict[int, tuple[float, int, NameEvidence]] = {}
        bounded = self._bounded(words, expansions)
        seen = self._best_aliases(words, bounded, floor, best, set())
        scored = self._scored(query, best)
        if config.weights["name_rival"] < 0 and any(hit.score >= cut for hit in scored):
            # a hit's rivals (`with_rivals`) may lie up to RIVAL_WITHIN below the cut: score
            # those too. Most queries have no hit and skip this wider pass.
            self._best_aliases(words, bounded, floor - RIVAL_WITHIN, best, seen)
            scored = self._scored(query, best)
        hits = [hit for hit in with_rivals(scored, config) if hit.score >= cut]
        hits.sort(key=lambda h: (-h.score, h.entity.entity_id))
        return hits[: config.max_hits]

    def _best_aliases(
        self,
        words: QueryWords,
        bounded: Bounded,
        floor: float,
        best: dict[int, tuple[float, int, NameEvidence]],
        seen: set[int],
    ) -> set[int]:
        """Into `best` (entity → name log-odds, alias, evidence): each entity's best alias
        among those that may reach name log-odds `floor`, skipping the aliases in `seen`.
        Returns the aliases weighed for `best`, `seen` included."""
        config, index = self.config, self.index
        weights = config.weights
        typo_weight = max(weights["name_typo"], 0.0)
        weighed = set(seen)
        ids, upper, typo_parts = bounded

        def reaches(query: float, alias: float, info: float, typo: float) -> bool:
            return _partial(weights, query, alias, info) + typo_weight * typo >= floor

        kept = upper >= floor
        for alias_id, typos in zip(ids[kept].tolist(), typo_parts[kept].tolist(), strict=True):
            if alias_id in seen:
                continue
            alias = index.aliases[alias_id]
            aligned = align(words, alias, index, config.rarity_floor, reaches, typos)
            if (
                aligned is None
                or _partial(weights, *aligned[:3]) + typo_weight * aligned.typo < floor
            ):
                continue  # not `weighed`: a lower floor may take it
            weighed.add(alias_id)
            evidence = name_evidence(words, alias, aligned)
            logit = name_logit(evidence, config)
            held = best.get(alias.entity)
            if held is None or logit > held[0]:
                best[alias.entity] = (logit, alias_id, evidence)
        return weighed

    def _scored(self, query: Query, best: dict[int, tuple[float, int, NameEvidence]]) -> list[Hit]:
        """Each entity scored on its best alias (no rivals yet)."""
        index, config = self.index, self.config
        return [
            score_entity(
                query, index.entities[entity_pos], index.aliases[alias_id], evidence, config
            )
            for entity_pos, (_, alias_id, evidence) in best.items()
        ]

    def _floor(self, query: Query, cut: float) -> float:
        """Name log-odds below which an alias cannot reach `cut`, even with a perfect
        whole-string score and every piece of the query's other evidence agreeing."""
        weights = self.config.weights
        return (
            _logit(cut)
            - evidence_ceiling(query, self.config)
            - max(weights["name_rival"], 0.0)
            - max(weights["name_string"], 0.0)
            - max(weights["name_conflict"], 0.0)
            - max(weights["weak_alias"], 0.0)
            - max(weights["name_common"], 0.0)
        )

    def _bounded(self, words: QueryWords, expansions: list[Expansion]) -> Bounded:
        """The candidates (alias ids), an upper bound on each one's name log-odds, and the
        query parts that may pair with one of its words as a typo (a bit mask each).

        Every candidate is bounded at once (numpy over alias ids): a query made of common
        given names ("Muhammad Ali") pulls in thousands of aliases, nearly all of which fall
        short before their words are aligned. Each query word counts with its best
        similarity to a word of the alias (`ScreeningIndex.word_reach`), not with 1: "Khalid
        Walid" pulls in every alias with "Ali" (Walid ~ Ali 0.63), and such a word can add no
        more than that to either coverage. A word may pair as a typo instead
        (`scoring._typo_pairs`); where it may, that counts too. A word that two query words
        make together (`QueryWords.compounds`) counts fully for both, an initial fully for any
        word. Slightly above the exact bound, so that rounding never prunes an alias whose
        name log-odds reach the floor exactly.
        """
        index, config = self.index, self.config
        ids, joined_ids = index.candidate_ids(words.name, expansions)
        ids = self._with_compounds(words, ids)
        if not len(ids):
            return Bounded(ids, np.zeros(0, dtype=np.float64), np.zeros(0, dtype=np.int64))
        totals, maxes = index.alias_bounds(config.rarity_floor)
        parts = words.name.parts
        values = np.zeros((len(parts), len(ids)), dtype=np.float64)
        for i, (part, expansion) in enumerate(zip(parts, expansions, strict=True)):
            if len(part.latin) == 1:  # an initial matches any word it begins
                values[i] = 1.0
                continue
            reach = index.word_reach(part, expansion)
            at = np.searchsorted(reach.ids, ids)
            values[i] = np.where(reach.ids[at] == ids, reach.value[at], 0.0)
        may_be_typo = values >= MAY_BE_TYPO
        sims = values - MAY_BE_TYPO * may_be_typo
        for i, token_id in words.compounds:
            held = np.isin(ids, index.postings.get(token_id, ()))
            sims[i : i + 2, held] = 1.0
        for i, cap in enumerate(words.caps):
            if cap < 1.0:
                np.minimum(sims[i], cap, out=sims[i])
        total = max(words.total, MIN_MASS)
        ones = [1.0] * len(parts)
        # by candidate: the query weight, the rarity and the number of words that may match
        mass, rarity, count = np.array([words.weights, words.rarities, ones]) @ sims
        share = self._alias_shares(totals, maxes)[ids]
        query_bound = mass / total
        alias_bound = np.minimum(1.0, count * share)
        info_bound = np.minimum(1.0, rarity)
        typo = np.zeros(len(ids), dtype=np.float64)
        if may_be_typo.any():
            typo_mass, typo_count = np.array([words.weights, ones]) @ may_be_typo
            typo = (typo_mass / total + np.minimum(1.0, typo_count * share)) / 2
        if len(joined_ids):  # a joined-name match covers both whole names
            joined = np.isin(ids, joined_ids)
            whole = coverage_bound(words, (1 << len(parts)) - 1)
            query_bound[joined], info_bound[joined] = whole[0], whole[2]
            alias_bound[joined] = np.minimum(1.0, totals[ids][joined] / MIN_MASS)
            typo[joined] = 0.0
        if honour := sum(words.honours):
            # a form of address both names carry adds its weight to both sides (`align`):
            # where the alias holds a word that may agree with one of the query's, bound as if
            # every one of the query's agreed (above the joined-name bound too: "Hafiz Saeed" /
            # HAFIZ SAEED is both)
            held = np.isin(ids, self._agreeing(words.name, expansions))
            lifted = (mass[held] + honour) / max(words.total + honour, MIN_MASS)
            query_bound[held] = np.maximum(query_bound[held], lifted)
            lifted = np.minimum(1.0, count[held] * share[held] + honour / MIN_MASS)
            alias_bound[held] = np.maximum(alias_bound[held], lifted)
        upper = _partial(config.weights, query_bound, alias_bound, info_bound, bound=True)
        upper += max(config.weights["name_typo"], 0.0) * typo + BOUND_SLACK
        bits = np.left_shift(1, np.arange(len(parts), dtype=np.int64))
        return Bounded(ids, upper, bits @ may_be_typo.astype(np.int64))

    def _agreeing(self, name: Name, expansions: list[Expansion]) -> np.ndarray:
        """The aliases holding a word alike enough to one of the query's forms of address to
        agree with it (`scoring.HONORIFIC_AGREES`): only they can gain its weight."""
        postings = self.index.postings
        held = [
            postings.get(token_id, ())
            for part, expansion in zip(name.parts, expansions, strict=True)
            if part.tag is PartTag.HONORIFIC
            for token_id, similarity in expansion.items()
            if similarity >= HONORIFIC_AGREES
        ]
        return np.fromiter(chain.from_iterable(held), dtype=np.int64)

    def _alias_shares(self, totals: np.ndarray, maxes: np.ndarray) -> np.ndarray:
        """By alias id: the share of its name mass its heaviest word carries (at most what
        one matched query word can add to the alias coverage); kept with `alias_bounds`."""
        if self._shares is None or self._shares[0] is not totals:
            self._shares = (totals, maxes / np.maximum(totals, MIN_MASS))
        shares: np.ndarray = self._shares[1]
        return shares

    def _with_compounds(self, words: QueryWords, ids: np.ndarray) -> np.ndarray:
        """The candidates plus the live aliases holding a listed word that two adjacent query
        words make together (`scoring.compounds`)."""
        if not words.compounds:
            return ids
        live = np.frombuffer(self.index.live, dtype=np.uint8)
        extra = [ids]
        for _, token_id in words.compounds:
            holders = np.array(sorted(set(self.index.postings.get(token_id, ()))), dtype=np.int64)
            extra.append(holders[live[holders] == 1] if len(holders) else holders)
        return sorted_unique(np.concatenate(extra))


class Bounded(NamedTuple):
    """A query's candidates, bounded before any is aligned (`Screener._bounded`)."""

    ids: np.ndarray  # alias ids, ascending
    upper: np.ndarray  # by candidate: at least the name log-odds aligning it can give
    typo_parts: np.ndarray  # by candidate: bit i set if query part i may pair as a typo


#: Added to the bound of `Screener._bounded`: floating-point sums in another order
#: differ in the last bits, and an alias whose name log-odds reach the floor exactly must
#: not be pruned.
BOUND_SLACK = 1e-9


def _noted(hits: list[Hit], name: Name) -> list[Hit]:
    """The hits with the disguises undone in the query's name, for their explanation."""
    if not name.notes:
        return hits
    return [replace(hit, normalised=name.notes) for hit in hits]


#: The shortest half of a split word: shorter pieces are listed too often by chance.
MIN_SPLIT = 3
#: A word is split only when no listed word resembles it at least this much.
SPLIT_BELOW = 0.8


def _mergeable(part: NamePart) -> bool:
    return not part.abjad and part.tag is PartTag.NAME and len(part.latin) >= 2 * MIN_SPLIT


def _han_halves(text: str, halves: list[str]) -> list[str] | None:
    """The Chinese characters behind each half of a split reading ("承翰" for "cheng|han":
    "承", "翰"), so that each half is still read, not spelt (`scoring.HAN_READING`); None
    when the split does not fall between two characters."""
    for cut in range(1, len(text)):
        if [to_latin(text[:cut]), to_latin(text[cut:])] == halves:
            return [text[:cut], text[cut:]]
    return None


def _split_listed(latin: str, listed: Mapping[str, int]) -> list[str] | None:
    """Two listed words that `latin` runs together (one letter between them may be a typo).

    Prefers the split whose shorter half is longest ("tarik|aziz" over "tar|ikaziz").
    """
    best: tuple[int, list[str]] | None = None
    for cut in range(MIN_SPLIT, len(latin) - MIN_SPLIT + 1):
        for skip in (0, 1):
            left, right = latin[:cut], latin[cut + skip :]
            if min(len(left), len(right)) < MIN_SPLIT + skip:  # dropping a letter: 4 and up
                continue
            if fold(left) in listed and fold(right) in listed:
                shorter = min(len(left), len(right))
                if best is None or shorter > best[0]:
                    best = (shorter, [left, right])
    return best[1] if best else None


def _evidence_of(query: Query) -> tuple[str | None, ...]:
    """What besides the name decides a query's hits."""
    return (query.birth_date, query.country, query.identifier, query.schema)


def _partial(weights: dict[str, float], query: _F, alias: _F, info: _F, bound: bool = False) -> _F:
    """The name log-odds without the whole-string, conflict and weak-alias features.

    With `bound`, the arguments are upper bounds and so is the result.
    """
    info_weight = weights["name_information"]
    return (
        weights["bias"]
        + weights["name_query_coverage"] * query
        + weights["name_alias_coverage"] * alias
        + (max(info_weight, 0.0) if bound else info_weight) * info
    )


def _logit(probability: float) -> float:
    clipped = min(max(probability, 1e-9), 1 - 1e-9)
    return math.log(clipped / (1 - clipped))

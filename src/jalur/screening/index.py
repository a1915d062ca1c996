"""The candidate-retrieval index: every alias of every listed entity, by word.

A query is compared only with the aliases that share at least two of its (fuzzily matched)
words, or one when the alias or the query has only one word — never with every alias. The index
is built once from the list store and then kept current from list deltas: a removed or changed
entity's aliases are retired, an added or changed entity's aliases are appended; nothing else is
rebuilt.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import MISSING, dataclass, field, fields
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from jalur.screening.entities import (
    ListedEntity,
    listed_entity,
    listed_names,
    name_parts_of,
)
from jalur.screening.names import (
    INFORMATIVE,
    Name,
    NamePart,
    PartTag,
    WordLookup,
    normalise_name,
    part_weight,
)
from jalur.screening.vocab import Expansion, Vocabulary

if TYPE_CHECKING:
    from followthemoney.proxy import EntityProxy

log = logging.getLogger(__name__)

#: Parts that never retrieve a candidate on their own (they still count in scoring).
_NON_KEY_TAGS = frozenset(
    {PartTag.HONORIFIC, PartTag.PARTICLE, PartTag.KUNYA, PartTag.LEGAL_FORM, PartTag.PATRONYMIC}
)
#: Parts left out of the joined form of a name.
_UNJOINED_TAGS = frozenset({PartTag.HONORIFIC, PartTag.LEGAL_FORM})
#: Query words whose expansions are remembered (a batch repeats common given names).
EXPANSION_CACHE = 100_000
#: A word in more aliases than this only confirms candidates (see `candidates`).
COMMON_WORD = 500
#: A query word in at most this many aliases brings them all in as candidates, even when no
#: other query word matches them: "General Mudacumura" for "SYLVESTRE MUDACUMURA". A word
#: that common is rare on the lists, so this adds few candidates.
RARE_WORD = 25
#: A query word this long also retrieves the aliases holding a word one typo away (`name_typo`
#: scores them); shorter words have too many such neighbours.
TYPO_RETRIEVAL = 5
_NO_IDS = np.zeros(0, dtype=np.int64)
#: Mask bit of a candidate found by its joined name (its alias coverage is bounded apart:
#: "Abdurrahman" covers both words of "Abdul Rahman"). Above any query part's bit.
JOINED = 1 << 62
#: Added to a word's similarity in `WordReach.value` where it may pair as a typo instead.
MAY_BE_TYPO = 2.0
_PAST_ALL = np.iinfo(np.int64).max
#: A query word whose spellings reach more than this share (1/DENSE_SHARE) of all aliases is
#: bounded over an array of every alias rather than by sorting what it reaches.
DENSE_SHARE = 16


@dataclass(frozen=True, slots=True)
class Alias:
    """One listed name of one entity, as word ids with their part weights."""

    entity: int
    name: Name
    tokens: tuple[int, ...]
    weights: tuple[float, ...]
    keys: int  # how many of its words can retrieve it
    weak: bool
    joined: str  # its key words run together: "A.B.C. Company" and "ABC Co." both give "abc"


class WordReach(NamedTuple):
    """A query word's reach into the aliases (`ScreeningIndex.word_reach`)."""

    ids: np.ndarray  # ascending alias ids, then `_PAST_ALL` (a search never runs off the end)
    value: np.ndarray  # by id: best spelling similarity, + MAY_BE_TYPO where it may be a typo


@dataclass
class ScreeningIndex:
    """Aliases of all current listed entities, searchable by word."""

    vocab: Vocabulary = field(default_factory=Vocabulary)
    entities: list[ListedEntity] = field(default_factory=list)
    aliases: list[Alias] = field(default_factory=list)
    live: bytearray = field(default_factory=bytearray)
    postings: dict[int, list[int]] = field(default_factory=dict)
    by_entity_id: dict[str, int] = field(default_factory=dict)
    aliases_of: dict[int, list[int]] = field(default_factory=dict)
    by_joined: dict[str, list[int]] = field(default_factory=dict)
    version: int = 0  # newest list version folded into the index
    _expansions: OrderedDict[WordLookup, Expansion] = field(default_factory=OrderedDict)
    _postings_of: OrderedDict[WordLookup, tuple[np.ndarray, np.ndarray]] = field(
        default_factory=OrderedDict
    )
    _alias_weights: dict[int, tuple[list[float], float, float]] = field(default_factory=dict)
    _alias_bounds: tuple[float, np.ndarray, np.ndarray] | None = None
    _typo_aliases: OrderedDict[WordLookup, np.ndarray] = field(default_factory=OrderedDict)
    _word_reach: OrderedDict[WordLookup, tuple[Expansion, WordReach]] = field(
        default_factory=OrderedDict
    )
    _closest: OrderedDict[WordLookup, tuple[Expansion, int | None]] = field(
        default_factory=OrderedDict
    )
    _deletions: tuple[int, dict[str, list[int]]] | None = None
    _posting_arrays: dict[int, np.ndarray] = field(default_factory=dict)
    _alias_keys: np.ndarray | None = None

    def __getstate__(self) -> dict[str, Any]:
        """What a stored index keeps (`persist.save_index`): the index, without its caches.

        Caches are remade on use, and some are keyed by this process's objects (`id(alias)`
        in `alias_weights`): kept in a file, another process's aliases could meet an old id
        and take another alias's weights — a wrong score, or an IndexError when the lengths
        differ (both were seen in `make test`)."""
        state = dict(self.__dict__)
        for cache in fields(self):
            if cache.name.startswith("_"):
                made = cache.default_factory
                state[cache.name] = cache.default if made is MISSING else made()
        return state

    @property
    def entity_count(self) -> int:
        return len(self.by_entity_id)

    def holds(self, list_name: str, entity_id: str) -> bool:
        """Whether the entry is in the index (current: not removed by a later version)."""
        return _entity_key(list_name, entity_id) in self.by_entity_id

    @property
    def alias_count(self) -> int:
        return sum(self.live)

    def add_entity(
        self,
        entity: EntityProxy,
        list_name: str,
        source_id: str | None,
        topics: list[str] | None = None,
    ) -> None:
        """Index an entity's names (replacing what an earlier version of it indexed)."""
        key = _entity_key(list_name, str(entity.id))
        self.remove_entity(list_name, str(entity.id))
        listed = listed_entity(entity, list_name, source_id, topics)
        position = len(self.entities)
        self.entities.append(listed)
        self.by_entity_id[key] = position
        given, family = name_parts_of(entity)
        added = [
            self._add_alias(position, normalise_name(n.text, listed.schema, given, family), n.weak)
            for n in listed_names(entity)
        ]
        self.aliases_of[position] = [a for a in added if a is not None]
        self._forget()

    def remove_entity(self, list_name: str, entity_id: str) -> bool:
        """Retire an entity's aliases (a delta removed or changed it)."""
        position = self.by_entity_id.pop(_entity_key(list_name, entity_id), None)
        if position is None:
            return False
        for alias_id in self.aliases_of.pop(position, []):
            self.live[alias_id] = 0
            for token_id in set(self.aliases[alias_id].tokens):
                self.vocab.df[token_id] -= 1
            self.vocab.aliases -= 1
        self._forget()
        return True

    def _add_alias(self, entity: int, name: Name, weak: bool) -> int | None:
        if not name.parts:
            return None
        tokens = tuple(self.vocab.add(part) for part in name.parts)
        weights = tuple(part_weight(part.tag) for part in name.parts)
        keys = sum(1 for part in name.parts if part.tag not in _NON_KEY_TAGS)
        alias_id = len(self.aliases)
        joined = joined_key(name)
        self.aliases.append(Alias(entity, name, tokens, weights, keys, weak, joined))
        self.live.append(1)
        for token_id in set(tokens):
            self.postings.setdefault(token_id, []).append(alias_id)
            self.vocab.df[token_id] += 1
        if joined:
            self.by_joined.setdefault(joined, []).append(alias_id)
        self.vocab.aliases += 1
        return alias_id

    def _forget(self) -> None:
        self._expansions.clear()
        self._postings_of.clear()
        self._alias_weights.clear()
        self._alias_bounds = None
        self._typo_aliases.clear()
        self._word_reach.clear()
        self._closest.clear()
        self._posting_arrays.clear()
        self._alias_keys = None

    def alias_weights(self, alias: Alias, rarity_floor: float) -> tuple[list[float], float, float]:
        """The alias's part weights scaled by word rarity, their sum and max (remembered)."""
        key = id(alias)
        found = self._alias_weights.get(key)
        if found is None:
            weights = [
                w * rarity_weight(self.vocab.rarity(t), rarity_floor)
                for w, t in zip(alias.weights, alias.tokens, strict=True)
            ]
            found = (weights, sum(weights), max(weights, default=0.0))
            self._alias_weights[key] = found
        return found

    def alias_bounds(self, rarity_floor: float) -> tuple[np.ndarray, np.ndarray]:
        """Every alias's rarity-weighted total and heaviest word, as arrays by alias id.

        Scoring bounds all candidates of a query at once with these (numpy), instead of
        looking each alias up in Python: common given names pull in thousands of candidates.
        """
        cached = self._alias_bounds
        if cached is None or cached[0] != rarity_floor or len(cached[1]) != len(self.aliases):
            totals = np.empty(len(self.aliases), dtype=np.float64)
            maxes = np.empty(len(self.aliases), dtype=np.float64)
            for alias_id, alias in enumerate(self.aliases):
                _, totals[alias_id], maxes[alias_id] = self.alias_weights(alias, rarity_floor)
            cached = self._alias_bounds = (rarity_floor, totals, maxes)
        return cached[1], cached[2]

    # -- retrieval -------------------------------------------------------------------------

    def expansion(self, part: NamePart) -> Expansion:
        """The listed words a query word may stand for (remembered per word)."""
        cached = self._expansions.get(part.lookup)
        if cached is None:
            cached = self.vocab.expand(part)
            self.remember(part, cached)
        return cached

    def remember(self, part: NamePart, expansion: Expansion) -> None:
        self._expansions[part.lookup] = expansion
        if len(self._expansions) > EXPANSION_CACHE:
            self._expansions.popitem(last=False)

    def known(self, part: NamePart) -> bool:
        return part.lookup in self._expansions

    def typo_aliases(self, part: NamePart) -> np.ndarray:
        """Live or retired alias ids (sorted) holding a word within a typo of `part`.

        Every listed word within one edit of the part's spelling or fold; a superset of what
        `name_typo` pairs, which is all its uses need: the typo bound of a candidate, the
        candidates a long word retrieves, and telling a typo from a lost space.
        """
        cached = self._typo_aliases.get(part.lookup)
        if cached is None:
            held = (
                [self.posting_array(t) for t in self._typo_neighbours(part)]
                if typo_eligible(part)
                else []
            )
            cached = sorted_unique(np.concatenate(held)) if held else _NO_IDS
            self._typo_aliases[part.lookup] = cached
            if len(self._typo_aliases) > EXPANSION_CACHE // 4:
                self._typo_aliases.popitem(last=False)
        return cached

    def word_reach(self, part: NamePart, expansion: Expansion) -> WordReach:
        """What a query word can give each alias, for bounding a candidate before aligning it.

        For every alias holding a word of the expansion or a word one typo away: the best
        similarity of the query word to one of its words, plus `MAY_BE_TYPO` where the word
        may pair as a typo instead (`scoring._typo_pairs`): when the alias holds no spelling
        counterpart, or holds a word one typo away that the expansion lacks (the counterparts
        all taken by other query words, that word is left over). Remembered per word while its
        expansion is the same object.
        """
        cached = self._word_reach.get(part.lookup)
        if cached is not None and cached[0] is expansion:
            return cached[1]
        tokens = [t for t, sim in expansion.items() if sim > 0.0 and self.postings.get(t)]
        holders, best = _NO_IDS, np.zeros(0, dtype=np.float64)
        if tokens:
            holders, best = self._best_similarity(tokens, expansion)
        typo = self.typo_aliases(part)
        loose = [
            self.posting_array(token)
            for token in (self._typo_neighbours(part) if len(typo) else ())
            if expansion.get(token, 0.0) <= 0.0
        ]
        ids = sorted_unique(np.concatenate([holders, typo]))
        value = np.zeros(len(ids), dtype=np.float64)
        value[np.searchsorted(ids, holders)] = best
        in_typo = np.zeros(len(ids), dtype=bool)
        in_typo[np.searchsorted(ids, typo)] = True
        in_loose = np.zeros(len(ids), dtype=bool)  # loose ⊆ typo ⊆ ids
        in_loose[np.searchsorted(ids, np.concatenate(loose) if loose else _NO_IDS)] = True
        value[in_typo & ((value == 0.0) | in_loose)] += MAY_BE_TYPO
        found = WordReach(np.append(ids, _PAST_ALL), np.append(value, 0.0))
        self._word_reach[part.lookup] = (expansion, found)
        if len(self._word_reach) > EXPANSION_CACHE // 4:
            self._word_reach.popitem(last=False)
        return found

    def _best_similarity(
        self, tokens: list[int], expansion: Expansion
    ) -> tuple[np.ndarray, np.ndarray]:
        """The aliases holding one of `tokens` (ascending) and the best similarity among the
        tokens each holds. A common word ("Aung", "Muhammad") reaches tens of thousands of
        aliases through dozens of spellings: sorting them all costs more than writing each
        spelling's similarity, the weakest first, over an array of every alias."""
        postings = [self.posting_array(t) for t in tokens]
        total = sum(len(p) for p in postings)
        if total > len(self.aliases) // DENSE_SHARE:
            dense = np.zeros(len(self.aliases), dtype=np.float64)
            for at in sorted(range(len(tokens)), key=lambda k: expansion[tokens[k]]):
                dense[postings[at]] = expansion[tokens[at]]
            holders = np.flatnonzero(dense)
            return holders, dense[holders]
        holders = np.concatenate(postings)
        sims = np.repeat(
            np.array([expansion[t] for t in tokens], dtype=np.float64), [len(p) for p in postings]
        )
        order = np.argsort(holders, kind="stable")
        holders, sims = holders[order], sims[order]
        starts = np.flatnonzero(_firsts(holders))
        return holders[starts], np.maximum.reduceat(sims, starts)

    def posting_array(self, token_id: int) -> np.ndarray:
        """The aliases holding a listed word, as an array (ascending: alias ids are appended
        in order, each once per word); remembered until the index changes."""
        found = self._posting_arrays.get(token_id)
        if found is None:
            found = np.array(self.postings.get(token_id, ()), dtype=np.int64)
            self._posting_arrays[token_id] = found
        return found

    def prepare_postings(self) -> None:
        """Every listed word's aliases as an array now, not when a query first meets it."""
        for token_id in self.postings:
            self.posting_array(token_id)
        self.alias_keys()

    def alias_keys(self) -> np.ndarray:
        """By alias id: how many of its words can retrieve it (`Alias.keys`)."""
        if self._alias_keys is None or len(self._alias_keys) != len(self.aliases):
            self._alias_keys = np.array([a.keys for a in self.aliases], dtype=np.int64)
        return self._alias_keys

    def closest_word(self, part: NamePart, expansion: Expansion) -> int | None:
        """The listed word the query word most resembles (ties: the first indexed), which
        gives the query word its rarity; remembered per word while its expansion is the
        same object (a common given name expands to dozens of words).

        Ties are common (every spelling that shares a rigour name symbol scores the same); an
        explicit tie-break keeps a query's word rarity, and so its score, the same from run to
        run (set order of symbols otherwise depends on the interpreter's hash seed).
        """
        cached = self._closest.get(part.lookup)
        if cached is not None and cached[0] is expansion:
            return cached[1]
        best = max(expansion, key=lambda t: (expansion[t], -t)) if expansion else None
        self._closest[part.lookup] = (expansion, best)
        if len(self._closest) > EXPANSION_CACHE // 4:
            self._closest.popitem(last=False)
        return best

    def _typo_neighbours(self, part: NamePart) -> set[int]:
        """Listed words one edit from the part (spelling or fold): they share a deletion."""
        table = self.deletion_table()
        found: set[int] = set()
        for word in {part.latin, part.fold}:
            for key in _deletions(word):
                found.update(table.get(key, ()))
        return found

    def deletion_table(self) -> dict[str, list[int]]:
        """Every listed word's spelling and fold, and each of them less one letter, to word ids.

        Two words one edit apart (a substitution, an insertion or a transposition) share an
        entry (SymSpell's trick), so a query word's typo neighbours are a few dict lookups.
        """
        vocab = self.vocab
        cached = self._deletions
        if cached is None or cached[0] != len(vocab.folds):
            table: dict[str, list[int]] = {}
            for token, (latin, folded) in enumerate(zip(vocab.latins, vocab.folds, strict=True)):
                if vocab.abjad[token]:
                    continue
                for key in _deletions(latin) | _deletions(folded):
                    table.setdefault(key, []).append(token)
            cached = self._deletions = (len(vocab.folds), table)
        return cached[1]

    def candidates(self, name: Name, expansions: list[Expansion]) -> tuple[np.ndarray, np.ndarray]:
        """Live aliases sharing enough words with the query to be worth scoring.

        Returns the candidates' alias ids (ascending) and, for each, a bit mask of the query
        parts whose words it contains (all bits plus `JOINED` for a joined-name match), so
        scoring can bound every candidate before aligning any.
        """
        ids, masks = self._by_words(name, expansions)
        joined = [a for a in self.by_joined.get(joined_key(name), ()) if self.live[a]]
        if joined:
            extra = np.array(sorted(set(joined)), dtype=np.int64)
            ids = np.concatenate([ids, extra])
            masks = np.concatenate(
                [masks, np.full(len(extra), JOINED | (1 << len(name.parts)) - 1, dtype=np.int64)]
            )
            ids, first = np.unique(ids[::-1], return_index=True)  # the joined mask wins
            masks = masks[::-1][first]
        return ids, masks

    def candidate_ids(
        self, name: Name, expansions: list[Expansion]
    ) -> tuple[np.ndarray, np.ndarray]:
        """`candidates` without the masks: the alias ids (ascending) and, apart, those found by
        the joined name (ascending), which the masks would mark `JOINED`."""
        ids, _ = self._by_words(name, expansions, masks=False)
        joined = [a for a in self.by_joined.get(joined_key(name), ()) if self.live[a]]
        if not joined:
            return ids, _NO_IDS
        extra = np.array(sorted(set(joined)), dtype=np.int64)
        return sorted_unique(np.concatenate([ids, extra])), extra

    def _by_words(
        self, name: Name, expansions: list[Expansion], masks: bool = True
    ) -> tuple[np.ndarray, np.ndarray]:
        numbered = list(enumerate(zip(name.parts, expansions, strict=True)))
        used = [(i, p, e) for i, (p, e) in numbered if p.tag not in _NON_KEY_TAGS]
        if not used:  # a name of particles only ("Abu Umar"…): use them all
            used = [(i, p, e) for i, (p, e) in numbered]
        keyed = [(*self._aliases_matching(p, e), 1 << i) for i, p, e in used]
        if not keyed:
            return _NO_IDS, _NO_IDS
        live = np.frombuffer(self.live, dtype=np.uint8)
        if len(keyed) == 1:  # one-word query ("Wiranto"): long aliases only if few
            found, _, bit = keyed[0]
            one = found[live[found] == 1]
            if len(found) > COMMON_WORD:
                one = one[self.alias_keys()[one] <= 2]
            return one, np.full(len(one), bit, dtype=np.int64)
        # Aliases holding counterparts of two query words: pairwise intersections (each
        # searches the smaller array in the larger), plus one-word aliases matched by any word.
        chosen = [
            _common(keyed[first][0], keyed[second][0])
            for first in range(len(keyed))
            for second in range(first + 1, len(keyed))
        ]
        for found, single, _ in keyed:
            chosen.append(single)
            if len(found) <= RARE_WORD:  # a rare word alone can name the person
                chosen.append(found)
        ids = sorted_unique(np.concatenate(chosen))
        ids = ids[live[ids] == 1]
        bits = np.zeros(len(ids), dtype=np.int64)
        for found, _, bit in keyed if masks else ():
            if len(found):
                at = np.minimum(np.searchsorted(found, ids), len(found) - 1)
                bits[found[at] == ids] |= bit
        return ids, bits

    def _aliases_matching(
        self, part: NamePart, expansion: Expansion
    ) -> tuple[np.ndarray, np.ndarray]:
        """The aliases (live or retired, ascending) holding a word of the expansion, or, for a
        long word, one typo away; and those of them with one key word. Remembered per word."""
        cached = self._postings_of.get(part.lookup)
        if cached is None:
            held = [self.posting_array(t) for t in expansion if t in self.postings]
            if len(part.latin) >= TYPO_RETRIEVAL:  # "KHOOTOV" must still find KHODOTOV
                held.append(self.typo_aliases(part))
            found = sorted_unique(np.concatenate(held)) if held else _NO_IDS
            cached = (found, found[self.alias_keys()[found] <= 1])
            self._postings_of[part.lookup] = cached
            if len(self._postings_of) > EXPANSION_CACHE // 4:
                self._postings_of.popitem(last=False)
        return cached


def _common(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """The ids in both of two ascending arrays of distinct ids: the smaller searched in the
    larger, so a rare word against a common one costs the rare word's length."""
    small, large = (left, right) if len(left) <= len(right) else (right, left)
    if not len(small) or not len(large):
        return _NO_IDS
    at = np.minimum(np.searchsorted(large, small), len(large) - 1)
    both: np.ndarray = small[large[at] == small]
    return both


def sorted_unique(ids: np.ndarray) -> np.ndarray:
    """The distinct ids, ascending (`np.unique` without its overhead on small arrays)."""
    ids = np.sort(ids)
    return ids[_firsts(ids)] if len(ids) else ids


def _firsts(ids: np.ndarray) -> np.ndarray:
    """Of a sorted array, where each run of equal values starts (`np.r_` costs more than the
    comparison on the small arrays of one query)."""
    firsts = np.empty(len(ids), dtype=bool)
    firsts[:1] = True
    np.not_equal(ids[1:], ids[:-1], out=firsts[1:])
    return firsts


def _deletions(word: str) -> set[str]:
    """The word and the word less each one of its letters."""
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


def unkeyed_parts(name: Name) -> int:
    """Bit mask of the query parts whose counterparts `candidates` does not mark.

    Retrieval keys on name words only: a particle, honorific, kunya, legal form or patronymic
    ("al", "S.A.", "bin") is not looked up, and a one-letter initial ("D.") matches a listed
    word by its first letter in `scoring.align`, not through the index. Such a part may still
    find a counterpart in a candidate, so a bound on the candidate's score must count it.
    """
    mask = 0
    for i, part in enumerate(name.parts):
        if part.tag in _NON_KEY_TAGS or len(part.latin) == 1:
            mask |= 1 << i
    return mask


def typo_eligible(part: NamePart) -> bool:
    """Whether a query word may be paired with a listed word one typo away (`name_typo`)."""
    return not part.abjad and part_weight(part.tag) >= INFORMATIVE and len(part.latin) >= 2


def joined_key(name: Name) -> str:
    """The name's words run together, without honorifics and legal forms ("PT", "Haji")."""
    return "".join(p.fold for p in name.parts if p.tag not in _UNJOINED_TAGS and not p.abjad)


def rarity_weight(rarity: float, floor: float) -> float:
    """A word's weight from its rarity: `floor` for a word in every alias, 1.0 for a rare one."""
    return floor + (1.0 - floor) * rarity


def _entity_key(list_name: str, entity_id: str) -> str:
    return f"{list_name}\x1f{entity_id}"


def build_index(
    entities: Iterable[tuple[EntityProxy, str, str | None, list[str]]],
) -> ScreeningIndex:
    """An index of (entity, list name, source id, topics) tuples."""
    index = ScreeningIndex()
    for entity, list_name, source_id, topics in entities:
        index.add_entity(entity, list_name, source_id, topics)
    log.info("screening index: %d entities, %d aliases", index.entity_count, index.alias_count)
    return index

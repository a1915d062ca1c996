"""The words of every listed name, and which of them a query word may stand for.

A query word is expanded once into the listed words it resembles, each with a similarity in
[0, 1]: the same folded spelling, a close spelling (rapidfuzz Indel ratio on the folded keys),
across Latin and Arabic script a spelling that fits the Arabic word's consonants and long vowels
(`text.script_fit`; Hebrew: the same consonant skeleton), or a shared rigour name symbol (a
cross-script given name or surname; across Latin and Arabic script only when the letters fit
too). Arabic-script words are kept apart by their written form, not their skeleton. Retrieval
and scoring then work on word ids.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz, process

from jalur.screening.names import NamePart
from jalur.screening.text import (
    FIT,
    NEAR_FIT,
    NO_FIT,
    abjad_form,
    coarse_skeleton,
    form_fit,
    form_patterns,
)

#: Listed words less similar than this to a query word are not considered at all (Indel ratio
#: on folded keys, 0–100; chosen on the list-alias tune split: lower adds candidates, not recall).
FUZZY_CUTOFF = 72.0
#: Each point of spelling distance counts this many times over: "Castillo" is not "Castro"
#: (Indel ratio 0.77 → 0.66) while a one-letter typo in a long word still mostly counts
#: ("Scholze"/"Scholz" 0.92 → 0.88). Chosen on the name-bench and list-alias tune halves.
FUZZY_PENALTY = 1.5
#: Similarity given to the same word spelt differently by two romanisation schemes.
SAME_FOLD = 0.97
#: Similarity given to a shared name symbol (rigour: the same given name in two scripts).
SAME_SYMBOL = 0.95
#: Consonant-skeleton similarity counts less than a spelling match: vowels carry information.
SKELETON_DISCOUNT = 0.9
#: A Latin word that fits an Arabic-script word, long vowels included (`text.script_fit`):
#: Mahmoud / `محمود`, Hamid / `حامد`, Qusay / `قصي`.
CROSS_FIT = 0.95
#: A Latin word whose consonants fit an Arabic-script word but whose vowels are of another
#: quality or unwritten where Arabic writes a long vowel: Muhammad / `محمود`, Hassan / `حسين`,
#: Mahmoud / `محمد` — about what two Latin spellings that far apart get.
CROSS_NEAR = 0.6
#: An Arabic-script query word against a Latin word whose consonants are close (skeleton ratio)
#: but which does not fit it: the skeleton similarity counts this much.
NO_FIT_DISCOUNT = 0.7
#: Two spellings of an Arabic-script word count each point of Indel distance this many times
#: over: the words are short and a long-vowel letter is a different name (`حسن` Hasan / `حسين`
#: Husayn 0.64, `محمد` / `محمود` 0.72).
ARABIC_SPELLING_PENALTY = 2.5

#: Shorter consonant skeletons ("bd", "l") say too little on their own; words that short meet
#: across scripts only through a shared name symbol.
MIN_SKELETON = 3

#: Rarity is counted as if this many other aliases without the word were loaded too, so that
#: a small national list does not make its own names look common.
BACKGROUND_ALIASES = 1000

Expansion = dict[int, float]


@dataclass
class Vocabulary:
    """Listed words by id, with the keys retrieval compares and how many aliases use each."""

    keys: dict[str, int] = field(default_factory=dict)
    folds: list[str] = field(default_factory=list)
    latins: list[str] = field(default_factory=list)
    skeletons: list[str] = field(default_factory=list)
    abjad: list[bool] = field(default_factory=list)
    #: An abjad word's written form (`text.abjad_form`), by word id: its pattern over Latin.
    forms: dict[int, str] = field(default_factory=dict)
    df: list[int] = field(default_factory=list)
    by_symbol: dict[str, set[int]] = field(default_factory=dict)
    aliases: int = 0

    def add(self, part: NamePart) -> int:
        """The id of the part's word, adding it when new (its symbols are merged)."""
        form = abjad_form(part.text) if part.abjad else ""
        # An abjad word is kept apart by its written form, not its skeleton: `محمد` and `محمود`
        # share a skeleton but are Muhammad and Mahmud.
        key = "@" + form if part.abjad else part.key
        token_id = self.keys.get(key)
        if token_id is None:
            token_id = len(self.folds)
            self.keys[key] = token_id
            if part.abjad:
                self.forms[token_id] = form
            self.folds.append(part.fold)
            self.latins.append(part.latin)
            self.skeletons.append(part.skeleton)
            self.abjad.append(part.abjad)
            self.df.append(0)
        for symbol in part.symbols:
            self.by_symbol.setdefault(symbol, set()).add(token_id)
        return token_id

    def prepare(self) -> None:
        """Build the lookup tables now rather than on the first query (a warm index)."""
        self._bigram_index()
        self._abjad_ids_by_coarse()
        self._ids_by_coarse()
        self._abjad_array()
        self._fold_array()
        self._fold_lengths()

    def compile_forms(self) -> int:
        """Compile now the Latin-spelling patterns of every listed Arabic-script word
        (`text.form_patterns`, cached), which a query word otherwise compiles when it first
        meets the listed word, inside a request (about 0.3 ms each, 637 on the UN and OFAC
        lists). For a long-lived process (the server): a one-shot command would compile
        hundreds it never uses. Returns how many."""
        for form in self.forms.values():
            form_patterns(form)
        return len(self.forms)

    def rarity(self, token_id: int | None) -> float:
        """1.0 for a word no alias uses, towards 0 for a word in every alias (IDF, scaled)."""
        if token_id is None:
            return 1.0
        total = self.aliases + BACKGROUND_ALIASES + 1
        return math.log(total / (self.df[token_id] + 1)) / math.log(total + 1)

    def expand(self, part: NamePart) -> Expansion:
        """The listed words this query word may stand for, with their similarity."""
        found: Expansion = {}
        if part.abjad:
            self._expand_abjad(part, found)
        else:
            shortlist = self._shortlist(part.fold)
            for _, score, row in process.extract(
                part.fold, self._fold_array()[shortlist].tolist(), scorer=fuzz.ratio,
                score_cutoff=FUZZY_CUTOFF, limit=None,
            ):  # fmt: skip
                token_id = int(shortlist[row])
                if not self.abjad[token_id]:
                    found[token_id] = self._spelling(part, token_id, score)
            self._add_abjad(part, found)
        self._add_symbols(part, found)
        return found

    def _expand_abjad(self, part: NamePart, found: Expansion) -> None:
        """An Arabic/Hebrew query word: listed words with a close consonant skeleton, and Latin
        words with the same coarse skeleton (however short) that fit it (`script_fit`)."""
        form = abjad_form(part.text)
        fits = form_patterns(form) is not None
        close: dict[int, float] = {}
        if len(part.skeleton) >= MIN_SKELETON:
            for _, ratio, token_id in process.extract(
                part.skeleton, self.skeletons, scorer=fuzz.ratio, score_cutoff=80, limit=None
            ):
                close[token_id] = ratio
        coarse = self._ids_by_coarse().get(coarse_skeleton(part.latin), ()) if fits else ()
        long_enough = len(part.skeleton) >= MIN_SKELETON
        for token_id in set(close).union(coarse):
            score = close.get(token_id)
            if self.abjad[token_id]:
                if self.forms[token_id] == form:
                    found[token_id] = 1.0
                elif score is not None:
                    spelling = fuzz.ratio(form, self.forms[token_id]) / 100.0
                    found[token_id] = min(
                        SKELETON_DISCOUNT * score / 100.0,
                        max(0.05, 1.0 - ARABIC_SPELLING_PENALTY * (1.0 - spelling)),
                    )
                continue
            level = form_fit(form, self.latins[token_id]) if fits else NO_FIT
            if level == FIT:
                found[token_id] = CROSS_FIT
            elif level == NEAR_FIT and long_enough:
                found[token_id] = CROSS_NEAR
            elif score is not None:
                found[token_id] = (
                    SKELETON_DISCOUNT * score / 100.0 * (NO_FIT_DISCOUNT if fits else 1.0)
                )

    def _shortlist(self, fold: str) -> np.ndarray:
        """Listed words sharing enough letter pairs with `fold` to reach the fuzzy cutoff.

        A word within the cutoff shares at least a third of its padded letter pairs with the
        query in practice (checked against the full scan on the transliteration pairs); the
        shortlist makes a single query's expansion ~20x cheaper than scanning every word.
        """
        grams = _bigrams(fold)
        index = self._bigram_index()
        arrays = [index[g] for g in grams if g in index]
        if not arrays:
            return np.zeros(0, dtype=np.int64)
        counts = np.bincount(np.concatenate(arrays), minlength=len(self.folds))
        shortlist = np.nonzero(counts >= max(1, len(grams) // 3))[0]
        # Indel ratio is at most 2·min(len) / (len + len): words too much longer or shorter
        # cannot reach the cutoff ("khan" against a 9-letter word), so are not compared
        lengths, size = self._fold_lengths()[shortlist], len(fold)
        reach = 200 * np.minimum(lengths, size) >= FUZZY_CUTOFF * (lengths + size)
        kept: np.ndarray = shortlist[reach]
        return kept

    def _fold_lengths(self) -> np.ndarray:
        lengths: np.ndarray | None = getattr(self, "_length_cache", None)
        if lengths is None or len(lengths) != len(self.folds):
            lengths = self._length_cache = np.array([len(f) for f in self.folds], dtype=np.int64)
        return lengths

    def _fold_array(self) -> np.ndarray:
        """The folds as a numpy array, so a shortlist is gathered in C, not word by word."""
        cached = getattr(self, "_fold_cache", None)
        if cached is None or len(cached) != len(self.folds):
            cached = self._fold_cache = np.array(self.folds, dtype=object)
        return cached

    def _bigram_index(self) -> dict[str, np.ndarray]:
        cached = getattr(self, "_bigram_cache", None)
        if cached is None or cached[0] != len(self.folds):
            table: dict[str, list[int]] = {}
            for token_id, word in enumerate(self.folds):
                for gram in set(_bigrams(word)):
                    table.setdefault(gram, []).append(token_id)
            cached = (
                len(self.folds),
                {g: np.array(ids, dtype=np.int64) for g, ids in table.items()},
            )
            self._bigram_cache = cached
        return cached[1]

    def expand_many(self, parts: Sequence[NamePart], workers: int = 1) -> list[Expansion]:
        """`expand` for many words at once: one vectorised rapidfuzz cdist over the vocabulary."""
        latin = [p for p in parts if not p.abjad]
        results: dict[int, Expansion] = {}
        if latin and self.folds:
            matrix = process.cdist(
                [p.fold for p in latin], self.folds, scorer=fuzz.ratio,
                score_cutoff=FUZZY_CUTOFF, dtype=np.uint8, workers=workers,
            )  # fmt: skip
            for row, part in enumerate(latin):
                abjad = self._abjad_array()
                hits = np.nonzero(matrix[row])[0]
                found = {
                    int(t): self._spelling(part, int(t), float(matrix[row, t]))
                    for t in hits
                    if not abjad[t]
                }
                self._add_abjad(part, found)
                self._add_symbols(part, found)
                results[id(part)] = found
        return [results[id(p)] if id(p) in results else self.expand(p) for p in parts]

    def _spelling(self, part: NamePart, token_id: int, score: float) -> float:
        if score >= 100.0:
            return 1.0 if self.latins[token_id] == part.latin else SAME_FOLD
        return max(0.05, 1.0 - FUZZY_PENALTY * (1.0 - score / 100.0))

    def _add_abjad(self, part: NamePart, found: Expansion) -> None:
        """A Latin query word against listed Arabic-script words with its coarse skeleton: those
        it fits (`script_fit`), however short; Hebrew words on the same skeleton alone."""
        long_enough = len(part.skeleton) >= MIN_SKELETON
        for token_id in self._abjad_ids_by_coarse().get(coarse_skeleton(part.latin), ()):
            sim = self._cross(part, token_id)
            if sim is None:
                same = long_enough and self.skeletons[token_id] == part.skeleton
                sim = SKELETON_DISCOUNT if same else 0.0
            elif sim < CROSS_FIT and not long_enough:
                sim = 0.0
            if sim > 0.0:
                found[token_id] = max(found.get(token_id, 0.0), sim)

    def _cross(self, part: NamePart, token_id: int) -> float | None:
        """How well a Latin query word fits a listed Arabic-script word (None: not Arabic)."""
        form = self.forms[token_id]
        if form_patterns(form) is None:
            return None
        level = form_fit(form, part.latin)
        return CROSS_FIT if level == FIT else CROSS_NEAR if level == NEAR_FIT else 0.0

    def _add_symbols(self, part: NamePart, found: Expansion) -> None:
        """Words sharing a rigour name symbol — across Latin and Arabic script only when the
        letters agree too: rigour ties `حامد` (Hamid) to Ahmed, `حسين` to Hassan."""
        form = abjad_form(part.text) if part.abjad else ""
        arabic_query = part.abjad and form_patterns(form) is not None
        for symbol in part.symbols:
            for token_id in self.by_symbol.get(symbol, ()):
                sim = SAME_SYMBOL
                if arabic_query and not self.abjad[token_id]:
                    level = form_fit(form, self.latins[token_id])
                    sim = 0.0 if level == NO_FIT else sim if level == FIT else CROSS_NEAR
                elif not part.abjad and self.abjad[token_id]:
                    cross = self._cross(part, token_id)
                    sim = sim if cross is None else min(sim, cross)
                elif not part.abjad and not _spelt_alike(part.fold, self.folds[token_id]):
                    sim = 0.0
                if sim > 0.0:
                    found[token_id] = max(found.get(token_id, 0.0), sim)

    def _ids_by_coarse(self) -> dict[str, list[int]]:
        """Every listed word by its coarse skeleton (`text.coarse_skeleton`)."""
        cached = getattr(self, "_skeleton_cache", None)
        if cached is None or cached[0] != len(self.folds):
            table: dict[str, list[int]] = {}
            for token_id, latin in enumerate(self.latins):
                table.setdefault(coarse_skeleton(latin), []).append(token_id)
            cached = (len(self.folds), table)
            self._skeleton_cache = cached
        return cached[1]

    def _abjad_array(self) -> np.ndarray:
        cached = getattr(self, "_abjad_flags", None)
        if cached is None or len(cached) != len(self.abjad):
            cached = self._abjad_flags = np.array(self.abjad, dtype=bool)
        return cached

    def _abjad_ids_by_coarse(self) -> dict[str, list[int]]:
        cached = getattr(self, "_abjad_cache", None)
        if cached is None or cached[0] != len(self.folds):
            table: dict[str, list[int]] = {}
            for token_id, is_abjad in enumerate(self.abjad):
                if is_abjad:
                    table.setdefault(coarse_skeleton(self.latins[token_id]), []).append(token_id)
            cached = (len(self.folds), table)
            self._abjad_cache = cached
        return cached[1]


def _bigrams(word: str) -> list[str]:
    padded = f"^{word}$"
    return [padded[i : i + 2] for i in range(len(padded) - 1)]


#: Two Latin words that share a rigour name symbol must also look alike: symbols tie the
#: syllables of Korean and Chinese romanisation loosely (`ho` ~ `che`, `kim` ~ `jin`,
#: `jang` ~ `jo`) and names across languages (`Ivan` ~ `John`), which are other names to an
#: analyst. Indel ratio of the folds; short words (three letters or fewer) need more.
SYMBOL_SPELLING = 0.6
SYMBOL_SPELLING_SHORT = 0.8


def _spelt_alike(left: str, right: str) -> bool:
    need = SYMBOL_SPELLING_SHORT if min(len(left), len(right)) <= 3 else SYMBOL_SPELLING
    return fuzz.ratio(left, right) >= 100 * need

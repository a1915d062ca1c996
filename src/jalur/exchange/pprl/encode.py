"""Keyed, hardened Bloom-filter encodings of subjects (cryptographic long-term keys, CLKs).

Schnell, Bachteler and Reiher (2009) encode a name as the set of its padded bigrams, each set
by k keyed hashes into an m-bit filter; similar names share bigrams and therefore bits, so the
Dice coefficient of two filters approximates the names' bigram similarity without revealing
them. The key is agreed between the two agencies only (see `match_key`), so nobody else can
build or test encodings. Hardening against frequency attacks, per Schnell (2016) and
Ranbaduge and Schnell (2020):

- per-field keys ("salting per record field"): name bigrams, consonant-skeleton bigrams,
  birth dates and identifiers are hashed under different derived keys;
- balancing: the filter is followed by its complement and the result permuted under the key,
  so every filter has exactly half its bits set and bit counts say nothing of name length;
- XOR-folding: the two halves are XORed, so no bit of the released filter equals any bit of
  an unfolded one (Schnell, Borgs, Encheva 2016).

Each name variant (alias, other script) of a subject is encoded twice: its bigrams, and the
bigrams of its consonant skeleton, which bridges scripts that write no short vowels (Arabic
`sdam hsyn` ~ `saddam hussein`). Skeletons collide often between unrelated Latin names
(`mariah aasen` ~ `suzanne meyer`), so they are compared only when one of the two names was
written in such a script; one bit per name says so. Matching takes the best pair of variants.
Birth dates and identifiers are exact-match fields, so they travel as keyed HMAC tokens
rather than Bloom filters (similarity of dates means nothing; both forms are equally open to
a key holder's guessing over their small domain). Birth dates are a year token and a full-date
token, up to `max_dates` per subject; how many a subject has is visible, so a conflicting date
can lower a score while a missing one is neutral.
"""

from __future__ import annotations

import gc
import hmac
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, groupby

import numpy as np
import numpy.typing as npt
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from rigour._core import person_name_prefixes_list

from jalur.exchange.pprl.cores import compiled, in_threads
from jalur.exchange.subjects import SubjectKeys, name_tokens

Bits = npt.NDArray[np.uint8]
Tokens = npt.NDArray[np.uint64]

#: Arabic articles written apart (`al tikriti`): not a name part of their own.
ARTICLES = frozenset({"al", "el", "ul"})


@dataclass(frozen=True)
class Scheme:
    """Encoding parameters; both agencies must use the same (they travel in the offer).

    Chosen on the `bench_exchange` evaluation set (UN-variants-100k): `name_target` bits per
    name gave the widest gap between typo variants and unrelated names (150/300/450/600 tried).
    """

    name_bits: int = 1024  # m of the unfolded filters; released filters are m bits too
    name_target: int = 450  # bit settings per name: k adapts to the number of bigrams
    max_k: int = 64  # at most this many hashes per bigram (short names, skeletons)
    max_dates: int = 4  # birth dates per subject encoded (lists give several possible ones)
    max_names: int = 8  # variants per subject encoded (aliases beyond are dropped)
    max_tokens: int = 8  # name parts per variant encoded as keyed tokens (the rest dropped)
    part_bits: int = 128  # m of each name part's own bigram filter
    part_target: int = 56  # bit settings per name part

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Encoded:
    """Encodings of a set of subjects as row-aligned arrays (the whole body of an offer)."""

    name_owner: npt.NDArray[np.int32]  # subject index of each name variant
    names: Bits  # (n_names, name_bits/8) bigram filters, packed, balanced and folded
    skeletons: Bits  # (n_names, name_bits/8) consonant-skeleton filters, likewise
    vowelless: npt.NDArray[np.bool_]  # (n_names,) written in an abjad (Arabic, Hebrew…)
    tokens: Tokens  # (n_names, max_tokens) keyed hashes of the name parts, 0 past the count
    token_skeletons: Tokens  # (n_names, max_tokens) keyed hashes of their skeletons, 0 if none
    token_count: npt.NDArray[np.int8]  # (n_names,) name parts encoded
    part_filters: Bits  # (n_names, max_tokens, part_bits/8) bigram filters, slots as `tokens`
    dates: Bits  # (n_subjects, max_dates, 16): 8-byte year token + 8-byte full-date token
    date_count: npt.NDArray[np.int8]  # (n_subjects,) how many dates are real (rest random)
    id_owner: npt.NDArray[np.int32]
    ids: npt.NDArray[np.bytes_]  # keyed identifier tokens, 16 bytes each

    @property
    def subjects(self) -> int:
        return int(self.date_count.shape[0])


def derive(match_key: bytes, label: str, length: int = 32) -> bytes:
    info = b"jalur-pprl-v2 " + label.encode()
    return HKDF(hashes.SHA256(), length, salt=None, info=info).derive(match_key)


_VOWELS = str.maketrans(dict.fromkeys("aeiouyhw"))
_SOUNDS = str.maketrans({"c": "k", "q": "k", "z": "s", "v": "f", "p": "b", "j": "k", "g": "k"})
#: Spellings of one sound that transliterations from Cyrillic, French and English disagree on
#: (`dzhamil`/`djamel`/`jamil`, `tshoe`/`choe`), folded before the vowels go.
_DIGRAPHS = (("dzh", "j"), ("dj", "j"), ("zh", "j"), ("tsh", "c"), ("ch", "c"), ("ts", "c"))
#: ... and the one that is a single sound in an abjad's letter-by-letter transliteration too:
#: Arabic script writes `ch` as ت + ش (`kym ywnj tshwl`, Kim Yong Chol).
_ABJAD_DIGRAPHS = (("tsh", "c"),)


@lru_cache(maxsize=1 << 16)
def skeleton(token: str, abjad: bool = False) -> str:
    """Consonants only, similar sounds folded, repeats collapsed: `usama`→`sm`, `yahya`→`y`.

    Arabic script writes no short vowels, so its transliteration (`sdam hsyn`) shares few
    bigrams with the Latin spelling (`saddam hussein`) but the same consonants. The Arabic
    article is dropped whether written apart (`al tikriti`) or joined (`altkryty`); a leading
    y or w is a consonant. A name written in an abjad (`abjad`) is transliterated letter by
    letter, so two letters are mostly two sounds there: its `zh`, `ts` or `dj` are ز + ه
    (`alzhra`, al-Zahra), ت + ص (`almtsdq`, al-Motassadeq), د + ج, not the one sound that
    Cyrillic and French spellings write with them, and only `tsh` (ت + ش, Arabic's `ch`) is
    folded. (Folding `th`/`dh` → s was
    tried on the UN list's original-script names and gained nothing: recall 0.596 against
    0.602.)
    """
    if not token or token in ARTICLES:
        return ""
    return _consonants(_unarticled(token), abjad)


@lru_cache(maxsize=1 << 16)
def _consonants(token: str, abjad: bool) -> str:
    """`skeleton` of a word without its article (see there for `abjad`)."""
    if not token:
        return ""
    for digraph, sound in _ABJAD_DIGRAPHS if abjad else _DIGRAPHS:
        token = token.replace(digraph, sound)
    if _iotated(token, abjad):
        token = "j" + token[1:]  # Cyrillic я, ю, ё, е read as `ia`, `iu`, `io`: Latin `ja`…
    lead = token[0] if token[0] in "yw" else ""
    letters = (lead + token[len(lead) :].translate(_VOWELS)).translate(_SOUNDS)
    return "".join(letter for letter, _ in groupby(letters))


#: Titles that Arabic script writes before a name, as `subjects.name_tokens` reads them: the
#: Arabic forms of the titles that rigour's list (`rigour.names.remove_person_prefixes`) has
#: in Latin — دكتور, الدكتور (Doctor, `Dr`), بروفيسور, البروفيسور, أستاذ, الأستاذ (Professor,
#: `Prof`). Rigour has no Arabic-script title, and titles it has no Latin entry for (شيخ
#: Sheikh, حاجي Haji, ملا Mullah) are left in on both sides: Latin spellings keep them too.
ARABIC_TITLES = ("دكتور", "الدكتور", "بروفيسور", "البروفيسور", "أستاذ", "الأستاذ")


def _titles() -> frozenset[tuple[str, ...]]:
    """Rigour's person-name titles and `ARABIC_TITLES`, each as name tokens (`his excellency`
    → ('his', 'excellency'), الدكتور → ('aldktwr',)), so that a name is checked by a set
    lookup of its first words rather than a regular expression of 135 titles per name."""
    return frozenset(
        tokens
        for title in (*person_name_prefixes_list(), *ARABIC_TITLES)
        if (tokens := name_tokens(title))
    )


TITLES = _titles()
_LONGEST_TITLE = max(map(len, TITLES))
_TITLE_WORDS = frozenset(title[0] for title in TITLES)  # most names open with none of these


def untitled(tokens: Sequence[str]) -> tuple[str, ...]:
    """The name without the titles it opens with, on both agencies' sides alike: `dr ibrahim`
    → `ibrahim`, `dktwr abrahym` (دكتور إبراهيم) → `abrahym`. A Latin list writes the title
    `Dr` and Arabic script دكتور: as parts they never agree, so the title was a part left
    over on one side, and it says nothing of who the person is. A name that is a title alone
    stays as it is."""
    name = tuple(tokens)
    stripped = bool(name) and name[0] in _TITLE_WORDS
    while stripped:
        stripped = False
        for size in range(min(_LONGEST_TITLE, len(name) - 1), 0, -1):
            if name[:size] in TITLES:
                name, stripped = name[size:], True
                break
    return name


@lru_cache(maxsize=1 << 16)
def part_skeleton(token: str, abjad: bool = False) -> str:
    """A name part's skeleton as its keyed token carries it: `skeleton`, marked `.` when the
    word (its article left out) opens with a vowel: `amr` (عمر) and `omar` → `.mr`, `mire`
    → `mr`; `alzhrh` (الزهرة) and `zahra` → `sr`, `asir` → `.sr`.

    Arabic script writes a vowel that opens a word, with alif or ʿayn (read `a` since /6), as
    Latin spellings write it, so the mark keeps true pairs of the two scripts together, while
    the bare skeleton of a vowelless word met every Latin name of its consonants: Omar and
    Mire, Zahra and Asir, whichever of the two was the rarer name won the comparison. A Latin
    word that opens with the article assimilated (`uddin`, `_assimilated`) is not marked.
    """
    form = skeleton(token, abjad)
    word = _unarticled(token)
    opens = word[:1] in _OPENING_VOWELS and not _iotated(word, abjad)
    return "." + form if form and opens and (abjad or not _assimilated(word)) else form


_OPENING_VOWELS = frozenset("aeiou")
#: Consonants that the Arabic article assimilates (the "sun letters"), as the skeleton reads
#: their Latin spellings: `ud-din`, `ur-rahman`, `as-salam`, `ul-lah`, `un-nisa`.
_SUN_LETTERS = frozenset("tdrszln")


def _assimilated(word: str) -> bool:
    """A Latin word that may open with the Arabic article assimilated to a sun letter and
    joined (`uddin`, `urrahman`, `ennour`): Arabic script writes it الدين, with its article,
    whose word (`dyn`) opens with a consonant, so such a word is not marked."""
    return len(word) > 3 and word[1] == word[2] and word[1] in _SUN_LETTERS


def _iotated(word: str, abjad: bool) -> bool:
    """A Latin word that opens with Cyrillic я, ю, ё, е read `ia`, `iu`, `io`, `ie`: its
    skeleton opens with `j` (`_consonants`), a consonant."""
    return not abjad and len(word) > 1 and word[0] == "i" and word[1] in "aeou"


def joined_skeleton(tokens: Sequence[str], abjad: bool = False) -> str:
    """The skeleton of the name written as one word, articles left out: `hmd allh` and
    `hamdullah` → `mdl`, `bd alrhmn` and `abdul rahman` → `bdlrmn`, `y qwb` and `yaqoub` →
    `ykb`, `shms aldyn` and `shamsuddin` → `smsdn`. Arabic script joins and splits words
    unlike its Latin spellings (the article, `allah` and `abd` compounds, a letter ʿayn that
    transliterates as a word break), so the whole-name skeleton filter sees no word breaks; its
    bigrams then also tell which skeleton follows which. An article joined to its word
    (`aldyn`, `alharth`) goes as a separate one does: Latin spellings assimilate it (`ud`,
    `ed`) or drop it, so its `l` inside the name would be a consonant the other side lacks —
    except after `abd`, whose compounds Latin writes `abdul`, `abdel` (`bd albsyr`,
    `abdul basir`).
    """
    words = [t for t in tokens if t not in ARTICLES]
    kept = [w if i and words[i - 1] in _ABD else _unarticled(w) for i, w in enumerate(words)]
    return _consonants(_unarticled("".join(kept)), abjad)  # as /3: `alibongo` reads `ibongo`


#: `abd` compounds keep their article's `l` in Latin (`bd albsyr` ~ `abdul basir`, `abdel`).
_ABD = frozenset({"bd", "abd"})


def _unarticled(token: str) -> str:
    """The word without a joined article (`alharth` → `harth`), as `skeleton` reads a part."""
    return token[2:] if len(token) >= 4 and token[:2] in ("al", "el") else token


#: Letters of an abjad-written name that Latin spellings write two ways, as letter-by-letter
#: transliteration gives them, with the other reading: ث `th` is `s` in Persian, Turkish and
#: Urdu spellings (`Osman`, `Usman` against `Othman`); ذ, ض and ظ (`subjects.name_tokens`
#: writes all three `dh`) are `z` there (`Fazl`, `Zakir`, `Hafiz` against `Fadl`, `Dhakir`,
#: `Hafidh`).
_OTHER_READINGS = (("th", "s"), ("dh", "z"))
#: Final ة, read `a`/`ah` (`subjects.name_tokens`), is `t` in a name's construct form and in
#: Persian, Turkish and Urdu spellings (`Hayat`, `Izzat`, `Nusrat`).
_FINAL_READING = ("h", "t")
#: At most this many readings of one name (its usual one first), so an offer's size and what
#: a name can meet stay bounded.
READINGS = 4


@lru_cache(maxsize=1 << 16)
def spellings(word: str) -> tuple[str, ...]:
    """The Latin spellings an abjad-written word stands for, its letter-by-letter one first:
    `thman` → `thman`, `sman`; `fdhl` → `fdhl`, `fzl`; `alhyah` → `alhyah`, `alhyat`.

    Arabic script does not say which of these a Latin-writing agency will use (Arabic,
    Persian, Urdu or Turkish readings of one letter), so the encoder encodes each (`readings`).
    """
    found = [word]
    for digraph, other in _OTHER_READINGS:
        found = [variant for spelt in found for variant in _each_way(spelt, digraph, other)]
    plain, final = _FINAL_READING
    if word.endswith(plain) and not word.endswith("llh") and len(word) > 2:
        found += [spelt[: -len(plain)] + final for spelt in found]  # not Allah's ه (`allh`)
    return tuple(dict.fromkeys(found))[:READINGS]


def _each_way(word: str, digraph: str, other: str) -> list[str]:
    """`word` with each occurrence of `digraph` kept or read as `other`, kept first."""
    pieces = word.split(digraph)
    found = [pieces[0]]
    for piece in pieces[1:]:
        found = [f + letters + piece for f in found for letters in (digraph, other)]
    return found


def readings(tokens: Sequence[str], abjad: bool) -> list[tuple[str, ...]]:
    """The name under each combination of its words' `spellings` and with its `abd` compounds
    joined (`compounds`), its usual reading first, at most `READINGS`: `mhmd thman` → `mhmd
    thman`, `mhmd sman`; `amyr bd allh` → `amyr bd allh`, `amyr bdallh`. A Latin name has one.

    Each reading is encoded as one more name of the subject, so every comparison (filters,
    parts, skeletons) meets the reading the other agency's spelling follows, and the usual
    one is compared as before (a union of all readings' bigrams in one filter would lower the
    similarity of the usual reading to its own spelling).
    """
    if not abjad:
        return [tuple(tokens)]
    spelt = [_spelt(form) for form in (tuple(tokens), *compounds(tokens))]
    ordered = [forms[0] for forms in spelt] + [f for forms in spelt for f in forms[1:]]
    return list(dict.fromkeys(ordered))[:READINGS]


def compounds(tokens: Sequence[str]) -> list[tuple[str, ...]]:
    """The name with each `abd` compound written as one word: Arabic script writes عبد الله
    and عبد الرحمن as two words (`bd allh`), Latin spellings mostly as one (`Abdullah`,
    `Abdulrahman`), so the parts `bd` and `allh` would meet no part of `abdullah`."""
    found = []
    for i in range(len(tokens) - 1):
        if tokens[i] in _ABD:
            found.append((*tokens[:i], tokens[i] + tokens[i + 1], *tokens[i + 2 :]))
    return found


def _spelt(tokens: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The name under each combination of its words' `spellings` (usual first, bounded)."""
    found = [tokens]
    for i, token in enumerate(tokens):
        found = [(*r[:i], s, *r[i + 1 :]) for r in found for s in spellings(token)]
        found = list(dict.fromkeys(found))[:READINGS]
    return found


@lru_cache(maxsize=1 << 16)
def bigrams(token: str) -> tuple[str, ...]:
    """Padded bigrams: `ab` → `_a ab b_` (the padding marks where a token starts and ends)."""
    padded = f"_{token}_"
    return tuple(padded[i : i + 2] for i in range(len(padded) - 1))


class Encoder:
    """Encodes subjects under one match key.

    A q-gram's filter positions are computed once per distinct q-gram (there are a few
    thousand) and the filters are then set with array operations, so 100k subjects take
    seconds rather than the minutes of a per-bit Python loop.
    """

    def __init__(self, match_key: bytes, scheme: Scheme | None = None) -> None:
        self.scheme = scheme or Scheme()
        fields = ("name", "skeleton", "date", "id", "token", "token-skeleton", "part")
        self._keys = {f: derive(match_key, f) for f in fields}
        seed = int.from_bytes(derive(match_key, "balance-permutation", 16), "big")
        rng = np.random.default_rng(seed)
        self._perm = {
            "name": rng.permutation(2 * self.scheme.name_bits),
            "skeleton": rng.permutation(2 * self.scheme.name_bits),
            "part": rng.permutation(2 * self.scheme.part_bits),
        }

    def positions(self, field: str, grams: Sequence[str], k: int, m: int) -> npt.NDArray[np.int64]:
        """(len(grams), k) filter positions: 2-byte slices of HMACs under the field's key."""
        key = self._keys[field]
        rows = []
        for gram in grams:
            data = gram.encode()
            digest = b"".join(
                hmac.digest(key, data + bytes([block]), "sha256")
                for block in range((2 * k + 31) // 32)
            )
            rows.append(np.frombuffer(digest[: 2 * k], dtype=">u2"))
        if not rows:
            return np.zeros((0, k), dtype=np.int64)
        return (np.stack(rows).astype(np.int64) % m).astype(np.int16)

    def date_tokens(self, date: str) -> bytes:
        """Year token + full-date token; a year-only date repeats its year token."""
        year = hmac.digest(self._keys["date"], b"y:" + date[:4].encode(), "sha256")
        if len(date) < 10:
            return year[:8] + year[:8]
        full = hmac.digest(self._keys["date"], b"d:" + date[:10].encode(), "sha256")
        return year[:8] + full[:8]

    def identifier_token(self, identifier: str) -> bytes:
        return hmac.digest(self._keys["id"], identifier.encode(), "sha256")[:16]

    def encode(self, subjects: Sequence[SubjectKeys]) -> Encoded:
        with _collector_paused():
            return self._encode(subjects)

    def _encode(self, subjects: Sequence[SubjectKeys]) -> Encoded:
        s = self.scheme
        owner: list[int] = []
        vowelless: list[bool] = []
        plain: list[list[str]] = []
        skel: list[list[str]] = []
        parts: list[list[str]] = []
        dates: list[list[bytes]] = []
        date_token = lru_cache(maxsize=None)(self.date_tokens)  # a few thousand distinct dates
        id_owner: list[int] = []
        ids: list[bytes] = []
        for index, subject in enumerate(subjects):
            flags = subject.vowelless or (False,) * len(subject.names)
            for name, flag in zip(subject.names[: s.max_names], flags, strict=False):
                for tokens in readings(untitled(name), flag):
                    owner.append(index)
                    vowelless.append(flag)
                    plain.append(list(chain.from_iterable(map(bigrams, tokens))))
                    skel.append(list(bigrams(joined_skeleton(tokens, flag))))
                    parts.append([t for t in tokens if t not in ARTICLES][: s.max_tokens])
            dates.append([date_token(d) for d in subject.birth_dates[: s.max_dates]])
            for identifier in subject.identifiers:
                id_owner.append(index)
                ids.append(self.identifier_token(identifier))
        exact, skel_tokens, ordered = self._tokens(parts, vowelless)
        return Encoded(
            name_owner=np.asarray(owner, dtype=np.int32),
            names=self._filters("name", plain, s.name_bits, s.name_target, s.max_k),
            skeletons=self._filters("skeleton", skel, s.name_bits, s.name_target, s.max_k),
            vowelless=np.asarray(vowelless, dtype=np.bool_),
            tokens=exact,
            token_skeletons=skel_tokens,
            token_count=np.asarray([len(p) for p in parts], dtype=np.int8),
            part_filters=self._part_filters(ordered),
            dates=_pad_tokens(dates, s.max_dates),
            date_count=np.asarray([len(d) for d in dates], dtype=np.int8),
            id_owner=np.asarray(id_owner, dtype=np.int32),
            ids=np.asarray(ids, dtype="S16"),
        )

    def _part_filters(self, ordered: list[list[str]]) -> Bits:
        """(n_names, max_tokens, part_bits/8): each part's own hardened bigram filter, so two
        parts one or two letters apart (`saddam`/`sakddam`) still agree in most bits."""
        s = self.scheme
        grams = [list(bigrams(t)) for names in ordered for t in names]
        flat = self._filters("part", grams, s.part_bits, s.part_target, s.max_k)
        out = np.zeros((len(ordered), s.max_tokens, s.part_bits // 8), dtype=np.uint8)
        counts = np.asarray([len(n) for n in ordered], dtype=np.int64)
        rows = np.repeat(np.arange(len(ordered)), counts)
        starts = np.repeat(np.cumsum(counts) - counts, counts)
        out[rows, np.arange(len(rows)) - starts] = flat
        return out

    def _tokens(
        self, parts: list[list[str]], abjad: list[bool]
    ) -> tuple[Tokens, Tokens, list[list[str]]]:
        """(n_names, max_tokens) keyed 64-bit hashes of each part and of its skeleton.

        Parts are sorted by their keyed hash, an order only the key holders can compute, so
        the slots say nothing of which part came first. Slots past the count, and skeletons
        without consonants, are 0, which matches nothing. A part's skeleton depends on whether
        its name was written in an abjad (`skeleton`); the part token does not.
        """
        width = self.scheme.max_tokens
        known: dict[tuple[str, bool], tuple[int, int]] = {}
        exact = np.zeros((len(parts), width), dtype=np.uint64)
        skel = np.zeros((len(parts), width), dtype=np.uint64)
        ordered: list[list[str]] = []
        for row, (names, flag) in enumerate(zip(parts, abjad, strict=True)):
            hashed = sorted(
                (
                    *(
                        known.get((t, flag))
                        or known.setdefault((t, flag), self._token_keys(t, flag))
                    ),
                    t,
                )
                for t in names
            )
            for col, (e, k, _) in enumerate(hashed):
                exact[row, col], skel[row, col] = e, k
            ordered.append([t for _, _, t in hashed])
        return exact, skel, ordered

    def _token_keys(self, token: str, abjad: bool = False) -> tuple[int, int]:
        """64-bit keyed hashes of a part and of its consonant skeleton (0: no skeleton)."""
        digest = hmac.digest(self._keys["token"], token.encode(), "sha256")
        form = part_skeleton(token, abjad)
        sk = hmac.digest(self._keys["token-skeleton"], form.encode(), "sha256")
        return int.from_bytes(digest[:8], "big") | 1, (int.from_bytes(sk[:8], "big") | 1) * bool(
            form
        )

    def _filters(
        self, field: str, gram_lists: list[list[str]], m: int, target: int, max_k: int
    ) -> Bits:
        """Hardened filters; k = target / number of q-grams (clipped to 1..max_k).

        k adapts so every name sets about `target` bits whatever its length: after balancing,
        similarity follows Hamming distance, so short names with few bits would all look
        alike. A q-gram's positions are the first k of a fixed sequence, so a long and a
        short spelling of one name still share bits.
        """
        counts = np.asarray([len(g) for g in gram_lists], dtype=np.int64)
        vocabulary, flat = _gram_ids(gram_lists, int(counts.sum()))
        table = self.positions(field, vocabulary, max_k, m)
        k = np.clip(np.rint(target / np.maximum(counts, 1)), 1, max_k).astype(np.int64)
        return harden(flat, counts, k, table, m, self._perm[field])


def _gram_ids(gram_lists: list[list[str]], total: int) -> tuple[list[str], npt.NDArray[np.int64]]:
    """The distinct q-grams and each q-gram's index among them, in order.

    Transliterated names are ASCII, so all bigrams are read at once as 16-bit codes (one
    string join and a sort instead of a dictionary lookup per bigram); anything else goes the
    slow way.
    """
    joined = "".join("".join(grams) for grams in gram_lists).encode("utf-8")
    if len(joined) == 2 * total:
        codes = np.frombuffer(joined, dtype=">u2")
        distinct, flat = np.unique(codes, return_inverse=True)
        return [int(c).to_bytes(2, "big").decode("ascii") for c in distinct], flat.astype(np.int64)
    vocabulary: dict[str, int] = {}
    ids = (vocabulary.setdefault(g, len(vocabulary)) for grams in gram_lists for g in grams)
    return list(vocabulary), np.fromiter(ids, dtype=np.int64, count=total)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Encoding builds millions of short-lived lists of bigrams, none of them cyclic: the
    cycle collector's passes over them took a fifth of the encoding time, for nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _pad_tokens(rows: list[list[bytes]], width: int) -> Bits:
    """(n, width, 16) token array; unused slots are random so they never agree."""
    out = np.frombuffer(os.urandom(len(rows) * width * 16), dtype=np.uint8).copy()
    out = out.reshape(len(rows), width, 16)
    for i, tokens in enumerate(rows):
        for j, token in enumerate(tokens):
            out[i, j] = np.frombuffer(token, dtype=np.uint8)
    return out


def harden(
    flat: npt.NDArray[np.int64],
    counts: npt.NDArray[np.int64],
    k: npt.NDArray[np.int64],
    table: npt.NDArray[np.int64],
    m: int,
    perm: npt.NDArray[np.int64],
) -> Bits:
    """Bloom filters from q-gram ids, balanced, permuted and XOR-folded, packed to bytes.

    A row without q-grams (a name without consonants) becomes a random filter of the same
    shape, which matches nothing.
    """
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    first, second = perm[:m], perm[m:]
    flip = ((first >= m) ^ (second >= m)).astype(np.uint8)
    positions = table.astype(np.int64) if table.size else np.zeros((1, 1), dtype=np.int64)
    out: Bits = np.zeros((len(counts), m // 8), dtype=np.uint8)
    k, first, second = k.astype(np.int64), first % m, second % m

    def work(rows: slice) -> None:
        _harden_rows(  # type: ignore[no-untyped-call]
            flat, offsets, k, positions, first, second, flip, rows.start, rows.stop, out
        )

    in_threads(work, len(counts))
    empty = np.nonzero(counts == 0)[0]
    if len(empty):
        noise = (np.frombuffer(os.urandom(len(empty) * m), dtype=np.uint8) & np.uint8(1)).reshape(
            -1, m
        )
        out[empty] = np.packbits(_balance_fold(noise, perm, m), axis=1)
    return out


@compiled
def _harden_rows(flat, offsets, k, table, first, second, flip, start, stop, out):  # type: ignore[no-untyped-def]
    """Per row of [start, stop): set the first k positions of each q-gram, then write the
    balanced, permuted and folded filter packed to bytes into `out` (zeros), as
    `_balance_fold` and `np.packbits` would, without the (rows × m) matrices that numpy's
    version builds and indexes."""
    m = first.shape[0]
    bits = np.zeros(m, dtype=np.uint8)
    for row in range(start, stop):
        bits[:] = 0
        for g in range(offsets[row], offsets[row + 1]):
            for c in range(k[row]):
                bits[table[flat[g], c]] = 1
        for i in range(m):
            if bits[first[i]] ^ bits[second[i]] ^ flip[i]:
                out[row, i >> 3] |= np.uint8(128 >> (i & 7))
    return out


def _balance_fold(bits: Bits, perm: npt.NDArray[np.int64], m: int) -> Bits:
    """(bits ‖ 1 − bits)[:, perm] with its two halves XORed, without building the 2m matrix.

    Position i of the result XORs balanced positions perm[i] and perm[i + m]; a balanced
    position j ≥ m is the complement of bit j − m, i.e. that bit XOR 1.
    """
    first, second = perm[:m], perm[m:]
    flip = ((first >= m) ^ (second >= m)).astype(np.uint8)
    folded: Bits = bits[:, first % m] ^ bits[:, second % m] ^ flip
    return folded

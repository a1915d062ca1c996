"""What keeps screening fast without changing a score: the candidate bound and the batch caches."""

from __future__ import annotations

import math
from functools import partial
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from followthemoney.proxy import EntityProxy
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import jalur.screening.screener as screener_module
from jalur.model import make_entity
from jalur.screening import Query, Screener, ScreeningConfig, build_index, screen_file
from jalur.screening import index as index_module
from jalur.screening import names as names_module
from jalur.screening import scoring as scoring_module
from jalur.screening.names import normalise_name
from jalur.screening.scoring import QueryWords, align, query_words
from jalur.screening.screener import _partial
from jalur.screening.workers import worker_of

_LISTED = [
    "KHALIL ALI", "KIM SOK CHOL", "TARIQ AZIZ", "RI WON HO", "ABDUL RAHMAN YASIN", "KIM CHOL",
    "ABDULRAHMAN SALIM", "NURHIDAYAT AZIZ", "HAJI ALI MOHAMMAD", "J. D. MASON",
    "محمد علي", "WALI KHAN", "SALIM KHALID", "ALIA BAHMAN",
]  # fmt: skip
_WORDS = [
    "khalid", "walid", "ali", "kim", "sok", "chol", "tariq", "aziz", "ri", "won", "ho",
    "abdul", "rahman", "yasin", "salim", "nur", "hidayat", "haji", "muhammad", "j.", "mason",
    "علي", "khan", "wali", "alia", "bahman", "mohd",
]  # fmt: skip


def _person(entity_id: str, name: str) -> EntityProxy:
    entity = make_entity("Person", entity_id)
    entity.add("name", name)
    return entity


def _screener() -> Screener:
    rows: list[tuple[EntityProxy, str, str | None, list[str]]] = [
        (_person(f"p{i}", n), "test-list", f"P{i}", []) for i, n in enumerate(_LISTED)
    ]
    return Screener(build_index(rows), ScreeningConfig.defaults())


def _mistyped(word: str, at: int) -> str:
    """The word with two neighbouring letters swapped (a typo), when it is long enough."""
    at = at % max(1, len(word) - 1)
    return word[:at] + word[at + 1 : at + 2] + word[at : at + 1] + word[at + 2 :]


#: Random queries of the test list's words, some mistyped: (word, where, whether mistyped).
_QUERIES = st.lists(
    st.tuples(st.sampled_from(_WORDS), st.integers(0, 12), st.booleans()), min_size=1, max_size=4
)


def _query(screener: Screener, words: list[tuple[str, int, bool]]) -> tuple[str, QueryWords]:
    """The query's text and its words as the screener weighs them."""
    text = " ".join(_mistyped(w, at) if typo else w for w, at, typo in words)
    name = normalise_name(text)
    expansions = [screener.index.expansion(part) for part in name.parts]
    return text, query_words(name, expansions, screener.index, screener.config.rarity_floor)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(words=_QUERIES)
def test_the_bound_is_never_below_what_an_alignment_gives(
    words: list[tuple[str, int, bool]],
) -> None:
    """Pruning is exact only if the bound on each candidate (`Screener._bounded`) is at least
    the name log-odds that aligning it gives (before the features the floor allows for):
    typos, weak fuzzy words, words run together, initials and honorifics included."""
    screener = _screener()
    text, qwords = _query(screener, words)
    config = screener.config
    ids, upper, _ = screener._bounded(qwords, qwords.expansions)
    typo_weight = max(config.weights["name_typo"], 0.0)
    for alias_id, bound in zip(ids.tolist(), upper.tolist(), strict=True):
        aligned = align(
            qwords, screener.index.aliases[alias_id], screener.index, config.rarity_floor
        )
        assert aligned is not None  # without `reaches`, every alias is aligned in full
        reached = _partial(config.weights, *aligned[:3]) + typo_weight * aligned.typo
        assert reached <= bound, (text, screener.index.aliases[alias_id].name.text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(words=_QUERIES, floor=st.floats(-12.0, 12.0))
def test_an_alignment_stopped_early_could_not_have_reached_the_floor(
    words: list[tuple[str, int, bool]], floor: float
) -> None:
    """`align` with `reaches` stops before the typo search when the spelling matches show the
    alias falls short, counting a typo only for the query parts `_bounded` says may pair as
    one: that is exact only if every candidate it stops would, aligned in full, have fallen
    below the floor, and every candidate it does not stop is aligned exactly as in full."""
    screener = _screener()
    text, qwords = _query(screener, words)
    config = screener.config
    typo_weight = max(config.weights["name_typo"], 0.0)

    def reaches(query: float, alias: float, info: float, typo: float) -> bool:
        return _partial(config.weights, query, alias, info) + typo_weight * typo >= floor

    stopped = 0
    bounded = screener._bounded(qwords, qwords.expansions)
    for alias_id, typos in zip(bounded.ids.tolist(), bounded.typo_parts.tolist(), strict=True):
        alias = screener.index.aliases[alias_id]
        full = align(qwords, alias, screener.index, config.rarity_floor)
        assert full is not None
        early = align(qwords, alias, screener.index, config.rarity_floor, reaches, typos)
        if early is None:
            stopped += 1
            reached = _partial(config.weights, *full[:3]) + typo_weight * full.typo
            assert reached < floor, (text, alias.name.text)
        else:
            assert early == full
    event(f"stopped early: {min(stopped, 3)}+")


def test_aliases_that_fall_short_stop_before_the_typo_search(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The early stop is taken, and changes no hit: "Khalid Walid Salim" retrieves KHALIL ALI,
    whose bound counts both Khalid and Walid against its two words; aligned one to one, its
    spelling matches leave it short of the floor, so no typo search is run for it."""
    screener = _screener()
    searched: list[str] = []
    real = scoring_module._typo_pairs

    def counted(*args: object) -> object:
        searched.append(args[1].name.text)  # type: ignore[attr-defined]
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(scoring_module, "_typo_pairs", counted)
    query = Query("Khalid Walid Salim")
    hits = screener.screen(query)
    assert "KHALIL ALI" not in searched
    assert "SALIM KHALID" in searched  # it reaches the floor: aligned in full
    monkeypatch.setattr(screener_module, "align", lambda *args: align(*args[:4]))
    assert screener.screen(query) == hits
    assert "KHALIL ALI" in searched  # the full alignment searches it


def test_a_weak_fuzzy_word_does_not_make_a_candidate_worth_aligning(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """ "Khalid Walid" retrieves KHALIL ALI (Khalil is a typo of Khalid; Walid resembles Ali at
    0.63): a bound that counts each word as a full match must align it, one that counts each
    word at its best similarity in the alias knows it cannot reach the threshold."""
    screener = _screener()
    aligned: list[str] = []

    def counted(*args: object) -> object:
        aligned.append(args[1].name.text)  # type: ignore[attr-defined]
        return align(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(screener_module, "align", counted)
    hits = screener.screen(Query("Khalid Walid"))
    assert "KHALIL ALI" not in aligned
    assert all(hit.entity.caption != "KHALIL ALI" for hit in hits)


def test_a_repeated_row_is_not_normalised_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """A customer file repeats common names: a name written exactly as one before takes its
    hits from memory, the same as screening it afresh."""
    screener = _screener()
    calls: list[str] = []
    real = names_module.normalise_name

    def counted(text: str, schema: str | None = None) -> object:
        calls.append(text)
        return real(text, schema)

    monkeypatch.setattr(screener_module, "normalise_name", counted)
    names = ["Tariq Aziz", "Kim Sok Chol", "Tariq Aziz", "Tariq Aziz"]
    batch = screener.screen_many([Query(n) for n in names], threshold=0.3)
    assert calls.count("Tariq Aziz") == 1
    fresh = _screener().screen(Query("Tariq Aziz"), threshold=0.3)
    assert batch[0] == batch[2] == batch[3]
    assert [(h.entity.entity_id, h.score) for h in batch[0]] == [
        (h.entity.entity_id, h.score) for h in fresh
    ]


def test_a_name_goes_to_one_worker_however_it_is_cased_or_spaced() -> None:
    assert worker_of(Query("Tariq  Aziz"), 2) == worker_of(Query("TARIQ AZIZ "), 2)
    assert {worker_of(Query(f"name {i}"), 3) for i in range(50)} == {0, 1, 2}


def test_workers_give_the_rows_one_process_gives(tmp_path: Path) -> None:
    names = ["Tariq Aziz", "Kim Sok Chol", "TARIQ AZIZ", "Ri Won Ho", "Salim Khalid"] * 30
    source = tmp_path / "in.parquet"
    pq.write_table(pa.table({"id": [f"c{i}" for i in range(len(names))], "name": names}), source)
    outputs = []
    for workers in (1, 2):
        out = tmp_path / f"hits{workers}.parquet"
        screen_file(partial(_screener().batch_rows, threshold=0.3), source, out, workers=workers)
        outputs.append(
            sorted(pq.read_table(out).to_pylist(), key=lambda r: (r["id"], r["entity_id"]))
        )
    assert outputs[0] and outputs[0] == outputs[1]


class _Unpruned(Screener):
    """The same screener without its upper-bound pruning: every candidate is aligned."""

    def _floor(self, query: Query, cut: float) -> float:
        return -math.inf


@pytest.mark.parametrize("cut", [0.3, 0.5, 0.7])
def test_an_alias_found_through_a_compound_counts_its_other_words(cut: float) -> None:
    """ "Sari Abdul Rahman" finds ABDULRAHMAN AL-SHARQI only through the compound
    (ABDULRAHMAN); the bound must still count Sari ~ SHARQI (0.70). The earlier bound counted
    only the compound's two words for such an alias and pruned a hit of 0.92 (OFAC 15208,
    customer row 270,851 of the speed benchmark)."""
    others = [f"{chr(65 + i // 26)}{chr(65 + i % 26)}ZIM" for i in range(80)]
    names = [
        "ABDULRAHMAN AL-SHARQI",
        *(f"SARA {other}" for other in others[:30]),  # Sari ~ SARA: not a rare word
        *(f"ABDUL RAHMAN {other}" for other in others[30:]),  # common words
    ]
    rows: list[tuple[EntityProxy, str, str | None, list[str]]] = [
        (_person(f"p{i}", n), "test-list", f"P{i}", []) for i, n in enumerate(names)
    ]
    config = ScreeningConfig.defaults()
    query = Query("Sari Abdul Rahman")
    pruned = Screener(build_index(rows), config).screen(query, threshold=cut)
    full = _Unpruned(build_index(rows), config).screen(query, threshold=cut)
    assert [(h.entity.entity_id, round(h.score, 9)) for h in pruned] == [
        (h.entity.entity_id, round(h.score, 9)) for h in full
    ]
    assert [h.entity.entity_id for h in full] == ["p0"]


def test_a_word_reaches_the_same_aliases_sorted_or_over_every_alias(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A word that reaches many aliases is bounded over an array of every alias instead of
    by sorting (`index.DENSE_SHARE`): both ways give the same aliases and similarities."""
    screener = _screener()
    index = screener.index

    def reach(share: int, text: str) -> tuple[list[int], list[float]]:
        monkeypatch.setattr(index_module, "DENSE_SHARE", share)
        index._word_reach.clear()
        part = normalise_name(text).parts[0]
        found = index.word_reach(part, index.expansion(part))
        return found.ids.tolist(), found.value.tolist()

    reached = 0
    for word in _WORDS:
        dense, sorted_ = reach(10**9, word), reach(1, word)
        assert dense == sorted_, word
        reached += len(dense[0]) > 1
    assert reached > len(_WORDS) // 2  # most words reach an alias: the check compares something

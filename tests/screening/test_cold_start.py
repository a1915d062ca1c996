"""A cold `screen name`: a stored index answers without rigour's name tagger, and the same.

A query word no listed name holds used to make rigour build its name tagger (seconds per
process); the stored `SymbolLexicon` gives such a word the listed symbols rigour would give
it. Hits and scores must be those of the full path, also for unlisted spellings that share a
name symbol with listed ones (Mokhammad ~ Muhammad, Oussama ~ Usama).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from followthemoney.proxy import EntityProxy

from jalur.lists import load_entities
from jalur.screening import Query, Screener, ScreeningConfig, names
from jalur.screening.persist import WarmIndex, load_stored, save_index
from jalur.store import Store

Listed = Callable[..., EntityProxy]

LISTED = {
    "p1": ["Muhammad Yusuf Ali", "محمد يوسف علي"],
    "p2": ["Usama bin Muhammad bin Awad bin Ladin", "Osama bin Laden"],
    "p3": ["Hassan Nasrallah", "حسن نصر الله"],
    "p4": ["Abu Bakar Ba'asyir", "Abdus Somad"],
    "p5": ["Ahmed Omar Abdel Rahman", "Umar Patek"],
    "p6": ["Ibrahim Awwad Ibrahim Ali al-Badri", "Abu Du'a"],
}
#: Unlisted spellings sharing a symbol with a listed word, unlisted names, and listed ones.
QUERIES = [
    "Mokhammad Yusupov", "Mukhammed Yousef Aly", "Mohamed Youssef", "Мухаммад Юсуф",
    "Oussama ben Ladin", "Ousama Bin Laden", "Hasan Nasrala", "Hassan Nasrallah",
    "Achmad Umar", "Ahmad Omer Abd al-Rahman", "Ibraheem Awad al-Badri", "Ebrahim Ali",
    "Budi Santosoputra Wicaksono", "Siti Nurhaliza", "Abu Bakar Ba'asyir", "Abdul Somad",
    "محمد يوسف", "اسامة بن لادن", "Omar Patek", "Muhamad Yusof Alee",
]  # fmt: skip


@pytest.fixture
def fresh_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """The symbols other tests left in this process are gone, as in a new `jalur` process.

    A cold start is a new process, so that is compared. (A full `make test` run once saw the
    comparison differ in the fourth decimal, and another an IndexError in `align`: the stored
    index carried alias weights cached by `id(alias)` of the process that saved it, which a
    loaded alias could meet by chance. A stored index now keeps no cache:
    `test_index_persist.test_a_stored_index_keeps_no_cache_of_the_process_that_saved_it`.)
    """
    monkeypatch.setattr(names, "_KNOWN_SYMBOLS", {})
    names._analysed_part.cache_clear()


@pytest.fixture
def stored(tmp_path: Path, make_listed: Listed, fresh_process: None) -> WarmIndex:
    store = Store(tmp_path / "jalur.duckdb")
    entities = [make_listed(key, aliases) for key, aliases in LISTED.items()]
    load_entities(store, "un-test", entities, "v1")
    warm = WarmIndex.of(store, tmp_path)
    save_index(warm, Screener.from_store(store).prepare().index)
    store.close()
    return warm


def _results(screener: Screener) -> list[list[tuple[str, float, str]]]:
    return [
        [(h.entity.entity_id, h.score, h.matched_alias) for h in screener.screen(Query(q))]
        for q in QUERIES
    ]


def test_cold_path_gives_the_full_path_hits_and_scores(stored: WarmIndex) -> None:
    cold_index, lexicon = load_stored(stored)
    full_index, _ = load_stored(stored)  # a second copy: no caches shared
    assert lexicon is not None
    cold = Screener(cold_index, _config(), lexicon=lexicon)
    full = Screener(full_index, _config())
    assert _results(cold) == _results(full)
    assert cold.screen_many([Query(q) for q in QUERIES]) == full.screen_many(
        [Query(q) for q in QUERIES]
    )
    assert any(_results(full))  # the comparison is about hits, not two empty lists


def test_unlisted_words_need_no_rigour_tagger(
    stored: WarmIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    index, lexicon = load_stored(stored)
    expected = {q: _ids(Screener(index, _config()), q) for q in QUERIES}  # full path first
    fresh, lexicon = load_stored(stored)
    listed = {p.text for aliases in LISTED.values() for a in aliases for p in _parts(a)}
    unlisted = {p.text for q in QUERIES for p in _parts(q)} - listed
    assert {"mokhammad", "yusupov", "oussama", "budi", "nasrala"} <= unlisted
    for word in unlisted:  # as in a new process: only the stored (listed) words are known
        names._KNOWN_SYMBOLS.pop(word, None)
    names._analysed_part.cache_clear()

    def refuse(token: str) -> frozenset[str]:
        raise AssertionError(f"rigour's tagger asked for {token!r}")

    monkeypatch.setattr(names, "_rigour_symbols", refuse)
    cold = Screener(fresh, _config(), lexicon=lexicon)
    assert {q: _ids(cold, q) for q in QUERIES} == expected


def test_lexicon_symbols_are_rigours_among_listed_ones(stored: WarmIndex) -> None:
    index, lexicon = load_stored(stored)
    assert lexicon is not None
    listed = frozenset(index.vocab.by_symbol)
    words = [
        "Mokhammad",
        "Mukhammed",
        "Muhamad",
        "Oussama",
        "Ousama",
        "Usama",
        "Yousef",
        "Youssef",
        "Hasan",
        "Achmad",
    ]
    words += ["Ibraheem", "Ebrahim", "Budi", "Siti", "Мухаммад", "محمد", "Abdul", "Alee", "Umar"]
    shared = 0
    for word in words:
        found = lexicon.symbols(word)
        assert found in (None, names._rigour_symbols(word) & listed), word
        shared += bool(found)
    assert shared >= 8  # most variants share a listed symbol: the lexicon is not empty luck


def test_refresh_drops_the_lexicon(stored: WarmIndex, tmp_path: Path) -> None:
    index, lexicon = load_stored(stored)
    screener = Screener(index, _config(), lexicon=lexicon)
    with Store(tmp_path / "jalur.duckdb") as store:
        screener.refresh(store)
    assert screener.lexicon is None  # new listed names may carry symbols it does not know


def test_screen_name_imports_no_heavy_libraries(stored: WarmIndex, tmp_path: Path) -> None:
    """`jalur screen name` from a new process loads screening, not every capability."""
    code = (
        "import sys; from jalur.cli import main; sys.argv = ['jalur', '--home', sys.argv[1],"
        " 'screen', 'name', 'Mokhammad Yusuf Ali', '--json'];\n"
        "try: main()\nexcept SystemExit: pass\n"
        "heavy = ('followthemoney', 'sqlalchemy', 'alembic', 'numba', 'fastapi', 'matplotlib',"
        " 'lightgbm', 'polars', 'requests')\n"
        "print('LOADED', [m for m in heavy if m in sys.modules])"
    )
    src = str(Path(__file__).resolve().parents[2] / "src")
    env = {**os.environ, "PYTHONPATH": src}
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], env=env, capture_output=True, text=True
    )
    assert '"p1"' in done.stdout, done.stdout + done.stderr  # it screened, on the stored index
    assert "LOADED []" in done.stdout, done.stdout


def _parts(name: str) -> tuple[names.NamePart, ...]:
    return names.normalise_name(name).parts


def _ids(screener: Screener, name: str) -> list[tuple[str, float]]:
    return [(h.entity.entity_id, h.score) for h in screener.screen(Query(name))]


def _config() -> ScreeningConfig:
    return ScreeningConfig.defaults()

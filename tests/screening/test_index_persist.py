"""The screening index stored in the workspace: fresh until a list changes, checked on load."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import pickle
from collections.abc import Callable
from pathlib import Path

import pytest
import typer
from followthemoney.proxy import EntityProxy
from typer.testing import CliRunner

from jalur.config import Settings
from jalur.lists import load_entities
from jalur.screening import Query, Screener, persist, register_cli
from jalur.screening.persist import (
    INDEX_FILE,
    KEY_FILE,
    StaleIndexError,
    WarmIndex,
    load_index,
    save_index,
    warm_screener,
)
from jalur.store import Store

Listed = Callable[..., EntityProxy]


@pytest.fixture
def workspace(tmp_path: Path, make_listed: Listed) -> Store:
    store = Store(tmp_path / "jalur.duckdb")
    load_entities(store, "un-test", [make_listed("u1", ["UMAR PATEK", "Omar Patek"])], "v1")
    return store


def _no_rebuild(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object, **__: object) -> Screener:
        raise AssertionError("the index was rebuilt")

    monkeypatch.setattr(Screener, "from_store", refuse)


def _names(screener: Screener, name: str) -> list[str]:
    return [hit.entity.entity_id for hit in screener.screen(Query(name))]


def test_fresh_after_a_rebuild(
    workspace: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = warm_screener(workspace, tmp_path)
    assert (tmp_path / INDEX_FILE).is_file() and (tmp_path / KEY_FILE).stat().st_mode & 0o077 == 0
    _no_rebuild(monkeypatch)
    loaded = warm_screener(workspace, tmp_path)  # from the file: from_store would fail
    assert loaded.index is not built.index
    assert _names(loaded, "Umar Patek") == _names(built, "Umar Patek") == ["u1"]


def test_stale_after_a_list_change(workspace: Store, tmp_path: Path, make_listed: Listed) -> None:
    warm_screener(workspace, tmp_path)
    before = WarmIndex.of(workspace, tmp_path)
    load_entities(workspace, "dttot", [make_listed("d1", ["HAMBALI", "Riduan Isamuddin"])], "v1")
    after = WarmIndex.of(workspace, tmp_path)
    assert before.key != after.key
    with pytest.raises(StaleIndexError, match=r"lists .* changed"):
        load_index(after)
    screener = warm_screener(workspace, tmp_path)  # rebuilt: the new list's entries hit
    assert _names(screener, "Riduan Isamuddin") == ["d1"]
    assert load_index(after).holds("dttot", "d1")  # and stored again, fresh


def test_stale_when_the_screening_code_changes(
    workspace: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warm_screener(workspace, tmp_path)
    monkeypatch.setattr(persist, "code_fingerprint", lambda: "other-code")
    with pytest.raises(StaleIndexError, match="changed"):
        load_index(WarmIndex.of(workspace, tmp_path))


def test_corrupt_index_is_rejected_and_rebuilt(workspace: Store, tmp_path: Path) -> None:
    warm_screener(workspace, tmp_path)
    path = tmp_path / INDEX_FILE
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    warm = WarmIndex.of(workspace, tmp_path)
    with pytest.raises(StaleIndexError, match=r"not written by this workspace .or is corrupt"):
        load_index(warm)
    assert _names(warm_screener(workspace, tmp_path), "Omar Patek") == ["u1"]
    assert load_index(warm).holds("un-test", "u1")  # the rebuilt file is whole again


def test_index_from_another_workspace_is_rejected(
    workspace: Store, tmp_path: Path, make_listed: Listed
) -> None:
    other = tmp_path / "other"
    other.mkdir()
    warm_screener(workspace, other)  # same lists, same key, but another workspace's secret
    warm_screener(workspace, tmp_path)
    (tmp_path / INDEX_FILE).write_bytes((other / INDEX_FILE).read_bytes())
    with pytest.raises(StaleIndexError, match="not written by this workspace"):
        load_index(WarmIndex.of(workspace, tmp_path))
    (tmp_path / KEY_FILE).unlink()
    with pytest.raises(StaleIndexError, match="no key"):
        load_index(WarmIndex.of(workspace, tmp_path))


def test_files_that_are_no_index_are_rejected(workspace: Store, tmp_path: Path) -> None:
    warm = WarmIndex.of(workspace, tmp_path)
    with pytest.raises(StaleIndexError, match="no index stored yet"):
        load_index(warm)
    (tmp_path / INDEX_FILE).write_bytes(b"\x80\x05K\x01.")  # a bare pickle
    with pytest.raises(StaleIndexError, match="not a jalur screening index file"):
        load_index(warm)


def test_signed_file_naming_other_code_is_refused(workspace: Store, tmp_path: Path) -> None:
    """Even under a valid tag, a file may name only the index's own classes: no `os.system`."""
    warm_screener(workspace, tmp_path)
    warm = WarmIndex.of(workspace, tmp_path)

    class Evil:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            import os

            return (os.system, ("echo owned > " + str(tmp_path / "owned"),))

    payload = io.BytesIO()
    pickle.Pickler(payload, protocol=5).dump((Evil(), {}))
    header = json.dumps({"key": warm.key, "entities": 1}).encode()
    body = len(header).to_bytes(4, "big") + header + payload.getvalue()
    secret = (tmp_path / KEY_FILE).read_bytes()
    tag = hmac.new(secret, body, hashlib.sha256).digest()
    (tmp_path / INDEX_FILE).write_bytes(persist.MAGIC + tag + body)
    with pytest.raises(StaleIndexError, match=r"names (posix|os)\.system"):
        load_index(warm)
    assert not (tmp_path / "owned").exists()


def test_in_memory_store_builds_without_storing(workspace: Store) -> None:
    assert _names(warm_screener(workspace, None), "Umar Patek") == ["u1"]


def test_save_then_load_keeps_every_alias(workspace: Store, tmp_path: Path) -> None:
    screener = Screener.from_store(workspace).prepare()
    warm = WarmIndex.of(workspace, tmp_path)
    save_index(warm, screener.index)
    loaded = load_index(warm)
    assert [a.name for a in loaded.aliases] == [a.name for a in screener.index.aliases]
    assert loaded.entities == screener.index.entities


def test_a_stored_index_keeps_no_cache_of_the_process_that_saved_it(
    workspace: Store, tmp_path: Path
) -> None:
    """Alias weights are cached by `id(alias)`: ids of the saving process's objects, which
    another process's aliases can reuse (a full test run took another alias's weights so)."""
    screener = Screener.from_store(workspace).prepare()
    screener.screen(Query("Umar Patek"))
    assert screener.index._alias_weights  # the saving process has its caches filled
    warm = WarmIndex.of(workspace, tmp_path)
    save_index(warm, screener.index)
    loaded = load_index(warm)
    assert loaded._alias_weights == {} and loaded._alias_bounds is None
    assert not loaded._expansions and not loaded._word_reach
    assert screener.index._alias_weights  # saving took nothing from the live index
    assert _names(Screener(loaded, screener.config), "Umar Patek") == ["u1"]


def test_screen_name_uses_the_stored_index(
    tmp_path: Path, make_listed: Listed, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open(Settings.resolve(tmp_path)) as store:
        load_entities(store, "un-test", [make_listed("u1", ["UMAR PATEK"])], "v1")
    app = typer.Typer()

    @app.callback()
    def _root(ctx: typer.Context) -> None:
        ctx.obj = Settings.resolve(tmp_path)

    register_cli(app)
    runner = CliRunner()
    first = runner.invoke(app, ["screen", "name", "Umar Patek", "--json"])
    assert first.exit_code == 0, first.output
    assert (tmp_path / INDEX_FILE).is_file()
    _no_rebuild(monkeypatch)
    second = runner.invoke(app, ["screen", "name", "Umar Patek", "--json"])
    assert second.exit_code == 0, second.output
    assert json.loads(second.stdout)["hits"][0]["entity_id"] == "u1"

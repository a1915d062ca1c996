"""Decided false positives stay decided: cleared pairs suppressed while neither side changes,
shown again, marked, as soon as the list entry or the customer does."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest
import typer
from followthemoney.proxy import EntityProxy
from typer.testing import CliRunner

from jalur.config import Settings
from jalur.lists import load_entities
from jalur.model import TRANSACTION_SCHEMA
from jalur.screening import Query, register_cli
from jalur.screening.decisions import (
    Decisions,
    customer_fingerprint,
    entry_fingerprint,
    resolve_user,
)
from jalur.store import Store

Listed = Callable[..., EntityProxy]


@pytest.fixture
def workspace(tmp_path: Path, make_listed: Listed) -> Path:
    """A workspace with UMAR PATEK (u1) and HAMBALI (u2) listed, version v1."""
    with Store.open(Settings.resolve(tmp_path)) as store:
        load_entities(store, "un-test", _entries(make_listed), "v1")
    return tmp_path


def _entries(make_listed: Listed, *extra_aliases: str) -> list[EntityProxy]:
    return [
        make_listed("u1", ["UMAR PATEK", "Omar Patek", *extra_aliases], birthDate="1966-07-20"),
        make_listed("u2", ["HAMBALI"]),
    ]


def cli(home: Path, *args: str, env: dict[str, str] | None = None, code: int = 0) -> dict[str, Any]:
    app = typer.Typer()

    @app.callback()
    def _root(ctx: typer.Context) -> None:
        ctx.obj = Settings.resolve(home)

    register_cli(app)
    result = CliRunner().invoke(app, ["screen", *args, "--json"], env=env)
    assert result.exit_code == code, result.output
    payload: dict[str, Any] = json.loads(result.output[result.output.index("{") :])
    return payload


def batch(home: Path, rows: str, *flags: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    source, out = home / "customers.csv", home / "hits.csv"
    source.write_text("id,name,dob\n" + rows)
    report = cli(home, "batch", str(source), "--out", str(out), *flags)
    return report, pacsv.read_csv(out).to_pylist()


def test_clear_suppresses_until_the_entry_or_the_customer_changes(
    workspace: Path, make_listed: Listed
) -> None:
    report, hits = batch(workspace, "c1,Umar Patek,\n")
    assert [(h["id"], h["entity_id"], h["decision"]) for h in hits] == [("c1", "u1", None)]

    cleared = cli(workspace, "clear", "--customer", "c1", "--entity", "u1", "--reason",
                  "c1 is a shopkeeper born 1980 in Medan", "--user", "alice")  # fmt: skip
    assert cleared["recorded"] == 1
    decision = cleared["decisions"][0]
    assert (decision["decided_by"], decision["user_source"]) == ("alice", "--user")

    report, hits = batch(workspace, "c1,Umar Patek,\n")
    assert (report["hits"], report["suppressed"], report["previously_cleared"]) == (0, 1, 0)
    report, hits = batch(workspace, "c1,Umar Patek,\n", "--include-cleared")
    assert [(h["entity_id"], h["decision"]) for h in hits] == [("u1", "cleared")]
    assert "by alice (--user): c1 is a shopkeeper" in hits[0]["decided"]

    # the list entry gains an alias: the pair is shown again, marked, by the rescreen …
    with Store.open(Settings.resolve(workspace)) as store:
        load_entities(store, "un-test", _entries(make_listed, "Abu Syekh"), "v2")
    rescreened = cli(workspace, "rescreen")
    assert [(h["party_id"], h["entity_id"], h["decision"]) for h in rescreened["hits"]] == [
        ("c1", "u1", "previously_cleared")
    ]
    assert rescreened["hits"][0]["decided"].endswith("changed since: entry")
    # … and by the next batch
    report, hits = batch(workspace, "c1,Umar Patek,\n")
    assert report["previously_cleared"] == 1 and hits[0]["decision"] == "previously_cleared"

    # cleared again against the new version: suppressed again; the customer's birth date
    # changes: shown again
    cli(workspace, "clear", "--customer", "c1", "--entity", "u1", "--reason", "still not him")
    assert batch(workspace, "c1,Umar Patek,\n")[0]["suppressed"] == 1
    report, hits = batch(workspace, "c1,Umar Patek,20.07.1966\n")
    assert report["previously_cleared"] == 1
    assert hits[0]["decided"].endswith("changed since: customer")


def test_the_format_of_unchanged_data_is_no_change(workspace: Path) -> None:
    """ "RU" and "Russia", 1966-07-20 and 20.07.1966: the same customer as matching reads it."""
    assert customer_fingerprint(Query("Umar  Patek", "1966-07-20", "RU")) == customer_fingerprint(
        Query("Umar Patek", "20.07.1966", "Russia")
    )
    assert customer_fingerprint(Query("Umar Patek", "1966")) != customer_fingerprint(
        Query("Umar Patek", "1967")
    )
    data = {"schema": "Person", "properties": {"name": ["B", "A"], "birthDate": ["1966"]}}
    same = {"schema": "Person", "properties": {"birthDate": ["1966"], "name": ["A", "B"]}}
    assert entry_fingerprint(data) == entry_fingerprint(same)


def test_screen_name_as_a_customer(workspace: Path) -> None:
    first = cli(workspace, "name", "Omar Patek", "--customer-id", "k9")
    assert [h["entity_id"] for h in first["hits"]] == ["u1"]
    cli(workspace, "clear", "--customer", "k9", "--entity", "u1", "--reason", "other person")
    again = cli(workspace, "name", "Omar Patek", "--customer-id", "k9")
    assert (again["hits"], again["suppressed"]) == ([], 1)
    shown = cli(workspace, "name", "Omar Patek", "--customer-id", "k9", "--include-cleared")
    assert shown["hits"][0]["decision"] == "cleared"
    other = cli(workspace, "name", "Omar Patek", "--customer-id", "k9", "--dob", "1966")
    assert other["hits"][0]["decision"] == "previously_cleared"
    assert [h["entity_id"] for h in cli(workspace, "name", "Omar Patek")["hits"]] == ["u1"]


def test_cleared_payment_party_is_not_kept_for_monitoring(workspace: Path) -> None:
    row = {f.name: None for f in TRANSACTION_SCHEMA}
    row.update(tx_id="t1", timestamp=datetime(2026, 1, 1, tzinfo=UTC), amount=100.0,
               currency="IDR", orig_account="ACC1", orig_name="Omar Patek",
               bene_account="ACC2", bene_name="Siti Rahayu")  # fmt: skip
    with Store.open(Settings.resolve(workspace)) as store:
        store.con.register("incoming", pa.Table.from_pylist([row], TRANSACTION_SCHEMA))
        store.execute("CREATE TABLE transactions AS SELECT * FROM incoming")
    assert cli(workspace, "parties")["hit_count"] == 1
    cli(workspace, "clear", "--customer", "ACC1", "--entity", "u1", "--reason", "a namesake")
    report = cli(workspace, "parties")
    assert (report["hit_count"], report["suppressed"]) == (0, 1)
    assert cli(workspace, "parties", "--include-cleared")["hits"][0]["decision"] == "cleared"
    with Store.open(Settings.resolve(workspace)) as store:
        from jalur.screening import account_hits

        assert account_hits(store).num_rows == 0  # reported at most, never kept


def test_bulk_clearing_names_each_bad_row(workspace: Path) -> None:
    batch(workspace, "c1,Umar Patek,\nc2,Hambali,\n")
    source = workspace / "decisions.csv"
    source.write_text(
        "customer,entity,reason\n"
        "c1,u1,shopkeeper in Medan\n"
        "c2,u2,\n"
        "c3,u1,never screened\n"
        "c2,u9,no such entry\n"
        "c2,u2,different father's name\n"
    )
    report = cli(workspace, "clear", "--file", str(source), env={"JALUR_USER": "budi"}, code=3)
    assert (report["read"], report["recorded"], report["rejected"]) == (5, 2, 3)  # exit 3: some
    assert report["errors"] == [
        "row 2: a reason is required",
        "row 3: customer 'c3' was never screened (screen batch, screen name --customer-id, "
        "or a payment party's account)",
        "row 4: entity 'u9' is not listed",
    ]
    assert {d["user_source"] for d in report["decisions"]} == {"JALUR_USER"}
    with Store.open(Settings.resolve(workspace)) as store:
        assert len(Decisions.load(store).latest) == 2
    assert batch(workspace, "c1,Umar Patek,\nc2,Hambali,\n")[0]["suppressed"] == 2


def test_bulk_clearing_reads_a_semicolon_export_with_any_header_case(workspace: Path) -> None:
    """Decisions kept in Excel come back as ';'-separated CSV with 'Customer', 'Entity'."""
    batch(workspace, "c1,Umar Patek,\nc2,Hambali,\n")
    source = workspace / "decisions.csv"
    text = (
        "Customer;Entity;Reason\r\nc1;u1;shopkeeper in Medan, born 1980\r\nc2;u2;other father\r\n"
    )
    source.write_bytes(("\ufeff" + text).encode())
    report = cli(workspace, "clear", "--file", str(source), env={"JALUR_USER": "budi"})
    assert (report["read"], report["recorded"], report["rejected"]) == (2, 2, 0)


def test_who_decides() -> None:
    assert resolve_user("alice", {"JALUR_USER": "budi"}) == ("alice", "--user")
    assert resolve_user(None, {"JALUR_USER": "budi"}) == ("budi", "JALUR_USER")
    name, source = resolve_user(None, {})
    assert name and source == "os login"


def test_clear_without_a_reason_is_a_clear_error(workspace: Path) -> None:
    app = typer.Typer()

    @app.callback()
    def _root(ctx: typer.Context) -> None:
        ctx.obj = Settings.resolve(workspace)

    register_cli(app)
    result = CliRunner().invoke(app, ["screen", "clear", "--customer", "c1", "--entity", "u1"])
    assert result.exit_code == 1
    assert "--reason" in result.output


def test_batch_with_workers_applies_the_decisions(workspace: Path) -> None:
    """Rows are read (and fingerprinted) in the parent, screened in forked workers."""
    from functools import partial

    from jalur.screening import Screener, screen_file

    batch(workspace, "c1,Umar Patek,\nc2,Hambali,\n")
    cli(workspace, "clear", "--customer", "c2", "--entity", "u2", "--reason", "not him")
    source = workspace / "many.csv"
    source.write_text("id,name\n" + "".join(f"c{i},Hambali\n" for i in range(2, 60)))
    with Store.open(Settings.resolve(workspace)) as store:
        screener, decisions = Screener.from_store(store), Decisions.load(store)
    rows = partial(screener.batch_rows, threshold=screener.config.threshold)
    report = screen_file(rows, source, workspace / "h.csv", workers=2, decisions=decisions)
    assert (report.hits, report.decided.suppressed) == (57, 1)


@pytest.mark.parametrize("workers", ["0", "-2", "100000"])
def test_batch_refuses_a_worker_count_it_cannot_honour(workspace: Path, workers: str) -> None:
    """`--workers 0` or a negative count was taken as 1 without a word; 100,000 would fork
    100,000 processes, each with the index, before the first row was screened."""
    source = workspace / "customers.csv"
    source.write_text("id,name\nc1,Hambali\n")
    app = typer.Typer()

    @app.callback()
    def _root(ctx: typer.Context) -> None:
        ctx.obj = Settings.resolve(workspace)

    register_cli(app)
    out = workspace / "hits.csv"
    args = ["screen", "batch", str(source), "--out", str(out), "--workers", workers]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "--workers" in result.output
    assert not out.exists()

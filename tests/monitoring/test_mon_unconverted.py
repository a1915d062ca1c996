"""Payments in a currency without a rate load with no reporting amount, and detection
compares their own amount as if it were in the reporting currency (`staging.py`): the
explanations then read "13,828 USD" for 13,828 XAU. `monitor run` now says so, naming the
currencies and counts, on stderr and in `--json` (`unconverted`) (new-user trial, round 6)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
from typer.testing import CliRunner

from jalur.cli import app
from jalur.config import Settings
from jalur.model import TRANSACTION_SCHEMA
from jalur.store import Store

START = datetime(2025, 1, 1, tzinfo=UTC)


def _pay(n: int, currency: str, rate: float | None) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(TRANSACTION_SCHEMA.names)
    amount = 1000.0 + n
    converted = None if rate is None else amount * rate
    row.update(tx_id=f"{currency}{n}", timestamp=START + timedelta(hours=n),
               orig_account=f"A{n % 5}", bene_account=f"B{n % 3}", amount=amount,
               currency=currency, amount_reporting=converted)  # fmt: skip
    return row


def _home(tmp_path: Path, rows: list[dict[str, Any]]) -> Path:
    home = tmp_path / "home"
    with Store.open(Settings.resolve(home)) as store:
        store.con.register("_p", pa.Table.from_pylist(rows, schema=TRANSACTION_SCHEMA))
        store.con.execute("CREATE TABLE transactions AS SELECT * FROM _p")
        store.con.unregister("_p")
    return home


def _run(home: Path, *extra: str) -> Any:
    return CliRunner().invoke(
        app, ["--home", str(home), "monitor", "run", "--typology", "fan_in", *extra]
    )


def test_payments_without_a_rate_are_named(tmp_path: Path) -> None:
    rows = [_pay(n, "XAU", None) for n in range(7)] + [_pay(n, "EUR", 1.1) for n in range(4)]
    home = _home(tmp_path, rows)
    said = " ".join(_run(home).stderr.split())
    assert "7 payments have no rate to USD (XAU: 7)" in said, said
    assert "compared their own amounts as if in USD" in said
    found = json.loads(_run(home, "--json").stdout)
    assert found["unconverted"] == {"XAU": 7}


def test_converted_payments_say_nothing(tmp_path: Path) -> None:
    home = _home(tmp_path, [_pay(n, "EUR", 1.1) for n in range(6)])
    result = _run(home, "--json")
    assert result.exit_code == 0, result.output
    assert "no rate" not in result.stderr
    assert json.loads(result.stdout)["unconverted"] == {}

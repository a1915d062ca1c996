"""A payment party whose name is no name: `-` or `???` typed in a payment's name field, a
title (`Mr.`), an account number in the name's place. Each was screened and found nothing, in
silence; `screen parties` now names each in a warning (the account and the value), and still
screens it, as a refining value is never a reason to skip a party."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
from test_decisions import cli, workspace  # noqa: F401  (the fixture)

from jalur.config import Settings
from jalur.model import TRANSACTION_SCHEMA
from jalur.store import Store


def _payments(home: Path, *names: tuple[str, str]) -> None:
    rows = []
    for number, (account, name) in enumerate(names):
        row = {f.name: None for f in TRANSACTION_SCHEMA}
        row.update(tx_id=f"t{number}", timestamp=datetime(2026, 1, 1, tzinfo=UTC), amount=100.0,
                   currency="IDR", orig_account=account, orig_name=name,
                   bene_account="ACC0", bene_name="Siti Rahayu")  # fmt: skip
        rows.append(row)
    with Store.open(Settings.resolve(home)) as store:
        store.con.register("incoming", pa.Table.from_pylist(rows, TRANSACTION_SCHEMA))
        store.execute("CREATE TABLE transactions AS SELECT * FROM incoming")


def test_parties_without_a_name_are_named(workspace: Path) -> None:  # noqa: F811
    _payments(workspace, ("ACC1", "Omar Patek"), ("ACC2", "-"), ("ACC3", "Mr."),
              ("ACC4", "0012345678"))  # fmt: skip
    report = cli(workspace, "parties")
    assert report["parties"] == 5 and report["hit_count"] == 1
    assert report["warnings"] == 3
    assert sorted(report["warning_messages"]) == [
        "transactions ACC2: name '-' has no letter or digit: nothing to match; screened as"
        " written: give the customer's name in the record",
        "transactions ACC3: name 'Mr.' is only a title, no name; screened as written: give the"
        " customer's name in the record",
        "transactions ACC4: name '0012345678' has no letter: a number, not a name (a column"
        " shifted?); screened as written: give the customer's name in the record",
    ]

"""A payment account seen under several names is cleared on the name that hits.

`screen clear --customer ACC --entity E` fingerprinted the account's first name only (in name
order): a hit on another of its names was refused as "no hit", and could not be cleared. Every
name the account has is screened now; the decision fingerprints the one that hits the entry,
so the next parties screen suppresses that hit; a pair no name hits is refused naming them all.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
from test_decisions import cli, workspace  # noqa: F401  (the fixture)

from jalur.config import Settings
from jalur.model import TRANSACTION_SCHEMA
from jalur.store import Store


def _payments(home: Path, *names: str) -> None:
    """ACC1 pays ACC2 once under each of `names`."""
    rows = []
    for n, name in enumerate(names):
        row = {f.name: None for f in TRANSACTION_SCHEMA}
        row.update(tx_id=f"t{n}", timestamp=datetime(2026, 1, 1, tzinfo=UTC), amount=100.0,
                   currency="IDR", orig_account="ACC1", orig_name=name,
                   bene_account="ACC2", bene_name="Siti Rahayu")  # fmt: skip
        rows.append(row)
    with Store.open(Settings.resolve(home)) as store:
        store.con.register("incoming", pa.Table.from_pylist(rows, TRANSACTION_SCHEMA))
        store.execute("CREATE TABLE transactions AS SELECT * FROM incoming")


def test_a_hit_on_the_accounts_second_name_is_cleared(workspace: Path) -> None:  # noqa: F811
    _payments(workspace, "Ahmad Yani", "Omar Patek")  # "Ahmad Yani" comes first
    assert cli(workspace, "parties")["hit_count"] == 1
    cleared = cli(
        workspace, "clear", "--customer", "ACC1", "--entity", "u1", "--reason", "namesake"
    )
    assert cleared["recorded"] == 1
    report = cli(workspace, "parties")
    assert (report["hit_count"], report["suppressed"], report["previously_cleared"]) == (0, 1, 0)


def test_a_pair_no_name_hits_is_refused_naming_every_name(workspace: Path) -> None:  # noqa: F811
    _payments(workspace, "Ahmad Yani", "Omar Patek")
    refused = cli(workspace, "clear", "--file", _file(workspace, "ACC1,u2,typo"), code=4)
    assert refused["errors"] == [
        "row 1: customer 'ACC1' (screened as 'Ahmad Yani', 'Omar Patek') has no hit on u2"
        " (un-test) at threshold 0.7: nothing to clear"
    ]


def _file(home: Path, row: str) -> str:
    path = home / "decisions.csv"
    path.write_text(f"customer,entity,reason\n{row}\n")
    return str(path)

"""A small workspace where the whole story happens on the command line: a terror list, payments
from a drug-linked account through a mule to a listed person, screening, monitoring, a trace.

Shared by the cases, audit and exchange tests: each step is a real `jalur` command, so what the
cases pull in and what the audit trail records is what a user's workspace would hold.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from click.testing import Result
from typer.testing import CliRunner

from jalur.cli import app
from jalur.config import Settings
from jalur.store import Store

PW = "correct horse battery"
PASSPHRASE = "agency passphrase"
LISTED = "dttot-rusdan"
SANCTION = "dttot-rusdan-sanction"

#: The reporting entity's goAML identity (a case's report needs it), for a workspace's jalur.toml.
REPORTING = """
[reporting]
rentity_id = 4711
branch = "Jakarta Head Office"

[reporting.person]
first_name = "Siti"
last_name = "Rahma"
email = "mlro@bank-contoh.co.id"
phone = "+62 21 555 0100"

[reporting.location]
address = "Jl. Sudirman 1"
city = "Jakarta"
country = "ID"
"""

PAYMENTS = [
    # tx_id, day, orig account, orig name, bene account, bene name, amount (IDR)
    ("T1", 1, "ACC-DRUG", "Kartel Narkoba Jaya", "ACC-MULE", "Budi Hartono", 90_000_000.0),
    ("T2", 2, "ACC-MULE", "Budi Hartono", "ACC-CELL", "Abu Rusdan", 85_000_000.0),
    ("T3", 3, "ACC-SHOP", "Toko Sembako", "ACC-BAKER", "Roti Enak", 1_250_000.0),
    ("T4", 4, "ACC-BAKER", "Roti Enak", "ACC-SHOP", "Toko Sembako", 730_000.0),
]


def invoke(settings: Settings, *args: str, user: str = "") -> Result:
    env = {"JALUR_NEW_PASSWORD": PW, "JALUR_PASSWORD": PW, "JALUR_USER": user,
           "JALUR_PASSPHRASE": PASSPHRASE}  # fmt: skip
    return CliRunner().invoke(app, ["--home", str(settings.home), *args], env=env)


def run(settings: Settings, *args: str, user: str = "") -> tuple[int, str]:
    """One `jalur` command in the workspace; (exit code, stdout and stderr as one line)."""
    result = invoke(settings, *args, user=user)
    return result.exit_code, " ".join(result.output.split())


def ok(settings: Settings, *args: str, user: str = "") -> str:
    """A command that must succeed; its stdout (JSON with --json)."""
    result = invoke(settings, *args, user=user)
    assert result.exit_code == 0, f"jalur {' '.join(args)}: {result.output} {result.exception!r}"
    return result.stdout


def write_list(folder: Path) -> Path:
    """The national terror list: one listed person and the Sanction that lists him."""
    path = folder / "dttot.ftm.json"
    rows = [
        {"id": LISTED, "schema": "Person",
         "properties": {"name": ["Abu Rusdan"], "birthDate": ["1960-05-12"],
                        "topics": ["crime.terror"], "country": ["id"]}},
        {"id": SANCTION, "schema": "Sanction",
         "properties": {"entity": [LISTED], "program": ["DTTOT 2024"],
                        "authority": ["PPATK"]}},
    ]  # fmt: skip
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def write_payments(folder: Path) -> Path:
    path = folder / "payments.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["tx_id", "timestamp", "orig_account", "orig_name", "orig_country",
                      "bene_account", "bene_name", "bene_country", "amount", "currency",
                      "channel"])  # fmt: skip
        for tx_id, day, orig, orig_name, bene, bene_name, amount in PAYMENTS:
            out.writerow([tx_id, f"2025-03-{day:02d}T10:00:00Z", orig, orig_name, "ID", bene,
                          bene_name, "ID", amount, "IDR", "wire"])  # fmt: skip
    return path


def build(settings: Settings) -> None:
    """List, payments, screening, a drug flag, a monitoring pass."""
    folder = settings.home.parent
    ok(settings, "lists", "load", str(write_list(folder)), "--format", "ftm", "--name", "dttot")
    ok(settings, "tx", "load", str(write_payments(folder)), "--format", "csv")
    ok(settings, "screen", "parties")
    drug = folder / "drug.txt"
    drug.write_text("ACC-DRUG\n", encoding="utf-8")
    ok(settings, "accounts", "flag", str(drug), "--topic", "drug", "--reason", "BNN case 7")
    ok(settings, "monitor", "run")


def trace(settings: Settings) -> list[dict[str, object]]:
    """The drug-to-terror channels, as `jalur trace --json` prints them."""
    graph = settings.home.parent / "channels.json"
    out = ok(settings, "trace", "--from", "drug", "--to", "terror", "--graph", str(graph),
             "--json")  # fmt: skip
    channels: list[dict[str, object]] = json.loads(out)["channels"]
    return channels


def plant_alert(settings: Settings, parts: bool = True) -> None:
    """One drug-to-terror alert (AL-1 on ACC-9; with `parts`, its account and payment rows),
    written straight into the store: a case can be opened on it without a monitoring run."""
    with Store.open(settings) as store:
        for ddl in (
            "CREATE TABLE alerts (alert_id VARCHAR, run_id VARCHAR, typology VARCHAR, "
            "account VARCHAR, score DOUBLE, explanation VARCHAR, features VARCHAR, facts VARCHAR)",
            "CREATE TABLE alert_accounts (alert_id VARCHAR, account VARCHAR, role VARCHAR)",
            "CREATE TABLE alert_transactions (alert_id VARCHAR, tx_id VARCHAR)",
        ):
            store.execute(ddl)
        store.execute(
            "INSERT INTO alerts VALUES ('AL-1', 'run-1', 'drug-to-terror', 'ACC-9', 0.93, "
            "'2 hops from a drug seed to a listed person', NULL, NULL)"
        )
        if parts:
            store.execute("INSERT INTO alert_accounts VALUES ('AL-1', 'ACC-9', 'sink')")
            store.execute("INSERT INTO alert_transactions VALUES ('AL-1', 'tx-1')")

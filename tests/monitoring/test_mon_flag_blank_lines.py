"""A blank line in a flag file is no record: it was read and rejected as "empty account
number", so a clean file with a trailing blank line (CRLF, BOM) exited 3 as if a record had
been refused. A row with other cells but no account is still rejected by line."""

from __future__ import annotations

from pathlib import Path

from monitoring_builders import at, load, pay

from jalur.config import Settings
from jalur.monitoring import flag_accounts
from jalur.store import Store


def test_blank_lines_are_not_records(tmp_path: Path) -> None:
    with Store.open(Settings.resolve(tmp_path / "home")) as store:
        load(store, [pay("T1", "A1", "B1", at(1), 10.0), pay("T2", "A2", "B1", at(2), 10.0)])
        headed = tmp_path / "headed.csv"
        headed.write_bytes("\ufeffACCOUNT;note\r\nA1;x\r\n\r\n;no account\r\nA2;y\r\n\r\n".encode())
        report = flag_accounts(store, headed, "drug", "BNN case 1")
        assert (report.read, report.accepted) == (3, 2)
        assert report.rejected == [f"{headed}:4: empty account number"]
        plain = tmp_path / "plain.txt"
        plain.write_text("B1\n\n   \n", encoding="utf-8")
        again = flag_accounts(store, plain, "terror", "request 7")
        assert (again.read, again.accepted, again.rejected) == (1, 1, [])

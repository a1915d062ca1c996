"""`jalur stream publish` accounts for every row (new-user trial, round 7): with 25 refused
rows of 28 it named 20 and closed with "sent 3 payments to … (0 it already had)": five
refusals unnamed and unsaid, and the rows read, sent and refused did not add up on screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from jalur.cli import app


def test_every_row_is_counted_and_unnamed_refusals_are_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def sent(url: str, payments: list[object], subjects: object) -> tuple[int, int]:
        return len(payments) - 1, 1

    monkeypatch.setattr("jalur.stream.commands.publish_payments", sent)
    rows = ["tx_id,timestamp,amount,currency,orig_account,bene_account"]
    rows += [f"BAD-{i},2026-03-02T10:00:00Z,lots,USD,A,B" for i in range(25)]
    rows += [f"OK-{i},2026-03-02T10:00:00Z,10,USD,A,B{i}" for i in range(3)]
    payments = tmp_path / "p.csv"
    payments.write_text("\n".join(rows) + "\n", encoding="utf-8")
    args = ["--home", str(tmp_path / "ws"), "stream", "publish", str(payments), "--format", "csv"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 3, result.output
    assert result.stdout.count("refused line") == 20
    assert "5 more refused" in result.stdout
    assert "28 read: sent 2 payments" in result.stdout
    assert "(1 it already had), 25 refused" in result.stdout

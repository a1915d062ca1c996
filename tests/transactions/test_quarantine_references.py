"""A quarantined ISO 20022 record keeps the sender's references (EndToEndId, UETR) as fields
of their own, shown by `tx quarantine`; the position, which is the quarantine's duplicate key
and a payment's provenance, is unchanged, so a file quarantined before they were kept is
recognised when it is loaded again (an earlier attempt put them into the position and
quarantined such files' records twice)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import typer
from typer.testing import CliRunner

from jalur.config import Settings
from jalur.store import Store
from jalur.transactions import load_transactions, quarantine_rows, register_cli

PACS = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE Document [<!ENTITY n "Abu Bakar">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"><FIToFICstmrCdtTrf>
<GrpHdr><MsgId>M1</MsgId><CreDtTm>2024-05-01T10:00:00Z</CreDtTm></GrpHdr>
{transactions}
</FIToFICstmrCdtTrf></Document>"""
TX = """<CdtTrfTxInf><PmtId><EndToEndId>{ref}</EndToEndId><UETR>{uetr}</UETR></PmtId>
<IntrBkSttlmAmt Ccy="{ccy}">1000</IntrBkSttlmAmt>
<Dbtr><Nm>{debtor}</Nm></Dbtr><Cdtr><Nm>Budi Santoso</Nm></Cdtr></CdtTrfTxInf>"""
UETRS = [f"eb6305c9-1f7f-49de-aed0-16487c27b4{i:02d}" for i in range(3)]


def _pacs(tmp_path: Path) -> Path:
    body = "\n".join(
        [
            TX.format(ref="E0", uetr=UETRS[0], ccy="IDR", debtor="Ahmad Yani"),
            TX.format(ref="E1", uetr=UETRS[1], ccy="XXQ", debtor="Siti"),  # unknown currency
            TX.format(ref="E2", uetr=UETRS[2], ccy="IDR", debtor="&n;"),  # unreadable name
        ]
    )
    path = tmp_path / "pacs.xml"
    path.write_text(PACS.format(transactions=body), encoding="utf-8")
    return path


def test_a_quarantined_record_keeps_its_end_to_end_id_and_uetr(tmp_path: Path) -> None:
    path = _pacs(tmp_path)
    with Store.open(Settings.resolve(tmp_path)) as store:
        counts = load_transactions(store, path, "pacs008")
        assert (counts.accepted, counts.rejected) == (1, 2)
        found = {r["source_position"]: r for r in quarantine_rows(store)}
    assert {(r["end_to_end_id"], r["uetr"]) for r in found.values()} == {
        ("E1", UETRS[1]),
        ("E2", UETRS[2]),
    }
    assert all("E1" not in p and "E2" not in p for p in found)  # the key is as it was
    app = typer.Typer()

    @app.callback()
    def _root(ctx: typer.Context) -> None:
        ctx.obj = Settings.resolve(tmp_path)

    register_cli(app)
    shown = CliRunner().invoke(app, ["tx", "quarantine", "--json"])
    assert shown.exit_code == 0, shown.output
    assert {(r["end_to_end_id"], r["uetr"]) for r in json.loads(shown.stdout)} == {
        ("E1", UETRS[1]),
        ("E2", UETRS[2]),
    }
    text = CliRunner().invoke(app, ["tx", "quarantine"])
    assert "EndToEndId" in text.output and UETRS[1] in " ".join(text.output.split())


OLD_QUARANTINE = """CREATE TABLE tx_quarantine (
    load_id BIGINT NOT NULL, source_file VARCHAR NOT NULL, source_position VARCHAR NOT NULL,
    reason VARCHAR NOT NULL, raw VARCHAR, quarantined_at TIMESTAMPTZ NOT NULL)"""


def test_a_workspace_quarantined_before_is_migrated_and_reloading_adds_nothing(
    tmp_path: Path,
) -> None:
    path = _pacs(tmp_path)
    workspace = tmp_path / "old.duckdb"
    with Store(workspace) as old:  # as a workspace made before the references were kept
        old.execute(OLD_QUARANTINE)
        with Store(":memory:") as probe:
            load_transactions(probe, path, "pacs008")
            positions = [
                (r["source_position"], r["reason"], r["raw"]) for r in quarantine_rows(probe)
            ]
        for position, reason, raw in positions:
            old.execute(
                "INSERT INTO tx_quarantine VALUES (1, ?, ?, ?, ?, ?)",
                [str(path), position, reason, raw, datetime.now(UTC)],
            )
    with Store(workspace) as store:
        counts = load_transactions(store, path, "pacs008")
        assert (counts.accepted, counts.rejected) == (1, 2)
        rows = quarantine_rows(store)
    assert len(rows) == 2  # recognised by position and text: not quarantined twice
    assert {(r["end_to_end_id"], r["uetr"]) for r in rows} == {(None, None)}

"""A payment's country is stored as ISO alpha-2 however the source spelt it: `IRN`, `Iran`,
`Iran, Islamic Republic of` and `Иран` were stored upper-cased as written (`IRAN`), and the
high-risk corridor checks, which compare alpha-2 codes, never met those payments. A value that
names no country is kept as written and is a warning naming the record, the field and the
value; the payment still goes in. Every reader's countries pass the same way (CSV, ISO 20022,
MT103, AMLSim)."""

from __future__ import annotations

from pathlib import Path

from jalur.store import Store

from .conftest import rows

HEADER = "tx_id,timestamp,orig_account,bene_account,amount,currency,orig_country,bene_country\n"


def test_country_spellings_are_read_to_alpha2(store: Store, tmp_path: Path, load) -> None:  # type: ignore[no-untyped-def]
    lines = [
        "T1,2026-12-07,A,B,10,USD,ID,IRN",
        "T2,2026-12-07,A,B,10,USD,id,Iran",
        'T3,2026-12-07,A,B,10,USD,Indonesia,"Iran, Islamic Republic of"',
        "T4,2026-12-07,A,B,10,USD,Россия,Иран",
        "T5,2026-12-07,A,B,10,USD,PRK,North Korea",
        "T6,2026-12-07,A,B,10,USD,,Burma",
    ]
    path = tmp_path / "bank.csv"
    path.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    counts = load(path, "csv")
    assert counts.unread_countries == 0 and counts.warnings == []
    assert [(r["orig_country"], r["bene_country"]) for r in rows(store)] == [
        ("ID", "IR"), ("ID", "IR"), ("ID", "IR"), ("RU", "IR"), ("KP", "KP"), (None, "MM"),
    ]  # fmt: skip


def test_an_unreadable_country_loads_as_written_with_a_warning(
    store: Store, tmp_path: Path, load, caplog
) -> None:  # type: ignore[no-untyped-def]
    lines = [
        "T1,2026-12-07,A,B,10,USD,Atlantis,IR",
        "T2,2026-12-07,A,B,10,USD,atlantis,\x1b[2J",
        "T3,2026-12-07,A,B,10,USD,ID,ID",
    ]
    path = tmp_path / "bank.csv"
    path.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    counts = load(path, "csv")
    assert (counts.accepted, counts.rejected) == (3, 0)
    assert [(r["orig_country"], r["bene_country"]) for r in rows(store)] == [
        ("ATLANTIS", "IR"), ("ATLANTIS", "\x1b[2J"), ("ID", "ID"),
    ]  # fmt: skip
    assert counts.unread_countries == 3
    assert counts.as_dict()["unread_countries"] == 3
    assert sorted(w.split(", ", 1)[1] for w in counts.warnings) == [
        "line 2: orig_country 'Atlantis' names no country jalur reads: kept as written, "
        "the corridor checks cannot see it",
        "line 3: bene_country '\\\\x1b[2J' names no country jalur reads: kept as written, "
        "the corridor checks cannot see it",
        "line 3: orig_country 'atlantis' names no country jalur reads: kept as written, "
        "the corridor checks cannot see it",
    ]
    assert "\x1b" not in caplog.text and "'Atlantis' names no country" in caplog.text


def test_iso20022_and_mt103_countries_are_read_too(store: Store, tmp_path: Path, load) -> None:  # type: ignore[no-untyped-def]
    pacs = tmp_path / "pacs.xml"
    pacs.write_text(
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.10"><FIToFICstmrCdtTrf>'
        "<GrpHdr><MsgId>M1</MsgId><CreDtTm>2024-03-15T10:30:00Z</CreDtTm></GrpHdr>"
        "<CdtTrfTxInf><PmtId><EndToEndId>E1</EndToEndId><TxId>T1</TxId></PmtId>"
        '<IntrBkSttlmAmt Ccy="USD">100</IntrBkSttlmAmt>'
        "<Dbtr><Nm>PAYER</Nm><PstlAdr><Ctry>Indonesia</Ctry></PstlAdr></Dbtr>"
        "<DbtrAcct><Id><Othr><Id>111</Id></Othr></Id></DbtrAcct>"
        "<Cdtr><Nm>PAYEE</Nm><PstlAdr><Ctry>IRN</Ctry></PstlAdr></Cdtr>"
        "<CdtrAcct><Id><Othr><Id>222</Id></Othr></Id></CdtrAcct>"
        "</CdtTrfTxInf></FIToFICstmrCdtTrf></Document>\n",
        encoding="utf-8",
    )
    mt = tmp_path / "mt.fin"
    mt.write_text(
        "{1:F01COBADEFFAXXX0000000000}{2:I103BMRIIDJAXXXXN}{4:\n:20:R1\n:23B:CRED\n"
        ":32A:240315USD1000,\n:50F:/111\n1/ABU BAKAR\n3/IDN/JAKARTA\n:59:/222\nBUDI\n"
        ":71A:SHA\n-}",
        encoding="utf-8",
    )
    load(pacs, "pacs008")
    load(mt, "mt103")
    assert sorted((r["orig_country"], r["bene_country"]) for r in rows(store)) == [
        ("ID", "ID"),  # 50F's `3/IDN/…`; 59 has none: the bank's (BMRIIDJA) is Indonesian
        ("ID", "IR"),
    ]


def test_iso_numeric_country_codes_are_read(store: Store, tmp_path: Path, load) -> None:  # type: ignore[no-untyped-def]
    """ISO 3166 numeric codes (`643` Russia, `364` Iran: Russian banks' OKSM, payment
    systems) named no country and were stored as written."""
    path = tmp_path / "bank.csv"
    path.write_text(HEADER + "T1,2026-12-07,A,B,10,USD,643,364\n", encoding="utf-8")
    counts = load(path, "csv")
    assert counts.unread_countries == 0
    assert [(r["orig_country"], r["bene_country"]) for r in rows(store)] == [("RU", "IR")]

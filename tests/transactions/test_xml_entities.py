"""Text the XML readers cannot resolve is a rejection with a reason, never an empty value.

Entities are not expanded (XXE, entity bombs), so a party name written as a reference to an
entity the document declares itself came through empty (`<Nm>&n;</Nm>`) or cut (`Abu &n;`),
and screening then had nothing to find.
"""

from __future__ import annotations

from pathlib import Path

from jalur.store import Store

from .conftest import quarantined, rows

PACS = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE Document [
  <!ENTITY n "Abu Bakar Ba'asyir">
  <!ENTITY x SYSTEM "file:///etc/passwd">
]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"><FIToFICstmrCdtTrf>
<GrpHdr><MsgId>M1</MsgId><CreDtTm>2024-05-01T10:00:00Z</CreDtTm></GrpHdr>
{transactions}
</FIToFICstmrCdtTrf></Document>"""

TX = """<CdtTrfTxInf><PmtId><EndToEndId>{ref}</EndToEndId></PmtId>
<IntrBkSttlmAmt Ccy="IDR">1000000</IntrBkSttlmAmt>
<Dbtr><Nm>{debtor}</Nm></Dbtr><Cdtr><Nm>Budi Santoso</Nm></Cdtr>
<RmtInf><Ustrd>{purpose}</Ustrd></RmtInf></CdtTrfTxInf>"""


def _pacs(tmp_path: Path, *transactions: tuple[str, str, str]) -> Path:
    body = "\n".join(TX.format(ref=r, debtor=d, purpose=p) for r, d, p in transactions)
    path = tmp_path / "pacs.xml"
    path.write_text(PACS.format(transactions=body), encoding="utf-8")
    return path


def test_a_debtor_name_from_an_internal_entity_is_rejected_and_the_rest_loads(
    store: Store, tmp_path: Path, load
) -> None:  # type: ignore[no-untyped-def]
    path = _pacs(
        tmp_path,
        ("E1", "&n;", "gift"),  # the whole name an entity: was stored empty
        ("E2", "Ahmad Yani", "rent"),  # a good payment beside them
        ("E3", "Abu &n; Jr", "loan"),  # part of it: was stored as "Abu"
        ("E4", "Siti Aminah", "&x;"),  # an external entity in another text field
    )
    counts = load(path, "pacs008")
    assert (counts.read, counts.accepted, counts.rejected) == (4, 1, 3)
    (good,) = rows(store)
    assert (good["tx_id"], good["orig_name"]) == ("pacs008:M1:E2", "Ahmad Yani")
    reasons = dict(quarantined(store))
    assert sorted(reasons) == [
        "message M1 transaction 1 (line 8)",
        "message M1 transaction 3 (line 16)",
        "message M1 transaction 4 (line 20)",
    ]
    assert (
        "Dbtr/Nm: entity reference &n; is not expanded"
        in reasons["message M1 transaction 1 (line 8)"]
    )
    assert "Dbtr/Nm: entity reference &n;" in reasons["message M1 transaction 3 (line 16)"]
    assert "RmtInf/Ustrd: entity reference &x;" in reasons["message M1 transaction 4 (line 20)"]
    (raw,) = store.execute(
        "SELECT raw FROM tx_quarantine WHERE source_position = 'message M1 transaction 1 (line 8)'"
    ).fetchone() or (None,)
    assert "&n;" in raw and "root:" not in raw  # kept as written, nothing expanded


def test_a_comment_inside_a_name_does_not_cut_it(store: Store, tmp_path: Path, load) -> None:  # type: ignore[no-untyped-def]
    path = _pacs(tmp_path, ("E1", "Abu <!-- alias -->Bakar", "zakat &amp; infaq &#1052;"))
    assert load(path, "pacs008").accepted == 1
    (row,) = rows(store)
    assert (row["orig_name"], row["purpose"]) == ("Abu Bakar", "zakat & infaq М")

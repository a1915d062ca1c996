"""Field 50F's line 7 (national identity number) or 6 (customer number) is the payer's
identifier, what screening matches NIKs and passport numbers on. It was dropped whenever 50F
began with an account (`/111`) rather than a party identifier (`NIDN/ID/…`)."""

from __future__ import annotations

from pathlib import Path

from jalur.store import Store

from .conftest import rows

MT103 = (
    "{1:F01COBADEFFAXXX0000000000}{2:I103BMRIIDJAXXXXN}{4:\n:20:{ref}\n:23B:CRED\n"
    ":32A:240315USD1000,\n{payer}\n:59:/222\nBUDI\n:71A:SHA\n-}"
)


def test_50f_identity_lines_give_the_payers_identifier(store: Store, tmp_path: Path, load) -> None:  # type: ignore[no-untyped-def]
    national = ":50F:/111\n1/ABU BAKAR\n2/JALAN MERDEKA 10\n3/ID/JAKARTA\n7/ID/3174012345678901"
    customer = ":50F:/112\n1/SITI\n3/ID/BANDUNG\n6/ID/BMRI/CUST998877"
    named = ":50F:NIDN/ID/3174999999999999\n1/AHMAD\n3/ID/MEDAN\n6/ID/BMRI/CUST1"
    messages = [
        MT103.replace("{ref}", ref).replace("{payer}", payer)
        for ref, payer in (("R1", national), ("R2", customer), ("R3", named))
    ]
    path = tmp_path / "mt.fin"
    path.write_text("\n".join(messages), encoding="utf-8")
    load(path, "mt103")
    assert [(r["orig_name"], r["orig_identifier"]) for r in rows(store)] == [
        ("ABU BAKAR", "ID/3174012345678901"),
        ("SITI", "ID/BMRI/CUST998877"),
        ("AHMAD", "NIDN/ID/3174999999999999"),  # the party identifier of line 1 comes first
    ]

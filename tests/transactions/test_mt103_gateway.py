"""What a SWIFT gateway's FIN file holds besides MT103s.

A gateway exports every message of a day into one file: MT199 free-format messages, MT202
bank transfers beside the MT103s. Each was quarantined as an MT103 without its ordering
customer, a reason that sends the analyst looking for a broken payment."""

from __future__ import annotations

from pathlib import Path

from jalur.store import Store

from .conftest import quarantined

MT103 = (
    "{1:F01COBADEFFAXXX0000000000}{2:I103BMRIIDJAXXXXN}{4:\n:20:R1\n:23B:CRED\n"
    ":32A:240315USD1000,\n{payer}\n:59:/222\nBUDI\n:71A:SHA\n-}"
)
MT199 = "{1:F01COBADEFFAXXX0000000000}{2:I199BMRIIDJAXXXXN}{4:\n:20:Q1\n:79:PLEASE ADVISE\n-}"
MT202 = (
    "{1:F01COBADEFFAXXX0000000000}{2:O2021200240315CITIUS33AXXX00000000002403151200N}{4:\n"
    ":20:B1\n:21:R1\n:32A:240315USD1000,\n:58A:BMRIIDJA\n-}"
)


def test_other_message_types_are_named_as_such(store: Store, tmp_path: Path, load) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "gateway.fin"
    payer = ":50K:/111\nHANS"
    path.write_text("\n$\n".join([MT199, MT103.replace("{payer}", payer), MT202]), encoding="utf-8")
    counts = load(path, "mt103")
    assert (counts.read, counts.accepted, counts.rejected) == (3, 1, 2)
    assert quarantined(store) == [
        ("message 1 (line 1)", "an MT199, not an MT103: not a customer credit transfer"),
        ("message 3 (line 17)", "an MT202, not an MT103: not a customer credit transfer"),
    ]

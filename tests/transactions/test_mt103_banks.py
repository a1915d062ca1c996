"""MT103's banks as SWIFT defines them: without field 57a the Receiver of the message is the
account-with institution (the beneficiary's bank), as without 52a the Sender is the ordering
institution. The beneficiary's bank used to be left empty (or taken from a 59A beneficiary's
own BIC), so a payment into a bank abroad had no beneficiary bank or country to monitor."""

from __future__ import annotations

from pathlib import Path

from jalur.store import Store

from .conftest import rows

BODY = ":20:{ref}\n:23B:CRED\n:32A:240315USD1000,\n{payer}\n{payee}\n:71A:SHA\n-}}"
PAYER = ":50K:/DE89370400440532013000\nHANS MUELLER\nBERLIN"
PAYEE = ":59:/AF123456\nAHMAD SHAH\nKABUL"


def _write(path: Path, *messages: str) -> Path:
    path.write_text("\n$\n".join(messages) + "\n", encoding="utf-8")
    return path


def test_without_57a_the_receiver_is_the_beneficiarys_bank(
    store: Store, tmp_path: Path, load
) -> None:  # type: ignore[no-untyped-def]
    sent = (  # input (as the sender's gateway writes it): block 2 names the receiver
        "{1:F01COBADEFFAXXX0000000000}{2:I103AFIBAFKAXXXXN}{4:\n"
        + BODY.format(ref="R1", payer=PAYER, payee=PAYEE)
    )
    received = (  # output (as the receiver's gateway writes it): block 1 is the receiver
        "{1:F01AFIBAFKAXXXX0000000000}{2:O1031200240315COBADEFFAXXX00000000002403151200N}{4:\n"
        + BODY.format(ref="R2", payer=PAYER, payee=PAYEE)
    )
    load(_write(tmp_path / "mt.fin", sent, received), "mt103")
    got = rows(store)
    assert [(r["orig_bank"], r["bene_bank"]) for r in got] == [
        ("COBADEFFXXX", "AFIBAFKAXXX"),
        ("COBADEFFXXX", "AFIBAFKAXXX"),
    ]


def test_a_59a_beneficiarys_own_bic_is_not_its_bank(store: Store, tmp_path: Path, load) -> None:  # type: ignore[no-untyped-def]
    message = "{1:F01COBADEFFAXXX0000000000}{2:I103AFIBAFKAXXXXN}{4:\n" + BODY.format(
        ref="R1", payer=PAYER, payee=":59A:/AF123456\nACMECOAFXXX"
    )
    load(_write(tmp_path / "mt.fin", message), "mt103")
    (got,) = rows(store)
    assert (got["bene_name"], got["bene_bank"]) == ("ACMECOAFXXX", "AFIBAFKAXXX")


def test_57a_still_names_the_beneficiarys_bank(store: Store, tmp_path: Path, load) -> None:  # type: ignore[no-untyped-def]
    message = "{1:F01COBADEFFAXXX0000000000}{2:I103CITIUS33XXXXN}{4:\n" + BODY.format(
        ref="R1", payer=PAYER, payee=":57A:AFIBAFKA\n" + PAYEE
    )
    load(_write(tmp_path / "mt.fin", message), "mt103")
    (got,) = rows(store)
    assert got["bene_bank"] == "AFIBAFKA"


def test_a_party_without_a_country_takes_its_banks_as_in_iso_20022(
    store: Store, tmp_path: Path, load
) -> None:  # type: ignore[no-untyped-def]
    """50K and 59 carry no country; the same payment as pacs.008 gets its banks' (BIC letters
    5–6), so the MT103 did not show a payment into Afghanistan as one."""
    plain = "{1:F01COBADEFFAXXX0000000000}{2:I103AFIBAFKAXXXXN}{4:\n" + BODY.format(
        ref="R1", payer=PAYER, payee=PAYEE
    )
    own_bic = "{1:F01COBADEFFAXXX0000000000}{2:I103CITIUS33XXXXN}{4:\n" + BODY.format(
        ref="R2", payer=":50A:/123\nACMEGB2L", payee=":57D:SOME BANK\nKABUL\n" + PAYEE
    )
    load(_write(tmp_path / "mt.fin", plain, own_bic), "mt103")
    got = rows(store)
    assert [(r["orig_country"], r["bene_country"]) for r in got] == [
        ("DE", "AF"),  # their banks' (COBADEFF, AFIBAFKA)
        ("GB", None),  # the payer's own BIC; 57D names no BIC, so no country is guessed
    ]

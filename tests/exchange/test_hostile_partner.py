"""A genuine partner key in hostile hands: what is inside a valid package is still only data.

Every package here is correctly signed by a registered partner and encrypted to the recipient,
so the envelope checks pass; the defence must come from validating the contents against our
own schema before anything touches the database.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pytest
from exchange_agencies import Agency, make_agency, person
from hostile import hostile_package, parquet_bytes

from jalur.exchange import (
    PackageRejectedError,
    add_partner,
    export_card,
    import_package,
    package_details,
    parse_card,
    read_log,
)
from jalur.exchange.limits import ExchangeLimits
from jalur.lists import current_entities, load_entities
from jalur.screening import Query, Screener


def _un_list(agency: Agency) -> None:
    bashir = person("un-qdi-217", "Abu Bakar Ba'asyir", birthDate="1938-08-17")
    load_entities(agency.store, "un-sc", [bashir], source="test")


def _import(agency: Agency, data: bytes, limits: ExchangeLimits | None = None) -> object:
    return import_package(
        agency.store, agency.identity, agency.passphrase, data, "pkg", limits=limits
    )


def _payments(**columns: list[object]) -> pa.Table:
    base: dict[str, list[object]] = {
        "tx_id": ["p1"],
        "timestamp": [datetime(2025, 3, 1, tzinfo=UTC)],
        "amount": [5e7],
        "currency": ["IDR"],
    }
    return pa.table({**base, **columns})


def _refused(agency: Agency, data: bytes, reason: str, **kw: object) -> None:
    with pytest.raises(PackageRejectedError, match=reason):
        _import(agency, data, **kw)  # type: ignore[arg-type]
    last = read_log(agency.store)[-1]
    assert last.action == "import-rejected"
    assert agency.stored()["exchange_packages"] == 0


def test_sql_in_a_parquet_column_name_never_runs(
    agencies: tuple[Agency, Agency, Agency], tmp_path: Path
) -> None:
    ppatk, rosfin, _ = agencies
    _un_list(rosfin)
    written = tmp_path / "pwned.csv"
    evil = (
        "tx_id) SELECT 'p', 'a', ['c'], 'u', 'x'; DELETE FROM list_entities; "
        f"COPY (SELECT 42) TO '{written}'; SELECT ?, ?, ?, ? --"
    )
    # the column list was pasted into the INSERT: this name closes it and runs three statements
    rest = _payments().drop_columns(["tx_id"])
    table = pa.table({evil: ["y"], **{n: rest[n] for n in rest.column_names}})
    data = hostile_package(ppatk, rosfin, parquet=parquet_bytes(table), rows=1)

    _refused(rosfin, data, "not in the canonical payment schema")

    assert [e.caption for e in current_entities(rosfin.store, ["un-sc"])] == ["Abu Bakar Ba'asyir"]
    assert not written.exists()
    screener = Screener.from_store(rosfin.store)
    assert screener.screen(Query(name="Abu Bakar Baasyir"))[0].entity.entity_id == "un-qdi-217"


def test_unknown_column_is_named_in_the_refusal(agencies: tuple[Agency, Agency, Agency]) -> None:
    ppatk, rosfin, _ = agencies
    table = _payments(x_extra=["y"])
    data = hostile_package(ppatk, rosfin, parquet=parquet_bytes(table), rows=1)
    _refused(rosfin, data, "'x_extra'")


def test_a_small_package_that_decodes_to_too_much_is_refused(
    agencies: tuple[Agency, Agency, Agency],
) -> None:
    ppatk, rosfin, _ = agencies
    rows = 2_000
    long = {f"{side}_{part}": ["x" * 200] * rows for side in ("orig", "bene")
            for part in ("account", "bank", "name", "country", "identifier")}  # fmt: skip
    table = pa.table(
        {
            "tx_id": [f"t{i}" for i in range(rows)],  # one row per payment id
            "timestamp": [datetime(2025, 3, 1, tzinfo=UTC)] * rows,
            "amount": [1.0] * rows,
            "currency": ["IDR"] * rows,
            **long,
        }
    )
    parquet = parquet_bytes(table)
    assert len(parquet) < 20_000  # a few kilobytes on the wire ...
    data = hostile_package(ppatk, rosfin, parquet=parquet, rows=rows)
    # ... and about 4 MB decoded, past a 1 MB bound
    _refused(rosfin, data, "decodes to more than", limits=ExchangeLimits(max_payment_bytes=1 << 20))
    _refused(rosfin, data, "more than the limit of 1000", limits=ExchangeLimits(max_payments=1000))
    assert _import(rosfin, data).transactions == rows  # type: ignore[attr-defined]


def test_values_are_cast_to_the_canonical_types(agencies: tuple[Agency, Agency, Agency]) -> None:
    ppatk, rosfin, _ = agencies
    bad = _payments(amount=["five million"])
    data = hostile_package(ppatk, rosfin, parquet=parquet_bytes(bad), rows=1)
    _refused(rosfin, data, "column amount is not double")

    empty_id = _payments(tx_id=[None])
    data = hostile_package(ppatk, rosfin, parquet=parquet_bytes(empty_id), rows=1)
    _refused(rosfin, data, "row 1: tx_id is empty")

    no_currency = _payments().drop_columns(["currency"])
    data = hostile_package(ppatk, rosfin, parquet=parquet_bytes(no_currency), rows=1)
    _refused(rosfin, data, "required column.* missing: currency")


def test_an_older_sender_without_optional_columns_is_read(
    agencies: tuple[Agency, Agency, Agency],
) -> None:
    ppatk, rosfin, _ = agencies
    table = _payments(amount=["12.5"], orig_name=["Yayasan X"])  # text that is a number
    data = hostile_package(ppatk, rosfin, parquet=parquet_bytes(table), rows=1)
    report = _import(rosfin, data)
    (payment,) = package_details(rosfin.store, report.package_id)["transactions"]  # type: ignore[attr-defined]
    assert payment["amount"] == 12.5 and payment["orig_name"] == "Yayasan X"
    assert payment["bene_name"] is None


def test_a_manifest_naming_another_sender_is_refused(
    agencies: tuple[Agency, Agency, Agency],
) -> None:
    ppatk, rosfin, _ = agencies
    table = _payments()
    data = hostile_package(
        ppatk, rosfin, parquet=parquet_bytes(table), rows=1, manifest_sender={"agency": "UN-SC"}
    )
    _refused(rosfin, data, "names its sender 'UN-SC', but the package is signed by PPATK")


def test_a_replaced_card_revokes_the_keys_it_does_not_list(
    agencies: tuple[Agency, Agency, Agency], tmp_path: Path
) -> None:
    ppatk, rosfin, _ = agencies
    # Rosfinmonitoring lost its keys and starts again; PPATK checks the new card by phone
    reborn = make_agency(tmp_path / "new", "Rosfinmonitoring", "RU")
    card = parse_card(export_card(reborn.identity, reborn.passphrase))
    partner, _ = add_partner(ppatk.store, card, replace_keys=True)
    old = rosfin.identity.active.key_id
    assert {k.key_id: k.status for k in partner.keys}[old] == "revoked"
    # whoever holds the old key can no longer sign for Rosfinmonitoring
    data = hostile_package(rosfin, ppatk, parquet=parquet_bytes(_payments()), rows=1)
    _refused(ppatk, data, "revoked key")
    reborn.store.close()


@pytest.mark.parametrize(
    ("package_id", "values", "reason"),
    [
        ("../../jalur.toml", {}, "package id '../../jalur.toml' is not a package id"),
        ("a" * 300, {}, "is not a package id"),
        (None, {"classification": {"level": "SECRET"}}, "classification .* is not a short line"),
        (None, {"caveats": [1, 2]}, "caveats are not at most 50 lines"),
        (None, {"caveats": ["x"] * 51}, "caveats are not at most 50 lines"),
        (None, {"purpose": "CTF\x00analysis"}, "purpose is not a line of text"),
        (None, {"legal_basis": "x" * 2001}, "legal_basis is not a line of text"),
    ],
)
def test_signed_manifest_values_that_cannot_be_what_they_claim_are_refused(
    agencies: tuple[Agency, Agency, Agency],
    package_id: str | None,
    values: dict[str, object],
    reason: str,
) -> None:
    """A signature says who sent it, not that its values are sane: nothing of it is kept."""
    ppatk, rosfin, _ = agencies
    data = hostile_package(
        ppatk, rosfin, parquet=parquet_bytes(_payments()), rows=1,
        package_id=package_id, manifest_values=values,
    )  # fmt: skip
    _refused(rosfin, data, reason)


def test_a_manifest_with_line_breaks_in_its_legal_basis_is_read(
    agencies: tuple[Agency, Agency, Agency],
) -> None:
    ppatk, rosfin, _ = agencies
    values = {"legal_basis": "MoU 2025\nArticle 4", "classification": "CONFIDENTIAL"}
    data = hostile_package(
        ppatk, rosfin, parquet=parquet_bytes(_payments()), rows=1, manifest_values=values
    )
    _import(rosfin, data)
    assert rosfin.stored()["exchange_packages"] == 1

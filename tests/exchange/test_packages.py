"""Two agencies exchange a package end to end; every tampering case is refused, storing nothing."""

from __future__ import annotations

import json
import struct
from datetime import UTC, datetime, timedelta

import pytest
from exchange_agencies import Agency, load_dttot, load_transactions, person

from jalur.exchange import (
    ExchangeError,
    ExportRequest,
    PackageRejectedError,
    export_package,
    find_partner,
    import_package,
    package_details,
    read_log,
    revoke_key,
    revoke_partner_key,
    save_identity,
    select_entities,
    verify_log,
)
from jalur.exchange.envelope import MAGIC, seal
from jalur.exchange.package import build_payload
from jalur.lists import current_entities, load_entities
from jalur.model import TRANSACTION_SCHEMA

NOTHING = {
    "exchange_entities": 0,
    "exchange_transactions": 0,
    "exchange_links": 0,
    "exchange_packages": 0,
    "exchange_lists": 0,
}


def _tx(tx_id: str, orig: str, bene: str, amount: float, **extra: object) -> dict[str, object]:
    return {
        "tx_id": tx_id,
        "timestamp": datetime(2025, 3, 1, tzinfo=UTC),
        "orig_name": orig,
        "bene_name": bene,
        "amount": amount,
        "currency": "IDR",
        **extra,
    }


def _send(
    sender: Agency,
    *recipients: Agency,
    terms: tuple[str, ...] = ("topic:crime.terror",),
    **kw: object,
) -> bytes:
    request = ExportRequest(purpose="CTF analysis of JI financing", **kw)  # type: ignore[arg-type]
    partners = [find_partner(sender.store, r.identity.name) for r in recipients]
    selection = select_entities(sender.store, terms)
    _, sealed = export_package(
        sender.store, sender.identity, sender.passphrase, partners, selection, request
    )
    return sealed


def _receive(agency: Agency, data: bytes, now: datetime | None = None) -> object:
    return import_package(agency.store, agency.identity, agency.passphrase, data, "pkg", now)


@pytest.fixture
def sent(agencies: tuple[Agency, Agency, Agency]) -> tuple[Agency, Agency, Agency, bytes]:
    ppatk, rosfin, austrac = agencies
    load_dttot(ppatk.store)
    load_transactions(
        ppatk.store,
        [
            _tx("t1", "Abu Rusdan", "Yayasan X", 5e7, bene_country="ID"),
            _tx("t2", "Someone Else", "Rusdan Abu", 1e6),  # same name, other order
            _tx("t3", "Someone Else", "Another One", 2e6),  # unrelated
            _tx("t4", "Cash Deposit", "X", 3e6, orig_identifier="a-123-4567"),  # passport
        ],
    )
    sealed = _send(ppatk, rosfin, caveats=("not to be shared with law enforcement",))
    return ppatk, rosfin, austrac, sealed


def test_package_travels_end_to_end_with_provenance_and_caveats(sent: tuple) -> None:
    _, rosfin, _, sealed = sent
    local = person("ru-77", "Абу Русдан", terror=False, birthDate="1960-05-12")
    load_entities(rosfin.store, "ru-national", [local], source="test")
    report = _receive(rosfin, sealed)

    assert report.entities == 3  # two terror-listed persons + the sanction on one
    assert report.transactions == 3  # t1, t2 by name (any order), t4 by passport number
    assert "not to be shared with law enforcement" in report.caveats
    assert any("onward dissemination" in c for c in report.caveats)
    imported = {
        e.context["exchange"]["original_id"]: e
        for e in current_entities(rosfin.store, ["exchange-ppatk"])
    }
    assert set(imported) == {"id-dttot-1", "id-dttot-2", "id-dttot-1-sanction"}
    for entity in imported.values():
        provenance = entity.context["exchange"]
        assert provenance["agency"] == "PPATK"
        assert provenance["classification"] == "RESTRICTED"
        assert "not to be shared with law enforcement" in provenance["caveats"]
        assert entity.id != provenance["original_id"]  # namespaced: never collides locally
    sanction = imported["id-dttot-1-sanction"]
    assert sanction.get("entity") == [imported["id-dttot-1"].id]  # references follow the ids

    tx = rosfin.store.execute(
        "SELECT tx_id, agency, caveats FROM exchange_transactions ORDER BY tx_id"
    ).fetchall()
    assert [t[0] for t in tx] == ["t1", "t2", "t4"]
    assert all(t[1] == "ppatk" and "not to be shared with law enforcement" in t[2] for t in tx)

    # linked, not merged: the local Cyrillic record stays as it was
    assert [(lk.local_entity_id, lk.reason) for lk in report.links] == [
        ("ru-77", "same name and birth date")
    ]
    (still,) = current_entities(rosfin.store, ["ru-national"])
    assert still.to_dict() == local.to_dict()
    details = package_details(rosfin.store, report.package_id)
    assert all(e["caveats"] == report.caveats for e in details["entities"])
    assert [t["tx_id"] for t in details["transactions"]] == ["t1", "t2", "t4"]


def test_imported_data_never_overwrites_local_entity_with_same_id(sent: tuple) -> None:
    _, rosfin, _, sealed = sent
    mine = person("id-dttot-1", "Local Record Of Rosfin", terror=False)
    load_entities(rosfin.store, "ru-national", [mine], source="test")
    report = _receive(rosfin, sealed)
    (still,) = current_entities(rosfin.store, ["ru-national"])
    assert still.caption == "Local Record Of Rosfin"
    assert ("ru-national", "id-dttot-1", "same entity id") in {
        (lk.local_list, lk.local_entity_id, lk.reason) for lk in report.links
    }


def _rejected(agency: Agency, data: bytes, reason: str, now: datetime | None = None) -> None:
    before = agency.stored()
    with pytest.raises(PackageRejectedError, match=reason):
        _receive(agency, data, now)
    assert agency.stored() == before
    last = read_log(agency.store)[-1]
    assert last.action == "import-rejected" and reason.split("|")[0] in last.detail["reason"]


def test_flipped_byte_anywhere_is_rejected(sent: tuple) -> None:
    _, rosfin, _, sealed = sent
    for position in (len(sealed) - 1, len(sealed) - 200, len(MAGIC) + 40):
        tampered = bytearray(sealed)
        tampered[position] ^= 0x01
        with pytest.raises(PackageRejectedError):
            _receive(rosfin, bytes(tampered))
    assert rosfin.stored() == NOTHING
    assert _receive(rosfin, sealed).entities == 3  # the genuine one still goes in


def _parts(sealed: bytes) -> tuple[dict, bytes]:
    (length,) = struct.unpack(">I", sealed[len(MAGIC) : len(MAGIC) + 4])
    start = len(MAGIC) + 4
    return json.loads(sealed[start : start + length]), sealed[start + length :]


def _join(envelope: dict, ciphertext: bytes) -> bytes:
    body = json.dumps(envelope, sort_keys=True).encode()
    return MAGIC + struct.pack(">I", len(body)) + body + ciphertext


def test_edited_header_is_rejected(sent: tuple) -> None:
    _, rosfin, _, sealed = sent
    envelope, ciphertext = _parts(sealed)
    envelope["header"]["expires"] = "2099-01-01T00:00:00Z"
    _rejected(rosfin, _join(envelope, ciphertext), "signature does not verify")


def test_swapped_manifest_is_rejected(sent: tuple) -> None:
    ppatk, rosfin, _, sealed = sent
    other = _send(ppatk, rosfin, terms=("id:id-dttot-2",))
    envelope, _ = _parts(sealed)
    _, other_body = _parts(other)
    # the body (manifest and contents) of another package under this envelope
    _rejected(rosfin, _join(envelope, other_body), "signature does not verify")
    # an insider with the signing key seals a manifest that describes another package
    header = {
        "kind": "package",
        "id": "f" * 32,
        "sender": envelope["header"]["sender"],
        "created": envelope["header"]["created"],
        "expires": envelope["header"]["expires"],
    }
    partner = find_partner(ppatk.store, "rosfinmonitoring")
    manifest = {
        "package_id": "e" * 32,
        "sender": header["sender"],
        "purpose": "x",
        "caveats": [],
        "created": header["created"],
        "expires": header["expires"],
        "recipients": [{"key_id": partner.active.key_id}],
    }
    _, payload = build_payload(manifest, [], TRANSACTION_SCHEMA.empty_table())
    secret = ppatk.identity.unlock(ppatk.identity.active.key_id, ppatk.passphrase)
    forged = seal(header, payload, secret, [partner.active])
    _rejected(rosfin, forged, "swapped manifest")


def test_wrong_recipient_is_rejected(sent: tuple) -> None:
    _, _, austrac, sealed = sent
    _rejected(austrac, sealed, "not addressed to this agency")


def test_unknown_sender_is_rejected(agencies: tuple) -> None:
    ppatk, rosfin, austrac = agencies
    load_dttot(austrac.store)
    sealed = _send(austrac, ppatk)
    # PPATK knows AUSTRAC; Rosfinmonitoring does not, even if it were addressed
    with pytest.raises(PackageRejectedError, match="unknown sender"):
        _receive(rosfin, sealed)
    assert rosfin.stored() == NOTHING


def test_expired_package_is_rejected(sent: tuple) -> None:
    ppatk, rosfin, _, _ = sent
    sealed = _send(ppatk, rosfin, expires_days=1)
    _rejected(rosfin, sealed, "expired", now=datetime.now(UTC) + timedelta(days=2))


def test_replayed_package_is_rejected(sent: tuple) -> None:
    _, rosfin, _, sealed = sent
    _receive(rosfin, sealed)
    before = rosfin.stored()
    with pytest.raises(PackageRejectedError, match="replayed"):
        _receive(rosfin, sealed)
    assert rosfin.stored() == before


def test_package_signed_with_locally_revoked_key_is_rejected(sent: tuple) -> None:
    ppatk, rosfin, _, sealed = sent
    revoke_partner_key(rosfin.store, "ppatk", ppatk.identity.active.key_id, "phoned: stolen")
    _rejected(rosfin, sealed, "revoked key")


def test_revocation_on_a_new_card_rejects_old_packages(sent: tuple) -> None:
    ppatk, rosfin, _, sealed = sent
    revoke_key(ppatk.identity, ppatk.identity.active.key_id, "laptop stolen", ppatk.passphrase)
    save_identity(ppatk.home, ppatk.identity)
    with pytest.raises(ExchangeError, match="not signed by any key trusted"):
        rosfin.knows(ppatk)  # new key unknown, old one revoked: needs an out-of-band check
    _rejected(rosfin, sealed, "revoked key")  # …but the self-signed revocation was honoured


def test_partner_data_is_not_passed_on_without_consent(sent: tuple) -> None:
    _, rosfin, austrac, sealed = sent
    _receive(rosfin, sealed)
    rosfin.knows(austrac)
    austrac.knows(rosfin)
    with pytest.raises(ExchangeError, match="onward dissemination"):
        _send(rosfin, austrac, terms=("list:exchange-ppatk",))
    forwarded = _send(
        rosfin, austrac, terms=("list:exchange-ppatk",), consent="PPATK letter 12/2025"
    )
    report = _receive(austrac, forwarded)
    (person_entity,) = [
        e
        for e in current_entities(austrac.store, ["exchange-rosfinmonitoring"])
        if e.schema.name == "Person" and "Rusdan" in e.caption
    ]
    assert person_entity.context["exchange"]["forwarded_from"]["agency"] == "PPATK"
    assert report.entities == 3


def test_every_exchange_is_in_the_hash_chained_log(sent: tuple) -> None:
    ppatk, rosfin, _, sealed = sent
    _receive(rosfin, sealed)
    with pytest.raises(PackageRejectedError):
        _receive(rosfin, sealed)
    assert [e.action for e in read_log(ppatk.store)] == ["export"]
    entries = read_log(rosfin.store)
    assert [e.action for e in entries] == ["import", "import-rejected"]
    assert verify_log(entries) is None
    rosfin.store.execute("UPDATE exchange_log SET detail = '{}' WHERE seq = 1")
    assert verify_log(read_log(rosfin.store)) == (
        "entry 1 was altered (its hash does not match its content)"
    )
    rosfin.store.execute("DELETE FROM exchange_log WHERE seq = 1")
    assert "missing" in (verify_log(read_log(rosfin.store)) or "")


def test_export_needs_a_purpose_and_a_selection(sent: tuple) -> None:
    ppatk, _, _, _ = sent
    with pytest.raises(ExchangeError, match="purpose"):
        export_package(
            ppatk.store,
            ppatk.identity,
            ppatk.passphrase,
            [find_partner(ppatk.store, "rosfinmonitoring")],
            select_entities(ppatk.store, ["topic:crime.terror"]),
            ExportRequest(purpose=" "),
        )
    with pytest.raises(ExchangeError, match="no current list subject"):
        select_entities(ppatk.store, ["name:nobody at all"])
    with pytest.raises(ExchangeError, match="KIND:VALUE"):
        select_entities(ppatk.store, ["bogus"])


def test_wrong_passphrase_is_refused(sent: tuple) -> None:
    _, rosfin, _, sealed = sent
    with pytest.raises(ExchangeError, match="wrong passphrase"):
        import_package(rosfin.store, rosfin.identity, "not it", sealed, "pkg")
    assert rosfin.stored() == NOTHING


def test_failed_watchlist_update_undoes_the_import(
    sent: tuple, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jalur.exchange import importer
    from jalur.lists import ListLoadError

    _, rosfin, _, sealed = sent

    def broken(*args: object, **kwargs: object) -> None:
        raise ListLoadError("exchange-ppatk", "entity x", "disk full")

    monkeypatch.setattr(importer, "load_entities", broken)
    with pytest.raises(ExchangeError, match="nothing of the package was stored"):
        _receive(rosfin, sealed)
    assert rosfin.stored() == NOTHING
    assert read_log(rosfin.store)[-1].action == "import-failed"
    monkeypatch.undo()
    assert _receive(rosfin, sealed).entities == 3  # not a replay: it was never kept

"""A rotated (retired) partner key signs nothing new: only what it signed before it retired.

A retired key is no longer in the partner's use; whoever still holds a copy (a decommissioned
laptop, a backup) could otherwise sign packages we accept forever. The registry records when
each partner key retired, and a package the key signed is accepted only when it claims a
creation time at most `RETIRED_SKEW` after that; a revoked key verifies nothing at all.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime, timedelta
from typing import Any

import pytest
from exchange_agencies import Agency, person
from hostile import parquet_bytes, signed_parts

from jalur.exchange import (
    ExchangeError,
    ExportRequest,
    PackageRejectedError,
    add_partner,
    export_card,
    export_package,
    find_partner,
    import_package,
    parse_card,
    read_log,
    revoke_partner_key,
    rotate_keys,
    save_identity,
    select_entities,
)
from jalur.exchange.canonical import iso, parse_iso
from jalur.exchange.envelope import seal
from jalur.exchange.keys import RETIRED
from jalur.exchange.package import ENTITIES_FILE, MANIFEST_FILE, TRANSACTIONS_FILE
from jalur.exchange.verify import RETIRED_SKEW
from jalur.lists import load_entities
from jalur.model import TRANSACTION_SCHEMA


def _rotate_and_tell(sender: Agency, recipient: Agency) -> str:
    """`sender` rotates; `recipient` takes the new card. Returns the retired key's id."""
    old = sender.identity.active.key_id
    rotate_keys(sender.identity, sender.passphrase)
    save_identity(sender.home, sender.identity)
    add_partner(recipient.store, parse_card(export_card(sender.identity, sender.passphrase)))
    return old


def _signed_by(sender: Agency, recipient: Agency, key_id: str, created: datetime) -> bytes:
    """A package `sender` signed with its key `key_id`, claiming creation at `created`."""
    lines = (json.dumps(person("a1", "Abu Rusdan").to_dict()) + "\n").encode()
    parquet = parquet_bytes(TRANSACTION_SCHEMA.empty_table())
    _, to_key, header, manifest = signed_parts(
        sender, recipient, parquet=parquet, rows=0, lines=lines, entity_count=1
    )
    header["sender"] = {**header["sender"], "key_id": key_id}
    header["created"] = iso(created)
    header["expires"] = iso(created + timedelta(days=30))
    manifest.update(sender=header["sender"], created=header["created"], expires=header["expires"])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(MANIFEST_FILE, json.dumps(manifest))
        archive.writestr(ENTITIES_FILE, lines)
        archive.writestr(TRANSACTIONS_FILE, parquet)
    secret = sender.identity.unlock(key_id, sender.passphrase)
    return seal(header, buffer.getvalue(), secret, [to_key])


def _import(agency: Agency, data: bytes) -> Any:
    return import_package(agency.store, agency.identity, agency.passphrase, data, "pkg")


def _retired_at(agency: Agency, partner: str, key_id: str) -> datetime:
    key = next(k for k in find_partner(agency.store, partner).keys if k.key_id == key_id)
    assert key.status == RETIRED and key.retired_at is not None
    return parse_iso(key.retired_at)


def test_the_registry_records_when_a_partner_key_retired(
    agencies: tuple[Agency, Agency, Agency],
) -> None:
    ppatk, rosfin, _ = agencies
    old = _rotate_and_tell(ppatk, rosfin)
    stated = next(k for k in ppatk.identity.keys if k.key_id == old).retired_at
    assert stated is not None  # the identity records it at rotation
    assert _retired_at(rosfin, "PPATK", old) == parse_iso(stated)
    listed = {k.key_id: k.retired_at for k in find_partner(rosfin.store, "PPATK").keys}
    assert listed[ppatk.identity.active.key_id] is None


def test_a_retired_key_signing_after_its_retirement_is_refused(
    agencies: tuple[Agency, Agency, Agency],
) -> None:
    ppatk, rosfin, _ = agencies
    old = _rotate_and_tell(ppatk, rosfin)
    retired = _retired_at(rosfin, "PPATK", old)
    later = retired + RETIRED_SKEW + timedelta(seconds=1)
    with pytest.raises(PackageRejectedError, match=f"retired key {old}.*after"):
        _import(rosfin, _signed_by(ppatk, rosfin, old, later))
    assert read_log(rosfin.store)[-1].action == "import-rejected"
    assert rosfin.stored()["exchange_packages"] == 0


def test_a_retired_key_verifies_what_it_signed_before_it_retired(
    agencies: tuple[Agency, Agency, Agency],
) -> None:
    """A package on its way while the partner rotated still imports (within the skew too)."""
    ppatk, rosfin, _ = agencies
    load_entities(ppatk.store, "dttot", [person("id-1", "Abu Rusdan")], source="t")
    partner = find_partner(ppatk.store, "Rosfinmonitoring")
    _, before = export_package(
        ppatk.store, ppatk.identity, ppatk.passphrase, [partner],
        select_entities(ppatk.store, ["list:dttot"]), ExportRequest(purpose="CTF analysis"),
    )  # fmt: skip
    old = _rotate_and_tell(ppatk, rosfin)
    assert _import(rosfin, before).entities == 1
    retired = _retired_at(rosfin, "PPATK", old)
    assert _import(rosfin, _signed_by(ppatk, rosfin, old, retired + RETIRED_SKEW)).entities == 1


def test_a_revoked_key_verifies_nothing_even_from_before(
    agencies: tuple[Agency, Agency, Agency],
) -> None:
    ppatk, rosfin, _ = agencies
    old = _rotate_and_tell(ppatk, rosfin)
    retired = _retired_at(rosfin, "PPATK", old)
    revoke_partner_key(rosfin.store, "PPATK", old, "phoned: old laptop lost")
    with pytest.raises(PackageRejectedError, match="revoked key"):
        _import(rosfin, _signed_by(ppatk, rosfin, old, retired - timedelta(days=1)))


def test_a_key_retired_before_this_version_counts_as_retired_when_the_registry_learned_it(
    agencies: tuple[Agency, Agency, Agency],
) -> None:
    """Registries written before retirement times were kept: the partner's last update bounds
    it (the card that retired the key arrived then at the latest)."""
    ppatk, rosfin, _ = agencies
    old = _rotate_and_tell(ppatk, rosfin)
    (data,) = rosfin.store.execute(
        "SELECT data FROM exchange_partner_keys WHERE key_id = ?", [old]
    ).fetchone()
    stored = json.loads(data)
    stored.pop("retired_at", None)
    rosfin.store.execute(
        "UPDATE exchange_partner_keys SET data = ? WHERE key_id = ?", [json.dumps(stored), old]
    )
    (updated,) = rosfin.store.execute(
        "SELECT updated_at FROM exchange_partners WHERE partner = 'ppatk'"
    ).fetchone()
    assert _retired_at(rosfin, "PPATK", old) == updated
    with pytest.raises(PackageRejectedError, match="retired key"):
        _import(rosfin, _signed_by(ppatk, rosfin, old, updated + timedelta(hours=1)))


# --- the hostile partner: a retired key's holder tries the card route instead -----------------


def test_a_card_signed_only_by_a_retired_key_cannot_take_over_the_partner(
    agencies: tuple[Agency, Agency, Agency], tmp_path: Any
) -> None:
    """Whoever kept the retired key makes a card naming a key of its own active: it passes the
    card's own signature check, and needed to be refused by the trust check after it."""
    ppatk, rosfin, _ = agencies
    old = _rotate_and_tell(ppatk, rosfin)
    current = ppatk.identity.active.key_id
    thief = dataclass_copy(ppatk)
    thief.identity.keys = [k for k in thief.identity.keys if k.key_id == old]
    thief.identity.keys[0] = type(thief.identity.keys[0])(
        **{**thief.identity.keys[0].__dict__, "status": "active", "retired_at": None}
    )
    rotate_keys(thief.identity, thief.passphrase)  # the thief's own new "active" key
    card = parse_card(export_card(thief.identity, thief.passphrase))
    assert old in card.signed_by
    with pytest.raises(ExchangeError, match="not signed by any key trusted"):
        add_partner(rosfin.store, card)
    partner = find_partner(rosfin.store, "PPATK")
    assert partner.active.key_id == current
    assert {k.key_id: k.status for k in partner.keys}[old] == RETIRED


def test_a_card_cannot_make_a_retired_key_active_again(
    agencies: tuple[Agency, Agency, Agency],
) -> None:
    """Retirement is one way: a later card (signed by the active key) listing the retired key
    as active again is refused, or the retired key would sign packages once more."""
    ppatk, rosfin, _ = agencies
    old = _rotate_and_tell(ppatk, rosfin)
    current = ppatk.identity.active
    body = export_card(ppatk.identity, ppatk.passphrase)
    ppatk.identity.keys = [
        type(k)(**{**k.__dict__, "status": "active" if k.key_id == old else "retired"})
        for k in ppatk.identity.keys
    ]
    assert body  # the genuine card was accepted before; now the altered one
    card = parse_card(export_card(ppatk.identity, ppatk.passphrase))
    with pytest.raises(ExchangeError, match="retired here"):
        add_partner(rosfin.store, card)
    assert find_partner(rosfin.store, "PPATK").active.key_id == current.key_id


def dataclass_copy(agency: Agency) -> Agency:
    import copy

    return Agency(agency.home, agency.store, copy.deepcopy(agency.identity), agency.passphrase)


def test_a_card_with_retirement_times_keeps_the_signed_body_older_versions_verify(
    agencies: tuple[Agency, Agency, Agency],
) -> None:
    """The keys under the card's signatures are as before (no `retired_at`); the times travel
    in `retirements`, each signed by its key, and a forged one is not believed."""
    ppatk, _, _ = agencies
    old = ppatk.identity.active.key_id
    rotate_keys(ppatk.identity, ppatk.passphrase)
    card = export_card(ppatk.identity, ppatk.passphrase)
    assert all("retired_at" not in k for k in card["keys"])
    (statement,) = card["retirements"]
    assert statement["key_id"] == old
    without = {k: v for k, v in card.items() if k != "retirements"}
    issued = parse_card(without).issued
    retired = {k.key_id: k.retired_at for k in parse_card(without).keys}
    assert retired[old] == issued  # no statement: the card's own time bounds it
    forged = {**statement, "retired_at": iso(parse_iso(statement["retired_at"]) - timedelta(1))}
    parsed = parse_card({**card, "retirements": [forged]})
    assert {k.key_id: k.retired_at for k in parsed.keys}[old] == issued


@pytest.mark.parametrize(
    "change",
    [
        {"issued": 12345},
        {"issued": "not a time"},
        {"retirements": "all of them"},
        {"retirements": [{"key_id": "x", "retired_at": 5, "signature": "AAAA"}]},
        {"retirements": ["x"]},
    ],
)
def test_a_card_with_malformed_times_is_refused_as_malformed(
    agencies: tuple[Agency, Agency, Agency], change: dict[str, Any]
) -> None:
    """Once the card's time bounds retirements it is parsed: whatever a partner's card holds
    there is a refusal naming the card, never a traceback."""
    ppatk, _, _ = agencies
    rotate_keys(ppatk.identity, ppatk.passphrase)
    card = {**export_card(ppatk.identity, ppatk.passphrase), **change}
    with pytest.raises(ExchangeError, match="malformed card"):
        parse_card(card, "ppatk.card.json")

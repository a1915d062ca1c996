"""Identity under a passphrase, cards with fingerprints, partners, rotation and revocation."""

from __future__ import annotations

import dataclasses
import json
import stat
from pathlib import Path

import pytest
from exchange_agencies import Agency

from jalur.exchange import (
    ExchangeError,
    add_partner,
    create_identity,
    export_card,
    find_partner,
    load_identity,
    parse_card,
    revoke_key,
    rotate_keys,
    save_identity,
)
from jalur.exchange.identity import identity_path
from jalur.exchange.keys import fingerprint, key_id_of
from jalur.store import Store


def test_private_keys_are_sealed_and_need_the_passphrase(tmp_path: Path) -> None:
    made = create_identity(tmp_path, "PPATK", "id", "s3cret passphrase")
    path = identity_path(tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    raw = path.read_text()
    assert "s3cret" not in raw and "private" not in raw
    loaded = load_identity(tmp_path)
    assert loaded.country == "ID" and loaded.active.key_id == made.active.key_id
    loaded.unlock(loaded.active.key_id, "s3cret passphrase")
    with pytest.raises(ExchangeError, match="wrong passphrase"):
        loaded.unlock(loaded.active.key_id, "guess")
    with pytest.raises(ExchangeError, match="already exists"):
        create_identity(tmp_path, "PPATK", "ID", "x")


def test_init_refuses_bad_country_and_empty_passphrase(tmp_path: Path) -> None:
    with pytest.raises(ExchangeError, match="ISO 3166"):
        create_identity(tmp_path / "a", "PPATK", "Indonesia", "x")
    with pytest.raises(ExchangeError, match="empty passphrase"):
        create_identity(tmp_path / "b", "PPATK", "ID", "")


def test_fingerprint_is_the_key_id_in_groups() -> None:
    key_id = key_id_of(b"s" * 32, b"e" * 32)
    assert len(key_id) == 40
    assert fingerprint(key_id).replace(" ", "").lower() == key_id
    assert len(fingerprint(key_id).split()) == 10


def test_card_signature_protects_every_field(agencies: tuple[Agency, Agency, Agency]) -> None:
    ppatk, _, _ = agencies
    card = export_card(ppatk.identity, ppatk.passphrase)
    assert parse_card(card).active.key_id == ppatk.identity.active.key_id
    forged = json.loads(json.dumps(card))
    forged["name"] = "PPATK (fake)"
    with pytest.raises(ExchangeError, match="no valid signature"):
        parse_card(forged)
    swapped = json.loads(json.dumps(card))
    swapped["keys"][0]["encrypt_public"] = card["keys"][0]["sign_public"]
    with pytest.raises(ExchangeError, match="key id does not match"):
        parse_card(swapped)


def test_rotated_card_is_accepted_on_the_strength_of_the_old_key(
    agencies: tuple[Agency, Agency, Agency],
) -> None:
    ppatk, rosfin, _ = agencies
    old = ppatk.identity.active.key_id
    new = rotate_keys(ppatk.identity, ppatk.passphrase)
    save_identity(ppatk.home, ppatk.identity)
    partner, action = add_partner(
        rosfin.store, parse_card(export_card(ppatk.identity, ppatk.passphrase))
    )
    assert action == "updated"
    assert partner.active.key_id == new.key_id
    assert {k.key_id: k.status for k in partner.keys}[old] == "retired"


def test_card_of_a_stranger_with_a_known_name_needs_replace(
    agencies: tuple[Agency, Agency, Agency], tmp_path: Path
) -> None:
    _, rosfin, _ = agencies
    impostor = create_identity(tmp_path / "impostor", "PPATK", "ID", "impostor passphrase")
    card = parse_card(export_card(impostor, "impostor passphrase"))
    with pytest.raises(ExchangeError, match="not signed by any key trusted"):
        add_partner(rosfin.store, card)
    assert find_partner(rosfin.store, "PPATK").active.key_id != impostor.active.key_id
    partner, _ = add_partner(rosfin.store, card, replace_keys=True)
    assert partner.active.key_id == impostor.active.key_id


def test_revoking_the_active_key_rotates_and_travels_on_the_card(
    agencies: tuple[Agency, Agency, Agency],
) -> None:
    ppatk, rosfin, _ = agencies
    stolen = ppatk.identity.active.key_id
    retired_first = rotate_keys(ppatk.identity, ppatk.passphrase)  # stolen is retired now
    new = revoke_key(ppatk.identity, retired_first.key_id, "laptop stolen", ppatk.passphrase)
    assert new is not None and ppatk.identity.active.key_id == new.key_id
    revoke_key(ppatk.identity, stolen[:8], "same laptop", ppatk.passphrase)
    card = parse_card(export_card(ppatk.identity, ppatk.passphrase))
    assert set(card.revocations) == {stolen, retired_first.key_id}
    with pytest.raises(ExchangeError, match="already revoked"):
        revoke_key(ppatk.identity, stolen, "again", ppatk.passphrase)
    with pytest.raises(ExchangeError, match="not signed by any key trusted"):
        add_partner(rosfin.store, card)
    statuses = {k.key_id: k.status for k in find_partner(rosfin.store, "ppatk").keys}
    assert statuses[stolen] == "revoked"  # the self-signed revocation is honoured anyway


def test_unknown_partner_names_the_known_ones(agencies: tuple[Agency, Agency, Agency]) -> None:
    ppatk, _, _ = agencies
    with pytest.raises(ExchangeError, match="known: austrac, rosfinmonitoring"):
        find_partner(ppatk.store, "FinCEN")


def test_a_card_whose_name_cannot_name_a_watchlist_is_refused(tmp_path: Path) -> None:
    """A partner's watchlist is named after its card; a name too long for a list name is
    refused when the card is added, not at the first import of the partner's package."""
    sender = create_identity(tmp_path / "long", "Agency", "ID", "correct horse battery")
    card = parse_card(export_card(sender, "correct horse battery"))
    long = dataclasses.replace(card, name="Agency " * 20)  # past parse_card's own check
    with Store(tmp_path / "here.duckdb") as store, pytest.raises(ExchangeError, match="watchlist"):
        add_partner(store, long)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("Evil\x1b[2J Agency", "printable"),
        ("PPATK\nAUSTRAC", "printable"),
        ("PPATK\u202e", "printable"),
        (" PPATK", "spaces"),
        ("A" * 91, "longer than 90"),
        ("", "empty"),
        ("---", "letters or digits"),
    ],
)
def test_an_agency_name_that_hides_text_or_is_huge_is_refused(
    tmp_path: Path, name: str, reason: str
) -> None:
    """On `agency init`, and on a partner's (signed) card: the name is printed on the other
    agency's terminal and names its watchlist."""
    with pytest.raises(ExchangeError, match=reason):
        create_identity(tmp_path / "new", name, "ID", "correct horse battery")
    sender = create_identity(tmp_path / "ok", "Agency", "ID", "correct horse battery")
    sender.name = name
    with pytest.raises(ExchangeError, match=reason):
        parse_card(export_card(sender, "correct horse battery"))


def test_a_card_with_a_country_that_is_no_code_is_refused(tmp_path: Path) -> None:
    sender = create_identity(tmp_path / "ok", "Agency", "ID", "correct horse battery")
    sender.country = "[bold]Indonesia"
    with pytest.raises(ExchangeError, match="ISO 3166"):
        parse_card(export_card(sender, "correct horse battery"))

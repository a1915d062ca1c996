"""Public agency cards: what one FIU hands another so they can verify and encrypt to it.

A card carries the agency's name, country and every key generation with its status. It is
signed by each of the agency's keys that is not revoked, so a partner that already trusts an
older key can accept a rotated card without a new out-of-band check (key continuity). Revoked
keys carry a revocation signed by themselves: only the key's holder can make one, so anyone
may honour it, even on a card it otherwise does not trust. Retired keys carry the time of
their retirement, signed by themselves at rotation (outside the card's signed body, which
partners running an older version verify as before).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from jalur.exchange.canonical import b64, canonical, iso, loads, parse_iso, unb64, utcnow
from jalur.exchange.errors import ExchangeError
from jalur.exchange.identity import (
    Identity,
    check_agency_name,
    check_country,
    retirement_signature,
    revocation_signature,
)
from jalur.exchange.keys import (
    ACTIVE,
    RETIRED,
    REVOKED,
    PublicKeys,
    retirement_message,
    revocation_message,
)
from jalur.inputs import file_problem

CARD_FORMAT = "jalur-card/1"


@dataclass(frozen=True)
class Card:
    """A partner's public card as read from a file, with what its signatures prove."""

    name: str
    country: str
    keys: list[PublicKeys]
    signed_by: frozenset[str]  # key ids whose signature over the card verifies
    revocations: dict[str, bytes]  # key id → verified self-revocation signature
    issued: str = ""  # when the card was made (covered by its signatures)

    @property
    def active(self) -> PublicKeys:
        active = [k for k in self.keys if k.status == ACTIVE]
        if len(active) != 1:
            raise ExchangeError(f"card of {self.name}: needs exactly one active key")
        return active[0]


def export_card(identity: Identity, passphrase: str) -> dict[str, Any]:
    """The card of this agency, signed by every generation that is not revoked."""
    body = _body(identity.name, identity.country, identity.keys, iso(utcnow()))
    message = b"jalur-card-v1" + canonical(body)
    signatures = [
        {
            "key_id": k.key_id,
            "signature": b64(identity.unlock(k.key_id, passphrase).sign_bytes(message)),
        }
        for k in identity.keys
        if k.status != REVOKED
    ]
    revocations = [
        {"key_id": k.key_id, "signature": b64(sig)}
        for k in identity.keys
        if k.status == REVOKED and (sig := revocation_signature(identity, k.key_id))
    ]
    retirements = [
        {"key_id": k.key_id, "retired_at": k.retired_at, "signature": b64(sig)}
        for k in identity.keys
        if k.status == RETIRED
        and k.retired_at
        and (sig := retirement_signature(identity, k.key_id))
    ]
    return {
        **body,
        "signatures": signatures,
        "revocations": revocations,
        "retirements": retirements,
    }


def _body(name: str, country: str, keys: list[PublicKeys], issued: str) -> dict[str, Any]:
    """What the card's signatures cover: every key as before retirement times were kept."""
    return {
        "format": CARD_FORMAT,
        "name": name,
        "country": country,
        "issued": issued,
        "keys": [{k: v for k, v in key.as_dict().items() if k != "retired_at"} for key in keys],
    }


def read_card(path: Path) -> Card:
    problem = file_problem(path)
    if problem:  # a FIFO or a device never ends
        raise ExchangeError(f"{path}: not a readable card: {problem}")
    try:
        data = loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ExchangeError(f"{path}: not a readable card: {exc}") from exc
    return parse_card(data, str(path))


def parse_card(data: Any, source: str = "card") -> Card:
    """Check a card's structure and signatures; a card no key of its own signed is refused."""
    if not isinstance(data, dict) or data.get("format") != CARD_FORMAT:
        raise ExchangeError(f"{source}: not a jalur agency card (format {CARD_FORMAT})")
    try:
        check_agency_name(data.get("name"))
        check_country(data.get("country"))
    except ExchangeError as exc:
        raise ExchangeError(f"{source}: malformed card: {exc}") from None
    try:
        # a retirement time counts only from its signed statement (`_retirements`)
        keys = [replace(PublicKeys.from_dict(k), retired_at=None) for k in data["keys"]]
        if not isinstance(data["issued"], str):
            raise ValueError(f"issued {str(data['issued'])[:40]!r} is not a time")
        issued = parse_iso(data["issued"])
        body = _body(data["name"], data["country"], keys, data["issued"])
        signatures = {s["key_id"]: unb64(s["signature"]) for s in data.get("signatures", [])}
        raw_revocations = {r["key_id"]: unb64(r["signature"]) for r in data.get("revocations", [])}
    except (KeyError, TypeError, ValueError) as exc:
        raise ExchangeError(f"{source}: malformed card: {exc}") from exc
    message = b"jalur-card-v1" + canonical(body)
    by_id = {k.key_id: k for k in keys}
    signed_by = frozenset(
        key_id
        for key_id, sig in signatures.items()
        if key_id in by_id
        and by_id[key_id].status != REVOKED
        and by_id[key_id].verify(sig, message)
    )
    if not signed_by:
        raise ExchangeError(f"{source}: no valid signature by any of the card's own keys")
    revocations = {
        key_id: sig
        for key_id, sig in raw_revocations.items()
        if key_id in by_id and by_id[key_id].verify(sig, revocation_message(by_id[key_id]))
    }
    keys = _retirements(keys, data.get("retirements"), issued, source)
    card = Card(data["name"], data["country"], keys, signed_by, revocations, iso(issued))
    card.active  # noqa: B018 - validates that there is exactly one active key
    return card


def _retirements(
    keys: list[PublicKeys], raw: object, issued: datetime, source: str
) -> list[PublicKeys]:
    """Each retired key with the time it retired: its own signed statement, and never later
    than the card's issue time (a card from before retirement times were kept: that time).

    Only the key's holder can sign a statement; a thief of a retired key could sign an
    earlier time, which refuses more, never a later one (the card's time bounds it).
    """
    stated: dict[str, datetime] = {}
    if not isinstance(raw, list | None):
        raise ExchangeError(f"{source}: malformed card: retirements are not a list")
    try:
        for item in raw or []:
            key = next((k for k in keys if k.key_id == item["key_id"]), None)
            when = parse_iso(str(item["retired_at"]))
            message = retirement_message(str(item["key_id"]), str(item["retired_at"]))
            if key is not None and key.verify(unb64(item["signature"]), message):
                stated[key.key_id] = when
    except (KeyError, TypeError, ValueError) as exc:
        raise ExchangeError(f"{source}: malformed card: retirements: {exc}") from exc
    return [
        replace(k, retired_at=iso(min(stated.get(k.key_id, issued), issued)))
        if k.status == RETIRED
        else k
        for k in keys
    ]

"""Every check an incoming sealed file must pass before anything of it is believed or stored.

Order matters: the structure, then who claims to have sent it (a known partner key that is not
revoked), then the signature, then whether that key was still in use when the file says it was
made (a retired key signs nothing after its retirement), then whether it was meant for us,
then time (not expired, not from the future), then replay, and only then decryption and the
manifest's agreement with its envelope. Each failure is a `PackageRejectedError` with a
reason an analyst can act on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from jalur.exchange.canonical import parse_iso, utcnow
from jalur.exchange.envelope import Envelope, decrypt, parse, signature_valid
from jalur.exchange.errors import PackageRejectedError
from jalur.exchange.identity import Identity
from jalur.exchange.keys import RETIRED, REVOKED, PublicKeys
from jalur.exchange.partners import Partner, partner_by_key
from jalur.exchange.tables import ensure_tables
from jalur.store import Store

#: Clock skew tolerated between agencies for "created in the future".
MAX_SKEW = timedelta(minutes=10)
#: How long after its retirement a retired key's signature still counts: an export that read
#: the active key just before `agency rotate` ran beside it. Both times are the partner's clock.
RETIRED_SKEW = timedelta(minutes=10)
#: The longest a package or offer may be usable (the exporter offers at most this); a file
#: valid for a century would defeat expiry and the retention rules that rely on it.
MAX_VALID_DAYS = 3650


@dataclass(frozen=True)
class Opened:
    envelope: Envelope
    partner: Partner
    sender_key: PublicKeys
    payload: bytes


def open_sealed(
    store: Store,
    identity: Identity,
    passphrase: str,
    data: bytes,
    source: str,
    kind: str,
    now: datetime | None = None,
) -> Opened:
    envelope = parse(data, source)
    if envelope.header["kind"] != kind:
        raise PackageRejectedError(
            source, f"this file is a {envelope.header['kind']}, not a {kind}"
        )
    partner, key = _sender(store, envelope, source)
    if not signature_valid(envelope, key):
        raise PackageRejectedError(
            source, f"signature does not verify: the file was altered or not made by {partner.name}"
        )
    _check_retired(envelope, partner, key, source)
    mine = [k for k in identity.keys if k.key_id in envelope.recipient_keys]
    if not mine:
        raise PackageRejectedError(
            source, f"not addressed to this agency ({identity.name}); it is for other keys"
        )
    _check_time(envelope, source, now or utcnow())
    _check_replay(store, envelope, source)
    payload = decrypt(envelope, identity.unlock(mine[0].key_id, passphrase), source)
    return Opened(envelope, partner, key, payload)


def _sender(store: Store, envelope: Envelope, source: str) -> tuple[Partner, PublicKeys]:
    claimed = envelope.header["sender"].get("agency", "?")
    found = partner_by_key(store, envelope.sender_key)
    if found is None:
        raise PackageRejectedError(
            source,
            f"unknown sender: key {envelope.sender_key} (claims to be {claimed}) is not a "
            "partner key here; add the partner's card with `jalur agency add-partner`",
        )
    partner, key = found
    if key.status == REVOKED:
        raise PackageRejectedError(
            source,
            f"signed with revoked key {key.key_id} of {partner.name} (revoked {key.revoked_at}: "
            f"{key.reason})",
        )
    if claimed != partner.name:
        raise PackageRejectedError(
            source, f"claims to be from {claimed} but is {partner.name}'s key"
        )
    return partner, key


def _check_retired(envelope: Envelope, partner: Partner, key: PublicKeys, source: str) -> None:
    """A retired key verifies only what it signed before it retired (plus `RETIRED_SKEW`).

    The creation time is the signer's own claim: a holder of the retired key can still
    backdate a package to before the retirement, which only revoking the key stops.
    """
    if key.status != RETIRED:
        return
    try:
        created = parse_iso(envelope.header["created"])
        retired = parse_iso(key.retired_at or "")
    except ValueError as exc:
        raise PackageRejectedError(
            source, f"unreadable creation or retirement time: {exc}"
        ) from exc
    if created > retired + RETIRED_SKEW:
        raise PackageRejectedError(
            source,
            f"signed with retired key {key.key_id} of {partner.name} (retired {key.retired_at}), "
            f"but made {envelope.header['created']}, after its retirement: {partner.name} signs "
            "with its active key now (ask for the package again; revoke the key if it was lost)",
        )


def _check_time(envelope: Envelope, source: str, now: datetime) -> None:
    try:
        created = parse_iso(envelope.header["created"])
        expires = parse_iso(envelope.header["expires"])
    except ValueError as exc:
        raise PackageRejectedError(source, f"unreadable creation or expiry time: {exc}") from exc
    if created > now + MAX_SKEW:
        raise PackageRejectedError(source, f"created in the future ({envelope.header['created']})")
    if expires <= now:
        raise PackageRejectedError(source, f"expired at {envelope.header['expires']}")
    if expires - created > timedelta(days=MAX_VALID_DAYS):
        raise PackageRejectedError(
            source,
            f"valid until {envelope.header['expires']}, more than {MAX_VALID_DAYS} days after "
            f"its creation ({envelope.header['created']})",
        )


def _check_replay(store: Store, envelope: Envelope, source: str) -> None:
    ensure_tables(store)
    # any kind: packages and match offers share the id space and both are recorded
    row = store.execute(
        "SELECT recorded_at FROM exchange_packages WHERE package_id = ? AND direction = 'in'",
        [envelope.header["id"]],
    ).fetchone()
    if row is not None:
        raise PackageRejectedError(
            source, f"replayed: package {envelope.header['id']} was already received on {row[0]}"
        )

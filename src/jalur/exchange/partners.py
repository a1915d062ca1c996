"""Partner agencies this one exchanges with, and the status of each of their keys.

A partner is added from its card after the analyst checked the fingerprint out of band (phone,
Egmont Secure Web). Later cards update the partner only when signed by a key already trusted
and not revoked here; otherwise they need an explicit `--replace` (a new out-of-band check).
Revocations signed by the revoked key itself are honoured from any card. Local revocations
(the partner phoned to say a key was stolen) are never undone by a card, nor retirements: a
key retired here stays retired, keeps the earliest retirement time known, and no longer vouches
for a card on its own (whoever kept a copy of it would otherwise name a key of its own).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from jalur.exchange.canonical import iso, parse_iso, utcnow
from jalur.exchange.cards import Card
from jalur.exchange.errors import ExchangeError
from jalur.exchange.identity import slug
from jalur.exchange.keys import ACTIVE, RETIRED, REVOKED, PublicKeys, revoked
from jalur.exchange.resolve import EXCHANGE_LIST_PREFIX
from jalur.exchange.tables import ensure_tables
from jalur.lists import ListLoadError, check_list_name
from jalur.store import Store


@dataclass(frozen=True)
class Partner:
    partner: str  # slug, e.g. "rosfinmonitoring"
    name: str
    country: str
    keys: list[PublicKeys]

    @property
    def active(self) -> PublicKeys:
        usable = [k for k in self.keys if k.status == "active"]
        if not usable:
            raise ExchangeError(f"partner {self.name} has no usable key (all retired or revoked)")
        return usable[-1]


def add_partner(
    store: Store, card: Card, replace_keys: bool = False, own_key_ids: Iterable[str] = ()
) -> tuple[Partner, str]:
    """Register or update a partner from its card; returns the partner and what happened.

    `own_key_ids` are this agency's own keys: a card holding one is this agency's own card
    (handed back by mistake), and this agency is never its own partner."""
    if {k.key_id for k in card.keys} & set(own_key_ids):
        raise ExchangeError(
            f"this is this agency's own card ({card.name}, {card.active.fingerprint}), not a "
            "partner's: add the card the partner sent (nothing was changed)"
        )
    ensure_tables(store)
    handle = slug(card.name)
    _check_watchlist_name(handle, card)
    _refuse_key_reuse(store, handle, card)
    existing = get_partner(store, handle)
    if existing is None:
        _write(store, handle, card, card.keys, "added")
        return _must(store, handle), "added"
    trusted = {k.key_id for k in existing.keys if k.status == ACTIVE}
    if not (card.signed_by & trusted) and not replace_keys:
        _apply_revocations(store, existing, card)
        raise ExchangeError(
            f"the card of {card.name} is not signed by any key trusted here (its active key "
            "here, not one retired or revoked); check its "
            f"fingerprint ({card.active.fingerprint}) with {card.name} and use --replace"
        )
    _refuse_ended_key(existing, card)
    kept = existing.keys
    if not card.signed_by & trusted:
        kept = _distrust_absent(existing.keys, card)
    merged = _merge(kept, card.keys)
    _write(store, handle, card, merged, "updated")
    _apply_revocations(store, _must(store, handle), card)
    return _must(store, handle), "updated"


def _check_watchlist_name(handle: str, card: Card) -> None:
    """The partner's listed parties go to the watchlist `exchange-<handle>`: a card whose name
    cannot name a list is refused now, not at the first import of the partner's package."""
    try:
        check_list_name(f"{EXCHANGE_LIST_PREFIX}{handle}", card.name)
    except ListLoadError as exc:
        raise ExchangeError(
            f"the card's agency name cannot name the partner's watchlist: {exc.reason}"
            " (nothing was changed)"
        ) from None


def _refuse_ended_key(existing: Partner, card: Card) -> None:
    """A card cannot undo what was decided here about the key it offers as active: a
    revocation, or a retirement (one way: a retired key made active again would sign packages
    once more; with `--replace` too, as a new key needs a new key generation)."""
    offered = card.active
    mine = next((k for k in existing.keys if k.key_id == offered.key_id), None)
    if mine is None:
        return
    offers = f"the card of {card.name} offers key {offered.fingerprint} as its active key, but"
    if mine.status == REVOKED:
        raise ExchangeError(
            f"{offers} that key was revoked here ({mine.reason or 'no reason given'}); a card "
            f"cannot undo a revocation: ask {card.name} to rotate its keys and send the new card "
            "(nothing was changed)"
        )
    if mine.status == RETIRED:
        raise ExchangeError(
            f"{offers} that key was retired here on {mine.retired_at}; a retired key is never "
            f"made active again: ask {card.name} to rotate its keys (nothing was changed)"
        )


def _distrust_absent(local: list[PublicKeys], card: Card) -> list[PublicKeys]:
    """A card accepted with `--replace` replaces the trust: keys it does not list are revoked.

    Otherwise the old keys would stay usable beside the new ones, and whoever holds them (the
    reason for a new out-of-band check is often a lost or stolen key) could still sign.
    """
    listed = {k.key_id for k in card.keys}
    return [
        k
        if k.key_id in listed or k.status == REVOKED
        else revoked(
            k, f"replaced: a card of {card.name} without this key was accepted with --replace"
        )
        for k in local
    ]


def _merge(local: list[PublicKeys], incoming: list[PublicKeys]) -> list[PublicKeys]:
    by_id = {k.key_id: k for k in local}
    for key in incoming:
        mine = by_id.get(key.key_id)
        if mine is not None and mine.status == REVOKED:
            continue
        by_id[key.key_id] = _retired_since(key, mine) if key.status == RETIRED else key
    return sorted(by_id.values(), key=lambda k: k.created)


def _retired_since(key: PublicKeys, mine: PublicKeys | None) -> PublicKeys:
    """A retired key with the earliest retirement time known: the card's, ours from an
    earlier card, and never later than now (a card's time is the partner's clock)."""
    times = [utcnow()]
    for known in (key, mine):
        if known is not None and known.retired_at:
            times.append(parse_iso(known.retired_at))
    return replace(key, retired_at=iso(min(times)))


def _apply_revocations(store: Store, partner: Partner, card: Card) -> None:
    for key in partner.keys:
        if key.key_id in card.revocations and key.status != REVOKED:
            theirs = next(k for k in card.keys if k.key_id == key.key_id)
            _set_key(store, partner.partner, theirs)


def _refuse_key_reuse(store: Store, handle: str, card: Card) -> None:
    ids = [k.key_id for k in card.keys]
    rows = store.execute(
        "SELECT partner, key_id FROM exchange_partner_keys WHERE key_id IN (SELECT unnest(?)) "
        "AND partner <> ?",
        [ids, handle],
    ).fetchall()
    if rows:
        raise ExchangeError(f"key {rows[0][1]} already belongs to partner {rows[0][0]}")


def _write(store: Store, handle: str, card: Card, keys: list[PublicKeys], action: str) -> None:
    now = datetime.now(UTC)
    with store.transaction() as con:
        if action == "added":
            con.execute(
                "INSERT INTO exchange_partners VALUES (?, ?, ?, ?, ?)",
                [handle, card.name, card.country, now, now],
            )
        else:
            con.execute(
                "UPDATE exchange_partners SET country = ?, updated_at = ? WHERE partner = ?",
                [card.country, now, handle],
            )
        con.execute("DELETE FROM exchange_partner_keys WHERE partner = ?", [handle])
        for key in keys:
            con.execute(
                "INSERT INTO exchange_partner_keys VALUES (?, ?, ?, ?)",
                [handle, key.key_id, json.dumps(key.as_dict()), key.status],
            )


def _set_key(store: Store, handle: str, key: PublicKeys) -> None:
    store.execute(
        "UPDATE exchange_partner_keys SET data = ?, status = ? WHERE partner = ? AND key_id = ?",
        [json.dumps(key.as_dict()), key.status, handle, key.key_id],
    )


def revoke_partner_key(store: Store, partner: str, key_id: str, reason: str) -> PublicKeys:
    """Locally distrust one of a partner's keys: its packages are rejected from now on."""
    found = find_partner(store, partner)
    matches = [k for k in found.keys if k.key_id.startswith(key_id.replace(" ", "").lower())]
    if len(matches) != 1:
        raise ExchangeError(f"partner {found.name} has no single key matching {key_id!r}")
    marked = revoked(matches[0], reason)
    _set_key(store, found.partner, marked)
    return marked


def get_partner(store: Store, handle: str) -> Partner | None:
    ensure_tables(store)
    row = store.execute(
        "SELECT partner, name, country, updated_at FROM exchange_partners WHERE partner = ?",
        [handle],
    ).fetchone()
    if row is None:
        return None
    keys = store.execute(
        "SELECT data FROM exchange_partner_keys WHERE partner = ?", [handle]
    ).fetchall()
    parsed = sorted(
        (_with_retirement(PublicKeys.from_dict(json.loads(d)), row[3]) for (d,) in keys),
        key=lambda k: k.created,
    )
    return Partner(row[0], row[1], row[2], parsed)


def _with_retirement(key: PublicKeys, updated_at: datetime) -> PublicKeys:
    """A key retired in a registry written before retirement times were kept retired at the
    partner's last update at the latest: the card that retired it arrived by then."""
    if key.status != RETIRED or key.retired_at:
        return key
    return replace(key, retired_at=iso(updated_at))


def _must(store: Store, handle: str) -> Partner:
    partner = get_partner(store, handle)
    if partner is None:
        raise ExchangeError(f"unknown partner {handle!r}")
    return partner


def find_partner(store: Store, text: str) -> Partner:
    """A partner by handle or name (case-insensitive), with the known ones in the error."""
    ensure_tables(store)
    handle = slug(text)
    partner = get_partner(store, handle)
    if partner is None:
        known = ", ".join(p.partner for p in list_partners(store)) or "none"
        raise ExchangeError(f"unknown partner {text!r} (known: {known}); add its card first")
    return partner


def list_partners(store: Store) -> list[Partner]:
    ensure_tables(store)
    rows = store.execute("SELECT partner FROM exchange_partners ORDER BY partner").fetchall()
    return [_must(store, handle) for (handle,) in rows]


def partner_by_key(store: Store, key_id: str) -> tuple[Partner, PublicKeys] | None:
    ensure_tables(store)
    row = store.execute(
        "SELECT partner FROM exchange_partner_keys WHERE key_id = ?", [key_id]
    ).fetchone()
    if row is None:
        return None
    partner = _must(store, row[0])
    return partner, next(k for k in partner.keys if k.key_id == key_id)

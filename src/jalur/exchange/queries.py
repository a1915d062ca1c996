"""Reading back what was exchanged: packages, and a received package with its provenance."""

from __future__ import annotations

import json
from typing import Any

from jalur.exchange.errors import ExchangeError
from jalur.exchange.tables import ensure_tables
from jalur.store import Store


def packages(store: Store) -> list[dict[str, Any]]:
    ensure_tables(store)
    rows = store.execute(
        """SELECT package_id, direction, partner, created, expires, manifest FROM exchange_packages
           WHERE kind = 'package' ORDER BY recorded_at, package_id, partner"""
    ).fetchall()
    out = []
    for package_id, direction, partner, created, expires, manifest in rows:
        m = json.loads(manifest)
        out.append(
            {
                "package_id": package_id,
                "direction": direction,
                "partner": partner,
                "created": str(created),
                "expires": str(expires),
                "entities": m["contents"]["entities"]["count"],
                "transactions": m["contents"]["transactions"]["rows"],
                "classification": m.get("classification"),
                "caveats": m.get("caveats"),
            }
        )
    return out


def package_details(store: Store, package_id: str) -> dict[str, Any]:
    """Manifest, imported entities (with their provenance) and links of a received package."""
    ensure_tables(store)
    row = store.execute(
        """SELECT p.manifest, r.name FROM exchange_packages p
           LEFT JOIN exchange_partners r ON r.partner = p.partner
           WHERE p.package_id = ? AND p.direction = 'in' AND p.kind = 'package'""",
        [package_id],
    ).fetchone()
    if row is None:
        raise ExchangeError(f"no received package {package_id!r} (see `jalur exchange packages`)")
    entities = store.execute(
        """SELECT entity_id, original_id, schema, caption, caveats, classification, data
           FROM exchange_entities WHERE package_id = ? ORDER BY entity_id""",
        [package_id],
    ).fetchall()
    links = store.execute(
        "SELECT entity_id, local_list, local_entity_id, reason FROM exchange_links "
        "WHERE package_id = ? ORDER BY entity_id",
        [package_id],
    ).fetchall()
    payments = store.execute(
        """SELECT tx_id, timestamp, orig_name, bene_name, amount, currency, caveats
           FROM exchange_transactions WHERE package_id = ? ORDER BY timestamp, tx_id""",
        [package_id],
    ).fetchall()
    return {
        "manifest": json.loads(row[0]),
        # who sent it is who holds the verified key, never what the manifest says
        "partner_name": row[1],
        "transactions": [
            {
                "tx_id": t[0],
                "timestamp": str(t[1]),
                "orig_name": t[2],
                "bene_name": t[3],
                "amount": t[4],
                "currency": t[5],
                "caveats": list(t[6]),
            }
            for t in payments
        ],
        "entities": [
            {
                "entity_id": e[0],
                "original_id": e[1],
                "schema": e[2],
                "caption": e[3],
                "caveats": list(e[4]),
                "classification": e[5],
                "data": json.loads(e[6]),
            }
            for e in entities
        ],
        "links": [
            {"entity_id": r[0], "local_list": r[1], "local_entity_id": r[2], "reason": r[3]}
            for r in links
        ],
    }

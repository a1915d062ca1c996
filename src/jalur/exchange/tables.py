"""The exchange capability's tables in the workspace store.

Partners and their keys; packages sent and received; what received packages contained, each
row carrying its provenance (agency, package, caveats, classification); links from imported
entities to local ones; the references behind match offers; and the hash-chained log.
"""

from __future__ import annotations

from jalur.model import TRANSACTION_SCHEMA
from jalur.store import Store

_PROVENANCE = """package_id VARCHAR NOT NULL,
        agency VARCHAR NOT NULL,
        caveats VARCHAR[] NOT NULL,
        classification VARCHAR NOT NULL"""


def _duck_type(name: str) -> str:
    field = TRANSACTION_SCHEMA.field(name)
    text = str(field.type)
    if text.startswith("timestamp"):
        return "TIMESTAMPTZ"
    return {"string": "VARCHAR", "double": "DOUBLE", "bool": "BOOLEAN"}[text]


_TX_COLUMNS = ",\n        ".join(f"{n} {_duck_type(n)}" for n in TRANSACTION_SCHEMA.names)

DDL = [
    """CREATE TABLE IF NOT EXISTS exchange_partners (
        partner VARCHAR PRIMARY KEY,
        name VARCHAR NOT NULL,
        country VARCHAR NOT NULL,
        added_at TIMESTAMPTZ NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS exchange_partner_keys (
        partner VARCHAR NOT NULL,
        key_id VARCHAR NOT NULL,
        data JSON NOT NULL,
        status VARCHAR NOT NULL,
        PRIMARY KEY (partner, key_id)
    )""",
    """CREATE TABLE IF NOT EXISTS exchange_packages (
        package_id VARCHAR NOT NULL,
        direction VARCHAR NOT NULL,
        kind VARCHAR NOT NULL,
        partner VARCHAR NOT NULL,
        key_id VARCHAR NOT NULL,
        created TIMESTAMPTZ NOT NULL,
        expires TIMESTAMPTZ NOT NULL,
        recorded_at TIMESTAMPTZ NOT NULL,
        file_sha256 VARCHAR NOT NULL,
        manifest JSON NOT NULL,
        PRIMARY KEY (package_id, direction, partner)
    )""",
    f"""CREATE TABLE IF NOT EXISTS exchange_entities (
        {_PROVENANCE},
        entity_id VARCHAR NOT NULL,
        original_id VARCHAR NOT NULL,
        schema VARCHAR NOT NULL,
        caption VARCHAR,
        topics VARCHAR[],
        data JSON NOT NULL
    )""",
    f"""CREATE TABLE IF NOT EXISTS exchange_transactions (
        {_PROVENANCE},
        {_TX_COLUMNS}
    )""",
    """CREATE TABLE IF NOT EXISTS exchange_links (
        package_id VARCHAR NOT NULL,
        entity_id VARCHAR NOT NULL,
        local_list VARCHAR NOT NULL,
        local_entity_id VARCHAR NOT NULL,
        reason VARCHAR NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS exchange_offer_refs (
        offer_id VARCHAR NOT NULL,
        partner VARCHAR NOT NULL,
        ref VARCHAR NOT NULL,
        list_name VARCHAR NOT NULL,
        entity_id VARCHAR NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS exchange_log (
        seq BIGINT PRIMARY KEY,
        logged_at VARCHAR NOT NULL,
        action VARCHAR NOT NULL,
        partner VARCHAR,
        package_id VARCHAR,
        detail JSON NOT NULL,
        prev_hash VARCHAR NOT NULL,
        hash VARCHAR NOT NULL
    )""",
]


def ensure_tables(store: Store) -> None:
    store.ensure("exchange", DDL)

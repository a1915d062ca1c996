"""Exchange between agencies: signed, encrypted intelligence packages and Ma3tch-like matching.

An agency has an identity (`identity`: Ed25519 + X25519 keys under a passphrase) and partners
(`partners`, from their public `cards`). `export_package` seals FtM entities, related payments
and an Egmont-style manifest to named partners; `import_package` verifies, rejects tampered,
replayed, expired, misaddressed, unknown-sender and revoked-key packages, and stores the rest
with provenance. `make_offer` / `match_offer` find common subjects from keyed Bloom-filter
encodings without revealing the lists. Everything is recorded in a hash-chained log.
"""

from __future__ import annotations

import typer

from jalur.exchange.cards import Card, export_card, parse_card, read_card
from jalur.exchange.errors import ExchangeError, ImportFailedError, PackageRejectedError
from jalur.exchange.export import ExportRequest, export_package
from jalur.exchange.identity import Identity
from jalur.exchange.identity import create as create_identity
from jalur.exchange.identity import load as load_identity
from jalur.exchange.identity import revoke as revoke_key
from jalur.exchange.identity import rotate as rotate_keys
from jalur.exchange.identity import save as save_identity
from jalur.exchange.importer import ImportReport, import_package
from jalur.exchange.limits import ExchangeLimits
from jalur.exchange.log import (
    LogEntry,
    check_log,
    ensure_log_tables,
    log_failed_import,
    read_log,
    seal_head,
    verify_log,
)
from jalur.exchange.offer import local_subjects, make_offer, match_offer
from jalur.exchange.partners import (
    Partner,
    add_partner,
    find_partner,
    list_partners,
    revoke_partner_key,
)
from jalur.exchange.queries import package_details, packages
from jalur.exchange.select import Selection, case_selection, select_entities


def register_cli(app: typer.Typer) -> None:
    """Add `jalur agency …` and `jalur exchange …` to the root app."""
    from jalur.exchange.agency_cli import agency_app
    from jalur.exchange.exchange_cli import exchange_app

    app.add_typer(agency_app, name="agency")
    app.add_typer(exchange_app, name="exchange")


__all__ = [
    "Card",
    "ExchangeError",
    "ExchangeLimits",
    "ExportRequest",
    "Identity",
    "ImportFailedError",
    "ImportReport",
    "LogEntry",
    "PackageRejectedError",
    "Partner",
    "Selection",
    "add_partner",
    "case_selection",
    "check_log",
    "create_identity",
    "ensure_log_tables",
    "export_card",
    "export_package",
    "find_partner",
    "import_package",
    "list_partners",
    "load_identity",
    "local_subjects",
    "log_failed_import",
    "make_offer",
    "match_offer",
    "package_details",
    "packages",
    "parse_card",
    "read_card",
    "read_log",
    "register_cli",
    "revoke_key",
    "revoke_partner_key",
    "rotate_keys",
    "save_identity",
    "seal_head",
    "select_entities",
    "verify_log",
]

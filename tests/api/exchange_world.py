"""Exchange for the API tests: the served workspace becomes agency PPATK, with a partner
(AUSTRAC, a workspace of its own) whose card it holds and who holds PPATK's.

The service takes the key passphrase from its environment (`JALUR_PASSPHRASE`); `keys_unlocked`
sets it for a block.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from api_world import World

from jalur.exchange import (
    ExportRequest,
    Identity,
    add_partner,
    create_identity,
    export_card,
    export_package,
    find_partner,
    load_identity,
    parse_card,
    select_entities,
)
from jalur.exchange.identity import identity_path
from jalur.lists import load_entities
from jalur.model import make_entity
from jalur.store import Store

OURS = "correct horse PPATK"


@dataclass
class Partner:
    """A partner agency with its own workspace and store."""

    home: Path
    store: Store
    identity: Identity
    passphrase: str

    def package_to_us(self, terms: list[str], **request: Any) -> bytes:
        """A package this partner seals to PPATK (no payments: it has none)."""
        selection = select_entities(self.store, terms)
        chosen = ExportRequest(
            purpose=request.pop("purpose", "CTF enquiry 7/2026"),
            include_transactions=False,
            **request,
        )
        _, sealed = export_package(
            self.store, self.identity, self.passphrase,
            [find_partner(self.store, "PPATK")], selection, chosen,
        )  # fmt: skip
        return sealed


@contextmanager
def keys_unlocked() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JALUR_PASSPHRASE", OURS)
        yield


def make_partner(world: World, root: Path, name: str = "AUSTRAC", country: str = "AU") -> Partner:
    """`name`, knowing PPATK (the served workspace, made an agency on first use) and known."""
    home = world.settings.home
    if not identity_path(home).exists():
        create_identity(home, "PPATK", "ID", OURS)
    ours = load_identity(home)
    folder = root / name.lower()
    folder.mkdir(parents=True)
    secret = f"correct horse {name}"
    partner = Partner(folder, Store(folder / "jalur.duckdb"),
                      create_identity(folder, name, country, secret), secret)  # fmt: skip
    add_partner(partner.store, parse_card(export_card(ours, OURS)))
    service = world.client.app.state.service  # type: ignore[attr-defined]
    with service.analytic.writer() as store:
        add_partner(store, parse_card(export_card(partner.identity, partner.passphrase)))
    listed = make_entity("Person", "au-1")
    listed.add("name", "Abu Rusdan")
    listed.add("birthDate", "1960-05-12")
    listed.add("topics", "crime.terror")
    other = make_entity("Person", "au-2")
    other.add("name", "Wiremu Tane Hohepa")
    other.add("topics", "crime.terror")
    load_entities(partner.store, "au-terror", [listed, other], source="test")
    return partner


def exchange_ids(world: World, root: Path) -> dict[str, str]:
    """A package and an offer the default agency made (for the visibility probes)."""
    make_partner(world, root)
    with keys_unlocked():
        sent = world.post("ana", "/v1/exchange/packages", json={
            "to": ["AUSTRAC"], "purpose": "probe", "entities": ["id:dttot-rusdan"],
        })  # fmt: skip
        offer = world.post("ana", "/v1/exchange/offers", json={"to": "AUSTRAC"})
    assert sent.status_code == 201, sent.text
    assert offer.status_code == 201, offer.text
    return {"package_id": sent.json()["package_id"], "offer_id": offer.json()["offer_id"]}

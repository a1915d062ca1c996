"""A partner's entity ids may hold dots: `dttot.1` and `dttot.2` are two entities.

FtM's `Namespace` reads the part after an id's last dot as a namespace signature and drops it
before signing, so `dttot.1` and `dttot.2` both became `dttot.<signature>`: the package was
refused as two entities with one id. The exchange namespace signs the whole id instead.
"""

from __future__ import annotations

import json
from typing import Any

from exchange_agencies import Agency
from hostile import hostile_package, parquet_bytes

from jalur.exchange import import_package
from jalur.lists import current_entities
from jalur.model import TRANSACTION_SCHEMA


def _lines(*entities: dict[str, Any]) -> bytes:
    return "".join(json.dumps(e) + "\n" for e in entities).encode()


def _person(entity_id: str, name: str) -> dict[str, Any]:
    return {
        "id": entity_id,
        "schema": "Person",
        "properties": {"name": [name], "topics": ["crime.terror"]},
    }


def _import(sender: Agency, recipient: Agency, *entities: dict[str, Any]) -> Any:
    data = hostile_package(
        sender, recipient, parquet=parquet_bytes(TRANSACTION_SCHEMA.empty_table()), rows=0,
        lines=_lines(*entities), entity_count=len(entities),
    )  # fmt: skip
    return import_package(recipient.store, recipient.identity, recipient.passphrase, data, "pkg")


def _stored(agency: Agency) -> dict[str, str]:
    """original id → namespaced id of every imported entity."""
    rows = agency.store.execute("SELECT original_id, entity_id FROM exchange_entities").fetchall()
    return dict(rows)


def test_ids_that_differ_only_after_their_last_dot_are_two_entities(
    agencies: tuple[Agency, Agency, Agency],
) -> None:
    ppatk, rosfin, _ = agencies
    sanction = {
        "id": "dttot.2-sanction",
        "schema": "Sanction",
        "properties": {"entity": ["dttot.2"], "program": ["DTTOT"]},
    }
    report = _import(
        ppatk, rosfin, _person("dttot.1", "Abu Rusdan"), _person("dttot.2", "Umar Patek"), sanction
    )
    assert report.entities == 3
    ids = _stored(rosfin)
    assert set(ids) == {"dttot.1", "dttot.2", "dttot.2-sanction"}
    assert len(set(ids.values())) == 3
    assert all(ids[o].startswith(f"{o}.") for o in ids)  # the whole partner id, then the mark
    listed = {str(e.id): e for e in current_entities(rosfin.store, lists=["exchange-ppatk"])}
    assert {ids["dttot.1"], ids["dttot.2"]} <= set(listed)
    assert listed[ids["dttot.2-sanction"]].get("entity") == [ids["dttot.2"]]  # reference follows


def test_an_id_and_the_same_id_with_a_suffix_are_two_entities(
    agencies: tuple[Agency, Agency, Agency],
) -> None:
    """`a1` and `a1.evil` were one entity once namespaced (the watchlist kept the last)."""
    ppatk, rosfin, _ = agencies
    _import(ppatk, rosfin, _person("a1", "Abu Rusdan"), _person("a1.evil", "Someone Else"))
    ids = _stored(rosfin)
    assert ids["a1"] != ids["a1.evil"]
    names = {e.caption for e in current_entities(rosfin.store, lists=["exchange-ppatk"])}
    assert names == {"Abu Rusdan", "Someone Else"}


def test_undotted_ids_keep_the_ids_they_always_had(
    agencies: tuple[Agency, Agency, Agency],
) -> None:
    """A partner's `p1` namespaces as before, so re-imported subjects stay one entry."""
    from followthemoney.namespace import Namespace

    ppatk, rosfin, _ = agencies
    _import(ppatk, rosfin, _person("p1", "Abu Rusdan"))
    assert _stored(rosfin)["p1"] == Namespace("jalur-exchange:ppatk").sign("p1")

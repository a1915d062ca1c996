"""A cleared pair stays cleared through a list update that changes only the list's bookkeeping
(the UN list's "last updated" date), and comes back when what screening reads of the entry
changes (a new alias, a new birth date). Real UN entries, 2025-04-19 and 2026-02-27: ARIS
SUMARSONO (un-sc-113444) changed only `modifiedAt`; BASHAR SABAWI IBRAHIM HASAN AL-TIKRITI
(un-sc-6908131) gained the alias "BASHAR AL-NASIRI"."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.csv as pacsv
import pytest
import typer
from followthemoney.proxy import EntityProxy
from typer.testing import CliRunner

from jalur.config import Settings
from jalur.lists import PARSERS, ParseOptions, load_entities
from jalur.model import entity_from_dict
from jalur.screening import register_cli
from jalur.screening.decisions import (
    ENTRY_V2,
    SCREENED_PROPERTIES,
    entry_fingerprint,
    entry_fingerprint_v1,
)
from jalur.store import Store

ARIS, BASHAR = "un-sc-113444", "un-sc-6908131"
CUSTOMERS = "c1,Aris Sumarsono,1963-04-19\nc2,Bashar Sabawi Ibrahim Hasan Al-Tikriti,1970-07-17\n"

Versions = dict[str, dict[str, EntityProxy]]


@pytest.fixture(scope="module")
def un(shared_data: Path) -> Versions:
    """The two entries as the UN list gave them in 2025 and in 2026."""
    found: Versions = {}
    for year, day in (("2025", "2025-04-19"), ("2026", "2026-02-27")):
        path = shared_data / f"lists/un/consolidated_{day}.xml"
        entities = PARSERS["un"](path, ParseOptions()).entities
        found[year] = {str(e.id): e for e in entities if e.id in (ARIS, BASHAR)}
    return found


@pytest.fixture
def workspace(tmp_path: Path, un: Versions) -> Iterator[Path]:
    """The 2025 entries listed; c1 has cleared ARIS SUMARSONO and c2 BASHAR … AL-TIKRITI."""
    _list(tmp_path, un["2025"].values(), "2025")
    hits = _batch(tmp_path)[1]
    assert sorted((h["id"], h["entity_id"]) for h in hits) == [("c1", ARIS), ("c2", BASHAR)]
    for customer, entity in (("c1", ARIS), ("c2", BASHAR)):
        _cli(tmp_path, "clear", "--customer", customer, "--entity", entity, "--reason", "not him")
    assert _batch(tmp_path)[0]["suppressed"] == 2
    yield tmp_path


def _list(home: Path, entities: Any, version: str) -> None:
    with Store.open(Settings.resolve(home)) as store:
        load_entities(store, "un-sc", list(entities), version)


def _cli(home: Path, *args: str) -> dict[str, Any]:
    app = typer.Typer()

    @app.callback()
    def _root(ctx: typer.Context) -> None:
        ctx.obj = Settings.resolve(home)

    register_cli(app)
    result = CliRunner().invoke(app, ["screen", *args, "--json"])
    assert result.exit_code == 0, result.output
    payload: dict[str, Any] = json.loads(result.output[result.output.index("{") :])
    return payload


def _batch(home: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    source, out = home / "customers.csv", home / "hits.csv"
    source.write_text("id,name,dob\n" + CUSTOMERS)
    report = _cli(home, "batch", str(source), "--out", str(out))
    return report, pacsv.read_csv(out).to_pylist()


def _changed(before: EntityProxy, after: EntityProxy) -> set[str]:
    old, new = before.to_dict()["properties"], after.to_dict()["properties"]
    return {p for p in old.keys() | new.keys() if sorted(old.get(p, [])) != sorted(new.get(p, []))}


def _with(entity: EntityProxy, **values: list[str]) -> EntityProxy:
    """A copy of `entity` with `values` added to its properties."""
    data = entity.to_dict()
    for prop, added in values.items():
        data["properties"][prop] = [*data["properties"].get(prop, []), *added]
    return entity_from_dict(data)


def test_a_new_last_updated_date_keeps_the_pair_cleared(workspace: Path, un: Versions) -> None:
    assert _changed(un["2025"][ARIS], un["2026"][ARIS]) == {"modifiedAt"}
    _list(workspace, [un["2026"][ARIS], un["2025"][BASHAR]], "2026")
    report, hits = _batch(workspace)
    assert (report["suppressed"], report["previously_cleared"], hits) == (2, 0, [])
    assert _cli(workspace, "rescreen")["hits"] == []


@pytest.mark.parametrize(
    "bookkeeping",
    [
        {"modifiedAt": ["2027-01-01"]},
        {"createdAt": ["2001-10-06"]},
        {"sourceUrl": ["https://main.un.org/securitycouncil/en/content/un-sc-consolidated-list"]},
        {"notes": ["Review pursuant to Security Council resolution 1822 (2008) was concluded."]},
        {"gender": ["male"]},  # read by no screening step: shown by `entities show` only
    ],
)
def test_what_screening_does_not_read_is_no_change(
    un: Versions, bookkeeping: dict[str, list[str]]
) -> None:
    entry = un["2026"][ARIS]
    changed = _with(entry, **bookkeeping)
    assert entry_fingerprint(changed.to_dict()) == entry_fingerprint(entry.to_dict())
    # values in another order, and given twice (as the same name under two list references)
    again = entry.to_dict()
    again["properties"] = {p: [*v[::-1], *v] for p, v in reversed(again["properties"].items())}
    assert entry_fingerprint(again) == entry_fingerprint(entry.to_dict())


def test_a_new_alias_or_birth_date_brings_the_pair_back(workspace: Path, un: Versions) -> None:
    assert "alias" in _changed(un["2025"][BASHAR], un["2026"][BASHAR])
    _list(workspace, [_with(un["2026"][ARIS], birthDate=["1964"]), un["2026"][BASHAR]], "2026")
    report, hits = _batch(workspace)
    assert (report["suppressed"], report["previously_cleared"]) == (0, 2)
    assert sorted((h["id"], h["entity_id"], h["decision"]) for h in hits) == [
        ("c1", ARIS, "previously_cleared"),
        ("c2", BASHAR, "previously_cleared"),
    ]
    assert all(h["decided"].endswith("changed since: entry") for h in hits)


def test_a_decision_stored_with_a_v1_fingerprint_works_as_before(
    workspace: Path, un: Versions
) -> None:
    """Decisions taken before v2 hold a fingerprint over every FtM property: compared the old
    way, they stay cleared while the entry is unchanged and come back at any change, as they
    did (not all at once when v2 came, nor kept past a change v1 saw)."""
    with Store.open(Settings.resolve(workspace)) as store:
        stored = store.execute("SELECT entity_fingerprint FROM screening_decisions").fetchall()
        assert all(fingerprint.startswith(ENTRY_V2) for (fingerprint,) in stored)
        store.execute(
            "UPDATE screening_decisions SET entity_fingerprint = ? WHERE entity_id = ?",
            [entry_fingerprint_v1(un["2025"][ARIS].to_dict()), ARIS],
        )
    assert _batch(workspace)[0]["suppressed"] == 2
    _list(workspace, [un["2026"][ARIS], un["2025"][BASHAR]], "2026")
    report, hits = _batch(workspace)
    assert (report["suppressed"], report["previously_cleared"]) == (1, 1)
    assert [(h["id"], h["decision"]) for h in hits] == [("c1", "previously_cleared")]
    assert hits[0]["decided"].endswith("changed since: entry")


def test_the_screened_properties_are_what_screening_reads() -> None:
    """Every property `entities.listed_entity`, `listed_names` and `name_parts_of` read."""
    from jalur.screening import entities

    read = {
        *entities.NAME_PROPS, *entities.WEAK_PROPS, *entities.GIVEN_PROPS,
        *entities.FAMILY_PROPS, *entities.BIRTH_PROPS, *entities.COUNTRY_PROPS,
        *entities.ID_PROPS, "topics",
    }  # fmt: skip
    assert set(SCREENED_PROPERTIES) == read
    assert {"modifiedAt", "createdAt", "sourceUrl", "notes", "gender"}.isdisjoint(read)


def test_the_property_the_caption_is_taken_from_counts() -> None:
    """A hit shows the entry's caption: FtM's first caption property with a value (`name`; a
    wallet without a name shows its public key), so a change there is a change; a later caption
    property (a person's email) is not read while the name is there."""
    wallet = {"schema": "CryptoWallet", "properties": {"publicKey": ["bc1qexample"]}}
    other = {"schema": "CryptoWallet", "properties": {"publicKey": ["bc1qanother"]}}
    assert entry_fingerprint(wallet) != entry_fingerprint(other)
    person = {"schema": "Person", "properties": {"name": ["ARIS SUMARSONO"]}}
    mailed = {"schema": "Person", "properties": {"name": ["ARIS SUMARSONO"], "email": ["a@b.id"]}}
    assert entry_fingerprint(person) == entry_fingerprint(mailed)

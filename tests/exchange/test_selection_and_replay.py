"""A selection only narrows; large exports are confirmed; replayed and long-lived files refused."""

from __future__ import annotations

import json

import pyarrow as pa
import pytest
from exchange_agencies import Agency, load_dttot, person
from hostile import hostile_package, parquet_bytes

from jalur.exchange import (
    ExchangeError,
    ExportRequest,
    PackageRejectedError,
    export_package,
    find_partner,
    import_package,
    make_offer,
    match_offer,
    read_log,
    select_entities,
)
from jalur.exchange.offer import local_subjects
from jalur.lists import load_entities
from jalur.model import TRANSACTION_SCHEMA


@pytest.mark.parametrize("term", ["name:-", "name:%", "name:☪", "name:  ", "name:_*_"])
def test_a_name_without_letters_is_an_error_not_everything(
    agencies: tuple[Agency, Agency, Agency], term: str
) -> None:
    ppatk, _, _ = agencies
    load_dttot(ppatk.store)
    with pytest.raises(ExchangeError, match=r"no letters or digits|no value|expected KIND"):
        select_entities(ppatk.store, [term])


def test_names_match_whole_words(agencies: tuple[Agency, Agency, Agency]) -> None:
    ppatk, _, _ = agencies
    load_dttot(ppatk.store)  # Abu Rusdan, Agus Dwikarna, Budi Santoso
    extra = [person("id-x-1", "Alimov Khalil"), person("id-x-2", "Ali Imron")]
    load_entities(ppatk.store, "more", extra, source="test")

    def ids(term: str) -> list[str]:
        return sorted(str(e.id) for e in select_entities(ppatk.store, [term]).subjects)

    assert ids("name:ali") == ["id-x-2"]  # not Alimov, not Khalil
    assert ids("name:rusdan") == ["id-dttot-1"]
    assert ids("name:rusdan abu") == ["id-dttot-1"]  # every word, any order
    assert ids("name:Абу Русдан") == ["id-dttot-1"]  # any script
    with pytest.raises(ExchangeError, match="no current list subject"):
        select_entities(ppatk.store, ["name:rus"])  # a part of a word is not a word
    with pytest.raises(ExchangeError, match="no current list subject"):
        select_entities(ppatk.store, ["name:abu santoso"])  # words of two different names


def _many(agency: Agency, count: int) -> None:
    people = [person(f"id-m-{n}", f"Member Number{n} Jamaah") for n in range(count)]
    load_entities(agency.store, "big", people, source="test")


def test_a_large_export_needs_the_number_confirmed(agencies: tuple[Agency, Agency, Agency]) -> None:
    ppatk, _, _ = agencies
    _many(ppatk, 60)
    partner = find_partner(ppatk.store, "rosfinmonitoring")
    selection = select_entities(ppatk.store, ["name:jamaah"])

    def export(confirm: int | None) -> dict:
        request = ExportRequest(purpose="CTF", confirm=confirm, include_transactions=False)
        manifest, _ = export_package(
            ppatk.store, ppatk.identity, ppatk.passphrase, [partner], selection, request
        )
        return manifest

    with pytest.raises(ExchangeError, match=r"holds 60 subjects.*--confirm 60"):
        export(None)
    with pytest.raises(ExchangeError, match=r"--confirm 59 was given"):
        export(59)
    assert [e.action for e in read_log(ppatk.store)] == []  # refused before anything left
    manifest = export(60)
    assert manifest["selection"] == {"terms": ["name:jamaah"], "subjects": 60, "related": 0}
    (logged,) = read_log(ppatk.store)
    assert logged.detail["selection"]["terms"] == ["name:jamaah"]


def test_a_small_export_needs_no_confirmation_and_records_its_selection(
    agencies: tuple[Agency, Agency, Agency],
) -> None:
    ppatk, rosfin, _ = agencies
    load_dttot(ppatk.store)
    partner = find_partner(ppatk.store, "rosfinmonitoring")
    selection = select_entities(ppatk.store, ["topic:crime.terror"])
    request = ExportRequest(purpose="CTF", include_transactions=False)
    _, sealed = export_package(
        ppatk.store, ppatk.identity, ppatk.passphrase, [partner], selection, request
    )
    report = import_package(rosfin.store, rosfin.identity, rosfin.passphrase, sealed, "pkg")
    row = rosfin.store.execute(
        "SELECT manifest FROM exchange_packages WHERE package_id = ?", [report.package_id]
    ).fetchone()
    assert json.loads(row[0])["selection"]["terms"] == ["topic:crime.terror"]


def test_a_match_offer_cannot_be_run_twice(agencies: tuple[Agency, Agency, Agency]) -> None:
    ppatk, rosfin, _ = agencies
    load_dttot(ppatk.store)
    load_entities(rosfin.store, "ru", [person("ru-1", "Абу Русдан")], source="test")
    partner = find_partner(ppatk.store, "rosfinmonitoring")
    _, sealed = make_offer(
        ppatk.store, ppatk.identity, ppatk.passphrase, partner, local_subjects(ppatk.store), "CTF"
    )
    first = match_offer(rosfin.store, rosfin.identity, rosfin.passphrase, sealed, "offer")
    assert first["hits"]
    with pytest.raises(PackageRejectedError, match="replayed"):
        match_offer(rosfin.store, rosfin.identity, rosfin.passphrase, sealed, "offer")
    assert [e.action for e in read_log(rosfin.store)] == ["match", "import-rejected"]


def test_an_offer_cannot_be_made_for_a_century(agencies: tuple[Agency, Agency, Agency]) -> None:
    ppatk, _, _ = agencies
    load_dttot(ppatk.store)
    partner = find_partner(ppatk.store, "rosfinmonitoring")
    with pytest.raises(ExchangeError, match="between 1 and 3650"):
        make_offer(
            ppatk.store,
            ppatk.identity,
            ppatk.passphrase,
            partner,
            local_subjects(ppatk.store),
            "CTF",
            expires_days=36500,
        )


def test_a_package_valid_for_a_century_is_refused(agencies: tuple[Agency, Agency, Agency]) -> None:
    ppatk, rosfin, _ = agencies
    empty = parquet_bytes(pa.Table.from_pylist([], TRANSACTION_SCHEMA))
    data = hostile_package(ppatk, rosfin, parquet=empty, rows=0, expires_days=36500)
    with pytest.raises(PackageRejectedError, match="more than 3650 days after its creation"):
        import_package(rosfin.store, rosfin.identity, rosfin.passphrase, data, "pkg")
    assert read_log(rosfin.store)[-1].action == "import-rejected"

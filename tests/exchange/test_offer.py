"""Ma3tch-like matching between two agencies' workspaces, then a package about the hits."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from exchange_agencies import Agency, load_dttot, person

from jalur.exchange import (
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
from jalur.exchange.offer import local_subjects, read_offer
from jalur.lists import load_entities


# The match key is fresh for every offer, so encodings (and similarities near the threshold)
# differ from run to run; the expected hits here are clear ones (similarity 1.0), and
# borderline variants are measured in benchmarks/bench_exchange.py instead.
def _rosfin_subjects(agency: Agency) -> None:
    load_entities(
        agency.store,
        "rosfin-perechen",
        [
            person("ru-1", "Абу Русдан", birthDate="1960-05-12"),  # PPATK's Abu Rusdan
            person("ru-2", "DWIKARNA, Agus", birthDate="1964"),  # other order, year only
            person("ru-3", "Иван Петров"),  # nobody PPATK knows
        ],
        source="test",
    )


def _offer(ppatk: Agency, rosfin: Agency) -> tuple[dict, bytes]:
    partner = find_partner(ppatk.store, "rosfinmonitoring")
    subjects = local_subjects(ppatk.store)
    return make_offer(ppatk.store, ppatk.identity, ppatk.passphrase, partner, subjects, "CTF")


def test_partner_learns_only_candidate_hits(agencies: tuple[Agency, Agency, Agency]) -> None:
    ppatk, rosfin, austrac = agencies
    load_dttot(ppatk.store)
    _rosfin_subjects(rosfin)
    manifest, sealed = _offer(ppatk, rosfin)
    assert manifest["subjects"] == 3  # the two listed persons and the associate
    for name in (b"Rusdan", b"Dwikarna", b"1960"):
        assert name not in sealed  # encrypted: an eavesdropper sees no names
    result = match_offer(rosfin.store, rosfin.identity, rosfin.passphrase, sealed, "offer")
    found = {h["local_entity_id"]: h for h in result["hits"]}
    assert set(found) == {"ru-1", "ru-2"}
    assert found["ru-1"]["features"]["birth_date"] == 1
    assert all(
        set(h)
        == {"ref", "local_list", "local_entity_id", "local_caption", "similarity", "features"}
        for h in result["hits"]
    )  # nothing of PPATK's records
    assert [e.action for e in read_log(rosfin.store)] == ["match"]
    with pytest.raises(PackageRejectedError, match="not addressed"):
        match_offer(austrac.store, austrac.identity, austrac.passphrase, sealed, "offer")

    # the references lead PPATK back to its own subjects, for a package in reply
    refs = ",".join(h["ref"] for h in result["hits"])
    selection = select_entities(ppatk.store, [f"ref:{refs}"])
    assert sorted(e.id for e in selection.subjects) == ["id-dttot-1", "id-dttot-2"]
    _, package = export_package(
        ppatk.store,
        ppatk.identity,
        ppatk.passphrase,
        [find_partner(ppatk.store, "rosfinmonitoring")],
        selection,
        ExportRequest(purpose="answer to match", in_reply_to=manifest["offer_id"]),
    )
    report = import_package(rosfin.store, rosfin.identity, rosfin.passphrase, package, "pkg")
    assert {lk.local_entity_id for lk in report.links} == {"ru-1"}  # same name + birth date


def test_offer_is_not_a_package_and_vice_versa(agencies: tuple[Agency, Agency, Agency]) -> None:
    ppatk, rosfin, _ = agencies
    load_dttot(ppatk.store)
    _, sealed = _offer(ppatk, rosfin)
    with pytest.raises(PackageRejectedError, match="is a match-offer, not a package"):
        import_package(rosfin.store, rosfin.identity, rosfin.passphrase, sealed, "offer")


def test_tampered_offer_is_rejected(agencies: tuple[Agency, Agency, Agency]) -> None:
    ppatk, rosfin, _ = agencies
    load_dttot(ppatk.store)
    _rosfin_subjects(rosfin)
    _, sealed = _offer(ppatk, rosfin)
    tampered = bytearray(sealed)
    tampered[-3] ^= 0x40
    with pytest.raises(PackageRejectedError, match="signature"):
        match_offer(rosfin.store, rosfin.identity, rosfin.passphrase, bytes(tampered), "offer")


def test_partner_data_is_never_offered(agencies: tuple[Agency, Agency, Agency]) -> None:
    _, rosfin, _ = agencies
    load_entities(rosfin.store, "exchange-ppatk", [person("x", "Abu Rusdan")], source="test")
    _rosfin_subjects(rosfin)
    assert {s.entity_id for s in local_subjects(rosfin.store)} == {"ru-1", "ru-2", "ru-3"}


@pytest.mark.parametrize(
    "old",
    [
        "jalur-match-offer/1",
        "jalur-match-offer/2",
        "jalur-match-offer/3",
        "jalur-match-offer/4",
        "jalur-match-offer/5",
        "jalur-match-offer/6",
    ],
)
def test_an_offer_in_an_old_encoding_is_rejected_clearly(old: str) -> None:
    # /1 carried whole-name filters only; /2's skeletons were word by word with fewer folds;
    # /3 folded abjad letter pairs as one sound; /4 sent no other readings of abjad letters
    # (and wrote ض as `d`); /5 dropped ʿayn and read ظ `z` only; /6 kept titles and did not
    # mark a part's skeleton opening with a vowel: none can meet /7's encodings
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("offer.json", json.dumps({"format": old, "refs": []}))
        archive.writestr("encodings.npz", b"")
    with pytest.raises(PackageRejectedError, match=f"'{old}' is not"):
        read_offer(buffer.getvalue(), "old.offer")

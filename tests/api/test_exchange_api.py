"""Exchange over the API: packages out and in between two agencies' keys, match offers, the log,
and what must be refused (forged packages, no-onward data without consent, other agencies,
oversized uploads). Each runs on SQLite and on PostgreSQL (the `world` fixture)."""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from api_world import World
from exchange_world import OURS, Partner, keys_unlocked, make_partner

from jalur.exchange import (
    add_partner,
    create_identity,
    export_card,
    find_partner,
    import_package,
    load_identity,
    local_subjects,
    make_offer,
    match_offer,
    parse_card,
)
from jalur.exchange.canonical import iso, sha256_hex, utcnow
from jalur.exchange.envelope import seal
from jalur.lists import load_entities
from jalur.model import TRANSACTION_SCHEMA, make_entity
from jalur.store import Store

WATCHLIST = "exchange-austrac"


@pytest.fixture(scope="module")
def partner(world: World, tmp_path_factory: pytest.TempPathFactory) -> Partner:
    return make_partner(world, tmp_path_factory.mktemp("partners"))


@pytest.fixture(scope="module")
def imported(world: World, partner: Partner) -> dict[str, Any]:
    """AUSTRAC's package of its terror-listed subjects, imported by ana."""
    sealed = partner.package_to_us(["list:au-terror"], caveats=("AU-ONLY",))
    with keys_unlocked():
        answer = world.post("ana", "/v1/exchange/packages/import",
                            files={"file": ("austrac.jalur", sealed)})  # fmt: skip
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


def _seen(world: World, who: str) -> set[str]:
    answer = world.get(who, "/v1/exchange/packages")
    assert answer.status_code == 200, answer.text
    return {p["package_id"] for p in answer.json()}


def test_export_round_trip_to_a_partner(world: World, partner: Partner) -> None:
    with keys_unlocked():
        sent = world.post("ana", "/v1/exchange/packages", json={
            "to": ["AUSTRAC"], "purpose": "CTF enquiry", "entities": ["id:dttot-rusdan"],
        })  # fmt: skip
    assert sent.status_code == 201, sent.text
    body = sent.json()
    package_id = body["package_id"]
    assert body["manifest"]["selection"]["terms"] == ["id:dttot-rusdan"]  # our list names stay
    data = world.get("ana", body["download"])
    assert data.status_code == 200
    report = import_package(partner.store, partner.identity, partner.passphrase,
                            data.content, "from-ppatk.jalur")  # fmt: skip
    assert report.package_id == package_id and report.partner == "ppatk"
    assert report.entities == 2  # the listed person and the Sanction that lists him
    shown = world.get("ana", f"/v1/exchange/packages/{package_id}").json()
    assert shown["direction"] == "out" and shown["recipients"] == ["austrac"]
    assert package_id in _seen(world, "ana")
    trail = world.get("sam", "/v1/audit", params={"object": package_id}).json()["entries"]
    assert "exchange.export" in [e["action"] for e in trail]
    chain = world.get("ana", "/v1/exchange/log").json()
    assert chain["intact"] and chain["chain"]["unsealed_tail"] == 0  # sealed, as the CLI does
    assert package_id in [e["package_id"] for e in chain["entries"]]


def test_import_marks_partner_data_egmont(
    world: World, partner: Partner, imported: dict[str, Any]
) -> None:
    package_id = imported["package_id"]
    assert imported["entities"] == 2 and imported["watchlist"] == WATCHLIST
    assert imported["marking"] == {
        "agency": "DEFAULT", "classification": "RESTRICTED", "caveats": ["AU-ONLY", "EGMONT"],
    }  # fmt: skip
    # nobody holds AU-ONLY yet: the package and the watchlist are seen by no one …
    assert package_id not in _seen(world, "eve")
    assert WATCHLIST not in [x["list"] for x in world.get("eve", "/v1/lists").json()]
    trail = world.get("sam", "/v1/audit", params={"object": package_id}).json()["entries"]
    assert "exchange.import" in [e["action"] for e in trail]


def test_import_visible_to_holders_of_its_caveats(world: World, partner: Partner) -> None:
    sealed = partner.package_to_us(["name:Wiremu"])
    with keys_unlocked():
        answer = world.post("ana", "/v1/exchange/packages/import",
                            files={"file": ("w.jalur", sealed)})  # fmt: skip
    assert answer.status_code == 201, answer.text
    package_id = answer.json()["package_id"]
    assert answer.json()["marking"]["caveats"] == ["EGMONT"]
    assert package_id in _seen(world, "eve")  # eve holds EGMONT
    assert package_id not in _seen(world, "ana")  # ana imported it, but does not hold EGMONT
    shown = world.get("eve", f"/v1/exchange/packages/{package_id}").json()
    assert [e["caption"] for e in shown["entities"]] == ["Wiremu Tane Hohepa"]
    hidden = world.get("ana", f"/v1/exchange/packages/{package_id}")
    missing = world.get("ana", "/v1/exchange/packages/" + "0" * 32)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["detail"].replace(package_id, "X") == missing.json()["detail"].replace(
        "0" * 32, "X"
    )


def test_no_onward_export_needs_consent(
    world: World, partner: Partner, imported: dict[str, Any]
) -> None:
    sealed = partner.package_to_us(["id:au-1"])
    with keys_unlocked():
        got = world.post("ana", "/v1/exchange/packages/import",
                         files={"file": ("a.jalur", sealed)})  # fmt: skip
        assert got.status_code == 201, got.text
        order = {"to": ["AUSTRAC"], "purpose": "onward", "entities": [f"list:{WATCHLIST}"]}
        # the watchlist carries AU-ONLY from the first package: eve does not see it at all
        assert world.post("eve", "/v1/exchange/packages", json=order).status_code == 422
    before = _seen(world, "sam")
    # an own list marked EGMONT (eve holds it) may not leave without consent either
    egmont = Path(world.settings.home.parent / "egmont.ftm.json")
    egmont.write_text('{"id": "eg-1", "schema": "Person", "properties": {"name": ["Ali Imron"], '
                      '"topics": ["crime.terror"]}}\n', encoding="utf-8")  # fmt: skip
    job = world.post("eve", "/v1/lists", files={"file": ("egmont.ftm.json", egmont.read_bytes())},
                     data={"name": "egmont-list", "caveats": ["EGMONT"]}).json()  # fmt: skip
    world.wait(job["job_id"])
    order = {"to": ["AUSTRAC"], "purpose": "onward", "entities": ["id:eg-1"]}
    with keys_unlocked():
        refused = world.post("eve", "/v1/exchange/packages", json=order)
        assert refused.status_code == 403, refused.text
        assert "consent" in refused.json()["detail"]
        assert _seen(world, "sam") == before  # nothing left
        consent = {**order, "consent": "AUSTRAC agreed, letter 12/2026"}
        allowed = world.post("eve", "/v1/exchange/packages", json=consent)
    assert allowed.status_code == 201, allowed.text
    assert allowed.json()["marking"]["caveats"] == ["EGMONT"]
    trail = world.get("sam", "/v1/audit", params={"object": "list:egmont-list"}).json()
    assert "access.refused" in [e["action"] for e in trail["entries"]]


def _tampered(sealed: bytes) -> bytes:
    middle = len(sealed) // 2
    return sealed[:middle] + bytes([sealed[middle] ^ 0x01]) + sealed[middle + 1 :]


@pytest.mark.parametrize("kind", ["tampered", "stranger", "garbage", "replayed"])
def test_forged_package_refused_nothing_stored(
    world: World, partner: Partner, tmp_path: Path, kind: str
) -> None:
    sealed = partner.package_to_us(["id:au-2"])
    if kind == "tampered":
        sealed = _tampered(sealed)
    elif kind == "stranger":  # signed by an agency PPATK never added, claiming to be AUSTRAC
        sealed = _stranger_package(world, tmp_path)
    elif kind == "garbage":
        sealed = b'{"format": "jalur-envelope/1", "header": "\'; DROP TABLE markings; --"}'
    log_before = _log(world)
    seen_before = _seen(world, "sam") | _seen(world, "eve")
    with keys_unlocked():
        if kind == "replayed":
            first = world.post("ana", "/v1/exchange/packages/import",
                               files={"file": ("r.jalur", sealed)})  # fmt: skip
            assert first.status_code == 201, first.text
            seen_before = _seen(world, "sam") | _seen(world, "eve")
            log_before = _log(world)
        answer = world.post("ana", "/v1/exchange/packages/import",
                            files={"file": ("../../etc/passwd", sealed)})  # fmt: skip
    assert answer.status_code == 422, answer.text
    assert "rejected" in answer.json()["detail"] and "nothing was stored" in answer.json()["detail"]
    assert _seen(world, "sam") | _seen(world, "eve") == seen_before
    added = [e for e in _log(world) if e["seq"] not in {x["seq"] for x in log_before}]
    assert [e["action"] for e in added] == ["import-rejected"]  # refused, and logged
    assert added[0]["detail"]["file"] == "passwd"  # the name, never a path


def _stranger_package(world: World, root: Path) -> bytes:
    """A package signed by a stranger who took AUSTRAC's name (PPATK never added its card)."""
    secret = "correct horse stranger"
    folder = root / "stranger"
    folder.mkdir()
    stranger = Partner(folder, Store(folder / "jalur.duckdb"),
                       create_identity(folder, "AUSTRAC", "AU", secret), secret)  # fmt: skip
    try:
        ours = load_identity(world.settings.home)
        add_partner(stranger.store, parse_card(export_card(ours, OURS)))
        fake = make_entity("Person", "x-1")
        fake.add("name", "Nobody Special")
        fake.add("topics", "crime.terror")
        load_entities(stranger.store, "x", [fake], source="test")
        return stranger.package_to_us(["id:x-1"])
    finally:
        stranger.store.close()


def _log(world: World, who: str = "eve") -> list[dict[str, Any]]:
    answer = world.get(who, "/v1/exchange/log")
    assert answer.status_code == 200, answer.text
    found: list[dict[str, Any]] = answer.json()["entries"]
    return found


def test_other_agencies_see_no_packages_offers_or_log(
    world: World, partner: Partner, imported: dict[str, Any]
) -> None:
    with keys_unlocked():
        offer = world.post("ana", "/v1/exchange/offers", json={"to": "AUSTRAC"})
        assert offer.status_code == 201, offer.text
        sent = world.post("ana", "/v1/exchange/packages", json={
            "to": ["AUSTRAC"], "purpose": "p", "entities": ["id:dttot-rusdan"]})  # fmt: skip
        assert sent.status_code == 201, sent.text
        package_id, offer_id = sent.json()["package_id"], offer.json()["offer_id"]
        assert package_id in _seen(world, "ana")
        assert offer_id in {o["offer_id"] for o in world.get("ana", "/v1/exchange/offers").json()}
        for who in ("bob", "bea"):
            assert world.get(who, "/v1/exchange/packages").json() == []
            assert world.get(who, "/v1/exchange/offers").json() == []
            assert world.get(who, "/v1/exchange/log").json()["entries"] == []
            for url in (f"/v1/exchange/packages/{package_id}",
                        f"/v1/exchange/packages/{package_id}/download",
                        f"/v1/exchange/offers/{offer_id}/download"):  # fmt: skip
                answer = world.get(who, url)
                assert answer.status_code in (403, 404), (who, url, answer.text)
                assert "Rusdan" not in answer.text
            sealed = partner.package_to_us(["id:au-2"])
            for url in ("/v1/exchange/packages/import", "/v1/exchange/offers/compare"):
                answer = world.post(who, url, files={"file": ("p.jalur", sealed)})
                assert answer.status_code == 403, (who, url, answer.text)
            order = {"to": ["AUSTRAC"], "purpose": "p", "entities": ["id:dttot-rusdan"]}
            assert world.post(who, "/v1/exchange/packages", json=order).status_code == 403
            assert world.post(who, "/v1/exchange/offers", json={"to": "AUSTRAC"}).status_code == 403
    assert _seen(world, "ana") >= {package_id}  # ana's own view is untouched


def test_match_offers_both_ways(world: World, partner: Partner) -> None:
    with keys_unlocked():
        made = world.post("ana", "/v1/exchange/offers", json={"to": "AUSTRAC", "lists": ["dttot"]})
        assert made.status_code == 201, made.text
        offer = world.get("ana", made.json()["download"]).content
        theirs = match_offer(partner.store, partner.identity, partner.passphrase, offer, "o")
        assert [h["local_entity_id"] for h in theirs["hits"]] == ["au-1"]  # Abu Rusdan
        _, sealed = make_offer(
            partner.store, partner.identity, partner.passphrase,
            find_partner(partner.store, "PPATK"), local_subjects(partner.store), "CTF", 30,
        )  # fmt: skip
        compared = world.post("ana", "/v1/exchange/offers/compare",
                              files={"file": ("austrac.offer", sealed)})  # fmt: skip
        assert compared.status_code == 200, compared.text
        hits = compared.json()["hits"]
        assert [h["local_entity_id"] for h in hits] == ["dttot-rusdan"]
        again = world.post("ana", "/v1/exchange/offers/compare",
                           files={"file": ("austrac.offer", sealed)})  # fmt: skip
        assert again.status_code == 422 and "replayed" in again.json()["detail"]
    listed = {o["offer_id"]: o["direction"] for o in world.get("ana", "/v1/exchange/offers").json()}
    assert listed[made.json()["offer_id"]] == "out"
    assert listed[compared.json()["offer_id"]] == "in"
    with keys_unlocked():
        hidden = world.post("ana", "/v1/exchange/offers", json={"to": "AUSTRAC", "lists": ["nope"]})
    assert hidden.status_code == 404


def test_oversized_upload_413_nothing_stored(world: World, partner: Partner) -> None:
    before = _log(world)
    big = b"x" * (64 * 1024 + 1)
    with keys_unlocked():
        for url in ("/v1/exchange/packages/import", "/v1/exchange/offers/compare"):
            answer = world.post("ana", url, files={"file": ("big.jalur", big)})
            assert answer.status_code == 413, answer.text
    assert _log(world) == before


def test_selection_cannot_widen_or_read_files(world: World, partner: Partner) -> None:
    with keys_unlocked():
        for term in ("hits:/etc/passwd", "list", "sql:1=1", "name:-"):
            order = {"to": ["AUSTRAC"], "purpose": "p", "entities": [term]}
            answer = world.post("ana", "/v1/exchange/packages", json=order)
            assert answer.status_code in (400, 422), (term, answer.text)
        # a list of another agency (BNN) and one above the caller's clearance: not selectable
        row = b'{"id": "bn-1", "schema": "Person", "properties": {"name": ["Bambang BNN"]}}\n'
        job = world.post("bob", "/v1/lists", files={"file": ("bnn.ftm.json", row)},
                         data={"name": "bnn-list"}).json()  # fmt: skip
        world.wait(job["job_id"])
        for who, term in (("ana", "id:bn-1"), ("ana", "list:bnn-list"), ("uno", "id:dttot-rusdan")):
            order = {"to": ["AUSTRAC"], "purpose": "p", "entities": [term],
                     "classification": "UNCLASSIFIED"}  # fmt: skip
            answer = world.post(who, "/v1/exchange/packages", json=order)
            assert answer.status_code == 422, (who, term, answer.text)
            assert "no subject you may see matches" in answer.json()["detail"]
        assert (
            world.get("ana", "/v1/exchange/packages/..%2F..%2Fjalur.toml/download").status_code
            == 404
        )


def test_locked_keys_answer_503(world: World, partner: Partner) -> None:
    order = {"to": ["AUSTRAC"], "purpose": "p", "entities": ["id:dttot-rusdan"]}
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("JALUR_PASSPHRASE", raising=False)
        answer = world.post("ana", "/v1/exchange/packages", json=order)
    assert answer.status_code == 503 and "JALUR_PASSPHRASE" in answer.json()["detail"]


def test_case_export_notes_the_case_and_keeps_its_caveats(world: World, partner: Partner) -> None:
    case = world.post("ana", "/v1/cases", json={
        "title": "ask AUSTRAC", "evidence": [{"kind": "subject", "ref": "dttot-rusdan"}],
    }).json()  # fmt: skip
    order = {"to": ["AUSTRAC"], "purpose": "case enquiry", "case": case["case_id"]}
    with keys_unlocked():
        both = world.post("ana", "/v1/exchange/packages", json={**order, "entities": ["id:x"]})
        assert both.status_code == 400
        sent = world.post("ana", "/v1/exchange/packages", json=order)
        assert sent.status_code == 201, sent.text
        package_id = sent.json()["package_id"]
        timeline = world.get("ana", f"/v1/cases/{case['case_id']}").json()["timeline"]
        assert [e["details"].get("package_id") for e in timeline if e["action"] == "export"] == [
            package_id
        ]
        data = world.get("ana", sent.json()["download"]).content
        got = import_package(partner.store, partner.identity, partner.passphrase, data, "c")
        assert got.entities == 2
        # a case opened on a subject of an EGMONT list is EGMONT: it leaves only with consent
        row = b'{"id": "eg-9", "schema": "Person", "properties": {"name": ["Umar Patek"]}}\n'
        egmont = world.post("eve", "/v1/lists", data={"name": "eg-case", "caveats": ["EGMONT"]},
                            files={"file": ("e.ftm.json", row)}).json()  # fmt: skip
        world.wait(egmont["job_id"])
        evidence = [{"kind": "subject", "ref": "eg-9"}]
        held = world.post("eve", "/v1/cases", json={"title": "eg", "evidence": evidence}).json()
        order = {"to": ["AUSTRAC"], "purpose": "p", "case": held["case_id"]}
        assert world.post("eve", "/v1/exchange/packages", json=order).status_code == 403
        assert world.post("ana", "/v1/exchange/packages", json=order).status_code == 404
        consented = {**order, "consent": "originator agreed"}
        assert world.post("eve", "/v1/exchange/packages", json=consented).status_code == 201


def _signed(partner: Partner, package_id: str | None = None, **manifest: Any) -> bytes:
    """A package AUSTRAC really signed to PPATK, with whatever manifest fields it likes."""
    secret = partner.identity.unlock(partner.identity.active.key_id, partner.passphrase)
    ppatk = find_partner(partner.store, "PPATK")
    created = utcnow()
    header = {
        "kind": "package", "id": package_id or uuid.uuid4().hex,
        "sender": {"agency": "AUSTRAC", "country": "AU", "key_id": secret.key_id},
        "created": iso(created), "expires": iso(created + timedelta(days=30)),
    }  # fmt: skip
    lines = b'{"id": "h-1", "schema": "Person", "properties": {"name": ["Hostile Hamid"]}}\n'
    sink = io.BytesIO()
    pq.write_table(TRANSACTION_SCHEMA.empty_table(), sink)
    body = {
        "format": "jalur-package/1", "package_id": header["id"], "sender": header["sender"],
        "recipients": [{"key_id": ppatk.active.key_id}], "created": header["created"],
        "expires": header["expires"], "purpose": "CTF", "caveats": ["use only for the purpose"],
        "contents": {
            "entities": {"file": "entities.ftm.jsonl", "count": 1, "sha256": sha256_hex(lines)},
            "transactions": {"file": "transactions.parquet", "rows": 0,
                             "sha256": sha256_hex(sink.getvalue())},
        },
        **manifest,
    }  # fmt: skip
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("manifest.json", json.dumps(body))
        archive.writestr("entities.ftm.jsonl", lines)
        archive.writestr("transactions.parquet", sink.getvalue())
    return seal(header, buffer.getvalue(), secret, [ppatk.active])


@pytest.mark.parametrize(
    ("package_id", "manifest"),
    [
        (None, {"classification": "COSMIC"}),
        (None, {"classification": 5}),
        (None, {"classification": {"level": "SECRET"}}),
        (None, {"caveats": [1, {"x": 2}]}),
        ("../../jalur.toml", {}),
        ("x" * 300, {}),
    ],
)
def test_hostile_manifest_refused_nothing_stored(
    world: World, partner: Partner, package_id: str | None, manifest: dict[str, Any]
) -> None:
    sealed = _signed(partner, package_id, **manifest)
    seen = _seen(world, "sam") | _seen(world, "eve")
    with keys_unlocked():
        answer = world.post("ana", "/v1/exchange/packages/import",
                            files={"file": ("h.jalur", sealed)})  # fmt: skip
    assert answer.status_code == 422, answer.text
    assert "nothing was stored" in answer.json()["detail"]
    assert _seen(world, "sam") | _seen(world, "eve") == seen
    hits = world.post("eve", "/v1/screening/name", json={"name": "Hostile Hamid"}).json()["hits"]
    assert hits == []
    trail = world.get("sam", "/v1/audit", params={"object": "h.jalur"}).json()["entries"]
    trail = [e for e in trail if e["action"] != "audit.show"]  # earlier reads of the trail
    assert trail[0]["action"] == "exchange.import-refused"  # the newest entry: this refusal


def test_an_import_that_fails_while_storing_is_logged(
    world: World, partner: Partner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The service imports and marks in one transaction; the `import-failed` entry the import
    wrote went with its rollback, and the exchange log said nothing of the package."""
    from jalur.lists import ListLoadError

    def _disk_full(*args: object) -> None:
        raise ListLoadError("exchange-austrac", "store", "disk full")

    monkeypatch.setattr("jalur.exchange.importer._update_watchlist", _disk_full)
    sealed = partner.package_to_us(["id:au-2"])
    log_before = {e["seq"] for e in _log(world)}
    with keys_unlocked():
        answer = world.post("ana", "/v1/exchange/packages/import",
                            files={"file": ("failing.jalur", sealed)})  # fmt: skip
    assert answer.status_code == 422, answer.text
    assert "nothing was stored" in answer.json()["detail"]
    added = [e for e in _log(world) if e["seq"] not in log_before]
    assert [e["action"] for e in added] == ["import-failed"]
    assert "disk full" in added[0]["detail"]["reason"]

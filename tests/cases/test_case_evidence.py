"""What a case pulls in: subjects as FtM entities with their list entries and screening
explanations, traced channels with their payments and accounts, through public APIs only."""

from __future__ import annotations

import inspect
import json
from collections.abc import Iterator
from typing import Any

import pytest

import jalur.cases.evidence as evidence
from case_story import LISTED, SANCTION, build, ok, run, trace
from jalur.cases.queries import describe
from jalur.config import Settings
from jalur.store import Store


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    home = tmp_path_factory.mktemp("story") / "home"
    home.mkdir(mode=0o700)
    settings = Settings.resolve(home)
    build(settings)
    ok(settings, "users", "add", "root", "--role", "admin")
    ok(settings, "users", "add", "ana", "--role", "analyst", user="root")
    yield settings


def _open(settings: Settings, *args: str) -> dict[str, Any]:
    case_id = json.loads(ok(settings, "cases", "open", *args, "--json", user="ana"))["case_id"]
    shown: dict[str, Any] = json.loads(ok(settings, "cases", "show", case_id, "--json", user="ana"))
    return shown


def _evidence(shown: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {e["ref"]: e["snapshot"] for e in shown["evidence"] if e["kind"] == kind}


def test_subject_is_its_entity_with_list_entries_and_screening(story: Settings) -> None:
    subject = _evidence(_open(story, "--subject", LISTED), "subject")[LISTED]
    assert subject["source"] == "lists" and subject["list"] == "dttot"
    assert subject["entity"]["schema"] == "Person"
    assert subject["entity"]["properties"]["name"] == ["Abu Rusdan"]
    (entry,) = subject["entries"]
    assert (entry["list"], entry["version_id"]) == ("dttot", 1)
    assert [r["id"] for r in entry["related"]] == [SANCTION]
    assert entry["related"][0]["properties"]["program"] == ["DTTOT 2024"]
    (hit,) = subject["screening"]
    assert hit["party_id"] == "ACC-CELL" and hit["matched_alias"] == "Abu Rusdan"
    assert hit["score"] > 0.9 and "name_query_coverage" in hit["explanation"]


def test_unknown_subject_is_refused_by_name(story: Settings) -> None:
    code, out = run(story, "cases", "open", "--subject", "nobody-42", user="ana")
    assert code == 1
    assert "no subject nobody-42 in the current lists or among the payment parties" in out


def test_hit_and_add_pull_the_same_subject(story: Settings) -> None:
    shown = _open(story, "--hit", f"ACC-CELL/{LISTED}")
    assert _evidence(shown, "hit")[f"ACC-CELL/{LISTED}"]["list_name"] == "dttot"
    assert _evidence(shown, "subject")[LISTED]["entries"][0]["list"] == "dttot"
    assert _evidence(shown, "account")["ACC-CELL"]["holder"]["properties"]["name"] == ["Abu Rusdan"]
    case_id = shown["case_id"]
    ok(story, "cases", "add", case_id, "account", "ACC-MULE", user="ana")
    added = json.loads(ok(story, "cases", "show", case_id, "--json", user="ana"))
    assert _evidence(added, "account")["ACC-MULE"]["name"] == "Budi Hartono"
    code, out = run(story, "cases", "add", case_id, "payment", "T404", user="ana")
    assert code == 1 and "no payment T404" in out


def test_alert_brings_the_subjects_screening_matched_to_its_accounts(story: Settings) -> None:
    with Store.open(story) as store:
        (alert_id,) = store.execute(
            "SELECT alert_id FROM alerts WHERE typology = 'listed_counterparty'"
        ).fetchone()
    shown = _open(story, "--alert", alert_id)
    assert "Abu Rusdan" in _evidence(shown, "alert")[alert_id]["explanation"]
    assert set(_evidence(shown, "payment")) == {"T2"}
    assert _evidence(shown, "subject")[LISTED]["entity"]["id"] == LISTED
    accounts = _evidence(shown, "account")
    assert accounts["ACC-MULE"]["role"] == "subject" and accounts["ACC-MULE"]["holder"]


def test_an_account_brings_the_subjects_screening_matched_to_it(story: Settings) -> None:
    """A case opened on the account of a listed man held the account alone: its report
    named a payment party of unknown kind, not the listed person screening matched it to."""
    shown = _open(story, "--account", "ACC-CELL")
    assert _evidence(shown, "account")["ACC-CELL"]["holder"]["properties"]["name"] == ["Abu Rusdan"]
    subject = _evidence(shown, "subject")[LISTED]
    assert subject["entity"]["schema"] == "Person"
    assert subject["screening"][0]["party_id"] == "ACC-CELL"


def test_traced_channels_are_kept_under_stable_ids(story: Settings) -> None:
    first, again = trace(story), trace(story)
    assert [c["channel_id"] for c in first] == [c["channel_id"] for c in again]
    (channel,) = first
    with Store.open(story) as store:
        rows = store.execute(
            "SELECT channel_id, paths, tx_ids, hops, currency FROM channels"
        ).fetchall()
    assert rows == [(channel["channel_id"], json.dumps([channel["path"]]), ["T1", "T2"], 2, "USD")]


def test_case_from_a_channel(story: Settings) -> None:
    (channel,) = trace(story)
    shown = _open(story, "--channel", str(channel["channel_id"]))
    snap = _evidence(shown, "channel")[str(channel["channel_id"])]
    assert snap["path"] == ["ACC-DRUG", "ACC-MULE", "ACC-CELL"]
    assert snap["paths"] == [snap["path"]]
    assert (snap["hops"], snap["amount"], snap["tx_ids"]) == (2, channel["amount"], ["T1", "T2"])
    assert snap["trace_id"].startswith("TRACE-")
    roles = {ref: s["role"] for ref, s in _evidence(shown, "account").items()}
    assert roles == {"ACC-DRUG": "source", "ACC-MULE": "intermediate", "ACC-CELL": "sink"}
    payments = _evidence(shown, "payment")
    assert payments["T1"]["orig_name"] == "Kartel Narkoba Jaya"
    assert payments["T2"]["amount"] == 85_000_000.0
    assert LISTED in _evidence(shown, "subject")
    text = " ".join(ok(story, "cases", "show", shown["case_id"], user="ana").split())
    assert "ACC-DRUG → ACC-MULE → ACC-CELL" in text
    assert "listed on dttot (version 1): DTTOT 2024" in text
    code, out = run(story, "cases", "open", "--channel", "CH-NOPE", user="ana")
    assert code == 1 and "no channel CH-NOPE" in out


def test_evidence_reads_other_capabilities_only_through_their_public_api() -> None:
    source = inspect.getsource(evidence)
    assert "SELECT" not in source and "store.execute" not in source
    imports = [line for line in source.splitlines() if line.startswith(("from jalur", "import"))]
    assert all(".store" not in line or line == "from jalur.store import Store" for line in imports)


def test_a_listing_is_cited_by_the_lists_own_version_number_and_date() -> None:
    """Version ids count every list's loads together; an analyst knows "UN list version 2"."""
    entry = {"list": "un-sc", "version_id": 7, "version": 2, "published": "2026-02-27"}
    hit = {"party_id": "C-1", "score": 0.98765, "list_name": "un-sc", "explanation": "name"}
    lines = describe("subject", {"caption": "X", "entries": [entry], "screening": [hit]})
    assert "listed on un-sc (version 2 of 2026-02-27)" in lines
    assert "scored 0.988 on un-sc" in lines[2]


def test_a_cash_payment_is_described_without_none() -> None:
    """A cash withdrawal has no beneficiary account: `cases show` printed "ID003 → None"."""
    snapshot = {"tx_id": "H2", "timestamp": "2026-12-31T23:59:59+00:00",
                "orig_account": "ID003", "bene_account": None, "bene_name": None,
                "amount": 5.0, "currency": "IDR"}  # fmt: skip
    assert describe("payment", snapshot) == ["2026-12-31T23:59:59+00:00 ID003 → - 5.00 IDR"]
    named = {**snapshot, "orig_account": None, "orig_name": "Budi Santoso"}
    assert describe("payment", named)[0].split(" ")[1:4] == ["Budi", "Santoso", "→"]


def test_cases_show_reads_amounts_and_scores_as_the_other_views_do() -> None:
    """`cases show` printed a EUR payment as "21302.170000000002 EUR" and an alert as "cycle
    0.9088" where `alerts show` says "21,302.17" and "0.909"; a fraction of a cent stays."""
    payment = {"tx_id": "G1", "timestamp": "2025-04-27T00:37:03+00:00", "orig_account": "DE86",
               "bene_account": "TR58", "amount": 21302.170000000002, "currency": "EUR"}  # fmt: skip
    assert describe("payment", payment)[0].endswith("DE86 → TR58 21,302.17 EUR")
    assert describe("payment", {**payment, "amount": 0.001})[0].endswith(" 0.001 EUR")
    channel = {"amount": 2382.4000000000005, "currency": "USD", "hops": 3, "path": ["A", "B"],
               "trace_id": "TRACE-1"}  # fmt: skip
    assert describe("channel", channel)[0].startswith("2,382.40 USD over 3 hops")
    alert = {"typology": "cycle", "score": 0.9088, "explanation": "round"}
    assert describe("alert", alert) == ["cycle 0.909: round"]

"""The views of one thing: `entities show`, `alerts show ID`, `accounts show ID`, and the hit
lines of `screen name` (the listed entry at a glance, the bias that makes the terms add up).

Each runs on a workspace built by real `jalur` commands (tests/case_story.py): a terror list,
payments ACC-DRUG → ACC-MULE → ACC-CELL (Abu Rusdan), screening, a drug flag, a monitoring pass.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from case_story import LISTED, build, invoke, ok, write_payments
from jalur.clikit import EXIT_ERROR, EXIT_OK, score_text
from jalur.config import Settings

#: One entry written in three scripts, with a passport and the legal basis of its listing.
RUSDAN = {
    "id": LISTED, "schema": "Person",
    "properties": {"name": ["Abu Rusdan"], "alias": ["أبو رسدان", "Абу Русдан"],
                   "birthDate": ["1960-05-12"], "nationality": ["id"], "topics": ["crime.terror"],
                   "passportNumber": ["A 1234567"]},
}  # fmt: skip
SANCTION = {
    "id": "dttot-rusdan-sanction", "schema": "Sanction",
    "properties": {"entity": [LISTED], "program": ["DTTOT 2024"], "authority": ["PPATK"],
                   "reason": ["Legal basis: UU 9/2013 Pasal 27", "Jemaah Islamiyah"]},
}  # fmt: skip
NAMESAKE = {
    "id": "dttot-rusdan-2", "schema": "Person",
    "properties": {"name": ["Abu Rusdan"], "birthDate": ["1975"], "topics": ["crime.terror"]},
}  # fmt: skip


def write_list(folder: Path, *rows: dict[str, Any], name: str = "dttot.ftm.json") -> Path:
    path = folder / name
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def load(settings: Settings, *rows: dict[str, Any]) -> None:
    path = write_list(settings.home.parent, *rows)
    ok(settings, "lists", "load", str(path), "--format", "ftm", "--name", "dttot")


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The case story's workspace (list, payments, screening, flag, monitoring pass)."""
    settings = Settings.resolve(tmp_path_factory.mktemp("story") / "home")
    build(settings)
    return settings


@pytest.fixture(scope="module")
def listed(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Two versions of the list (the second adds a namesake), payments, a parties screen."""
    settings = Settings.resolve(tmp_path_factory.mktemp("listed") / "home")
    load(settings, RUSDAN, SANCTION)
    load(settings, RUSDAN, SANCTION, NAMESAKE)
    ok(settings, "tx", "load", str(write_payments(settings.home.parent)), "--format", "csv")
    ok(settings, "screen", "parties")
    return settings


def shown(settings: Settings, *args: str) -> Any:
    return json.loads(ok(settings, *args, "--json"))


def test_entity_show_gives_names_in_every_script_sanctions_versions_and_hits(
    listed: Settings,
) -> None:
    entity = shown(listed, "entities", "show", LISTED)
    assert (entity["caption"], entity["status"], entity["schema"]) == ("Abu Rusdan", "listed",
                                                                      "Person")  # fmt: skip
    scripts = {n["name"]: n["scripts"] for n in entity["names"]}
    assert scripts == {"Abu Rusdan": ["Latin"], "أبو رسدان": ["Arabic"], "Абу Русдан": ["Cyrillic"]}
    assert (entity["birth_dates"], entity["nationalities"]) == (["1960-05-12"], ["id"])
    assert entity["identifiers"][0] | {"list": "dttot"} == {
        "type": "passportNumber", "number": "A 1234567", "country": None, "list": "dttot",
    }  # fmt: skip
    [sanction] = entity["sanctions"]
    assert (sanction["program"], sanction["authority"]) == ("DTTOT 2024", "PPATK")
    assert sanction["legal_basis"] == ["UU 9/2013 Pasal 27"]
    assert sanction["reasons"] == ["Jemaah Islamiyah"]
    assert [v["version"] for v in entity["versions"]] == [2, 1]  # numbered per list
    assert [v["current"] for v in entity["versions"]] == [
        True,
        False,
    ]  # both versions, newest first
    [hit] = entity["hits"]
    assert (hit["party_id"], hit["party_name"]) == ("ACC-CELL", "Abu Rusdan")


def test_entity_show_as_text_and_unknown(listed: Settings) -> None:
    text = ok(listed, "entities", "show", LISTED)
    for expected in ("Абу Русдан", "UU 9/2013 Pasal 27", "A 1234567", "ACC-CELL", "1960-05-12"):
        assert expected in text
    missing = invoke(listed, "entities", "show", "NOSUCH")
    assert missing.exit_code == EXIT_ERROR
    assert "no listed entity 'NOSUCH'" in missing.stderr


def test_an_entity_no_longer_listed_is_still_shown_marked_removed(tmp_path: Path) -> None:
    settings = Settings.resolve(tmp_path / "home")
    load(settings, RUSDAN, SANCTION, NAMESAKE)
    load(settings, NAMESAKE)
    entity = shown(settings, "entities", "show", LISTED)
    assert entity["status"] == "removed" and entity["lists"] == []
    assert entity["sanctions"][0]["program"] == "DTTOT 2024"  # as the last version held it
    assert [v["current"] for v in entity["versions"]] == [False]


def test_screen_name_hits_carry_the_entry_and_add_up(listed: Settings) -> None:
    found = shown(listed, "screen", "name", "Abu Rusdan")
    hits = {h["entity_id"]: h for h in found["hits"]}
    hit = hits[LISTED]
    assert (hit["caption"], hit["topics"]) == ("Abu Rusdan", ["crime.terror"])
    assert (hit["birth_dates"], hit["countries"]) == (["1960-05-12"], ["id"])
    total = hit["bias"] + sum(f["contribution"] for f in hit["features"])
    assert total == pytest.approx(hit["logit"], abs=1e-9)
    assert 1 / (1 + math.exp(-total)) == pytest.approx(hit["score"], abs=1e-12)
    assert f"bias {hit['bias']:+.2f}" in hit["explanation"]
    assert f"= {hit['logit']:+.2f} log-odds" in hit["explanation"]


def test_screen_name_names_the_entity_when_captions_collide(listed: Settings) -> None:
    text = ok(listed, "screen", "name", "Abu Rusdan")
    assert f"Abu Rusdan [{LISTED}]" in text and "Abu Rusdan [dttot-rusdan-2]" in text
    assert "born: 1960-05-12" in text and "born: 1975" in text
    rivals = {
        h["entity_id"]: h["rival"] for h in shown(listed, "screen", "name", "Abu Rusdan")["hits"]
    }
    assert rivals == {
        LISTED: "Abu Rusdan [dttot-rusdan-2]",
        "dttot-rusdan-2": f"Abu Rusdan [{LISTED}]",
    }


def test_alert_show_gives_payments_accounts_holders_and_related_alerts(story: Settings) -> None:
    alerts = shown(story, "alerts", "show")
    mule = next(
        a for a in alerts if a["typology"] == "drug_exposure" and a["account"] == "ACC-MULE"
    )
    alert = shown(story, "alerts", "show", mule["alert_id"])
    assert (alert["typology"], alert["account"], alert["score"]) == ("drug_exposure", "ACC-MULE",
                                                                    mule["score"])  # fmt: skip
    assert [p["tx_id"] for p in alert["payments"]] == ["T1"]
    holders = {a["account"]: (a["role"], a["names"]) for a in alert["accounts"]}
    assert holders == {"ACC-MULE": ("subject", ["Budi Hartono"]),
                       "ACC-DRUG": ("involved", ["Kartel Narkoba Jaya"])}  # fmt: skip
    related = {a["alert_id"] for a in alert["related_alerts"]}
    assert mule["alert_id"] not in related and related
    assert alert["features"] and alert["explanation"] == mule["explanation"]


def test_alert_show_unknown_and_piped_text_keeps_whole_ids(story: Settings) -> None:
    missing = invoke(story, "alerts", "show", "ALR-nosuch")
    assert missing.exit_code == EXIT_ERROR and "no alert 'ALR-nosuch'" in missing.stderr
    listing = invoke(story, "alerts", "show")  # CliRunner's stdout is no terminal: plain columns
    assert listing.exit_code == EXIT_OK
    lines = listing.stdout.splitlines()
    header = ["alert", "score", "typology", "account", "explanation", "cases"]
    assert lines[0].split("\t") == header  # cases: those holding the alert (none here)
    for alert in shown(story, "alerts", "show"):
        row = next(line.split("\t") for line in lines if line.startswith(alert["alert_id"]))
        assert row[1] == score_text(alert["score"]) and row[4] == alert["explanation"]


def test_account_show_gives_holder_payments_alerts_exposure_and_hits(story: Settings) -> None:
    account = shown(story, "accounts", "show", "ACC-CELL")
    assert account["holder"]["names"] == ["Abu Rusdan"]
    [incoming] = account["payments"]["by_direction"]
    got = (incoming["direction"], incoming["payments"], incoming["amount"])
    assert got == ("in", 1, 85_000_000.0)
    assert {a["typology"] for a in account["alerts"]} >= {"drug_exposure"}
    assert [e["topic"] for e in account["exposure"]] == ["drug"]
    assert [h["entity_id"] for h in account["screening_hits"]] == [LISTED]
    drug = shown(story, "accounts", "show", "ACC-DRUG")
    assert [f["topic"] for f in drug["flags"]] == ["drug"]


def test_account_show_unknown(story: Settings) -> None:
    missing = invoke(story, "accounts", "show", "NOSUCHACCOUNT")
    assert missing.exit_code == EXIT_ERROR
    assert "no account 'NOSUCHACCOUNT'" in missing.stderr


def test_score_text_has_three_or_four_digits_and_never_rounds_up_to_one() -> None:
    assert [score_text(v) for v in (0.5, 0.99612, 0.99956, 1.0, None)] == [
        "0.500", "0.996", "0.9995", "1.000", "",
    ]  # fmt: skip


def test_every_table_is_plain_columns_when_piped(listed: Settings) -> None:
    """`tx show` draws its own Rich table: piped, it is tab-separated with the long path whole."""
    shown_text = ok(listed, "tx", "show")
    header, row = shown_text.splitlines()[:2]
    assert header.split("\t") == ["source file", "payments", "labelled", "first", "last"]
    path = str(listed.home.parent / "payments.csv")
    assert len(path) > 40 and row.split("\t")[0].endswith("payments.csv")
    assert path in shown_text and "━" not in shown_text and "│" not in shown_text

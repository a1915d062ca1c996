"""`jalur exchange export --case ID`: a case's subjects and payments go to a partner, by a
signed-in user who works cases; the case's timeline and both agencies' audit trails say so."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from case_story import LISTED, SANCTION, build, ok, run, trace
from jalur.config import Settings


def _workspace(root: Path, name: str) -> Settings:
    home = root / name
    home.mkdir(mode=0o700)
    return Settings.resolve(home)


@pytest.fixture
def agencies(tmp_path: Path) -> tuple[Settings, Settings]:
    """PPATK holds the story and a case; Rosfinmonitoring is its partner."""
    ppatk, rosfin = _workspace(tmp_path, "ppatk"), _workspace(tmp_path, "rosfin")
    ok(ppatk, "agency", "init", "--name", "PPATK", "--country", "ID")
    ok(rosfin, "agency", "init", "--name", "Rosfinmonitoring", "--country", "RU")
    for me, other in ((ppatk, rosfin), (rosfin, ppatk)):
        card = tmp_path / f"{me.home.name}.card"
        ok(me, "agency", "card", "--out", str(card))
        ok(other, "agency", "add-partner", str(card))
    build(ppatk)
    ok(ppatk, "users", "add", "root", "--role", "admin")
    ok(ppatk, "users", "add", "ana", "--role", "analyst", user="root")
    ok(ppatk, "users", "add", "aud", "--role", "auditor", user="root")
    ok(rosfin, "users", "add", "root", "--role", "admin")
    return ppatk, rosfin


def _case(settings: Settings) -> str:
    (channel,) = trace(settings)
    out = ok(settings, "cases", "open", "--channel", str(channel["channel_id"]), "--json",
             user="ana")  # fmt: skip
    case_id: str = json.loads(out)["case_id"]
    return case_id


def _export(settings: Settings, case_id: str, out: Path, user: str) -> tuple[int, str]:
    return run(settings, "exchange", "export", "--to", "rosfinmonitoring", "--case", case_id,
               "--purpose", "CTF analysis of a drug-to-terror channel", "--out", str(out),
               "--json", user=user)  # fmt: skip


def _trail(settings: Settings) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = json.loads(ok(settings, "audit", "show", "--json", user="root"))
    return found


def test_a_case_goes_to_a_partner_who_imports_it(
    agencies: tuple[Settings, Settings], tmp_path: Path
) -> None:
    ppatk, rosfin = agencies
    case_id = _case(ppatk)
    package = tmp_path / "case.pkg"
    out = ok(ppatk, "exchange", "export", "--to", "rosfinmonitoring", "--case", case_id,
             "--purpose", "CTF analysis", "--out", str(package), "--json", user="ana")  # fmt: skip
    manifest = json.loads(out)
    assert manifest["selection"]["terms"] == [f"case:{case_id}"]
    assert manifest["contents"]["entities"]["count"] == 2  # the listed person and his Sanction
    assert manifest["contents"]["transactions"]["rows"] == 2  # the channel's payments T1, T2
    assert any("no onward dissemination" in c for c in manifest["caveats"])
    shown = json.loads(ok(ppatk, "cases", "show", case_id, "--json", user="ana"))
    (event,) = [e for e in shown["timeline"] if e["action"] == "export"]
    assert event["user"] == "ana"
    assert event["details"]["package_id"] == manifest["package_id"]
    assert event["details"]["recipients"] == ["Rosfinmonitoring"]
    trail = _trail(ppatk)
    exported = [e for e in trail if e["action"] == "exchange.export"]
    assert [e["object"] for e in exported] == [manifest["package_id"]]
    assert exported[0]["user"] == "ana" and exported[0]["details"]["signed_in"] is True
    assert exported[0]["details"]["exchange_log"]["seq"] >= 1
    assert [e["object"] for e in trail if e["action"] == "case.export"] == [case_id]

    report = json.loads(ok(rosfin, "exchange", "import", str(package), "--json"))
    assert report["package_id"] == manifest["package_id"]
    assert (report["entities"], report["transactions"]) == (2, 2)
    details = json.loads(ok(rosfin, "exchange", "show", manifest["package_id"], "--json"))
    # the partner keeps them under ids of its own namespace: LISTED.<signature>
    assert sorted(e["entity_id"].split(".")[0] for e in details["entities"]) == [
        LISTED, SANCTION,
    ]  # fmt: skip
    assert {e["caption"] for e in details["entities"]} == {"Abu Rusdan", "DTTOT 2024"}
    assert {t["tx_id"] for t in details["transactions"]} == {"T1", "T2"}
    imported = [e for e in _trail(rosfin) if e["action"] == "exchange.import"]
    assert [e["object"] for e in imported] == [manifest["package_id"]]
    for settings in (ppatk, rosfin):
        code, out = run(settings, "audit", "verify", "--json")
        assert code == 0 and json.loads(out)["intact"], out


def test_a_rejected_package_is_in_the_trail(
    agencies: tuple[Settings, Settings], tmp_path: Path
) -> None:
    ppatk, _ = agencies
    package = tmp_path / "case.pkg"
    assert _export(ppatk, _case(ppatk), package, "ana")[0] == 0
    code, out = run(ppatk, "exchange", "import", str(package))  # addressed to the partner
    assert code == 1 and "rejected" in out, out
    rejected = [e for e in _trail(ppatk) if e["action"] == "exchange.import-rejected"]
    assert len(rejected) == 1 and rejected[0]["details"]["signed_in"] is False


def test_a_user_without_the_right_is_refused(
    agencies: tuple[Settings, Settings], tmp_path: Path
) -> None:
    ppatk, _ = agencies
    case_id = _case(ppatk)
    package = tmp_path / "case.pkg"
    for user, why in (("aud", "the role auditor may not"), ("root", "the role admin may not")):
        code, out = _export(ppatk, case_id, package, user)
        assert code == 1 and why in out, out
        assert not package.exists()
    code, out = _export(ppatk, "CASE-NOPE", package, "ana")
    assert code == 1 and "no case CASE-NOPE" in out
    trail = _trail(ppatk)
    assert [e for e in trail if e["action"].startswith("exchange.")] == []
    assert len([e for e in trail if e["action"] == "access.refused"]) == 2


def test_another_agencys_user_exports_no_case_and_no_package_is_written(
    agencies: tuple[Settings, Settings], tmp_path: Path
) -> None:
    """Before, a BNN analyst's export of PPATK's case wrote the package (the case's subjects and
    payments) and only then failed to note it on the case."""
    ppatk, _ = agencies
    case_id = _case(ppatk)
    ok(ppatk, "users", "add", "bob", "--role", "analyst", "--agency", "BNN", user="root")
    package = tmp_path / "other.pkg"
    code, out = _export(ppatk, case_id, package, user="bob")
    assert code == 1, out
    assert f"no case {case_id}" in out and "nothing was exported" in out
    assert not package.exists()

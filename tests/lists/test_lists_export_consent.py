"""`jalur lists export` passes lists on as `jalur exchange export` does (Egmont: no onward
dissemination without the originator's consent). It wrote every list to the file, a partner's
subjects received through `exchange import` and lists marked `NO-ONWARD` included, and another
agency's list too, asking nothing and recording no consent.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from jalur.audit import entries
from jalur.cli import app
from jalur.config import Settings
from jalur.sqlstore import open_database
from jalur.users import Marking, default_agency, mark

runner = CliRunner()
OWN, BNN, SEALED = "dttot", "bnn-secret", "dttot-no-onward"


def _run(home: Path, *args: str, code: int = 0) -> str:
    result = runner.invoke(app, ["--home", str(home), *args])
    assert result.exit_code == code, result.stdout + result.stderr
    return " ".join((result.stdout + result.stderr).split())


def _list(path: Path, rows: list[tuple[str, str]]) -> Path:
    lines = [
        {"id": i, "schema": "Person", "properties": {"name": [n], "topics": ["crime.terror"]}}
        for i, n in rows
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def _mark(home: Path, name: str, agency: str | None, caveats: tuple[str, ...] = ()) -> None:
    """Mark a list as the service marks a load (agency None: the installation's own)."""
    engine = open_database(Settings.resolve(home))
    with engine.begin() as con:
        mark(con, "list", name, Marking(agency or default_agency(con), "RESTRICTED", caveats), "t")
    engine.dispose()


def _exports(home: Path) -> list[dict[str, Any]]:
    engine = open_database(Settings.resolve(home))
    with engine.connect() as con:
        found = [e.details for e in entries(con) if e.action == "lists.export"]
    engine.dispose()
    return found


def _exported_ids(out: Path) -> set[str]:
    return {json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()}


@pytest.fixture
def ppatk(tmp_path: Path) -> Path:
    """PPATK's workspace: its own list, BNN's list (loaded through the service for agency
    BNN) and a list of its own marked NO-ONWARD."""
    home = tmp_path / "ppatk"
    for name, entity_id, caption in (
        (OWN, "d1", "Abu Rusdan"), (BNN, "b1", "Joko Rahasia"), (SEALED, "s1", "Umar Patek")
    ):  # fmt: skip
        file = _list(tmp_path / f"{name}.ftm.json", [(entity_id, caption)])
        _run(home, "lists", "load", str(file), "--name", name)
    _mark(home, BNN, "BNN")
    _mark(home, SEALED, None, ("NO-ONWARD",))
    return home


def test_another_agencys_list_is_refused_and_the_rest_leave_with_list(
    ppatk: Path, tmp_path: Path
) -> None:
    out = tmp_path / "all.ftm.json"
    said = _run(ppatk, "lists", "export", "--out", str(out), "--consent", "letter 7", code=1)
    assert f"list {BNN} is agency BNN's" in said and "nothing was exported" in said
    assert not out.exists() and _exports(ppatk) == []
    _run(ppatk, "lists", "export", "--list", OWN, "--out", str(out))
    assert {json.loads(line)["id"] for line in out.read_text().splitlines()} == {"d1"}
    assert _exports(ppatk)[-1]["lists"] == [OWN]


def test_a_no_onward_list_leaves_only_with_a_consent_recorded(ppatk: Path, tmp_path: Path) -> None:
    out = tmp_path / "sealed.ftm.json"
    args = ("lists", "export", "--list", OWN, "--list", SEALED, "--out", str(out))
    said = _run(ppatk, *args, code=1)
    assert f"list {SEALED} carries NO-ONWARD" in said and "--consent" in said
    assert not out.exists() and _exports(ppatk) == []
    _run(ppatk, *args, "--consent", "BNPT letter 12/2026")
    assert len(out.read_text().splitlines()) == 2
    assert _exports(ppatk)[-1]["consent"] == "BNPT letter 12/2026"


def test_an_unknown_list_is_named(ppatk: Path) -> None:
    said = _run(ppatk, "lists", "export", "--list", "dtot", code=1)
    assert "no list 'dtot'" in said and OWN in said


@pytest.fixture
def received(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Rosfinmonitoring's workspace, holding a subject PPATK sent it through the exchange."""
    monkeypatch.setenv("JALUR_PASSPHRASE", "demo passphrase")
    ppatk, rosfin = tmp_path / "ppatk", tmp_path / "rosfin"
    for home, name, country in ((ppatk, "PPATK", "ID"), (rosfin, "Rosfinmonitoring", "RU")):
        _run(home, "agency", "init", "--name", name, "--country", country)
        _run(home, "agency", "card", "--out", str(tmp_path / f"{name}.card"))
    _run(ppatk, "agency", "add-partner", str(tmp_path / "Rosfinmonitoring.card"))
    _run(rosfin, "agency", "add-partner", str(tmp_path / "PPATK.card"))
    _run(ppatk, "lists", "load", str(_list(tmp_path / "d.ftm.json", [("d1", "Abu Rusdan")])),
         "--name", OWN)  # fmt: skip
    package = tmp_path / "p.jx"
    _run(ppatk, "exchange", "export", "--to", "rosfinmonitoring", "--purpose", "CTF",
         "--entities", f"list:{OWN}", "--out", str(package))  # fmt: skip
    _run(rosfin, "exchange", "import", str(package))
    _run(rosfin, "lists", "load", str(_list(tmp_path / "r.ftm.json", [("r1", "Hambali")])),
         "--name", "rosfin-own")  # fmt: skip
    return rosfin


def test_a_partners_data_leaves_only_with_its_originators_consent(
    received: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.ftm.json"
    said = _run(received, "lists", "export", "--out", str(out), code=1)
    assert "received from PPATK" in said and "--consent ORG=TEXT" in said
    said = _run(received, "lists", "export", "--out", str(out), "--consent", "PPTAK=x", code=1)
    assert "PPTAK is none of the originators" in said
    assert not out.exists() and _exports(received) == []
    _run(received, "lists", "export", "--list", "rosfin-own", "--out", str(out))
    assert _exported_ids(out) == {"r1"}
    _run(received, "lists", "export", "--out", str(out), "--consent", "ppatk=letter 4 March")
    assert len(_exported_ids(out)) == 2
    assert _exports(received)[-1]["consents"] == {"PPATK": "letter 4 March"}


def _data(entity_id: str, provenance: dict[str, Any] | None) -> str:
    row: dict[str, Any] = {"id": entity_id, "schema": "Person", "properties": {}}
    if provenance is not None:
        row["exchange"] = provenance
    return json.dumps(row)


def test_each_originator_and_each_agency_on_the_way_needs_its_own_consent() -> None:
    """Rosfinmonitoring forwarded PPATK's subject; AUSTRAC sent one directly: one text once
    let all of it go."""
    from jalur.lists.onward import ListMark, OnwardCheck, OnwardRefusedError

    check = OnwardCheck("FIU-NL", {"exchange-rosfin": ListMark("FIU-NL", ("EGMONT",))})
    forwarded = {"agency": "Rosfinmonitoring", "partner": "rosfinmonitoring",
                 "forwarded_from": {"agency": "PPATK", "partner": "ppatk"}}  # fmt: skip
    check.note("exchange-rosfin", _data("x1", forwarded))
    check.note("exchange-austrac", _data("x2", {"agency": "AUSTRAC", "partner": "austrac"}))
    with pytest.raises(OnwardRefusedError, match="3 originators: one consent each"):
        check.released(["letter 7"])
    with pytest.raises(OnwardRefusedError, match=r"without the consent of PPATK\b"):
        check.released(["austrac=email", "ROSFINMONITORING=call"])
    with pytest.raises(OnwardRefusedError, match="PPATK= states no consent"):
        check.released(["austrac=email", "rosfinmonitoring=call", "PPATK= "])
    released = check.released(["austrac=email", "rosfinmonitoring=call", "PPATK=letter"])
    assert released.consents == {"AUSTRAC": "email", "PPATK": "letter", "Rosfinmonitoring": "call"}
    assert released.consent == "AUSTRAC: email; PPATK: letter; Rosfinmonitoring: call"


def test_a_hostile_forwarding_chain_is_refused_not_cut_short() -> None:
    from jalur.lists.onward import OnwardCheck, OnwardRefusedError

    chain: dict[str, Any] = {"agency": "A0"}
    for hop in range(1, 30):
        chain = {"agency": f"A{hop}", "forwarded_from": chain}
    check = OnwardCheck("PPATK", {})
    with pytest.raises(OnwardRefusedError, match="forwarded through more than 20 agencies"):
        check.note("exchange-x", _data("x1", chain))
    escaped = OnwardCheck("PPATK", {})
    escaped.note("exchange-x", _data("x1", {"agency": "\x1b[2JX"}))
    assert [o.name for o in escaped.originators.values()] == ["'\\x1b[2JX'"]


def test_the_agencys_own_unmarked_lists_need_no_consent() -> None:
    from jalur.lists.onward import OnwardCheck

    check = OnwardCheck("PPATK", {})
    check.note(OWN, _data("d1", None))
    check.note(OWN, json.dumps({"id": "d2", "properties": {"name": ['"exchange"']}}))
    assert check.released([]).as_dict() == {"consent": None, "consents": {}}


def test_an_export_that_cannot_be_written_whole_is_an_error_and_audited(
    ppatk: Path, tmp_path: Path
) -> None:
    """A full disk (`/dev/full`) ended in an OSError traceback, and the entities that had
    left before it were in no audit entry; the trail now says how many went out."""
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    said = _run(ppatk, "lists", "export", "--list", OWN, "--out", "/dev/full", code=1)
    assert "/dev/full: writing stopped" in said and "No space left" in said, said
    assert _exports(ppatk)[-1]["interrupted"].startswith("No space left")


def test_an_export_file_cut_short_is_removed(
    ppatk: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Half a list in a file reads as the whole list to whoever receives it."""
    import errno

    import jalur.lists.commands as commands

    real = commands.current_entities

    def cut(*args: Any, **kwargs: Any) -> Any:
        yield from list(real(*args, **kwargs))[:1]
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(commands, "current_entities", cut)
    out = tmp_path / "cut.ftm.json"
    said = _run(ppatk, "lists", "export", "--list", OWN, "--out", str(out), code=1)
    assert "writing stopped (No space left on device)" in said and "removed" in said
    assert not out.exists()
    assert _exports(ppatk)[-1]["entities"] == 1


def test_every_consent_given_is_in_the_record() -> None:
    """A partner's consent and the one for an own NO-ONWARD list: the second was dropped from
    the audit entry when the first named its originator."""
    from jalur.lists.onward import ListMark, OnwardCheck

    check = OnwardCheck("PPATK", {SEALED: ListMark("PPATK", ("NO-ONWARD",))})
    check.note(SEALED, _data("s1", None))
    check.note("exchange-austrac", _data("x2", {"agency": "AUSTRAC", "partner": "austrac"}))
    released = check.released(["AUSTRAC=email of 3 March", "BNPT letter 12"])
    assert released.consents == {"AUSTRAC": "email of 3 March"}
    assert released.consent == "AUSTRAC: email of 3 March; BNPT letter 12"

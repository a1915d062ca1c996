"""The command line speaks for the installation's own agency: a list that another agency of
the installation loaded through the service (marked as that agency's) never leaves in a
package or a match offer made here, as the service refuses it (only the owning agency sends a
record onward); and a list the agency marked `NO-ONWARD` leaves only with a recorded consent.

Before this, `jalur exchange export --entities list:bnn-secret` sealed BNN's list to a foreign
partner, and `match-offer` encoded it with the agency's own subjects.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from exchange_agencies import cli_app
from typer.testing import CliRunner

import jalur.exchange
import jalur.lists
from jalur.config import Settings
from jalur.sqlstore import open_database
from jalur.users import Marking, default_agency, mark

runner = CliRunner()
OWN, BNN, SEALED = "dttot", "bnn-secret", "dttot-no-onward"


def _app() -> typer.Typer:
    return cli_app(jalur.lists.register_cli, jalur.exchange.register_cli)


def _run(home: Path, *args: str, code: int = 0) -> str:
    result = runner.invoke(_app(), ["--home", str(home), *args])
    assert result.exit_code == code, result.stdout + result.stderr
    return " ".join((result.stdout + result.stderr).split())


def _list(path: Path, rows: list[tuple[str, str]]) -> Path:
    path.write_text(
        "".join(
            json.dumps(
                {
                    "id": i,
                    "schema": "Person",
                    "properties": {"name": [n], "topics": ["crime.terror"]},
                }
            )
            + "\n"
            for i, n in rows
        ),
        encoding="utf-8",
    )
    return path


def _mark(home: Path, name: str, agency: str | None, caveats: tuple[str, ...] = ()) -> None:
    """Mark a list as the service marks a load (agency None: the installation's own)."""
    engine = open_database(Settings.resolve(home))
    with engine.begin() as con:
        owner = agency or default_agency(con)
        mark(con, "list", name, Marking(owner, "RESTRICTED", caveats), "test")
    engine.dispose()


@pytest.fixture
def ppatk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """PPATK's workspace: its own list, BNN's list (loaded through the service for agency
    BNN) and a list of its own marked NO-ONWARD; Rosfinmonitoring is its partner."""
    monkeypatch.setenv("JALUR_PASSPHRASE", "demo passphrase")
    home, partner = tmp_path / "ppatk", tmp_path / "rosfin"
    _run(home, "agency", "init", "--name", "PPATK", "--country", "ID")
    _run(partner, "agency", "init", "--name", "Rosfinmonitoring", "--country", "RU")
    _run(partner, "agency", "card", "--out", str(tmp_path / "rosfin.card"))
    _run(home, "agency", "add-partner", str(tmp_path / "rosfin.card"))
    lists = ((OWN, "d1", "Abu Rusdan"), (BNN, "b1", "Joko Rahasia"), (SEALED, "s1", "Umar Patek"))
    for name, entity_id, caption in lists:
        file = _list(tmp_path / f"{name}.ftm.json", [(entity_id, caption)])
        _run(home, "lists", "load", str(file), "--name", name)
    _mark(home, BNN, "BNN")
    _mark(home, SEALED, None, ("NO-ONWARD",))
    return home


def _exported(home: Path) -> int:
    log = json.loads(_run(home, "exchange", "log", "--json"))
    return sum(e["action"] == "export" for e in log["entries"])


def test_another_agencys_list_never_leaves_in_a_package(ppatk: Path, tmp_path: Path) -> None:
    out = tmp_path / "bnn.pkg"
    for term in (f"list:{BNN}", "topic:crime.terror"):
        said = _run(
            ppatk, "exchange", "export", "--to", "rosfinmonitoring", "--purpose", "CTF",
            "--entities", term, "--consent", "letter 7", "--out", str(out), code=1,
        )  # fmt: skip
        assert f"list {BNN} is agency BNN's" in said and "only agency BNN sends it" in said
        assert "nothing was exported" in said
        assert not out.exists()
    assert _exported(ppatk) == 0
    _run(ppatk, "exchange", "export", "--to", "rosfinmonitoring", "--purpose", "CTF",
         "--entities", f"list:{OWN}", "--out", str(out))  # fmt: skip
    assert _exported(ppatk) == 1


def test_a_no_onward_list_leaves_only_with_consent(ppatk: Path, tmp_path: Path) -> None:
    out = tmp_path / "sealed.pkg"
    args = ("exchange", "export", "--to", "rosfinmonitoring", "--purpose", "CTF",
            "--entities", f"list:{SEALED}", "--out", str(out))  # fmt: skip
    said = _run(ppatk, *args, code=1)
    assert f"list {SEALED} carries NO-ONWARD" in said and "--consent" in said
    assert not out.exists() and _exported(ppatk) == 0
    _run(ppatk, *args, "--consent", "BNPT letter 12/2026")
    assert out.exists() and _exported(ppatk) == 1


def test_a_match_offer_holds_the_agencys_own_lists_only(ppatk: Path, tmp_path: Path) -> None:
    out = tmp_path / "offer.jx"
    said = _run(ppatk, "exchange", "match-offer", "--to", "rosfinmonitoring", "--lists", BNN,
                "--out", str(out), code=1)  # fmt: skip
    assert f"list {BNN} is agency BNN's" in said and not out.exists()
    consent = ("--consent", "BNPT letter 12/2026")
    offered = json.loads(_run(ppatk, "exchange", "match-offer", "--to", "rosfinmonitoring",
                              *consent, "--out", str(out), "--json"))  # fmt: skip
    assert offered["subjects"] == 2  # PPATK's own two lists, not BNN's


def test_a_no_onward_list_is_offered_only_with_consent(ppatk: Path, tmp_path: Path) -> None:
    """As `POST /v1/exchange/offers` answers 403 without `consent`: an offer lets the partner
    test guesses against the subjects (a dictionary attack), so it discloses them."""
    out = tmp_path / "offer.jx"
    for lists in ((), ("--lists", SEALED)):
        said = _run(ppatk, "exchange", "match-offer", "--to", "rosfinmonitoring", *lists,
                    "--out", str(out), code=1)  # fmt: skip
        assert f"list {SEALED} carries NO-ONWARD" in said and "--consent" in said
        assert not out.exists()
    offered = json.loads(_run(ppatk, "exchange", "match-offer", "--to", "rosfinmonitoring",
                              "--lists", OWN, "--out", str(out), "--json"))  # fmt: skip
    assert offered["subjects"] == 1

"""Every command that changes or discloses analytical data lands in the one workspace trail:
list loads, payment loads, screening, flags, monitoring runs and traces (exchange packages:
tests/exchange/test_export_case.py). Those commands do not sign in: the entry names the user
given (or the login) and says it was not verified."""

from __future__ import annotations

import getpass
import json
from typing import Any

from case_story import build, ok, run, trace
from jalur.config import Settings


def _trail(settings: Settings) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = json.loads(ok(settings, "audit", "show", "--json", user="root"))
    return entries


def test_capability_commands_are_in_the_trail(sql_settings: Settings) -> None:
    s = sql_settings
    build(s)  # lists load, tx load, screen parties, accounts flag, monitor run
    (channel,) = trace(s)
    customers = s.home.parent / "customers.csv"
    customers.write_text("id,name\nC-1,Abu Rusdan\nC-2,Siti Aminah\n", encoding="utf-8")
    hits = s.home.parent / "hits.csv"
    ok(s, "screen", "batch", str(customers), "--out", str(hits), user="ana")
    exported = s.home.parent / "exported"
    exported.mkdir()
    ok(s, "lists", "export", "--out", str(exported / "lists.ftm.json"))
    ok(s, "tx", "export", "--out", str(exported / "parties.ftm.json"))
    ok(s, "alerts", "export", "--out", str(exported / "alerts.csv"))
    ok(s, "users", "add", "root", "--role", "admin")
    trail = _trail(s)
    seen = {e["action"]: e for e in trail}
    assert seen["lists.load"]["object"] == "dttot"
    assert seen["lists.load"]["details"]["version"] == 1
    assert seen["tx.load"]["object"].endswith("payments.csv")
    assert seen["tx.load"]["details"]["accepted"] == 4
    assert seen["screen.parties"]["details"]["hit_count"] == 1
    assert seen["accounts.flag"]["object"] == "drug"
    assert seen["monitor.run"]["object"].startswith("RUN-")
    assert seen["monitor.run"]["details"]["alerts"] > 0
    assert seen["monitor.trace"]["details"]["channels"] == 1
    assert seen["monitor.trace"]["object"] == _trace_id(s, str(channel["channel_id"]))
    batch = seen["screen.batch"]
    assert batch["object"] == str(customers) and batch["details"]["read"] == 2
    assert (batch["user"], batch["details"]["user_source"]) == ("ana", "JALUR_USER")
    assert batch["details"]["signed_in"] is False
    # what leaves the workspace as a file is disclosed, so it is recorded too
    assert seen["lists.export"]["details"]["entities"] == len(
        (exported / "lists.ftm.json").read_text(encoding="utf-8").splitlines()
    )
    assert seen["tx.export"]["object"] == str(exported / "parties.ftm.json")
    assert seen["alerts.export"]["details"]["rows"] > 0
    flag = seen["accounts.flag"]
    assert (flag["user"], flag["details"]["user_source"]) == (getpass.getuser(), "os login")
    code, out = run(s, "audit", "verify", "--json")
    assert code == 0, out
    assert json.loads(out)["intact"]


def test_a_refused_load_records_nothing_and_a_cleared_hit_names_the_decider(
    sql_settings: Settings,
) -> None:
    s = sql_settings
    bad = s.home.parent / "broken.ftm.json"
    bad.write_text("{not json\n", encoding="utf-8")
    code, _ = run(s, "lists", "load", str(bad), "--format", "ftm", "--name", "x")
    assert code == 1
    build(s)
    ok(s, "screen", "clear", "--customer", "ACC-CELL", "--entity", "dttot-rusdan",
       "--reason", "different person, born 1990", "--user", "rina")  # fmt: skip
    ok(s, "users", "add", "root", "--role", "admin")
    trail = _trail(s)
    assert [e for e in trail if e["object"] == "x"] == []
    (cleared,) = [e for e in trail if e["action"] == "screen.clear"]
    assert cleared["user"] == "rina" and cleared["details"]["user_source"] == "--user"
    assert cleared["details"]["cleared"] == ["ACC-CELL/dttot/dttot-rusdan"]


def _trace_id(settings: Settings, channel_id: str) -> str:
    from jalur.monitoring import channel
    from jalur.store import Store

    with Store.open(settings) as store:
        found = channel(store, channel_id)
    assert found is not None
    return str(found["trace_id"])

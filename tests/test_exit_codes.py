"""The exit-code scheme of `jalur.clikit`, `jalur --version` and `--home` on either side.

Each command runs in a small workspace built by real `jalur` commands (tests/case_story.py):
a one-person terror list and four payments ACC-DRUG → ACC-MULE → ACC-CELL, ACC-SHOP ⇄ ACC-BAKER.
"""

from __future__ import annotations

import json
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from typer.testing import CliRunner

from case_story import invoke, ok, write_list, write_payments
from jalur.cli import app, hoist_home, main
from jalur.clikit import (
    EXIT_ERROR,
    EXIT_NOTHING_ACCEPTED,
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_USAGE,
    rows_exit_code,
)
from jalur.config import Settings


@pytest.fixture
def ws(tmp_path: Path) -> Settings:
    """A workspace with the list and the payments loaded."""
    settings = Settings.resolve(tmp_path / "home")
    ok(settings, "lists", "load", str(write_list(tmp_path)), "--format", "ftm", "--name", "dttot")
    ok(settings, "tx", "load", str(write_payments(tmp_path)), "--format", "csv")
    return settings


def flag(settings: Settings, lines: str) -> tuple[int, dict[str, object]]:
    path = settings.home.parent / "flags.txt"
    path.write_text(lines, encoding="utf-8")
    result = invoke(settings, "accounts", "flag", str(path), "--topic", "drug", "--reason", "BNN",
                    "--json")  # fmt: skip
    return result.exit_code, json.loads(result.stdout)


def test_the_codes_are_distinct_and_rows_decide_between_them() -> None:
    codes = [EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_PARTIAL, EXIT_NOTHING_ACCEPTED]
    assert codes == [0, 1, 2, 3, 4]
    assert rows_exit_code(read=5, rejected=0) == EXIT_OK
    assert rows_exit_code(read=5, rejected=2) == EXIT_PARTIAL
    assert rows_exit_code(read=5, rejected=5) == EXIT_NOTHING_ACCEPTED
    assert rows_exit_code(read=0, rejected=0) == EXIT_OK  # an empty file rejects nothing


def test_version_prints_the_package_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == EXIT_OK, result.output
    assert result.stdout.strip() == f"jalur {version('jalur')}"


@pytest.mark.parametrize(
    "args",
    [
        ["--home", "{home}", "lists", "show", "--json"],
        ["lists", "show", "--home", "{home}", "--json"],
        ["lists", "show", "--json", "--home={home}"],
    ],
    ids=["before", "after", "after-equals"],
)
def test_home_before_or_after_the_subcommand(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
) -> None:
    home = tmp_path / "elsewhere"
    monkeypatch.delenv("JALUR_HOME", raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["jalur", *(a.format(home=home) for a in args)])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == EXIT_OK, capsys.readouterr()
    assert json.loads(capsys.readouterr().out) == []
    assert (home / "jalur.duckdb").exists()
    assert not (tmp_path / "jalur-home").exists()  # not the default workspace


def test_home_after_the_subcommand_needs_main_and_spares_what_follows_a_double_dash(
    tmp_path: Path,
) -> None:
    refused = CliRunner().invoke(app, ["lists", "show", "--home", str(tmp_path)])
    assert refused.exit_code == EXIT_USAGE  # Click's own usage error: why main() hoists it
    assert hoist_home(["cases", "comment", "C1", "--", "--home", "x"]) == [
        "cases", "comment", "C1", "--", "--home", "x",
    ]  # fmt: skip
    assert hoist_home(["tx", "show", "--home", "a", "--json"]) == [
        "--home", "a", "tx", "show", "--json",
    ]  # fmt: skip


def test_trace_from_an_account_in_no_payment_is_an_error(ws: Settings) -> None:
    graph = ws.home.parent / "ch.json"
    result = invoke(ws, "trace", "--from", "NOSUCHACCOUNT", "--to", "ACC-CELL", "--graph",
                    str(graph))  # fmt: skip
    assert result.exit_code == EXIT_ERROR
    assert "'NOSUCHACCOUNT'" in result.stderr and "no loaded payment" in result.stderr
    assert not graph.exists()
    traced = invoke(ws, "trace", "--from", "ACC-DRUG", "--to", "ACC-CELL", "--graph", str(graph))
    assert traced.exit_code == EXIT_OK, traced.output


def test_alerts_export_of_an_unknown_run_is_an_error(ws: Settings) -> None:
    out = ws.home.parent / "alerts.csv"
    run_id = json.loads(ok(ws, "monitor", "run", "--json"))["run_id"]
    result = invoke(ws, "alerts", "export", "--run", "RUN-nosuch", "--out", str(out))
    assert result.exit_code == EXIT_ERROR
    assert "no monitoring run 'RUN-nosuch'" in result.stderr and run_id in result.stderr
    assert not out.exists()
    exported = json.loads(ok(ws, "alerts", "export", "--run", run_id, "--out", str(out), "--json"))
    assert exported == {"rows": exported["rows"], "out": str(out), "run": run_id}
    assert out.read_text(encoding="utf-8").count("\n") == exported["rows"] + 1


def test_accounts_flag_rejects_accounts_in_no_payment(ws: Settings) -> None:
    code, report = flag(ws, "NOSUCH-1\nNOSUCH-2\n")
    assert code == EXIT_NOTHING_ACCEPTED
    assert report["accepted"] == 0 and report["rejected"] == 2
    assert "account 'NOSUCH-1' appears in no loaded payment" in str(report["errors"])
    code, report = flag(ws, "ACC-DRUG\nNOSUCH-1\n\n")
    assert code == EXIT_PARTIAL
    assert (report["accepted"], report["rejected"]) == (1, 2)  # NOSUCH-1 and the blank line
    code, report = flag(ws, "ACC-DRUG\nACC-MULE\n")
    assert code == EXIT_OK  # one new, one already flagged: nothing rejected
    assert (report["accepted"], report["duplicates"]) == (1, 1)


def test_accounts_flag_before_any_payment_says_so(tmp_path: Path) -> None:
    settings = Settings.resolve(tmp_path / "home")
    code, report = flag(settings, "ACC-DRUG\n")
    assert code == EXIT_NOTHING_ACCEPTED
    assert "no payments are loaded" in str(report["errors"])


def test_screen_batch_partial_and_total_rejection(ws: Settings) -> None:
    folder = ws.home.parent

    def batch(rows: str) -> int:
        source, out = folder / "customers.csv", folder / "hits.csv"
        source.write_text("id,name\n" + rows, encoding="utf-8")
        return invoke(ws, "screen", "batch", str(source), "--out", str(out)).exit_code

    assert batch("c1,Abu Rusdan\nc2,Siti Aminah\n") == EXIT_OK
    assert batch("c1,Abu Rusdan\nc2,---\n") == EXIT_PARTIAL
    assert batch("c1,---\n,Siti Aminah\n") == EXIT_NOTHING_ACCEPTED


def test_tx_load_partial_and_total_rejection(ws: Settings) -> None:
    folder = ws.home.parent

    def load(rows: str) -> tuple[int, dict[str, int]]:
        path = folder / "more.csv"
        path.write_text("tx_id,timestamp,amount,currency\n" + rows, encoding="utf-8")
        result = invoke(ws, "tx", "load", str(path), "--format", "csv", "--json")
        return result.exit_code, json.loads(result.stdout)

    code, counts = load("N1,2025-04-01T00:00:00Z,5,IDR\nN2,2025-04-01T00:00:00Z,lots,IDR\n")
    assert (code, counts["accepted"], counts["rejected"]) == (EXIT_PARTIAL, 1, 1)
    code, counts = load("N3,2025-04-01T00:00:00Z,lots,IDR\n")
    assert (code, counts["accepted"], counts["rejected"]) == (EXIT_NOTHING_ACCEPTED, 0, 1)
    code, counts = load("N1,2025-04-01T00:00:00Z,5,IDR\n")
    assert (code, counts["duplicates"]) == (EXIT_OK, 1)  # already in: not a rejection


def test_screen_clear_file_partial_and_total_rejection(ws: Settings) -> None:
    folder = ws.home.parent
    ok(ws, "screen", "name", "Abu Rusdan", "--customer-id", "C-1")

    def clear(rows: str) -> int:
        path = folder / "clear.csv"
        path.write_text("customer,entity,reason\n" + rows, encoding="utf-8")
        return invoke(ws, "screen", "clear", "--file", str(path), "--user", "ana").exit_code

    assert clear("NOSUCH,dttot-rusdan,not him\nC-2,dttot-rusdan,nor him\n") == EXIT_NOTHING_ACCEPTED
    assert clear("C-1,dttot-rusdan,born 1990\nNOSUCH,dttot-rusdan,x\n") == EXIT_PARTIAL
    single = invoke(ws, "screen", "clear", "--customer", "NOSUCH", "--entity", "dttot-rusdan",
                    "--reason", "x", "--user", "ana")  # fmt: skip
    assert single.exit_code == EXIT_ERROR and "'NOSUCH' was never screened" in single.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["entities", "show", "NOSUCH"], "no listed entity 'NOSUCH'"),
        (["alerts", "show", "ALR-nosuch"], "no alert 'ALR-nosuch'"),
        (["accounts", "show", "NOSUCHACCOUNT"], "no account 'NOSUCHACCOUNT'"),
        (["lists", "diff", "nosuch"], "no list named 'nosuch'"),
        (["exchange", "show", "PKG-nosuch"], "no received package 'PKG-nosuch'"),
        (["monitor", "run", "--typology", "nosuch"], "unknown typology nosuch"),
    ],
    ids=["entity", "alert", "account", "list", "package", "typology"],
)
def test_a_referenced_thing_that_does_not_exist_is_an_error(
    ws: Settings, args: list[str], message: str
) -> None:
    result = invoke(ws, *args)
    assert result.exit_code == EXIT_ERROR, result.output
    assert message in result.stderr


def test_cases_assign_to_an_unknown_user_and_list_by_an_unknown_status(ws: Settings) -> None:
    ok(ws, "users", "add", "admin", "--role", "admin")
    ok(ws, "users", "add", "ana", "--role", "analyst", user="admin")
    case_id = json.loads(ok(ws, "cases", "open", "--account", "ACC-CELL", "--json", user="ana"))[
        "case_id"
    ]
    refused = invoke(ws, "cases", "assign", case_id, "nobody", user="ana")
    assert refused.exit_code == EXIT_ERROR
    assert f"no user 'nobody' to assign {case_id} to" in refused.stderr
    assigned = json.loads(ok(ws, "cases", "assign", case_id, "ana", "--json", user="ana"))
    assert assigned == {"case_id": case_id, "action": "assign", "by": "ana"}
    listed = invoke(ws, "cases", "list", "--status", "opne", user="ana")
    assert listed.exit_code == EXIT_USAGE and "--status must be one of open" in listed.stderr


@pytest.mark.parametrize(
    ("args", "variable"),
    [
        (["agency", "init", "--name", "PPATK", "--country", "ID"], "JALUR_PASSPHRASE"),
        (["users", "add", "admin", "--role", "admin"], "JALUR_NEW_PASSWORD"),
    ],
    ids=["agency", "users"],
)
def test_without_a_terminal_a_secret_names_its_variable(
    tmp_path: Path, args: list[str], variable: str
) -> None:
    result = CliRunner().invoke(
        app,
        ["--home", str(tmp_path / "home"), *args],
        env={"JALUR_PASSPHRASE": None, "JALUR_NEW_PASSWORD": None, "JALUR_PASSWORD": None},
    )
    assert result.exit_code == EXIT_ERROR, result.output
    assert f"set ${variable}" in result.stderr and "Aborted" not in result.output


@pytest.mark.parametrize(
    ("option", "told"),
    [(["--decision", "maybe"], "--decision must be one of report, close, not 'maybe'"),
     (["--decision", "close", "--disposition", "nah"],
      "--disposition must be one of true-positive, false-positive, not 'nah'")],
    ids=["decision", "disposition"],
)  # fmt: skip
def test_cases_propose_outside_the_allowed_values_is_a_usage_error(
    ws: Settings, option: list[str], told: str
) -> None:
    ok(ws, "users", "add", "admin", "--role", "admin")
    ok(ws, "users", "add", "ana", "--role", "analyst", user="admin")
    case_id = json.loads(ok(ws, "cases", "open", "--account", "ACC-CELL", "--json", user="ana"))[
        "case_id"
    ]
    refused = invoke(ws, "cases", "propose", case_id, *option, "--reason", "r", user="ana")
    assert refused.exit_code == EXIT_USAGE, refused.output
    assert told in refused.stderr

"""The workspace keeps its secrets: private modes, a warning when open, a clear busy error."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jalur.cli import app
from jalur.config import Settings
from jalur.store import Store, WorkspaceInUseError, private_files

runner = CliRunner()
PASSPHRASE = "workspace test passphrase"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def usual_umask() -> Iterator[None]:
    """Most systems create files 0644 and folders 0755; the workspace must not inherit that."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def test_a_new_workspace_is_private(
    tmp_path: Path, usual_umask: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JALUR_PASSPHRASE", PASSPHRASE)
    home = tmp_path / "parent" / "ws"
    result = runner.invoke(
        app, ["--home", str(home), "agency", "init", "--name", "PPATK", "--country", "ID"]
    )
    assert result.exit_code == 0, result.stdout + result.stderr
    result = runner.invoke(app, ["--home", str(home), "exchange", "log", "--seal"])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert _mode(home) == 0o700
    assert _mode(home / "artefacts") == 0o700
    assert _mode(home / "agency") == 0o700
    assert _mode(home / "agency" / "identity.json") == 0o600
    assert _mode(home / "jalur.duckdb") == 0o600
    assert "warning" not in result.stderr
    assert os.umask(0o022) == 0o022  # the command gave the process its umask back


def test_the_write_ahead_log_is_private_too(tmp_path: Path, usual_umask: None) -> None:
    settings = Settings(home=tmp_path / "ws")
    with private_files(), Store.open(settings) as store:
        store.execute("CREATE TABLE t (a INTEGER)")
        store.execute("INSERT INTO t VALUES (1)")
        wal = settings.database_path.with_name("jalur.duckdb.wal")
        assert wal.exists() and _mode(wal) == 0o600
    assert _mode(settings.database_path) == 0o600


def test_an_open_workspace_is_warned_about_once_and_left_alone(
    tmp_path: Path, usual_umask: None
) -> None:
    home = tmp_path / "ws"
    home.mkdir(mode=0o755)
    with Store(home / "jalur.duckdb"):
        pass
    (home / "jalur.duckdb").chmod(0o644)
    result = runner.invoke(app, ["--home", str(home), "agency", "list"])
    assert result.exit_code == 0, result.stdout + result.stderr
    text = " ".join(result.stderr.split())
    assert f"{home} is mode 0755: chmod 700 {home}" in text
    assert f"{home / 'jalur.duckdb'} is mode 0644: chmod 600 {home / 'jalur.duckdb'}" in text
    assert text.count("warning:") == 1
    assert _mode(home) == 0o755 and _mode(home / "jalur.duckdb") == 0o644


@pytest.mark.parametrize("name", ["jalur.sqlite-wal", "jalur.sqlite-shm", "uploads"])
def test_the_sql_stores_log_and_the_uploads_are_checked_too(tmp_path: Path, name: str) -> None:
    """SQLite in WAL mode keeps recent writes (users, cases, audit) beside the file, and the
    API keeps uploaded lists and payments in the workspace: readable by others, they leak."""
    home = tmp_path / "ws"
    home.mkdir(mode=0o700)
    path = home / name
    if name == "uploads":
        path.mkdir(mode=0o755)
    else:
        path.write_bytes(b"")
        path.chmod(0o644)
    found = " ".join(Settings(home=home).exposure())
    assert f"{path} is mode" in found and f"chmod {'700' if name == 'uploads' else '600'}" in found


HOLDER = """
import sys
from jalur.store import Store
store = Store(sys.argv[1])
print("holding", flush=True)
sys.stdin.read()
"""


@pytest.fixture
def held(tmp_path: Path) -> Iterator[Path]:
    """A workspace whose database another process has open (DuckDB locks it per process)."""
    home = tmp_path / "ws"
    home.mkdir(mode=0o700)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(home / "jalur.duckdb")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert holder.stdout is not None and holder.stdin is not None
    assert holder.stdout.readline().strip() == "holding"
    try:
        yield home
    finally:
        holder.stdin.close()
        holder.wait()


def test_a_second_process_gets_a_clear_busy_error(held: Path) -> None:
    with pytest.raises(WorkspaceInUseError) as caught:
        Store(held / "jalur.duckdb")
    message = str(caught.value)
    assert f"the workspace {held} is in use by another jalur process (pid " in message
    assert "try again when it finishes" in message


def test_the_command_line_reports_a_busy_workspace_without_a_traceback(held: Path) -> None:
    result = runner.invoke(app, ["--home", str(held), "agency", "list"])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    text = " ".join(result.stderr.split())
    assert f"error: the workspace {held} is in use by another jalur process" in text
    assert "Traceback" not in result.stdout + result.stderr

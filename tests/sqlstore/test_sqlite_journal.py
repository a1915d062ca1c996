"""A workspace on a network file system: the SQLite file falls back to a rollback journal.

The SQLite file was always put in write-ahead-log mode, which needs shared memory (the `-shm`
file, mapped by every process): on NFS or SMB that is not shared between machines, and SQLite's
own documentation says WAL does not work over a network file system (corrupted reads, or
`disk I/O error`). `[database] sqlite_journal` chooses: `auto` (the default: WAL, except on a
network file system, told by the mount table), `wal` or `rollback`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from jalur.config import ConfigError, Settings
from jalur.sqlstore import open_database
from jalur.sqlstore.engine import network_filesystem, sqlite_journal

MOUNTS = """\
sysfs /sys sysfs rw,nosuid 0 0
/dev/sda1 / ext4 rw,relatime 0 0
server:/export/fiu /srv/fiu nfs4 rw,relatime,vers=4.2 0 0
//nas/share /mnt/nas\\040share cifs rw,relatime 0 0
/dev/sdb1 /srv/fiu/local ext4 rw 0 0
"""


@pytest.mark.parametrize(
    ("path", "network"),
    [
        ("/srv/fiu/ws/jalur.sqlite", True),
        ("/mnt/nas share/ws/jalur.sqlite", True),
        ("/srv/fiu/local/jalur.sqlite", False),  # a local disk mounted inside the share
        ("/home/ana/ws/jalur.sqlite", False),
        ("/srv/fiunet/jalur.sqlite", False),  # a name that only begins like the mount point
    ],
)
def test_a_network_file_system_is_told_by_the_mount_table(path: str, network: bool) -> None:
    assert network_filesystem(Path(path), MOUNTS) is network


def test_an_unreadable_mount_table_is_taken_for_a_local_disk() -> None:
    assert network_filesystem(Path("/srv/fiu/x"), None) is False


def _journal_mode(settings: Settings) -> str:
    engine = open_database(settings)
    try:
        with engine.connect() as con:
            return str(con.execute(text("PRAGMA journal_mode")).scalar_one()).lower()
    finally:
        engine.dispose()


def _workspace(tmp_path: Path, journal: str | None) -> Settings:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    config = f'[database]\nsqlite_journal = "{journal}"\n' if journal else ""
    (home / "jalur.toml").write_text(config, encoding="utf-8")
    return Settings.resolve(home)


def test_the_journal_is_chosen_in_jalur_toml_and_changes_back(tmp_path: Path) -> None:
    assert _journal_mode(_workspace(tmp_path, None)) == "wal"  # a local disk: auto is WAL
    assert _journal_mode(_workspace(tmp_path, "rollback")) == "delete"  # the file was WAL
    assert not (tmp_path / "home" / "jalur.sqlite-wal").exists()
    assert _journal_mode(_workspace(tmp_path, "wal")) == "wal"


@pytest.mark.parametrize("value", ['"journal"', "1", '"memory"'])
def test_a_bad_journal_setting_is_a_clear_config_error(tmp_path: Path, value: str) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "jalur.toml").write_text(f"[database]\nsqlite_journal = {value}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[database\] sqlite_journal"):
        sqlite_journal(Settings.resolve(home))

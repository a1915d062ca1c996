"""An import killed at any point keeps all of the package or none of it, and a retry completes.

Each case runs the import in a child process that SIGKILLs itself right after one step (no
cleanup, no atexit), then reopens the workspace: before the commit nothing may be kept (so the
retry is not refused as a replay and the partner's terror-listed subjects reach the exchange
watchlist); after the commit everything must be there.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from exchange_agencies import Agency, load_dttot

from jalur.exchange import (
    ExportRequest,
    PackageRejectedError,
    export_package,
    find_partner,
    import_package,
    read_log,
    select_entities,
)
from jalur.lists import current_entities
from jalur.store import Store

CHILD = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path

    from jalur.exchange import importer, load_identity
    from jalur.exchange import log as exchange_log
    import jalur.lists.load as list_load
    from jalur.store import Store

    home, package = Path(sys.argv[1]), Path(sys.argv[2])
    point, passphrase = sys.argv[3], sys.argv[4]
    module, name = {
        "entities": (importer, "_write_entities"),
        "payments": (importer, "_write_transactions"),
        "links": (importer, "_update_watchlist"),
        "list-entities": (list_load, "_record_delta"),
        "watchlist": (importer, "_update_watchlist"),
        "log": (exchange_log, "append"),
        "commit": (importer, "_store"),
    }[point]
    original = getattr(module, name)

    def killed(*args, **kwargs):
        if point == "links":  # before the watchlist step, i.e. right after the links
            os.kill(os.getpid(), signal.SIGKILL)
        result = original(*args, **kwargs)
        if point != "log" or args[1] == "import":
            os.kill(os.getpid(), signal.SIGKILL)
        return result

    setattr(module, name, killed)
    store = Store(home / "jalur.duckdb")
    importer.import_package(
        store, load_identity(home), passphrase, package.read_bytes(), str(package)
    )
    """
)
BEFORE_COMMIT = ["entities", "payments", "links", "list-entities", "watchlist", "log"]


def _package(ppatk: Agency, rosfin: Agency, tmp_path: Path) -> Path:
    load_dttot(ppatk.store)
    selection = select_entities(ppatk.store, ["topic:crime.terror"])
    _, sealed = export_package(
        ppatk.store,
        ppatk.identity,
        ppatk.passphrase,
        [find_partner(ppatk.store, "rosfinmonitoring")],
        selection,
        ExportRequest(purpose="CTF"),
    )
    path = tmp_path / "package.jalur"
    path.write_bytes(sealed)
    return path


def _crash(rosfin: Agency, package: Path, point: str) -> None:
    rosfin.store.close()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(rosfin.home), str(package), point, rosfin.passphrase],
        capture_output=True,
        text=True,
        timeout=600,  # generous: on a loaded CI machine the child's start can take a minute
    )
    assert done.returncode == -9, done.stderr  # it really died at that point
    rosfin.store = Store(rosfin.home / "jalur.duckdb")


def _watchlist(rosfin: Agency) -> list[str]:
    return sorted(
        e.context["exchange"]["original_id"]
        for e in current_entities(rosfin.store, ["exchange-ppatk"])
    )


@pytest.mark.parametrize("point", BEFORE_COMMIT)
def test_a_crash_before_the_commit_keeps_nothing_and_a_retry_completes(
    agencies: tuple[Agency, Agency, Agency], tmp_path: Path, point: str
) -> None:
    ppatk, rosfin, _ = agencies
    package = _package(ppatk, rosfin, tmp_path)
    before = rosfin.stored()
    _crash(rosfin, package, point)
    assert rosfin.stored() == before
    report = import_package(
        rosfin.store, rosfin.identity, rosfin.passphrase, package.read_bytes(), str(package)
    )
    assert report.watchlist == "exchange-ppatk"
    assert _watchlist(rosfin) == ["id-dttot-1", "id-dttot-1-sanction", "id-dttot-2"]
    assert [e.action for e in read_log(rosfin.store)] == ["import"]


def test_a_crash_after_the_commit_keeps_everything(
    agencies: tuple[Agency, Agency, Agency], tmp_path: Path
) -> None:
    ppatk, rosfin, _ = agencies
    package = _package(ppatk, rosfin, tmp_path)
    _crash(rosfin, package, "commit")
    assert _watchlist(rosfin) == ["id-dttot-1", "id-dttot-1-sanction", "id-dttot-2"]
    assert rosfin.stored()["exchange_packages"] == 1
    with pytest.raises(PackageRejectedError, match="replayed"):
        import_package(
            rosfin.store, rosfin.identity, rosfin.passphrase, package.read_bytes(), str(package)
        )

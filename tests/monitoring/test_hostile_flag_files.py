"""Flag files from a hostile or careless source: inputs that never end."""

from __future__ import annotations

from pathlib import Path

import pytest

from hostile_files import csv_default_limit
from jalur.monitoring import flag_accounts, flagged
from jalur.monitoring.flags import FlagFileError
from jalur.store import Store


def test_a_device_given_as_the_flag_file_is_refused(store: Store) -> None:
    with pytest.raises(FlagFileError, match="a character device, not a regular file"):
        flag_accounts(store, Path("/dev/null"), "drug", "BNN case 12/2025")


def test_a_flag_line_past_the_csv_readers_limit_is_rejected_and_the_rest_read(
    store: Store, tmp_path: Path
) -> None:
    # was a `_csv.Error: field larger than field limit (131072)` traceback
    path = tmp_path / "narcotics.csv"
    path.write_text(f"account,note\n{'A' * 200_000},x\nDRUGLORD,seized phone\n")
    with csv_default_limit():
        report = flag_accounts(store, path, "drug", "BNN case 12/2025")
    assert (report.read, report.accepted) == (2, 1)
    assert report.rejected == [f"{path}:2: unreadable CSV line (field larger than field limit "
                               "(131072))"]  # fmt: skip
    assert flagged(store, "drug") == {"DRUGLORD"}


def test_a_flag_file_that_is_one_long_line_is_read_as_one_account(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "narcotics.csv"
    path.write_text("A" * 200_000 + "\n")
    with csv_default_limit():
        report = flag_accounts(store, path, "drug", "BNN case 12/2025")
    assert (report.read, report.accepted, len(report.rejected)) == (1, 0, 1)

"""Payment files from a hostile or careless sender: inputs that never end, XML past
libxml2's safety limits, repeated or overlong MT103 fields."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from jalur.inputs import file_problem
from jalur.store import Store
from jalur.transactions import TransactionLoadError, load_transactions


def test_a_fifo_and_a_device_are_named_without_being_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "payments.csv"
    os.mkfifo(fifo)  # opened for reading, it would block until a writer came
    assert (file_problem(fifo) or "").startswith("a FIFO (named pipe), not a regular file")
    assert (file_problem(Path("/dev/zero")) or "").startswith("a character device")
    assert file_problem(tmp_path) == "a folder, not a file"
    assert file_problem(tmp_path, folder_ok=True) is None
    assert file_problem(tmp_path / "missing.csv") is None  # the caller names a missing file


@pytest.mark.parametrize("fmt", ["csv", "mt103", "pacs008", "parquet"])
def test_a_device_given_as_a_payment_file_is_refused(store: Store, fmt: str) -> None:
    # /dev/null ends at once; /dev/zero (the same kind) fills memory without end
    with pytest.raises(TransactionLoadError, match="a character device, not a regular file"):
        load_transactions(store, Path("/dev/null"), fmt)

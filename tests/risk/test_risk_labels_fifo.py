"""A labels "file" that is a FIFO is refused by what it is: `model train --labels` waited
forever on one (it read the whole path before looking at it)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from jalur.risk import LabelFileError, read_labels


def test_a_fifo_given_as_labels_is_refused_unopened(tmp_path: Path) -> None:
    fifo = tmp_path / "labels.csv"
    os.mkfifo(fifo)
    with pytest.raises(LabelFileError, match="FIFO"):
        read_labels(fifo, {"A1"})

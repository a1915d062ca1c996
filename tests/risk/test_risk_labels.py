"""Label files are checked whole: every bad row named, one class refused."""

from __future__ import annotations

import pytest

from jalur.risk import LabelFileError, read_labels
from jalur.risk.labels import labels_from_dispositions


def write(tmp_path, text):
    path = tmp_path / "labels.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_bad_rows_named_and_good_rows_kept(tmp_path):
    path = write(tmp_path, "account,label\nA,1\nGHOST,0\nB,yes\nC,0\nA,0\n,1\nC,0\n")
    labels = read_labels(path, {"A", "B", "C"})
    assert labels.by_account == {"C": 0}  # A is labelled both ways: neither label is used
    both = "account 'A' is labelled 1 on line 2 and 0 on line 6: neither label is used"
    assert labels.errors == [
        f"line 2: {both}",
        "line 3: account 'GHOST' has no loaded payment",
        "line 4: label 'yes' for account 'B' is not 0 or 1",
        f"line 6: {both}",
        "line 7: no account",
    ]
    assert labels.duplicates == ["line 8: account 'C' repeats line 5"]
    assert labels.read == 7


def test_one_class_only_is_a_problem(tmp_path):
    labels = read_labels(write(tmp_path, "account,label\nA,1\nB,1\n"), {"A", "B"})
    assert "only label 1" in (labels.problem() or "")


def test_header_must_name_account_and_label(tmp_path):
    with pytest.raises(LabelFileError, match="missing: label"):
        read_labels(write(tmp_path, "account,fraud\nA,1\n"), {"A"})


def test_dispositions_label_subjects_and_a_true_positive_wins():
    labels = labels_from_dispositions(
        [("AL1", "true-positive"), ("AL2", "false-positive"), ("AL3", "false-positive"),
         ("AL4", "true-positive"), ("GONE", "true-positive")],
        {"AL1": "A", "AL2": "A", "AL3": "B", "AL4": "X"},
        {"A", "B"},
    )  # fmt: skip
    assert labels.by_account == {"A": 1, "B": 0}
    assert labels.errors == [
        "alert AL4: subject account 'X' has no loaded payment",
        "alert GONE: no such alert in this workspace",
    ]
    # two alerts on A make one label: counted as a duplicate, so the card's counts balance
    assert labels.duplicates == ["alert AL2: subject 'A' also has alert AL1"]
    counts = labels.as_dict()
    assert counts["read"] == counts["accepted"] + counts["rejected"] + counts["duplicates"]

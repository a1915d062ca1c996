"""Label files as analysts really send them (new-user trial, round 5): every row is
accounted for (read = accepted + rejected + duplicates), every problem names its line."""

from __future__ import annotations

from pathlib import Path

from jalur.risk import read_labels

KNOWN = {"A", "B", "C", "D"}


def balance(path: Path) -> dict[str, int]:
    labels = read_labels(path, KNOWN)
    counts = labels.as_dict()
    assert counts["read"] == counts["accepted"] + counts["rejected"] + counts["duplicates"]
    return counts


def test_header_in_another_case_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "labels.csv"
    path.write_bytes("\ufeffAccount , LABEL\r\nA,1\r\nB,0\r\n".encode())
    labels = read_labels(path, KNOWN)
    assert labels.by_account == {"A": 1, "B": 0} and not labels.errors


def test_duplicates_are_named_and_counted_once(tmp_path: Path) -> None:
    path = tmp_path / "labels.csv"
    path.write_text("account,label\nA,1\nB,0\nA,1\nA,1\n", encoding="utf-8")
    labels = read_labels(path, KNOWN)
    assert labels.by_account == {"A": 1, "B": 0}
    assert labels.duplicates == [
        "line 4: account 'A' repeats line 2",
        "line 5: account 'A' repeats line 2",
    ]
    assert balance(path) == {**balance(path), "read": 4, "accepted": 2, "duplicates": 2}


def test_labelled_both_ways_uses_neither_whatever_the_order(tmp_path: Path) -> None:
    first = tmp_path / "one.csv"
    first.write_text("account,label\nA,1\nB,0\nA,0\nA,1\n", encoding="utf-8")
    second = tmp_path / "two.csv"
    second.write_text("account,label\nA,0\nB,0\nA,1\n", encoding="utf-8")
    for path in (first, second):
        labels = read_labels(path, KNOWN)
        assert labels.by_account == {"B": 0}
        assert all("neither label is used" in e for e in labels.errors)
        balance(path)
    assert [e.split(":")[0] for e in read_labels(first, KNOWN).errors] == [
        "line 2",
        "line 4",
        "line 5",
    ]


def test_blank_lines_do_not_shift_the_line_named(tmp_path: Path) -> None:
    path = tmp_path / "labels.csv"
    path.write_text("account,label\nA,1\n\n\nGHOST,0\nB,0\n", encoding="utf-8")
    labels = read_labels(path, KNOWN)
    assert labels.errors == ["line 5: account 'GHOST' has no loaded payment"]
    assert balance(path)["read"] == 3


def test_semicolon_and_tab_files_are_read(tmp_path: Path) -> None:
    for sep in (";", "\t", "|"):
        path = tmp_path / "labels.csv"
        path.write_text(f"account{sep}label\nA{sep}1\nB{sep}0\n", encoding="utf-8")
        assert read_labels(path, KNOWN).by_account == {"A": 1, "B": 0}


def test_no_accepted_row_is_said_plainly(tmp_path: Path) -> None:
    path = tmp_path / "labels.csv"
    path.write_text("account,label\nGHOST,1\n", encoding="utf-8")
    problem = read_labels(path, KNOWN).problem() or ""
    assert "no accepted label rows (1 read, 1 rejected)" in problem
    assert "only label 0" not in problem


def test_a_huge_cell_is_named_cut_short_not_echoed_whole(tmp_path: Path) -> None:
    """An account of 200,000 characters (a file that is no label file, a quote never closed)
    was quoted whole in its error: one rejected row filled the analyst's terminal."""
    path = tmp_path / "labels.csv"
    huge = "x" * 200_000
    path.write_text(f"account,label\n{huge},1\nA,{huge}\n", encoding="utf-8")
    labels = read_labels(path, KNOWN)
    assert len(labels.errors) == 2
    for error in labels.errors:
        assert len(error) < 300, error[:300]
        assert "200,000 characters" in error
    assert labels.errors[0].startswith("line 2: account 'xxx")
    assert labels.errors[1].startswith("line 3: label 'xxx")


def test_a_quote_left_open_is_named_where_it_opened(tmp_path: Path) -> None:
    """A stray `"` swallows every line after it into one cell: the error named the last line
    and an account glued from the rows it ate (`'B,0C,1D,0'`), not where the quote opened."""
    path = tmp_path / "labels.csv"
    path.write_text('account,label\nA,1\n"B,0\nC,1\nD,0\n', encoding="utf-8")
    labels = read_labels(path, KNOWN)
    assert labels.by_account == {"A": 1}
    assert len(labels.errors) == 1
    error = labels.errors[0]
    assert error.startswith("line 3: "), error
    assert "quote" in error and "line 5" in error, error
    assert "'B,0C,1D,0'" not in error
    balance(path)


def test_an_account_a_spreadsheet_changed_is_named_with_the_loaded_one(tmp_path: Path) -> None:
    """A label file saved from Excel loses an account's leading zeros (`0000282073` becomes
    `282073`), and one retyped may differ in case: each row was only "no loaded payment",
    and the analyst could not see why an account that plainly has payments was unknown."""
    path = tmp_path / "labels.csv"
    path.write_text("account,label\n282073,1\ngb19barc,0\nGHOST,1\n", encoding="utf-8")
    labels = read_labels(path, {"0000282073", "GB19BARC", "A"})
    assert labels.errors[0].startswith("line 2: account '282073' has no loaded payment")
    assert "'0000282073'" in labels.errors[0] and "leading zeros" in labels.errors[0]
    assert labels.errors[1].startswith("line 3: account 'gb19barc' has no loaded payment")
    assert "'GB19BARC'" in labels.errors[1] and "case" in labels.errors[1]
    assert labels.errors[2] == "line 4: account 'GHOST' has no loaded payment"

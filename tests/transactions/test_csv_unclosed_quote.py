"""A quoted field whose closing quote is missing (`"PT MAJU JAYA` in an export that quotes
only some names) ran to the end of the file: the CSV reader took every later line as part of
that one name. Ten records were read as three, the last of them with the seven others in its
name, and nothing said so. The line that opens the field is quarantined, naming it; the lines
after it load."""

from __future__ import annotations

from pathlib import Path

from jalur.store import Store
from jalur.transactions.options import LoadOptions

from .conftest import quarantined, rows


def _export(path: Path, broken: set[int], count: int = 10) -> Path:
    lines = ["tx_id,timestamp,amount,currency,bene_name"]
    for number in range(1, count + 1):
        name = f'"PT MAJU JAYA {number}' if number in broken else f'"Name {number}"'
        lines.append(f"T{number},2024-03-15 08:30,{number},IDR,{name}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_an_unclosed_quote_quarantines_its_line_and_the_rest_loads(
    store: Store, tmp_path: Path, load
) -> None:  # type: ignore[no-untyped-def]
    counts = load(_export(tmp_path / "export.csv", {3}), "csv")
    assert (counts.read, counts.accepted, counts.rejected) == (10, 9, 1)
    assert quarantined(store) == [
        (
            "line 4",
            "a quoted field opened on this line is never closed: read as it is, it would "
            "take in every line after it",
        )
    ]
    got = {r["tx_id"]: r for r in rows(store)}
    assert sorted(got, key=lambda t: int(t[1:])) == [f"T{n}" for n in range(1, 11) if n != 3]
    assert (got["T4"]["bene_name"], got["T4"]["source_position"]) == ("Name 4", "line 5")
    raw = store.execute("SELECT raw FROM tx_quarantine").fetchone()
    assert raw == ('T3,2024-03-15 08:30,3,IDR,"PT MAJU JAYA 3',)


def test_several_unclosed_quotes_across_blocks(store: Store, tmp_path: Path, load) -> None:  # type: ignore[no-untyped-def]
    source = _export(tmp_path / "export.csv", {3, 40, 41, 150}, count=200)
    counts = load(source, "csv", options=LoadOptions(block_bytes=700))
    assert (counts.read, counts.accepted, counts.rejected) == (200, 196, 4)
    assert [position for position, _ in quarantined(store)] == [
        "line 151",
        "line 4",
        "line 41",
        "line 42",
    ]
    assert len(rows(store)) == 196


def test_a_file_of_one_unclosed_line_quarantines_it(store: Store, tmp_path: Path, load) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "export.csv"
    source.write_text(
        'tx_id,timestamp,amount,currency,bene_name\nT1,2024-03-15 08:30,1,IDR,"PT\nMAJU\n',
        encoding="utf-8",
    )
    counts = load(source, "csv")
    assert (counts.read, counts.accepted, counts.rejected) == (2, 0, 2)
    assert [position for position, _ in quarantined(store)] == ["line 2", "line 3"]

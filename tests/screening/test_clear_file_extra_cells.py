"""A clearing file's row with more cells than its header is refused, not cut to the header.

In a `;`-separated file a reason written `not him; born 1980 in Medan` without quotes is three
cells: the decision was recorded with the reason `not him` and the rest dropped without a word
(the audit trail kept half of why the hit was cleared). Such a row is now a bad row, named,
and the others are still recorded.
"""

from __future__ import annotations

from pathlib import Path

from test_decisions import batch, cli, workspace  # noqa: F401  (the fixture)


def test_a_row_with_extra_cells_is_refused(workspace: Path) -> None:  # noqa: F811
    batch(workspace, "c1,Umar Patek,\nc2,Hambali,\n")
    path = workspace / "decisions.csv"
    path.write_text(
        "customer;entity;reason\n"
        "c1;u1;not him; born 1980 in Medan\n"
        'c2;u2;"not him; born 1985 in Solo"\n'
    )
    report = cli(workspace, "clear", "--file", str(path), code=3)
    assert report["errors"] == [
        "row 1: 4 cells where the header has 3 (a ';' inside a value not in quotes?):"
        " nothing recorded for this row"
    ]
    assert [(d["customer_id"], d["reason"]) for d in report["decisions"]] == [
        ("c2", "not him; born 1985 in Solo")
    ]

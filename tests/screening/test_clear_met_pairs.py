"""Only a pair that hits can be cleared.

`screen clear` checked that the customer was screened and the entry is listed, not that the
one ever met the other: `--customer c2 --entity u1` (Hambali against Umar Patek's entry, an id
mistyped from a hit list) was recorded as "cleared", the hit the analyst meant stayed, and a
later hit on the pair (a lower threshold, a rarer word after a list update) would have been
suppressed by a decision nobody took on it. The customer is screened now, as last screened,
and the entry must be among its hits (at `--threshold` when the hit came from a run with one).
"""

from __future__ import annotations

from pathlib import Path

from test_decisions import batch, cli, workspace  # noqa: F401  (the fixture)


def test_a_pair_that_does_not_hit_cannot_be_cleared(workspace: Path) -> None:  # noqa: F811
    batch(workspace, "c1,Umar Patek,\nc2,Hambali,\n")
    source = workspace / "decisions.csv"
    source.write_text(
        "customer,entity,reason\nc2,u1,typed from the wrong line\nc1,u1,shopkeeper in Medan\n"
    )
    report = cli(workspace, "clear", "--file", str(source), "--user", "ana", code=3)
    assert (report["read"], report["recorded"], report["rejected"]) == (2, 1, 1)
    assert report["errors"] == [
        "row 1: customer 'c2' (screened as 'Hambali') has no hit on u1 (un-test) at threshold"
        " 0.7: nothing to clear"
    ]
    assert [(d["customer_id"], d["entity_id"]) for d in report["decisions"]] == [("c1", "u1")]
    assert batch(workspace, "c1,Umar Patek,\nc2,Hambali,\n")[0]["suppressed"] == 1


def test_a_hit_found_below_the_threshold_is_cleared_with_that_threshold(
    workspace: Path,  # noqa: F811
) -> None:
    _, hits = batch(workspace, "c3,Patek,\n", "--threshold", "0.3")
    assert [(h["id"], h["entity_id"]) for h in hits] == [("c3", "u1")]
    assert hits[0]["score"] < 0.7  # below the workspace's threshold
    source = workspace / "decisions.csv"
    source.write_text("customer,entity,reason\nc3,u1,not him\n")
    refused = cli(workspace, "clear", "--file", str(source), "--user", "ana", code=4)
    assert refused["errors"][0].endswith(
        "has no hit on u1 (un-test) at threshold 0.7: nothing to clear"
    )
    cleared = cli(workspace, "clear", "--file", str(source), "--user", "ana", "--threshold", "0.3")
    assert cleared["recorded"] == 1
    report = batch(workspace, "c3,Patek,\n", "--threshold", "0.3")[0]
    assert report["suppressed"] == 1

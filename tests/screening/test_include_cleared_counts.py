"""With `--include-cleared` a cleared pair's hit is shown, marked, and counted as shown.

The summary said "1 cleared hits suppressed" (`--json`: `suppressed: 1`) for a hit that was in
the hits file, marked `cleared`; `screen name` printed "1 cleared hit(s) suppressed
(--include-cleared shows them)" above the very hit it showed. A count that says a hit was left
out when it was not misleads whoever reconciles the hits file against the summary.
"""

from __future__ import annotations

from pathlib import Path

from test_decisions import batch, cli, workspace  # noqa: F401  (the fixture)
from test_terminal_escapes import _run


def test_shown_cleared_hits_are_not_counted_as_suppressed(workspace: Path) -> None:  # noqa: F811
    batch(workspace, "c1,Umar Patek,\n")
    cli(workspace, "clear", "--customer", "c1", "--entity", "u1", "--reason", "not him")
    left_out, hits = batch(workspace, "c1,Umar Patek,\n")
    assert (left_out["suppressed"], left_out["cleared_shown"], hits) == (1, 0, [])
    shown, hits = batch(workspace, "c1,Umar Patek,\n", "--include-cleared")
    assert (shown["suppressed"], shown["cleared_shown"]) == (0, 1)
    assert [h["decision"] for h in hits] == ["cleared"]
    text = _run(workspace, "batch", str(workspace / "customers.csv"), "--out",
                str(workspace / "hits.csv"), "--include-cleared")  # fmt: skip
    assert "0 cleared hits suppressed, 1 shown marked 'cleared'" in " ".join(text.split())
    named = _run(workspace, "name", "Umar Patek", "--customer-id", "c1", "--include-cleared")
    assert "suppressed" not in named and "cleared 20" in named

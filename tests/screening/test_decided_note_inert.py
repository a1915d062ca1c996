"""A decision's reason and decider are shown written out wherever the hit comes back.

`screen clear --file` takes its reasons from a file; the decision's note (`decided`: "cleared …
by alice (--user): <reason>") is printed under the hit on every later screening, to whoever
screens then. A reason holding `ESC[2J` cleared that analyst's terminal, and a reason with a
line break (a quoted cell) broke the one-line note in two. Both are written out now, as a
customer id is.
"""

from __future__ import annotations

from pathlib import Path

from test_decisions import batch, cli, workspace  # noqa: F401  (the fixture)
from test_terminal_escapes import _run


def test_a_hostile_reason_is_written_out_in_the_note(workspace: Path) -> None:  # noqa: F811
    batch(workspace, "c1,Umar Patek,\n")
    path = workspace / "decisions.csv"
    path.write_text('customer,entity,reason\nc1,u1,"not him\x1b[2J\nborn 1980"\n')
    assert cli(workspace, "clear", "--file", str(path), "--user", "a\x1b]0;x\x07")["recorded"] == 1
    _, hits = batch(workspace, "c1,Umar Patek,\n", "--include-cleared")
    (note,) = [h["decided"] for h in hits]
    assert note.endswith("by a\\x1b]0;x\\x07 (--user): not him\\x1b[2J\\nborn 1980"), note
    shown = _run(workspace, "name", "Umar Patek", "--customer-id", "c1", "--include-cleared")
    assert "\x1b" not in shown and "\x07" not in shown
    assert "not him\\x1b[2J\\nborn 1980" in shown

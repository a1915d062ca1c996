"""`screen clear --entity` given the list's own id names the entity id to give instead.

`screen name` shows a hit as `ofac-sdn 12599 (terror) Umar PATEK`: the list and its own id
(the entity id only when two hits share a caption). An analyst clearing that hit with
`--entity 12599` was told only "entity '12599' is not listed" — with no word of which id
`screen clear` wants (`ofac-12599`; for a national list `id-dttot-ofac-12599`).
"""

from __future__ import annotations

from pathlib import Path

from test_decisions import batch, cli, workspace  # noqa: F401  (the fixture)


def test_a_source_id_is_answered_with_the_entity_id(workspace: Path) -> None:  # noqa: F811
    batch(workspace, "c1,Umar Patek,\n")
    refused = cli(workspace, "clear", "--file", str(_file(workspace, "U1")), code=4)
    assert refused["errors"] == [
        "row 1: entity 'U1' is not listed; it is the list's own id of u1 (un-test):"
        " give the entity id"
    ]
    unknown = cli(workspace, "clear", "--file", str(_file(workspace, "nobody")), code=4)
    assert unknown["errors"] == ["row 1: entity 'nobody' is not listed"]


def _file(home: Path, entity: str) -> Path:
    path = home / "decisions.csv"
    path.write_text(f"customer,entity,reason\nc1,{entity},shopkeeper born 1980\n")
    return path

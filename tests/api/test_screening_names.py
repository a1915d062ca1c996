"""Names the screening routes cannot screen are refused, as on the command line.

`jalur screen name` and `screen batch` refuse a name without a letter or digit (screening it
finds nothing, and "no hits" must not read as "cleared") and one longer than
`batch.MAX_NAME` (a single word of 5,000 letters took 1.4 s to screen, growing with the
square of its length). The API's batch upload took both: a row named "---" came back with no
hits, as a clean customer does, and a row of any length was screened in the job.
"""

from __future__ import annotations

from api_world import World


def test_a_name_without_letters_is_refused_on_the_name_route(world: World) -> None:
    answer = world.post("ana", "/v1/screening/name", json={"name": "---"})
    assert answer.status_code == 422, answer.text
    assert "empty name" in answer.text


def test_a_batch_row_without_letters_or_too_long_is_refused_naming_its_line(
    world: World,
) -> None:
    rows = b"name\nAbu Rusdan\n---\nAbu Rusdan " + b"x" * 5000 + b"\n"
    answer = world.post("ana", "/v1/screening/batch", files={"file": ("b.csv", rows)})
    assert answer.status_code == 422, answer.text
    detail = answer.json()["detail"]
    assert "line 3: empty name" in detail, detail
    assert "line 4: name longer than 1000 characters" in detail, detail
    # A good file is still screened.
    good = world.post(
        "ana", "/v1/screening/batch", files={"file": ("g.csv", b"name\nAbu Rusdan\n")}
    )
    assert good.status_code == 202, good.text

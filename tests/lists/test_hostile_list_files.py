"""List files from a hostile or careless source: inputs that never end, workbook bombs."""

from __future__ import annotations

from pathlib import Path

import pytest

from hostile_files import workbook_bomb
from jalur.lists import ListLoadError, ParseOptions, load_list
from jalur.store import Store


@pytest.mark.parametrize("fmt", [None, "un", "csv"])
def test_a_device_given_as_a_list_file_is_refused(store: Store, fmt: str | None) -> None:
    # /dev/null ends at once; /dev/zero (the same kind) filled memory at ~0.7 GB/s
    with pytest.raises(ListLoadError, match="a character device, not a regular file"):
        load_list(store, Path("/dev/null"), fmt)


def test_a_list_workbook_that_would_expand_past_the_limit_is_refused(
    store: Store, tmp_path: Path
) -> None:
    path = workbook_bomb(tmp_path / "dttot.xlsx")
    with pytest.raises(ListLoadError, match=r"the workbook expands to 3,\d+ MiB, more than 512"):
        load_list(store, path, "csv", ParseOptions(mapping=Path("dttot")))

"""List files from a hostile or careless source: inputs that never end, workbook bombs."""

from __future__ import annotations

from pathlib import Path

import pytest

from jalur.lists import ListLoadError, load_list
from jalur.store import Store


@pytest.mark.parametrize("fmt", [None, "un", "csv"])
def test_a_device_given_as_a_list_file_is_refused(store: Store, fmt: str | None) -> None:
    # /dev/null ends at once; /dev/zero (the same kind) filled memory at ~0.7 GB/s
    with pytest.raises(ListLoadError, match="a character device, not a regular file"):
        load_list(store, Path("/dev/null"), fmt)

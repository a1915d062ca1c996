"""`--mapping` that names a folder or a file that cannot be read says so: a folder was "no
such mapping file" (it is there), and a file the user may not read ended in a PermissionError
traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from jalur.lists import ListLoadError
from jalur.lists.formats.mapping import load_mapping


def test_a_folder_as_mapping_is_named_a_folder(tmp_path: Path) -> None:
    with pytest.raises(ListLoadError, match="a folder, not a mapping file"):
        load_mapping(tmp_path)


def test_a_mapping_that_cannot_be_read_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text("list: x\n", encoding="utf-8")

    def refuse(self: Path, *args: object, **kwargs: object) -> str:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_text", refuse)
    with pytest.raises(ListLoadError, match="cannot be read: Permission denied"):
        load_mapping(mapping)

"""A workspace's jalur.toml that cannot be read is a ConfigError naming it, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from jalur.config import ConfigError, Settings


def test_a_config_that_is_a_folder_is_named(tmp_path: Path) -> None:
    (tmp_path / "jalur.toml").mkdir()
    with pytest.raises(ConfigError, match=r"jalur\.toml: cannot be read"):
        Settings.resolve(tmp_path)


def test_a_config_in_another_encoding_is_named(tmp_path: Path) -> None:
    (tmp_path / "jalur.toml").write_bytes(b'[lists]\nname = "\xe9"\n')
    with pytest.raises(ConfigError, match=r"jalur\.toml"):
        Settings.resolve(tmp_path)

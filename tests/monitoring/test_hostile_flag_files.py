"""Flag files from a hostile or careless source: inputs that never end."""

from __future__ import annotations

from pathlib import Path

import pytest

from jalur.monitoring import flag_accounts
from jalur.monitoring.flags import FlagFileError
from jalur.store import Store


def test_a_device_given_as_the_flag_file_is_refused(store: Store) -> None:
    with pytest.raises(FlagFileError, match="a character device, not a regular file"):
        flag_accounts(store, Path("/dev/null"), "drug", "BNN case 12/2025")

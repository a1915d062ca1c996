"""An audit export checked elsewhere comes from outside: an input that never ends is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from jalur.audit import verify_export


def test_a_device_given_as_an_export_is_refused_unread() -> None:
    # /dev/null ends at once; /dev/zero or a FIFO (the same check) hung `audit verify --file`
    with pytest.raises(ValueError, match="a character device, not a regular file"):
        verify_export(Path("/dev/null"), lambda card: [])

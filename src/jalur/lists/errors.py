"""Why a list file was refused: always the file, the place in it, and the reason."""

from __future__ import annotations


class ListLoadError(Exception):
    """A list file that cannot be loaded; the store is left as it was."""

    def __init__(self, source: str, location: str, reason: str) -> None:
        self.source = source
        self.location = location
        self.reason = reason
        super().__init__(f"{source}: {location}: {reason}")

"""Why a list file was refused: always the file, the place in it, and the reason."""

from __future__ import annotations

import unicodedata


class ListLoadError(Exception):
    """A list file that cannot be loaded; the store is left as it was."""

    def __init__(self, source: str, location: str, reason: str) -> None:
        self.source = source
        self.location = location
        self.reason = reason
        super().__init__(f"{source}: {location}: {reason}")


#: Longest list name: names are labels and part of file names, not descriptions.
MAX_LIST_NAME = 100


def check_list_name(name: str, source: str) -> str:
    """`name` when it can name a list; else `ListLoadError` saying why.

    A list name comes from `--name`, a mapping's `list:`, a workspace's [lists.sources] or a
    partner's card; it is shown in listings and becomes part of a file name when a list is
    fetched. So it must not be a path (separators, a leading dot), nor hide or rewrite text
    (control and bidirectional-format characters, spaces at its ends), nor be empty or huge.
    """
    reason = _name_problem(name)
    if reason:
        raise ListLoadError(source, "list name", f"{name!r} {reason}")
    return name


def _name_problem(name: str) -> str | None:
    if not name.strip():
        return "is empty"
    if len(name) > MAX_LIST_NAME:
        return f"is longer than {MAX_LIST_NAME} characters"
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp") for c in name):
        return "has a control character"
    if "/" in name or "\\" in name:
        return "has a path separator"
    if name.startswith("."):
        return "starts with a dot"
    if name != name.strip():
        return "starts or ends with a space"
    return None

"""Why a list file was refused: always the file, the place in it, and the reason."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from followthemoney.proxy import EntityProxy


class ListLoadError(Exception):
    """A list file that cannot be loaded; the store is left as it was.

    `problems` holds every (place, reason) found, the first `MAX_PROBLEMS` of them: a file
    with several bad entries is refused naming them all (see `Problems`).
    """

    def __init__(
        self, source: str, location: str, reason: str, problems: list[tuple[str, str]] | None = None
    ) -> None:
        self.source = source
        self.location = location
        self.reason = reason
        self.problems = problems or [(location, reason)]
        space = "" if reason.startswith("\n") else " "  # a list of problems, one a line
        super().__init__(f"{source}: {location}:{space}{reason}")


#: How many problems of one file are named; the rest are counted.
MAX_PROBLEMS = 50


class Problems:
    """The refused entries of one file, collected so one run names them all.

    A list version must be complete, so the file is still refused as a whole; but reading goes
    on after a bad entry, and the error lists every bad entry (up to `MAX_PROBLEMS`).
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self.found: list[ListLoadError] = []
        self.count = 0

    def add(self, exc: ListLoadError) -> None:
        self.count += len(exc.problems)
        room = MAX_PROBLEMS - len(self.found)
        if room > 0:
            self.found.extend(
                ListLoadError(exc.source, where, why) for where, why in exc.problems[:room]
            )

    def check(self) -> None:
        """Raise the one problem as it is, or one error naming them all; nothing when none."""
        if self.count == 1:
            raise self.found[0]
        if self.count:
            listed = [(e.location, e.reason) for e in self.found]
            lines = [f"{where}: {why}" for where, why in listed]
            if self.count > len(listed):
                lines.append(f"… and {self.count - len(listed)} more")
            raise ListLoadError(
                self.source,
                f"{self.count} problems (the file is refused whole)",
                "\n  " + "\n  ".join(lines) + "\n",
                listed,
            )


#: Longest list name: names are labels and part of file names, not descriptions.
MAX_LIST_NAME = 100


#: The names of partners' watchlists (`exchange-<partner>`), made only by `exchange import`.
PARTNER_LIST_PREFIX = "exchange-"


def check_file_list_name(name: str, source: str) -> str:
    """`check_list_name` for a list loaded from a file or a download, which may not take a
    partner's watchlist name: its entries would merge with what the partner sent (and read as
    the partner's), and its own would pass for the agency's when exported."""
    check_list_name(name, source)
    if name.casefold().startswith(PARTNER_LIST_PREFIX):
        raise ListLoadError(
            source,
            "list name",
            f"{name!r}: names starting {PARTNER_LIST_PREFIX!r} are reserved for partners' "
            "watchlists (made by `jalur exchange import`); name it with --name",
        )
    return name


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


#: The longest text value a list entry may hold, as payment text is bounded
#: (`transactions.normalize.MAX_TEXT`): the longest values of real lists are the UN's
#: comments (1,723 characters in the 2026-02-27 list); a name is a few hundred at most. A
#: value far past this is a broken or hostile file, and a 200,000-character "name" would be
#: stored, indexed and screened against every payment.
MAX_VALUE_CHARS = 4000


def overlong(value: str, what: str) -> str | None:
    """Why `value` (described by `what`: "column 'Nama'", "name") is too long, or None."""
    if len(value) <= MAX_VALUE_CHARS:
        return None
    return f"{what} is {len(value):,} characters long, more than {MAX_VALUE_CHARS:,}"


def overlong_property(entities: Iterable[EntityProxy]) -> str | None:
    """Why one of the entities' property values is too long (the first found), or None."""
    for entity in entities:
        for prop, values in entity.properties.items():
            for value in values:
                if problem := overlong(value, prop):
                    return problem
    return None

"""Whether lists may leave the workspace in `jalur lists export`, and on whose consent.

`jalur exchange export` sends a list onward only as Egmont's principles allow, and a list
export file leaves just as well (it is mailed, copied to a partner's portal): the same rules
hold here. A list another agency of the installation loaded through the service is that
agency's to pass on; a list the agency marked `EGMONT` or `NO-ONWARD` leaves only with a
consent (`--consent TEXT`); and a partner's entities (received through `jalur exchange
import`, their provenance in the entity's `exchange` context) need the consent of every agency
they came from or were forwarded through, one `--consent ORG=TEXT` each (a plain `TEXT` when
there is one originator), as `exchange export` takes them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

#: The entity context key under which `jalur exchange import` keeps a partner's provenance.
PROVENANCE = "exchange"
#: The key a list file's parser adds to a provenance the file itself carries (a list that
#: `jalur lists export` wrote, loaded again): the file's name. Such a provenance is the file's
#: statement, not what `exchange import` verified and recorded; its originators' consent is
#: still asked, under a name saying so.
STATED_IN_FILE = "stated_in_file"
#: The caveats that forbid passing a record on without the originator's consent.
NO_ONWARD_CAVEATS = frozenset({"EGMONT", "NO-ONWARD"})
#: How far a forwarded entity's chain of senders is followed (as `exchange export` does).
MAX_HOPS = 20


def senders(provenance: object) -> list[Mapping[str, Any]] | None:
    """A received entity's chain of senders, its sender first, then each agency it was
    forwarded through (`forwarded_from`): every one's caveats bind it. None when the chain is
    longer than `MAX_HOPS` (whose consent it needs cannot be told); empty for own data."""
    chain: list[Mapping[str, Any]] = []
    while isinstance(provenance, dict):
        if len(chain) == MAX_HOPS:
            return None
        chain.append(provenance)
        provenance = provenance.get("forwarded_from")
    return chain


def shown_agency(name: str) -> str:
    """An agency name from a received entity's provenance, as text fit for a terminal and a
    manifest line: the partner's sender wrote it, so it is data like the rest."""
    return (name if name.isprintable() else ascii(name))[:90]


class OnwardRefusedError(Exception):
    """The export would pass a list on that its owner or originator has not released."""


@dataclass(frozen=True)
class ListMark:
    """A list's marking as far as passing it on goes: its owning agency and its caveats."""

    agency: str
    caveats: tuple[str, ...]


@dataclass
class Originator:
    """An agency some exported entities came from (or were forwarded through)."""

    name: str
    handles: set[str] = field(default_factory=set)  # its name and partner handle, casefolded
    lists: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Released:
    """The consents an export was given, as the audit trail records them: `consent` one line
    (as `exchange export`'s manifest has it), `consents` each originator's text."""

    consent: str | None
    consents: dict[str, str]

    def as_dict(self) -> dict[str, object]:
        return {"consent": self.consent, "consents": self.consents}


@dataclass
class OnwardCheck:
    """What the lists to export hold that binds them: collected while the entities are read."""

    own_agency: str
    marks: Mapping[str, ListMark]
    #: How the caller gives a consent, for the refusals to say: the CLI's `--consent TEXT`,
    #: the API's `consent=TEXT` query parameter; and how a list is left out (the API exports
    #: one list: nothing to leave out).
    option: str = "--consent"
    option_joiner: str = " "
    leave_out: str = "leave it out with --list NAME or "
    originators: dict[str, Originator] = field(default_factory=dict)
    own_entries: set[str] = field(default_factory=set)  # lists holding the agency's own data

    def refuse_foreign(self, names: Iterable[str]) -> None:
        """A list another agency loaded through the service is only that agency's to pass on,
        consent or not (the service's `require_onward` decides for it)."""
        for name in sorted(names):
            found = self.marks.get(name)
            if found is not None and found.agency != self.own_agency:
                raise OnwardRefusedError(
                    f"list {name} is agency {found.agency}'s (loaded through the service): only "
                    f"agency {found.agency} passes it on; export the others with --list NAME"
                )

    def note(self, list_name: str, data: str) -> None:
        """Record who an entity of `list_name` (its stored JSON) came from: the agency itself,
        or partners. FtM keeps the context beside `id` and `properties`; only an entity whose
        JSON names the provenance key at all is parsed."""
        row = json.loads(data) if f'"{PROVENANCE}"' in data else {}
        provenance = row.get(PROVENANCE)
        if not isinstance(provenance, dict):
            self.own_entries.add(list_name)
            return
        chain = senders(provenance)
        if chain is None:
            raise OnwardRefusedError(
                f"list {list_name}: entity {row.get('id')} was forwarded through more than "
                f"{MAX_HOPS} agencies: whose consent it needs cannot be told"
            )
        stated = provenance.get(STATED_IN_FILE)
        for sender in chain:
            self._note_originator(list_name, sender, stated if isinstance(stated, str) else None)

    def _note_originator(
        self, list_name: str, provenance: Mapping[str, Any], stated_in: str | None
    ) -> None:
        name = provenance.get("agency")
        if not isinstance(name, str) or not name.strip():
            name = "an unnamed agency"
        shown = shown_agency(name)
        if stated_in is not None:
            shown = f"{shown} (as list file {shown_agency(stated_in)} states)"
        found = self.originators.setdefault(name.strip().casefold(), Originator(shown))
        found.handles.add(name.strip().casefold())
        handle = provenance.get("partner")
        if isinstance(handle, str) and handle.strip():
            found.handles.add(handle.strip().casefold())
        found.lists.add(list_name)

    def released(self, given: Sequence[str]) -> Released:
        """The consents that release the lists, or a refusal naming each list and originator
        still without one (and the caveat that binds it)."""
        named, plain = self._parse(given)
        if len(plain) > 1 and len(self.originators) > 1:
            raise OnwardRefusedError(
                f"several {self.option} texts name no originator; give "
                f"one per originator as {self._asked('ORG=TEXT')}"
            )
        leftover = list(plain)  # texts no originator takes: an own list's consent
        only = next(iter(self.originators)) if len(self.originators) == 1 else None
        if only is not None and only not in named and leftover:
            named[only] = leftover.pop(0)
        missing = [o for key, o in sorted(self.originators.items()) if key not in named]
        if missing:
            raise OnwardRefusedError(self._missing(missing))
        sealed = self._own_no_onward()
        if sealed and not (named or plain):
            caveats = ", ".join(sorted({c for n in sealed for c in self.marks[n].caveats}))
            raise OnwardRefusedError(
                f"list {', '.join(sealed)} carries {caveats}: it may not be passed on without "
                f"the originator's consent; record it with {self._asked('TEXT')}"
            )
        by_name = {self.originators[key].name: text for key, text in sorted(named.items())}
        line = "; ".join([*(f"{name}: {text}" for name, text in by_name.items()), *leftover])
        return Released(line or None, by_name)

    def _asked(self, text: str) -> str:
        """A consent as the caller gives it (`--consent ORG=TEXT`, `consent=ORG=TEXT`)."""
        return f"{self.option}{self.option_joiner}{text}"

    def _own_no_onward(self) -> list[str]:
        """The lists of the agency's own data that a no-onward caveat binds."""
        return sorted(
            name
            for name in self.own_entries
            if (mark := self.marks.get(name)) is not None and NO_ONWARD_CAVEATS & set(mark.caveats)
        )

    def _parse(self, given: Sequence[str]) -> tuple[dict[str, str], list[str]]:
        named: dict[str, str] = {}
        plain: list[str] = []
        for item in given:
            org, sep, text = item.partition("=")
            key = self._originator_of(org) if sep else None
            if key is None:
                if sep and org.strip() and " " not in org.strip() and self.originators:
                    known = ", ".join(o.name for o in self.originators.values())
                    raise OnwardRefusedError(
                        f"{self._asked(org.strip()[:60] + '=…')}: {org.strip()[:60]} is "
                        f"none of the originators of the lists exported: {known}"
                    )
                if item.strip():
                    plain.append(item.strip())
                continue
            if not text.strip():
                given = self._asked(org.strip()[:60] + "=")
                raise OnwardRefusedError(f"{given} states no consent")
            named[key] = text.strip()
        return named, plain

    def _originator_of(self, org: str) -> str | None:
        wanted = org.strip().casefold()
        for key, found in self.originators.items():
            if wanted in found.handles:
                return key
        return None

    def _missing(self, missing: list[Originator]) -> str:
        sources = ", ".join(o.name for o in self.originators.values())
        lists = ", ".join(sorted({n for o in missing for n in o.lists}))
        several = (
            f" ({len(self.originators)} originators: one consent each)"
            if len(self.originators) > 1
            else ""
        )
        return (
            f"list {lists} holds information received from {sources}; their caveats forbid "
            "onward dissemination without prior consent, and it would leave without the "
            f"consent of {', '.join(o.name for o in missing)}{several}: {self.leave_out}record "
            f"each originator's consent with {self._asked('ORG=TEXT')}"
        )

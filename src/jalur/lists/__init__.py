"""Watchlists: official terrorist and sanctions lists as versioned FollowTheMoney entities.

Load a file (`load_list`) or download one (`fetch_list`), read what is current
(`current_entities`), and see what the last version changed (`last_delta`) so screening can
re-screen without delay; `diff_versions` compares any two versions of a list, by name. Versions
are numbered per list. Formats: UN, OFAC (XML and CSV), EU, UK OFSI, FtM JSON lines and national
lists (CSV or .xlsx spreadsheets such as DTTOT) with a column mapping (see docs/lists.md).
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jalur.lists.commands import register_cli
    from jalur.lists.diff import ListDiff, ListDiffError, diff_versions
    from jalur.lists.errors import ListLoadError, check_list_name
    from jalur.lists.fetch import ListSource, fetch_list, resolve_source
    from jalur.lists.formats import PARSERS, ParseOptions, detect_format
    from jalur.lists.load import LoadReport, load_entities, load_list, source_id_of
    from jalur.lists.onward import (
        MAX_HOPS,
        ListMark,
        OnwardCheck,
        OnwardRefusedError,
        Released,
        senders,
        shown_agency,
    )
    from jalur.lists.parsed import SUBJECT_SCHEMATA, ParsedList, is_subject
    from jalur.lists.profile import entity_profile, entity_versions
    from jalur.lists.store import (
        ListVersion,
        current_entities,
        current_entity_data,
        current_entity_rows,
        current_version,
        current_versions,
        deltas_since,
        entity_entries,
        last_delta,
        list_versions,
    )
    from jalur.lists.summary import list_summaries

#: Each name of the public API and the module it comes from: imported when first used, so a
#: command that reads the current versions does not load every list format (FollowTheMoney),
#: the fetcher (requests) and the audit trail (SQLAlchemy) with them.
_LAZY = {
    "register_cli": "jalur.lists.commands",
    "ListDiff": "jalur.lists.diff",
    "ListDiffError": "jalur.lists.diff",
    "diff_versions": "jalur.lists.diff",
    "ListLoadError": "jalur.lists.errors",
    "check_list_name": "jalur.lists.errors",
    "ListSource": "jalur.lists.fetch",
    "fetch_list": "jalur.lists.fetch",
    "resolve_source": "jalur.lists.fetch",
    "PARSERS": "jalur.lists.formats",
    "ParseOptions": "jalur.lists.formats",
    "detect_format": "jalur.lists.formats",
    "LoadReport": "jalur.lists.load",
    "load_entities": "jalur.lists.load",
    "load_list": "jalur.lists.load",
    "source_id_of": "jalur.lists.load",
    "MAX_HOPS": "jalur.lists.onward",
    "ListMark": "jalur.lists.onward",
    "OnwardCheck": "jalur.lists.onward",
    "OnwardRefusedError": "jalur.lists.onward",
    "Released": "jalur.lists.onward",
    "senders": "jalur.lists.onward",
    "shown_agency": "jalur.lists.onward",
    "ParsedList": "jalur.lists.parsed",
    "SUBJECT_SCHEMATA": "jalur.lists.parsed",
    "is_subject": "jalur.lists.parsed",
    "entity_profile": "jalur.lists.profile",
    "entity_versions": "jalur.lists.profile",
    "ListVersion": "jalur.lists.store",
    "current_entities": "jalur.lists.store",
    "current_entity_data": "jalur.lists.store",
    "current_entity_rows": "jalur.lists.store",
    "current_version": "jalur.lists.store",
    "current_versions": "jalur.lists.store",
    "deltas_since": "jalur.lists.store",
    "entity_entries": "jalur.lists.store",
    "last_delta": "jalur.lists.store",
    "list_versions": "jalur.lists.store",
    "list_summaries": "jalur.lists.summary",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "MAX_HOPS",
    "PARSERS",
    "SUBJECT_SCHEMATA",
    "ListDiff",
    "ListDiffError",
    "ListLoadError",
    "ListMark",
    "ListSource",
    "ListVersion",
    "LoadReport",
    "OnwardCheck",
    "OnwardRefusedError",
    "ParseOptions",
    "ParsedList",
    "Released",
    "check_list_name",
    "current_entities",
    "current_entity_data",
    "current_entity_rows",
    "current_version",
    "current_versions",
    "deltas_since",
    "detect_format",
    "diff_versions",
    "entity_entries",
    "entity_profile",
    "entity_versions",
    "fetch_list",
    "is_subject",
    "last_delta",
    "list_summaries",
    "list_versions",
    "load_entities",
    "load_list",
    "register_cli",
    "resolve_source",
    "senders",
    "shown_agency",
    "source_id_of",
]

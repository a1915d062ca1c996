"""Watchlists: official terrorist and sanctions lists as versioned FollowTheMoney entities.

Load a file (`load_list`) or download one (`fetch_list`), read what is current
(`current_entities`), and see what the last version changed (`last_delta`) so screening can
re-screen without delay; `diff_versions` compares any two versions of a list, by name. Versions
are numbered per list. Formats: UN, OFAC (XML and CSV), EU, UK OFSI, FtM JSON lines and national
lists (CSV or .xlsx spreadsheets such as DTTOT) with a column mapping (see docs/lists.md).
"""

from jalur.lists.commands import register_cli
from jalur.lists.diff import ListDiff, ListDiffError, diff_versions
from jalur.lists.errors import ListLoadError
from jalur.lists.fetch import ListSource, fetch_list, resolve_source
from jalur.lists.formats import PARSERS, ParseOptions, detect_format
from jalur.lists.load import LoadReport, load_entities, load_list, source_id_of
from jalur.lists.parsed import SUBJECT_SCHEMATA, ParsedList, is_subject
from jalur.lists.profile import entity_profile, entity_versions
from jalur.lists.store import (
    ListVersion,
    current_entities,
    current_entity_rows,
    current_version,
    current_versions,
    deltas_since,
    entity_entries,
    last_delta,
    list_versions,
)
from jalur.lists.summary import list_summaries

__all__ = [
    "PARSERS",
    "SUBJECT_SCHEMATA",
    "ListDiff",
    "ListDiffError",
    "ListLoadError",
    "ListSource",
    "ListVersion",
    "LoadReport",
    "ParseOptions",
    "ParsedList",
    "current_entities",
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
    "source_id_of",
]

"""Screening: multi-script fuzzy name matching against every loaded list, explained.

A `Screener` holds an index of every listed name (built from the list store, kept current from
list deltas) and a `ScreeningConfig`; `screen(Query)` returns ranked `Hit`s, each with the alias
that matched and the named features that moved its score. Batch files, payment parties and
re-screening after a list update are built on it; `account_hits` is what monitoring reads
(`listed_accounts`: the parties a connection shows, screened now against some lists only).
`warm_screener` keeps the built index in the workspace, rebuilt only when a list changes.
`read_query` reads a party's refining fields (a warning for each value it cannot use, never a
refusal), `name_problem` why a name cannot be screened at all; `Decisions` are the
cleared false positives that later screenings suppress.
"""

from jalur.screening.batch import BatchInputError, BatchReport, name_problem, screen_file
from jalur.screening.commands import register_cli
from jalur.screening.config import ScreeningConfig
from jalur.screening.decisions import Decision, Decisions
from jalur.screening.features import Query
from jalur.screening.fields import FieldWarning, read_query
from jalur.screening.index import ScreeningIndex, build_index
from jalur.screening.names import Name, NamePart, PartTag, normalise_name
from jalur.screening.parties import (
    ACCOUNT_HITS_SCHEMA,
    PartyReport,
    account_hits,
    listed_accounts,
    rescreen,
    screen_parties,
)
from jalur.screening.persist import warm_screener
from jalur.screening.scoring import Contribution, Hit
from jalur.screening.screener import Screener
from jalur.screening.store import entity_hits, hit, party_hits
from jalur.screening.text import name_words

__all__ = [
    "ACCOUNT_HITS_SCHEMA",
    "BatchInputError",
    "BatchReport",
    "Contribution",
    "Decision",
    "Decisions",
    "FieldWarning",
    "Hit",
    "Name",
    "NamePart",
    "PartTag",
    "PartyReport",
    "Query",
    "Screener",
    "ScreeningConfig",
    "ScreeningIndex",
    "account_hits",
    "build_index",
    "entity_hits",
    "hit",
    "listed_accounts",
    "name_problem",
    "name_words",
    "normalise_name",
    "party_hits",
    "read_query",
    "register_cli",
    "rescreen",
    "screen_file",
    "screen_parties",
    "warm_screener",
]

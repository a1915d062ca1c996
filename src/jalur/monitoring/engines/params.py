"""Bind only the parameters a statement names (engines reject unused ones)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import sqlglot
from sqlglot import exp


@lru_cache(maxsize=512)
def placeholders(sql: str) -> frozenset[str]:
    """The `$name` parameters a DuckDB-dialect statement uses."""
    tree = sqlglot.parse_one(sql, read="duckdb")
    return frozenset(str(node.name) for node in tree.find_all(exp.Placeholder))


def bound(sql: str, params: Mapping[str, Any] | None) -> dict[str, Any]:
    """The subset of `params` that `sql` names; a missing one is a programming error."""
    wanted = placeholders(sql)
    given = dict(params or {})
    missing = wanted - given.keys()
    if missing:
        raise KeyError(f"SQL parameters not given: {', '.join(sorted(missing))}")
    return {name: given[name] for name in wanted}


def quoted(name: str, dialect: str) -> str:
    """A table name quoted for `dialect` (names are ours, but never pasted raw)."""
    return exp.to_identifier(name).sql(dialect=dialect)

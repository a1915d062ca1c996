"""SQL written once in DuckDB's dialect, rendered for each engine.

Detectors write plain DuckDB SQL with named parameters (`$name`). The only per-engine
knowledge is a `Dialect`: the sqlglot dialect to transpile to and a few macros, functions
that the engines spell differently (written in the SQL as `epoch_seconds(x)` and expanded
here), as splink confines engine differences to one dialect class each.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import sqlglot
from sqlglot import exp


@dataclass(frozen=True)
class Dialect:
    """What differs between engines: target dialect name and macro expansions."""

    name: str
    sqlglot_dialect: str
    #: macro name -> template in DuckDB syntax with `{0}`, `{1}`… for the arguments.
    macros: dict[str, str] = field(default_factory=dict)

    def render(self, sql: str) -> str:
        """`sql` (DuckDB dialect) with macros expanded, in this engine's dialect."""
        return _render(sql, self.sqlglot_dialect, tuple(sorted(self.macros.items())))


@lru_cache(maxsize=512)
def _render(sql: str, target: str, macros: tuple[tuple[str, str], ...]) -> str:
    templates = dict(macros)
    tree = sqlglot.parse_one(sql, read="duckdb")
    tree = tree.transform(lambda node: _expand(node, templates))
    return tree.sql(dialect=target)


def _expand(node: exp.Expression, templates: dict[str, str]) -> exp.Expression:
    if not isinstance(node, exp.Anonymous):
        return node
    template = templates.get(str(node.name).lower())
    if template is None:
        return node
    args = [arg.sql(dialect="duckdb") for arg in node.expressions]
    return sqlglot.parse_one(template.format(*args), read="duckdb")  # type: ignore[return-value]

"""Helpers for exchange tests: agencies with their own workspaces, list data, payments."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import pyarrow as pa
import typer
from followthemoney.proxy import EntityProxy

from jalur.config import Settings
from jalur.exchange import (
    Identity,
    add_partner,
    create_identity,
    export_card,
    packages,
    parse_card,
)
from jalur.lists import current_versions, load_entities
from jalur.model import TRANSACTION_SCHEMA, make_entity
from jalur.store import Store


@dataclass
class Agency:
    home: Path
    store: Store
    identity: Identity
    passphrase: str

    def knows(self, other: Agency) -> None:
        add_partner(self.store, parse_card(export_card(other.identity, other.passphrase)))

    def stored(self) -> dict[str, int]:
        """What an import may have written (everything but the log)."""
        packages(self.store)  # creates the exchange tables when nothing was ever imported
        counts = {}
        for table, where in (
            ("exchange_entities", ""),
            ("exchange_transactions", ""),
            ("exchange_links", ""),
            ("exchange_packages", " WHERE direction = 'in'"),
        ):
            counts[table] = self.store.execute(f"SELECT count(*) FROM {table}{where}").fetchone()[0]
        counts["exchange_lists"] = sum(
            v.list_name.startswith("exchange-") for v in current_versions(self.store)
        )
        return counts


def make_agency(root: Path, name: str, country: str) -> Agency:
    home = root / name.lower()
    home.mkdir(parents=True)
    passphrase = f"correct horse {name}"
    identity = create_identity(home, name, country, passphrase)
    return Agency(home, Store(home / "jalur.duckdb"), identity, passphrase)


def person(entity_id: str, name: str, *, terror: bool = True, **props: str) -> EntityProxy:
    entity = make_entity("Person", entity_id)
    entity.add("name", name)
    if terror:
        entity.add("topics", "crime.terror")
    for prop, value in props.items():
        entity.add(prop, value)
    return entity


def load_dttot(store: Store) -> None:
    """PPATK's national list: two terror-listed persons, one sanction, one unlisted associate."""
    rusdan = person("id-dttot-1", "Abu Rusdan", birthDate="1960-05-12", passportNumber="A1234567")
    dwikarna = person("id-dttot-2", "Agus Dwikarna", birthDate="1964-08-11")
    associate = person("id-assoc-1", "Budi Santoso", terror=False)
    sanction = make_entity("Sanction", "id-dttot-1-sanction")
    sanction.add("entity", "id-dttot-1")
    sanction.add("program", "DTTOT")
    load_entities(store, "dttot", [rusdan, dwikarna, associate, sanction], source="test")


def load_transactions(store: Store, rows: list[dict[str, object]]) -> None:
    """A `transactions` table as the transactions capability will create it."""
    table = pa.Table.from_pylist(rows, TRANSACTION_SCHEMA)
    store.con.register("tx_rows", table)
    store.execute("CREATE TABLE transactions AS SELECT * FROM tx_rows")
    store.con.unregister("tx_rows")


def cli_app(*capabilities: Callable[[typer.Typer], None]) -> typer.Typer:
    """A `jalur` command line of these capabilities' commands (`register_cli`), `--home` first."""
    app = typer.Typer(pretty_exceptions_enable=False)

    @app.callback()
    def _workspace(
        ctx: typer.Context, home: Annotated[Path | None, typer.Option("--home")] = None
    ) -> None:
        ctx.obj = Settings.resolve(home)

    for register in capabilities:
        register(app)
    return app

"""Fixtures for the watchlist tests: small fixture files, shared snapshots, a lists-only CLI."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import pytest
import typer

from jalur.config import Settings
from jalur.lists import register_cli

FIXTURES = Path(__file__).parent / "fixtures"
BUNDLED = Path(__file__).resolve().parents[2] / "src" / "jalur" / "lists" / "bundled"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def bundled() -> Path:
    return BUNDLED


@pytest.fixture(scope="session")
def lists_data(shared_data: Path) -> Path:
    return shared_data / "lists"


def lists_app() -> typer.Typer:
    """`jalur` with only the lists commands, so these tests do not depend on other capabilities."""
    app = typer.Typer(pretty_exceptions_enable=False)

    @app.callback()
    def _workspace(
        ctx: typer.Context,
        home: Annotated[Path | None, typer.Option("--home")] = None,
    ) -> None:
        logging.basicConfig(level=logging.WARNING)
        ctx.obj = Settings.resolve(home)

    register_cli(app)
    return app

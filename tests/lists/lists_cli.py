"""A `jalur` app with only the lists commands, so CLI tests do not depend on other capabilities."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer

from jalur.config import Settings
from jalur.lists import register_cli


def lists_app() -> typer.Typer:
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

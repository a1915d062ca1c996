"""The API tests' fixtures: `world`, a served workspace on SQLite and on PostgreSQL."""

from api_world import world

__all__ = ["world"]

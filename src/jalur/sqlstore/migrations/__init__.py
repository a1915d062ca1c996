"""Alembic migrations of the transactional store, shipped with the package and run in code."""

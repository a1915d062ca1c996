"""Dates as lists write them: the shared reader of `jalur.dates` (kept here for the formats)."""

from jalur.dates import parse_date

__all__ = ["parse_date"]

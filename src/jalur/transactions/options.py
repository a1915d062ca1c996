"""Options a load takes beyond path and format, with the defaults documented in one place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from jalur.transactions.rates import RateTable

#: AMLSim counts time in integer steps; one step is one day from this date (AMLSim's own
#: default `base_date` in its conf.json). Override with `--epoch` or `[transactions] amlsim_epoch`.
AMLSIM_EPOCH = date(2017, 1, 1)


@dataclass(frozen=True)
class LoadOptions:
    """How to read a source; every field has a sensible default."""

    mapping: Path | None = None  # csv/parquet column mapping (YAML or TOML)
    encoding: str | None = None  # override for CSV sources not in UTF-8
    delimiter: str | None = None  # CSV delimiter (mapping may also say)
    # Rows per committed chunk (Parquet, XML, MT): a multiple of DuckDB's 122,880-row row group,
    # so every chunk writes whole row groups (250,000 left a partial one per chunk, which the
    # final checkpoint rewrote: 11 s more CPU and +1.4 GB at close for 2M rows, measured).
    chunk_rows: int = 2 * 122_880
    block_bytes: int = 48 * 1024 * 1024  # bytes per CSV block
    amlsim_epoch: date = AMLSIM_EPOCH
    amlsim_currency: str = "USD"  # AMLSim amounts carry no currency
    rates: RateTable | None = None  # None: the bundled static table

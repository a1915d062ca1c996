"""Every payment format jalur reads, by the name `jalur tx load --format` takes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from jalur.inputs import file_problem, path_name_problem, path_text
from jalur.transactions.errors import TransactionLoadError
from jalur.transactions.options import LoadOptions
from jalur.transactions.raw import Part
from jalur.transactions.readers.amlsim import open_amlsim
from jalur.transactions.readers.ibm import open_ibm
from jalur.transactions.readers.iso20022 import open_iso20022
from jalur.transactions.readers.mt103 import open_mt103
from jalur.transactions.readers.tabular import open_csv, open_parquet

Opener = Callable[[Path, LoadOptions], list[Part]]

READERS: dict[str, Opener] = {
    "ibm": open_ibm,
    "amlsim": open_amlsim,
    "pacs008": open_iso20022("pacs008"),
    "pain001": open_iso20022("pain001"),
    "camt053": open_iso20022("camt053"),
    "mt103": open_mt103,
    "csv": open_csv,
    "parquet": open_parquet,
}


def open_source(format: str, path: Path, options: LoadOptions) -> list[Part]:
    """The parts of `path` to read as `format` (file-level problems raise here)."""
    opener = READERS.get(format.lower())
    if opener is None:
        raise TransactionLoadError(
            str(path), "format", f"unknown format {format!r} (known: {', '.join(READERS)})"
        )
    if problem := file_problem(path, folder_ok=True) or path_name_problem(path):
        raise TransactionLoadError(path_text(path), "path", problem)
    return opener(path, options)

"""Batch screening of a customer file (CSV, Parquet or Excel): hits out, streamed in chunks.

Input columns: `id`, `name` and optionally `dob`, `country`, `identifier`, `schema`. Only a row
without a usable id or name is refused (with its row number and the reason); a refining value
that cannot be read (a date that is no date, a country that names none) is a warning naming the
row, the field and the value, and the name is still screened without it (`fields.read_query`).
A row repeating an earlier row of its id is counted as a duplicate; one repeating the id with
another name or refining value is refused, naming both rows (skipping it would leave that name
unscreened in silence). Counts balance: read = accepted + rejected + duplicates. Memory stays
bounded by the chunk size (and the ids seen with their first row, for the duplicate check).
"""

from __future__ import annotations

import codecs
import csv
import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from jalur.cells import guard_table
from jalur.inputs import (
    UNREADABLE_WORKBOOK,
    binary_kind,
    file_problem,
    likely_legacy_encoding,
    path_name_problem,
    path_text,
    workbook_problem,
)
from jalur.screening.decisions import Decisions, Tally, customer_fingerprints
from jalur.screening.features import Query
from jalur.screening.fields import FieldWarning, inert, quoted, read_query
from jalur.screening.sniff import DELIMITERS, separator_hint, sniff_delimiter
from jalur.screening.workers import screen_chunks

CHUNK_ROWS = 20_000
#: Characters a CSV header line may have: 10,000 columns of long names fit.
MAX_HEADER = 1 << 20
#: The CSV reader's block: a record (one line, or a quoted value with line breaks) must fit.
CSV_BLOCK = 1 << 22
MAX_NAME = 1000
OPTIONAL = ("dob", "country", "identifier", "schema")
#: Other headers customer files use for the columns read, as banks' core systems export them
#: (lower case; spaces, dots and hyphens as underscores). One is read under our name only when
#: the file has no column of that name already.
HEADER_ALIASES = {
    "customer_id": "id", "cif": "id", "client_id": "id",
    "full_name": "name", "customer_name": "name", "client_name": "name",
    "birth_date": "dob", "date_of_birth": "dob", "birthdate": "dob", "dateofbirth": "dob",
    "nationality": "country", "citizenship": "country", "country_code": "country",
    "passport": "identifier", "passport_number": "identifier", "national_id": "identifier",
    "id_number": "identifier",
    "type": "schema", "entity_type": "schema", "customer_type": "schema",
    "client_type": "schema", "jenis_nasabah": "schema", "tipe_nasabah": "schema",
    "тип_клиента": "schema",
    # Indonesian core-banking exports ("No CIF", "Nama Lengkap", "Tgl. Lahir", "WN")
    "no_cif": "id", "nomor_cif": "id",
    "nama": "name", "nama_lengkap": "name", "nama_nasabah": "name",
    "tanggal_lahir": "dob", "tgl_lahir": "dob",
    # the birth place and date in one column (`Jakarta, 20 Juli 1966`): the date is read
    "ttl": "dob", "tempat/tgl_lahir": "dob", "tempat_tgl_lahir": "dob",
    "tempat/tanggal_lahir": "dob", "tempat_tanggal_lahir": "dob",
    "kewarganegaraan": "country", "wn": "country", "warga_negara": "country",
    "id_nasabah": "id", "kode_nasabah": "id", "no_nasabah": "id", "nomor_nasabah": "id",
    "kebangsaan": "country", "warganegara": "country",
    "npwp": "identifier", "no_npwp": "identifier", "nomor_npwp": "identifier",
    "nik": "identifier", "no_ktp": "identifier", "nomor_ktp": "identifier",
    "no_identitas": "identifier", "nomor_identitas": "identifier", "no_paspor": "identifier",
    "nomor_paspor": "identifier",
    # Russian ("ФИО", "Дата рождения", "Гражданство", "ИНН")
    "фио": "name", "дата_рождения": "dob", "гражданство": "country", "инн": "identifier",
    "дата_и_место_рождения": "dob", "номер_клиента": "id", "код_клиента": "id",
    "фио_клиента": "name",
    "страна": "country", "паспорт": "identifier",
    "номер_паспорта": "identifier",
}  # fmt: skip
MAX_KEPT_ERRORS = 1000
#: A workbook batch's own column: each row's number (row 1 is the first below the header),
#: counting the empty rows that are passed over, so that a message names the row as it is on
#: the sheet. No header can have this name (an XML cell holds no NUL character).
ROW_COLUMN = "\x00row"
#: First bytes of a zip archive (an .xlsx workbook is one) and of an old binary .xls workbook.
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"

HITS_SCHEMA = pa.schema(
    [
        ("id", pa.string()), ("entity_id", pa.string()), ("list", pa.string()),
        ("source_id", pa.string()),
        # the listed entry at a glance (several values joined by "; ")
        ("caption", pa.string()), ("topics", pa.string()), ("birth_dates", pa.string()),
        ("countries", pa.string()),
        ("score", pa.float64()), ("matched_alias", pa.string()),
        ("explanation", pa.string()),
        # a cleared pair's hit (`decisions`): 'cleared' (with --include-cleared) or
        # 'previously_cleared' (something changed since), and the decision
        ("decision", pa.string()), ("decided", pa.string()),
    ]
)  # fmt: skip


class BatchInputError(ValueError):
    """The input file as a whole cannot be screened (unreadable, required columns missing)."""


@dataclass
class BatchReport:
    """What a batch run did; counts balance: read = accepted + rejected + duplicates.

    `warnings` counts refining values screened without (a row may have several); the first
    `MAX_KEPT_ERRORS` rejections and warnings are kept as messages. `decided` counts the hits
    of cleared pairs: suppressed, or shown again because a side changed.
    """

    read: int = 0
    accepted: int = 0
    rejected: int = 0
    duplicates: int = 0
    warnings: int = 0
    hits: int = 0
    parties_with_hits: int = 0
    errors: list[str] = field(default_factory=list)
    warning_messages: list[str] = field(default_factory=list)
    decided: Tally = field(default_factory=Tally)
    #: columns of the file that nothing reads: said once, so a misnamed birth-date column is
    #: not screened without in silence
    unread_columns: list[str] = field(default_factory=list)
    #: rows of lines the CSV reader passed over (`reject_line`): the rows after one keep
    #: their numbers
    skipped_rows: set[int] = field(default_factory=set)
    #: the number of the last row parsed: the next batch's rows come after it
    last_row: int = 0
    #: rows of the blank lines the CSV reader passed over, ascending (`pass_over`)
    blank_rows: list[int] = field(default_factory=list)
    #: sheets of a workbook after the one read that have customers too (id and name
    #: columns): not screened, and said
    unread_sheets: list[str] = field(default_factory=list)
    #: the order of the file's slash dates where its unambiguous ones all put the month first
    #: (`month first, as '8/16/1960' shows`): its ambiguous ones are read so; None otherwise
    date_order: str | None = None
    #: what the file's unambiguous slash dates have shown so far: "day", "month" or "both"
    dates_seen: str | None = None

    def reject(self, row: int, reason: str) -> None:
        self.rejected += 1
        if len(self.errors) < MAX_KEPT_ERRORS:
            self.errors.append(f"row {row}: {reason}")

    def pass_over(self, rows: set[int]) -> None:
        """Blank lines of a CSV file (`blank_rows`): no data, neither read nor rejected, but
        the rows after them keep their place in the file, as after a workbook's empty row."""
        self.skipped_rows |= rows
        self.blank_rows = sorted(rows)

    def line_row(self, number: int | None) -> int | None:
        """The place in the file of the CSV reader's row `number`: the reader counts its rows
        without the blank lines it passed over."""
        if number is None:
            return None
        for blank in self.blank_rows:
            if blank <= number:
                number += 1
        return number

    def reject_line(self, reason: str, row: int | None = None) -> None:
        """A line the CSV reader could not split into the header's cells, with its row when
        the reader knows it (it passes over the line: the rows after it are numbered past it)."""
        self.read += 1
        self.rejected += 1
        row = self.line_row(row)
        if row is not None:
            self.skipped_rows.add(row)
        if len(self.errors) < MAX_KEPT_ERRORS:
            self.errors.append(reason if row is None else f"row {row}: {reason}")

    def next_row(self) -> int:
        """The number of the row after the last one parsed, past the lines passed over."""
        row = self.last_row + 1
        while row in self.skipped_rows:
            row += 1
        return row

    def warn(self, row: int, party_id: str, warning: FieldWarning) -> None:
        self.warnings += 1
        if len(self.warning_messages) < MAX_KEPT_ERRORS:
            self.warning_messages.append(f"row {row}: id {inert(party_id)}: {warning}")

    def as_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "duplicates": self.duplicates,
            "warnings": self.warnings,
            "hits": self.hits,
            "parties_with_hits": self.parties_with_hits,
            **self.decided.as_dict(),
            "errors": self.errors,
            "warning_messages": self.warning_messages,
            "unread_columns": self.unread_columns,
            "date_order": self.date_order,
            "unread_sheets": self.unread_sheets,
        }


def read_batches(
    path: Path,
    on_bad_line: Callable[[str, int | None], None] | None = None,
    encoding: str = "utf-8",
    on_blank_lines: Callable[[set[int]], None] | None = None,
    on_unread_sheets: Callable[[list[str]], None] | None = None,
) -> Iterator[pa.RecordBatch]:
    """The input as record batches of strings, whatever its format.

    Column names are matched without regard to case or surrounding spaces (`ID`, ` Name`), as
    spreadsheets and core-banking exports write them. A CSV line with more or fewer cells than
    the header is passed to `on_bad_line` (named by its text, with its row: 1 is the first
    below the header, counted as the reader counts, without blank lines) and the rest still
    read; the rows of blank lines, which the reader passes over, to `on_blank_lines` first.
    """
    if not path.exists():
        raise BatchInputError(f"{path}: no such file")
    if problem := file_problem(path) or path_name_problem(path):
        raise BatchInputError(f"{path_text(path)}: {problem}")
    try:
        batches = _raw_batches(path, on_bad_line, encoding, on_blank_lines, on_unread_sheets)
        for batch in batches:
            names = _read_names(path, batch.schema.names)
            yield pa.RecordBatch.from_arrays(batch.columns, names=names)
    except (pa.ArrowInvalid, OSError) as exc:
        if "straddling object" in str(exc):  # pyarrow's words for a record past its block
            raise BatchInputError(
                f"{path}: cannot read: a record longer than {CSV_BLOCK >> 20} MiB (a name is at"
                f" most {MAX_NAME:,} characters): not a customer file, or a quote never closed"
            ) from exc
        raise BatchInputError(f"{path}: cannot read: {exc}") from exc


def _read_names(path: Path, header: list[str]) -> list[str]:
    """`_our_names`, with one column per field read. Two that read as the id or the name are
    refused, naming the file's headers (which is the customer's name is not ours to guess); of
    two that read as one refining field (`NIK` and `No Paspor`, both identifiers) the first is
    read and the second left unread, named as such: it refused the whole file, and no
    customer was screened for want of a secondary field."""
    names = _our_names(header)
    for name in ("id", "name"):
        if len(places := [i for i, read in enumerate(names) if read == name]) > 1:
            shown = ", ".join(repr(header[i].strip()) for i in places)
            raise BatchInputError(
                f"{path}: two columns read as {name!r}: {shown}: keep one, or head the one to"
                f" read {name!r}"
            )
    for name in OPTIONAL:
        for place in [i for i, read in enumerate(names) if read == name][1:]:
            names[place] = f"{header[place].strip()} (column {place + 1}: a second {name} column)"
    return names


def _our_names(header: list[str]) -> list[str]:
    """The file's column names as we read them: trimmed, lower case, and a known other header
    (`birth_date`, `nationality`) under our name unless the file has that column too."""
    names = [name.strip().lower() for name in header]
    keys = [_HEADER_SPACING.sub("_", _HEADER_NOTE.sub(" ", name)).strip("_") for name in names]
    return [
        key
        if key in _OURS and name not in _OURS and key not in names
        else HEADER_ALIASES[key]
        if key in HEADER_ALIASES and HEADER_ALIASES[key] not in keys
        else name
        for name, key in zip(names, keys, strict=True)
    ]


#: The columns read, by our names.
_OURS = ("id", "name", *OPTIONAL)
#: A template's note on a header, read past: `(sesuai KTP)`, `[wajib]`, `(DD/MM/YYYY)`, and
#: the marks of a required or numbered column (`No CIF*`, `ID:`, `Customer ID #`).
_HEADER_NOTE = re.compile(r"\([^)]*\)|\[[^\]]*\]|[*:#]")
#: Spaces, dots and hyphens in a header, read alike (`Tgl. Lahir`, `tgl-lahir`).
_HEADER_SPACING = re.compile(r"[\s.\-]+")


def _raw_batches(
    path: Path,
    on_bad_line: Callable[[str, int | None], None] | None,
    encoding: str,
    on_blank_lines: Callable[[set[int]], None] | None = None,
    on_unread_sheets: Callable[[list[str]], None] | None = None,
) -> Iterator[pa.RecordBatch]:
    if path.suffix.lower() in (".parquet", ".pq"):
        for batch in pq.ParquetFile(path).iter_batches(batch_size=CHUNK_ROWS):
            yield _as_strings(path, batch)
        return
    with path.open("rb") as handle:
        magic = handle.read(4)
    if magic in (_ZIP, _OLE):
        yield from _workbook_batches(path, magic, on_unread_sheets)
        return
    if kind := binary_kind(path):
        advice = "name it .parquet" if kind == "a Parquet file" else "give the customer file"
        raise BatchInputError(f"{path}: is {kind}, not a customer file (CSV or .xlsx): {advice}")
    encoding = file_encoding(path, encoding)
    may_hold_blank_lines = check_encoding(path, encoding)  # and the encoding is one
    hint = separator_hint(_header_line(path, encoding))
    skip = 1 if hint else 0  # Excel's `sep=;` line: the header is the line after it
    skip = _title_lines(path, encoding, skip, hint)  # a report's title above the header
    if may_hold_blank_lines and on_blank_lines is not None:
        on_blank_lines(blank_rows(path, encoding, skip))
    header = _header_line(path, encoding, skip)
    delimiter = hint or sniff_delimiter(header)
    columns = next(csv.reader([header], delimiter=delimiter), [])
    yield from pacsv.open_csv(
        path,
        # one thread: the reader then knows the row of a line it passes over
        read_options=pacsv.ReadOptions(
            block_size=CSV_BLOCK, encoding=encoding, use_threads=False, skip_rows=skip
        ),
        parse_options=pacsv.ParseOptions(
            delimiter=delimiter, invalid_row_handler=_skip_bad_lines(on_bad_line, skip)
        ),
        convert_options=pacsv.ConvertOptions(
            column_types={name: pa.string() for name in columns}, strings_can_be_null=True
        ),
    )


def _title_lines(path: Path, encoding: str, skip: int, hint: str | None) -> int:
    """The lines above the header: those of a report's title (`Laporan Daftar Nasabah`, a
    print date, an empty line) before the first of the top `HEADER_SEARCH_ROWS` lines that
    names the id and name columns; `skip` where none does (the file is then refused naming
    the first line's columns)."""
    with path.open("r", encoding=encoding, errors="replace", newline="") as handle:
        for _ in range(skip):
            handle.readline(MAX_HEADER)
        for place in range(HEADER_SEARCH_ROWS):
            line = handle.readline(MAX_HEADER).rstrip("\r\n").lstrip("\ufeff")
            delimiter = hint or sniff_delimiter(line)
            names = _our_names(next(csv.reader([line], delimiter=delimiter), []))
            if "id" in names and "name" in names:
                return skip + place
    return skip


def _skip_bad_lines(
    on_bad_line: Callable[[str, int | None], None] | None, lines_before: int = 0
) -> Callable[[Any], str] | None:
    """The reader's handler of a line with the wrong number of cells: named to `on_bad_line`
    with its row (the reader counts the lines before the header too, `sep=;`), then passed."""
    if on_bad_line is None:
        return None

    def skip(row: Any) -> str:
        text = row.text if len(row.text) <= 80 else row.text[:80] + "…"
        on_bad_line(
            f"a line with {row.actual_columns} cell(s) where the header has"
            f" {row.expected_columns}: {text!r}",
            None if row.number is None else row.number - 1 - lines_before,  # the header's
        )
        return "skip"

    return skip


def _workbook_batches(
    path: Path, magic: bytes, on_unread_sheets: Callable[[list[str]], None] | None = None
) -> Iterator[pa.RecordBatch]:
    """The first sheet of an .xlsx workbook that has the id and name columns (a cover or
    instructions sheet before it is passed over; it was read, and the file refused): header
    row, then one record per non-empty row. Later sheets that have them too are named to
    `on_unread_sheets`: their customers are not screened, and that is said.

    Banks keep customer lists in Excel; a "save as CSV" mangles ids and dates, so the workbook
    is read itself. A cell reads as a person sees it: a whole number as its digits (an id typed
    as a number must not read "1.0"), a date cell as its ISO date.
    """
    if magic == _OLE:
        raise BatchInputError(
            f"{path}: an old binary Excel workbook (.xls): save it as .xlsx or CSV"
        )
    if problem := workbook_problem(path):
        raise BatchInputError(f"{path}: {problem}")
    from openpyxl import load_workbook  # only workbooks need it: keep it off the CSV path

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # styles and validation it ignores
            book = load_workbook(path, read_only=True, data_only=True)
    except UNREADABLE_WORKBOOK as exc:
        raise BatchInputError(f"{path}: not a readable .xlsx workbook: {exc}") from None
    try:
        customers = [sheet for sheet in book.worksheets if _header_at(_top_rows(sheet)) is not None]
        if on_unread_sheets is not None and len(customers) > 1:
            on_unread_sheets([str(sheet.title) for sheet in customers[1:]])
        sheet = customers[0] if customers else book.worksheets[0] if book.worksheets else None
        header, rows = _sheet_rows(sheet) if sheet is not None else ([], iter(()))
        names = _our_names(header)
        dob = names.index("dob") if "dob" in names else -1
        chunk: list[list[str | None]] = []
        numbers: list[int] = []
        for number, values in enumerate(rows, start=1):
            cells = [
                _date_cell(cell) if place == dob else _cell_text(cell)
                for place, cell in enumerate(values[: len(header)])
            ]
            if any(cells):
                chunk.append(cells + [None] * (len(header) - len(cells)))
                numbers.append(number)
            if len(chunk) == CHUNK_ROWS:
                yield _string_batch(header, chunk, numbers)
                chunk, numbers = [], []
        if chunk or not header:
            yield _string_batch(header, chunk, numbers)
    except UNREADABLE_WORKBOOK as exc:
        raise BatchInputError(f"{path}: not a readable .xlsx workbook: {exc}") from None
    finally:
        book.close()


def _sheet_rows(sheet: Any) -> tuple[list[str], Iterator[tuple[object, ...]]]:
    """The header and the rows after it, each cut to the header's width.

    The sheet's own `<dimension>` is not believed: forged as `A1:XFD1048576`, openpyxl padded
    every row to 16,384 cells (20,000 rows: 4.3 GB and 32 s instead of 0.6 GB and 8 s). A cell
    far to the right of the header (`XFD7`) is beyond any column read, so it is never built.
    """
    top = _top_rows(sheet)
    at = _header_at(top) or 0
    first = top[at] if top else []
    while first and _cell_text(first[-1]) is None:  # empty cells after the last heading
        first.pop()
    header = [_cell_text(cell) or f"column {i + 1}" for i, cell in enumerate(first)]
    if not header:
        return header, iter(())
    return header, sheet.iter_rows(min_row=at + 2, max_col=len(header), values_only=True)


#: How many top rows of a sheet are searched for the header: a core-banking report puts a
#: title, the date printed and a page number above the table.
HEADER_SEARCH_ROWS = 20


def _top_rows(sheet: Any) -> list[list[object]]:
    """The sheet's top `HEADER_SEARCH_ROWS` rows, where its header is searched for."""
    sheet.reset_dimensions()
    return [list(row) for row in sheet.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True)]


def _header_at(rows: list[list[object]]) -> int | None:
    """The index of the first row naming the id and name columns (`No CIF`, `Nama Nasabah`
    too); None where none does (the first row is then the header, and the file refused
    naming what it found)."""
    for index, row in enumerate(rows):
        names = _our_names([_cell_text(cell) or "" for cell in row])
        if "id" in names and "name" in names:
            return index
    return None


def _cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


#: Excel's serial numbers of the days a birth date may be: five digits, 1927-05-18 to
#: 2173-10-14. A smaller number is a year (`1966`) or no date; a larger a core system's
#: `19660720`.
EXCEL_SERIAL_DAYS = range(10_000, 100_000)


def _date_cell(value: object) -> str | None:
    """A birth-date cell as `_cell_text` reads it, but a whole number of `EXCEL_SERIAL_DAYS`
    as the date Excel means by it: a date cell whose format was lost (a column formatted
    "General") holds the serial (`24308`: 1966-07-20), which was "not a date"."""
    number = value if isinstance(value, int | float) and not isinstance(value, bool) else None
    if number is not None and float(number).is_integer() and int(number) in EXCEL_SERIAL_DAYS:
        from openpyxl.utils.datetime import from_excel

        day: datetime = from_excel(int(number))
        return day.date().isoformat()
    return _cell_text(value)


def _string_batch(
    header: list[str], rows: list[list[str | None]], numbers: list[int]
) -> pa.RecordBatch:
    """The rows as text columns, and their numbers (`ROW_COLUMN`): empty rows left out."""
    columns = [pa.array([row[i] for row in rows], pa.string()) for i in range(len(header))]
    columns.append(pa.array(numbers, pa.int64()))
    return pa.RecordBatch.from_arrays(columns, names=[*header, ROW_COLUMN])


def file_encoding(path: Path, encoding: str = "utf-8") -> str:
    """The encoding a CSV file is read in: `utf-16` where it starts with a UTF-16 byte-order
    mark and UTF-8 was assumed (Excel's "Unicode Text" export: it was refused, naming UTF-16,
    and the officer had to run it again with `--encoding utf-16`), else `encoding`."""
    try:
        utf8 = codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return encoding  # `check_encoding` names it
    with path.open("rb") as handle:
        if utf8 and handle.read(2) in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            return "utf-16"
    return encoding


def check_encoding(path: Path, encoding: str = "utf-8") -> bool:
    """Refuse a CSV file not in `encoding` (UTF-8 unless told), naming its first bad line,
    before any is screened. True when the file may hold a blank line (`blank_rows` then says
    where): this pass reads every line anyway, and most files have none.

    Excel and core-banking systems often save Windows-1252 or Latin-1; read as UTF-8 such a file
    stops half-way with no line to look at, and guessing another encoding could garble names:
    the user says which (`--encoding cp1252`) or saves the file as UTF-8.
    A UTF-16 byte-order mark (Excel's "Unicode Text") names its encoding: `file_encoding`
    reads it as that before this check.
    """
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise BatchInputError(
            f"unknown encoding {encoding!r} (e.g. utf-8, cp1252, latin-1)"
        ) from None
    shown = "UTF-8" if codec == "utf-8" else codec
    decoder = codecs.getincrementaldecoder(codec)()
    number = 1
    # a line ending is b"\n" only where the codec writes ASCII as ASCII (not UTF-16 or -32)
    blank = codecs.lookup(codec).encode("\n")[0] != b"\n"
    with path.open("rb") as handle:  # in pieces of at most a MiB: a line may be 100 MB long
        while piece := handle.readline(MAX_HEADER):
            blank = blank or piece in (b"\n", b"\r\n") or b"\r\r" in piece
            try:
                decoder.decode(piece)
            except UnicodeDecodeError as exc:
                byte = exc.object[exc.start]  # of the decoder's buffer: a piece may split a char
                likely, named = likely_legacy_encoding(piece)
                raise BatchInputError(
                    f"{path}: line {number}: not valid {shown} (byte 0x{byte:02x}):"
                    f" give the file's encoding (--encoding {likely} for {named}), or save"
                    " it as UTF-8 (Excel: 'CSV UTF-8'), and screen it again"
                ) from None
            number += piece.endswith(b"\n")
    return blank


def blank_rows(path: Path, encoding: str = "utf-8", skip: int = 0) -> set[int]:
    """The rows (1 = the first below the header) that are blank lines of a CSV file.

    The CSV reader passes over blank lines and counts its rows without them, so every row after
    one was named one row up per blank line above it (`row 3` for the fourth row below the
    header, where another customer stands). Rows are records: a quoted value may span lines
    (a quote doubled inside it leaves the count even), and a blank line inside it is no row.
    """
    rows: set[int] = set()
    row, inside = -1 - skip, False  # the header is row 0, after `skip` lines (`sep=;`)
    with path.open("r", encoding=encoding, newline="", errors="replace") as handle:
        while line := handle.readline(MAX_HEADER):
            if not inside and line in ("\n", "\r\n", "\r"):
                row += 1
                rows.add(row)
                continue
            inside ^= line.count('"') % 2 == 1
            row += not inside and line.endswith(("\n", "\r"))
    return {blank for blank in rows if blank > 0}  # not those of a title above the header


def _header_line(path: Path, encoding: str = "utf-8", skip: int = 0) -> str:
    """The header line (the first after `skip` lines), refused past `MAX_HEADER` characters: a
    file that is one long line (a binary file, a 100 MB value) is no customer file, and
    Python's CSV reader would fail on it with no word of which file or line."""
    with path.open("r", encoding=encoding, errors="replace") as handle:
        for _ in range(skip + 1):
            line = handle.readline(MAX_HEADER + 1)
    if len(line) > MAX_HEADER:
        raise BatchInputError(
            f"{path}: line {skip + 1}: the header is longer than {MAX_HEADER:,} characters:"
            " not a customer file (id,name[,dob,country,identifier,schema])"
        )
    return line.rstrip("\r\n").lstrip("\ufeff")


def _as_strings(path: Path, batch: pa.RecordBatch) -> pa.RecordBatch:
    """Every Parquet column as text. A column of lists, structs or maps has no text to screen:
    one we read (`name`, `dob`…) refuses the file naming its type; another is left unread
    (it is named with the unread columns)."""
    arrays = []
    for name, column in zip(batch.schema.names, batch.columns, strict=True):
        try:
            arrays.append(column.cast(pa.string()))
        except (pa.ArrowNotImplementedError, pa.ArrowInvalid):
            if _our_names([name])[0] in ("id", "name", *OPTIONAL):
                raise BatchInputError(
                    f"{path}: column {name!r} holds {column.type}, not text: cannot screen it"
                ) from None
            arrays.append(pa.nulls(len(column), pa.string()))
    return pa.RecordBatch.from_arrays(arrays, names=batch.schema.names)


#: The ids seen in a file, each with the number and the values (`row_values`) of its first row.
Seen = dict[str, tuple[int, tuple[str, ...]]]


def parse_rows(
    batch: pa.RecordBatch, first_row: int, report: BatchReport, seen: Seen
) -> tuple[list[str], list[Query]]:
    """Valid rows of a batch as (ids, queries); bad and repeated rows are counted."""
    names = batch.schema.names
    missing = {"id", "name"} - set(names)
    if missing:
        found = [name for name in names if name != ROW_COLUMN]
        raise BatchInputError(
            f"input lacks required column(s) {sorted(missing)} (found {found}): name the"
            " customer id column 'id' and the name column 'name'"
        )
    if not report.unread_columns:
        report.unread_columns = [
            name.strip() or f"column {place} (no header)"  # a trailing separator: `id;name;`
            for place, name in enumerate(names, start=1)
            if name not in ("id", "name", *OPTIONAL, ROW_COLUMN)
        ]
    columns = {
        name: batch.column(name).to_pylist() for name in ("id", "name", *OPTIONAL) if name in names
    }
    numbers = batch.column(ROW_COLUMN).to_pylist() if ROW_COLUMN in names else None
    learn_date_order(report, columns.get("dob", []))
    ids: list[str] = []
    queries: list[Query] = []
    for offset in range(batch.num_rows):
        row = {name: values[offset] for name, values in columns.items()}
        report.read += 1
        number = numbers[offset] if numbers is not None else max(first_row, report.next_row())
        report.last_row = number
        reason = row_problem(row)
        if reason is not None:
            report.reject(number, reason)
            continue
        party_id = str(row["id"]).strip()
        values = row_values(row)
        if party_id in seen:
            first, before = seen[party_id]
            if values == before:
                report.duplicates += 1
            else:
                report.reject(number, f"id {inert(party_id)}: {_conflict(first, before, values)}")
            continue
        seen[party_id] = (number, values)
        report.accepted += 1
        if report.date_order is not None:
            row["dob"] = month_first(row.get("dob"))
        query, warnings = _query(row)
        for warning in warnings:
            report.warn(number, party_id, warning)
        ids.append(party_id)
        queries.append(query)
    return ids, queries


#: A date of numbers between slashes or hyphens, with a time after it or not (`7/20/1966`,
#: `7/8/66 0:00`, `07-20-1966`): day and month in either order, as the locale of the program
#: that wrote it has them.
_SLASH_DATE = re.compile(r"^\s*(\d{1,2})([/-])(\d{1,2})\2(\d{4}|\d{2})(?:\s.*)?$")


def learn_date_order(report: BatchReport, dobs: list[Any]) -> None:
    """What a batch's unambiguous slash dates say of the file's order (`report.dates_seen`):
    a first number above 12 is a day, a second above 12 a day after a month. A file whose
    every such date puts the month first (Excel's CSV in a US locale: `8/16/1960`) gets
    `report.date_order`; one of both orders reads each date alone, as before."""
    for value in dobs:
        found = _SLASH_DATE.match(value) if value and report.dates_seen != "both" else None
        if found is None:
            continue
        first, second = int(found.group(1)), int(found.group(3))
        seen = "day" if first > 12 >= second else "month" if second > 12 >= first else None
        if seen is None or seen == report.dates_seen:
            continue
        if report.dates_seen is None and seen == "month":
            report.date_order = f"month first, as {quoted(value.strip())} shows"
        report.dates_seen = seen if report.dates_seen is None else "both"
        if report.dates_seen == "both":
            report.date_order = None


def month_first(value: Any) -> Any:
    """An ambiguous slash date of a month-first file as the date reader reads it right: ISO
    (`7/8/1966` → `1966-07-08`), or day first with a two-digit year (`7/8/66` → `8/7/66`);
    any other value as it came."""
    found = _SLASH_DATE.match(value) if isinstance(value, str) else None
    if found is None:
        return value
    month, separator, day, year = found.groups()
    if int(month) > 12 or int(day) > 12:
        return value  # unambiguous: read as written
    if len(year) == 4:
        return f"{year}-{int(month):02d}-{int(day):02d}"
    return f"{day}{separator}{month}{separator}{year}"


def row_values(row: dict[str, Any]) -> tuple[str, ...]:
    """What a row says of its party: the name (spacing collapsed) and each refining value."""
    return tuple(" ".join(str(row.get(key) or "").split()) for key in ("name", *OPTIONAL))


def _conflict(first: int, before: tuple[str, ...], values: tuple[str, ...]) -> str:
    key, now, was = next(
        (k, v, b) for k, v, b in zip(("name", *OPTIONAL), values, before, strict=True) if v != b
    )
    return (
        f"repeated with other data than row {first} ({key} {quoted(now)}, not {quoted(was)}):"
        " give each party its own id"
    )


def row_problem(row: dict[str, Any]) -> str | None:
    """Why a row cannot be screened (no usable id or name), or None."""
    party_id, name = row.get("id"), row.get("name")
    if party_id is None or not str(party_id).strip():
        return "empty id"
    problem = name_problem(None if name is None else str(name))
    return None if problem is None else f"id {inert(str(party_id))}: {problem}"


def name_problem(name: str | None) -> str | None:
    """Why a name cannot be screened (no letter or digit, or too long), or None.

    Screening such a name finds nothing, and "no hits" must not read as "cleared".
    """
    if name is None or not any(ch.isalnum() for ch in name):
        return "empty name"
    if swallowed_rows(name):
        shown = name if len(name) <= 80 else name[:80] + "…"
        return f"name spans several lines (a quote left open takes in the rows after it): {shown!r}"
    if len(name) > MAX_NAME:
        return f"name longer than {MAX_NAME} characters"
    return None


def swallowed_rows(name: str) -> bool:
    """Whether a name holds the rows after it (a quote left open): a line after its first that
    holds a cell separator. A line break alone is screened as a space — a spreadsheet cell
    with a line break in it (`Abu Bakar⏎Baasyir`), or a stray carriage return at its end, is
    still a name."""
    lines = name.strip().splitlines()
    return any(sep in line for line in lines[1:] for sep in DELIMITERS)


def _query(row: dict[str, Any]) -> tuple[Query, list[FieldWarning]]:
    return read_query(
        str(row["name"]), row.get("dob"), row.get("country"), row.get("identifier"),
        row.get("schema"),
    )  # fmt: skip


#: Suffixes of the hits files written: CSV, or Parquet.
PARQUET_SUFFIXES = (".parquet", ".pq")
HITS_SUFFIXES = (".csv", *PARQUET_SUFFIXES)


def hits_file_problem(path: Path) -> str | None:
    """Why hits cannot be written to `path`, or None: only CSV and Parquet are written, by the
    suffix. Any other was written as CSV under its name: `hits.xlsx` was a text file Excel
    refuses to open, found out after the whole run."""
    if path.suffix.lower() in HITS_SUFFIXES:
        problem = path_name_problem(path)
        return f"{path_text(path)}: {problem}" if problem else None
    return (
        f"{path}: name the hits file .csv or .parquet (.pq): those are the formats written"
        " (Excel opens the CSV)"
    )


class HitWriter:
    """Hits to CSV or Parquet (by the output's suffix), one chunk at a time.

    A CSV is opened in a spreadsheet: its text cells are guarded (`cells.guard_table`), so a
    customer id or a listed name such as `=HYPERLINK(…)` is shown, not run. Parquet keeps the raw
    values (no spreadsheet reads it, and programs want them as they are)."""

    def __init__(self, path: Path) -> None:
        if problem := hits_file_problem(path):
            raise BatchInputError(problem)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._writer: pq.ParquetWriter | pacsv.CSVWriter
        self._spreadsheet = path.suffix.lower() not in PARQUET_SUFFIXES
        if self._spreadsheet:
            self._writer = pacsv.CSVWriter(path, HITS_SCHEMA)
        else:
            self._writer = pq.ParquetWriter(path, HITS_SCHEMA)

    def write(self, rows: list[dict[str, Any]]) -> None:
        if rows:
            table = pa.Table.from_pylist(rows, HITS_SCHEMA)
            self._writer.write_table(guard_table(table) if self._spreadsheet else table)

    def close(self) -> None:
        self._writer.close()


def screen_file(
    screen: Callable[[list[Query]], list[list[dict[str, Any]]]],
    input_path: Path,
    output: Path,
    *,
    workers: int = 1,
    on_chunk: Callable[[int], None] | None = None,
    on_accepted: Callable[[list[str], list[Query]], None] | None = None,
    decisions: Decisions | None = None,
    include_cleared: bool = False,
    encoding: str = "utf-8",
) -> BatchReport:
    """Screen every valid row of `input_path` and write the hits to `output`.

    With `decisions`, a cleared pair's hit is left out (with `include_cleared`, written and
    marked) and one cleared before but changed since is written, marked.
    """
    report = BatchReport()
    seen: Seen = {}
    writer = HitWriter(output)
    decided = decisions if decisions else None
    fingerprints: dict[str, tuple[str, ...]] = {}  # of the decided customers in the file

    def accepted(ids: list[str], queries: list[Query]) -> None:
        if decided is not None:
            fingerprints.update(
                (i, customer_fingerprints(q))
                for i, q in zip(ids, queries, strict=True)
                if i in decided.customers
            )
        if on_accepted is not None:
            on_accepted(ids, queries)

    try:
        chunks = _parsed_chunks(
            read_batches(
                input_path,
                report.reject_line,
                encoding,
                report.pass_over,
                report.unread_sheets.extend,
            ),
            report,
            seen,
            accepted,
        )
        for ids, hit_rows, rows_read in screen_chunks(chunks, screen, workers):
            found: list[dict[str, Any]] = []
            for party_id, rows in zip(ids, hit_rows, strict=True):
                if decided is not None:
                    rows = decided.sift(
                        party_id, fingerprints.get(party_id), rows, report.decided,
                        include_cleared,
                    )  # fmt: skip
                found += [{**row, "id": party_id} for row in rows]
                report.parties_with_hits += 1 if rows else 0
            report.hits += len(found)
            writer.write(found)
            if on_chunk is not None:
                on_chunk(rows_read)
    finally:
        writer.close()
    return report


def _parsed_chunks(
    batches: Iterator[pa.RecordBatch],
    report: BatchReport,
    seen: Seen,
    on_accepted: Callable[[list[str], list[Query]], None],
) -> Iterator[tuple[list[str], list[Query], int]]:
    for batch in batches:
        ids, queries = parse_rows(batch, report.next_row(), report, seen)
        on_accepted(ids, queries)
        yield ids, queries, batch.num_rows

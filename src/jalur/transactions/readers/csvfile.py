"""Streaming CSV: the file is cut into blocks at record boundaries and parsed block by block.

Memory stays bounded by the block size whatever the file size. Columns arrive as bytes so a
record with bytes that are not UTF-8 is quarantined alone (the normaliser names the column)
instead of failing the block; a row with the wrong number of fields is quarantined with its line.
Positions are line numbers, exact while records do not contain line breaks inside quotes.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any, BinaryIO, cast

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pv
from numpy.typing import NDArray

from jalur.inputs import likely_legacy_encoding
from jalur.transactions.errors import TransactionLoadError
from jalur.transactions.raw import RawChunk, Rejected, column_name_problem

BLOCK_BYTES = 48 * 1024 * 1024
_BOM = codecs.BOM_UTF8


def wide(encoding: str | None) -> bool:
    """Whether text in `encoding` breaks lines with more than the byte 0x0A (UTF-16, UTF-32):
    such a file cannot be cut into records byte-wise, so it is read as UTF-8 (`open_utf8`)."""
    if not encoding:
        return False
    try:
        return "\n".encode(codecs.lookup(encoding).name) != b"\n"
    except LookupError:  # an unknown encoding is named when the header is decoded
        return False


def _invalid(error: UnicodeError) -> tuple[str, int]:
    """Bytes a wide encoding cannot decode become one byte 0xFF (`\udcff` written with
    `surrogateescape`), never valid UTF-8: the record holding them is quarantined by the
    normaliser (`not valid UTF-8 in column …`) as in any CSV, not silently repaired."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return "\udcff", error.end


codecs.register_error("jalur.invalid", _invalid)


class _Utf8Reader(io.RawIOBase):
    """The bytes of a file in a wide encoding, re-encoded as UTF-8 as they are read (64 KB at
    a time); bytes invalid in that encoding stay invalid (`_invalid`)."""

    def __init__(self, raw: BinaryIO, encoding: str) -> None:
        super().__init__()
        self._raw = raw
        self._decoder = codecs.getincrementaldecoder(encoding)("jalur.invalid")
        self._pending = memoryview(b"")
        self._ended = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending and not self._ended:
            data = self._raw.read(1 << 16)
            self._ended = not data
            text = self._decoder.decode(data, final=self._ended)
            self._pending = memoryview(text.encode("utf-8", "surrogateescape"))
        count = min(len(buffer), len(self._pending))
        buffer[:count] = self._pending[:count]
        self._pending = self._pending[count:]
        return count

    def close(self) -> None:
        self._raw.close()
        super().close()


def open_utf8(path: Path, encoding: str | None) -> tuple[BinaryIO, str | None]:
    """The file opened for reading records, and the encoding its bytes are then in: itself,
    or UTF-8 (None) for a wide encoding, which is transcoded as it is read. Excel's "Unicode
    Text" is UTF-16: cut at the byte 0x0A, its header was half a character short."""
    handle = path.open("rb")
    if not wide(encoding):
        return handle, encoding
    return cast(BinaryIO, io.BufferedReader(_Utf8Reader(handle, str(encoding)))), None


#: The longest header line read: a file without a line break in its first MiB has no header
#: (it used to be read whole into memory as one).
MAX_HEADER_BYTES = 1 << 20


def _first_line(path: Path, encoding: str | None, header_line: int = 1) -> tuple[bytes, str | None]:
    """The header line's bytes (line `header_line`, each line up to it with a line break in
    its first `MAX_HEADER_BYTES`) and the encoding they are in; a line that is not one is
    refused, naming why."""
    try:
        handle, encoding = open_utf8(path, encoding)
        with handle:
            for number in range(1, header_line + 1):
                first = handle.readline(MAX_HEADER_BYTES + 1)
                _check_line(path, first, number)
    except OSError as exc:
        raise TransactionLoadError(str(path), "file", str(exc)) from exc
    return first, encoding


def _check_line(path: Path, line: bytes, number: int) -> None:
    """A line up to the header must be a line: not CR-ended, not endless."""
    if b"\r" in line.rstrip(b"\r\n"):  # classic Mac OS: `_csv.Error` was a traceback
        raise TransactionLoadError(
            str(path),
            f"line {number}",
            "its lines end in CR alone (classic Mac OS): save it with LF or CRLF line breaks",
        )
    if len(line) > MAX_HEADER_BYTES:
        raise TransactionLoadError(
            str(path),
            f"line {number}",
            f"no line break in the first {MAX_HEADER_BYTES:,} bytes: not a CSV header",
        )


def header_of(
    path: Path, delimiter: str = ",", encoding: str | None = None, header_line: int = 1
) -> list[str]:
    """Column names of the header line (the first, or `header_line`: an export's preamble
    above its table), made unique (IBM's header repeats `Account`)."""
    first, encoding = _first_line(path, encoding, header_line)
    first = first.removeprefix(_BOM)
    where = f"line {header_line}"
    try:
        text = first.decode(encoding or "utf-8")
    except UnicodeDecodeError as exc:
        likely, named = likely_legacy_encoding(first)
        raise TransactionLoadError(
            str(path),
            where,
            f"header is not readable text ({exc.encoding}: byte 0x{exc.object[exc.start]:02x}):"
            f" give the file's encoding (--encoding {likely} ({named}), or the mapping's"
            f" `encoding: {likely}`), or save it as UTF-8",
        ) from exc
    except LookupError as exc:
        raise TransactionLoadError(str(path), where, f"header is not readable text: {exc}") from exc
    names = next(csv.reader([text], delimiter=delimiter), [])
    if not names or not any(n.strip() for n in names):
        raise TransactionLoadError(str(path), where, "no header line")
    # A column with a blank header (pandas writes its index so) is named by its place.
    names = [n.strip() or f"column{number}" for number, n in enumerate(names, start=1)]
    for number, name in enumerate(names, start=1):
        if problem := column_name_problem(name):
            raise TransactionLoadError(str(path), f"{where}, column {number}", problem)
    return unique_names(names)


def unique_names(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    return out


def _split_point(data: bytes, force: bool = False) -> int:
    """End of the last complete record in `data` (a newline outside quotes), or -1; with
    `force`, the last newline when none is outside quotes.

    A quote inside an unquoted field (`PT "MAJU JAYA`) is text to the CSV reader but makes
    every later newline look quoted: the newlines are judged in one pass (walking back one
    newline at a time and counting quotes from the start each time never finished on a
    48 MB block), and the caller forces a cut once a buffer has grown past twice the block.
    """
    end = data.rfind(b"\n")
    if end < 0 or data.count(b'"', 0, end) % 2 == 0:  # the usual case: one count
        return end
    buffer = np.frombuffer(data, dtype=np.uint8)
    newlines = np.flatnonzero(buffer == ord("\n"))
    quotes = np.flatnonzero(buffer == ord('"'))
    outside = newlines[np.searchsorted(quotes, newlines) % 2 == 0]
    if len(outside):
        return int(outside[-1])
    return end if force else -1


def blocks(handle: BinaryIO, size: int) -> Iterator[bytes]:
    """The file from the handle's place on, cut into blocks of whole records (under three
    times `size` bytes: a buffer of twice `size` without a cut is cut, see `_split_point`)."""
    rest = b""
    while True:
        data = handle.read(size)
        if not data:
            if rest.strip():
                yield rest if rest.endswith(b"\n") else rest + b"\n"
            return
        buffer = rest + data
        end = _split_point(buffer, force=len(buffer) >= 2 * size)
        if end < 0:
            rest = buffer
            continue
        yield buffer[: end + 1]
        rest = buffer[end + 1 :]


def _transcode(block: bytes, encoding: str | None) -> bytes:
    if not encoding or codecs.lookup(encoding).name == "utf-8":
        return block
    return block.decode(encoding, "surrogateescape").encode("utf-8", "surrogateescape")


def read_csv_chunks(
    path: Path,
    names: list[str],
    delimiter: str = ",",
    encoding: str | None = None,
    block_bytes: int = BLOCK_BYTES,
    header_line: int = 1,
) -> Iterator[RawChunk]:
    """Chunks of bytes columns named `names` plus `_line`; the lines up to the header's
    (`header_line`) are skipped, and `_line` counts the file's lines."""
    handle, encoding = open_utf8(path, encoding)
    with handle:
        for _ in range(header_line):
            handle.readline()
        first_line = header_line + 1
        for block in blocks(handle, block_bytes):
            yield parse_block(block, names, delimiter, encoding, first_line)
            first_line += block.count(b"\n")


def parse_block(
    block: bytes, names: list[str], delimiter: str, encoding: str | None, first_line: int
) -> RawChunk:
    """One block of whole records (`blocks`) whose first line is `first_line` in the file."""
    try:
        return _parse_block(_transcode(block, encoding), names, delimiter, first_line)
    except pa.ArrowInvalid as exc:  # e.g. a quote never closed: the block is unreadable
        last = first_line + block.count(b"\n") - 1
        return _unreadable(names, first_line, last, str(exc))


def _unreadable(names: list[str], first: int, last: int, reason: str) -> RawChunk:
    empty = pa.table({name: pa.array([], pa.string()) for name in names})
    empty = empty.append_column("_line", pa.array([], pa.int64()))
    return RawChunk(empty, [Rejected(f"lines {first}-{last}", f"CSV not parseable: {reason}")])


#: Why a line that opens a quoted field never closed is quarantined.
UNCLOSED = (
    "a quoted field opened on this line is never closed: read as it is, it would take in "
    "every line after it"
)


def _parse_block(block: bytes, names: list[str], delimiter: str, first_line: int) -> RawChunk:
    table, bad = _read_block(block, names, delimiter, first_line)
    if (
        b'"' in block  # no quote, no quoted field
        and _has_line_breaks(table, names)
        and (broken := unclosed_lines(block, delimiter))
    ):
        table, bad = _read_around(block, broken, names, delimiter, first_line)
    lines = table.column("_line")
    return RawChunk(as_text(table.drop_columns(["_line"])).append_column("_line", lines), bad)


def _has_line_breaks(table: pa.Table, names: list[str]) -> bool:
    """Whether a value holds a line break: only then can a quote have been left open (a
    field that takes in the lines after it holds their line breaks)."""
    return any(pc.any(pc.match_substring(table.column(name), "\n")).as_py() for name in names)


def unclosed_lines(block: bytes, delimiter: str) -> list[int]:
    """The lines of `block` (0-based) that open a quoted field never properly closed.

    The CSV reader takes such a field to its next quote, however far: `"PT MAJU JAYA` took
    in every later line of the file as one name, and nothing said so. Python's `csv` in
    strict mode names such a record (a quote not followed by a separator, or the end of the
    data inside quotes); a record within one line that it finds fault with is left to the
    reader. Run only on a block with a value holding a line break.
    """
    lines = block.decode("utf-8", "surrogateescape").split("\n")
    if lines and not lines[-1]:
        lines.pop()
    items = [line + "\n" for line in lines]
    broken: list[int] = []
    position = 0
    while position < len(items):
        reader = csv.reader(islice(items, position, None), delimiter=delimiter, strict=True)
        start = 0
        try:
            while True:
                start = reader.line_num
                next(reader)
        except StopIteration:
            break
        except csv.Error:
            if reader.line_num > start + 1 or reader.line_num == len(items) - position:
                broken.append(position + start)
        position += start + 1
    return broken


def _read_around(
    block: bytes, broken: list[int], names: list[str], delimiter: str, first_line: int
) -> tuple[pa.Table, list[Rejected]]:
    """The block read without its `broken` lines, each of which is quarantined alone."""
    data = np.frombuffer(block, dtype=np.uint8)
    starts = np.concatenate(([0], np.flatnonzero(data == ord("\n")) + 1)).tolist()
    starts.append(len(block))
    tables: list[pa.Table] = []
    bad: list[Rejected] = []
    begin = 0
    for line in [*broken, len(starts) - 1]:
        if starts[line] > starts[begin]:
            table, rejected = _read_block(
                block[starts[begin] : starts[line]], names, delimiter, first_line + begin
            )
            tables.append(table)
            bad += rejected
        if line < len(starts) - 1:
            text = block[starts[line] : starts[line + 1]].decode("utf-8", "replace")
            bad.append(Rejected(f"line {first_line + line}", UNCLOSED, text.rstrip("\r\n")))
        begin = line + 1
    if not tables:
        empty = {name: pa.array([], pa.binary()) for name in names}
        tables.append(pa.table({**empty, "_line": pa.array([], pa.int64())}))
    return pa.concat_tables(tables), bad


def _read_block(
    block: bytes, names: list[str], delimiter: str, first_line: int
) -> tuple[pa.Table, list[Rejected]]:
    """The block's records as bytes columns plus `_line`, and its ragged rows."""
    bad: list[Rejected] = []
    skipped: list[int] = []

    starts = record_lines(block, first_line)

    def on_invalid(row: pv.InvalidRow) -> str:
        number = row.number or 0
        skipped.append(number)
        bad.append(
            Rejected(
                f"line {starts[number - 1] if 0 < number <= len(starts) else '?'}",
                f"expected {row.expected_columns} fields, found {row.actual_columns}",
                row.text,
            )
        )
        return "skip"

    table = pv.read_csv(
        io.BytesIO(block),
        # One Arrow chunk per column for the whole block: DuckDB scans one long chunk at
        # half the CPU of pyarrow's default 1 MB pieces (measured on generated data).
        read_options=pv.ReadOptions(
            column_names=names, use_threads=False, block_size=len(block) + 1
        ),
        parse_options=pv.ParseOptions(
            delimiter=delimiter, invalid_row_handler=on_invalid, newlines_in_values=True
        ),
        convert_options=pv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.binary()), strings_can_be_null=False
        ),
    )
    numbers = np.arange(1, table.num_rows + len(skipped) + 1, dtype=np.int64)
    if skipped:
        numbers = numbers[~np.isin(numbers, np.asarray(skipped, dtype=np.int64))]
    if len(starts) != len(numbers) + len(skipped):  # the reader saw other records: count
        starts = np.arange(first_line, first_line + len(numbers) + len(skipped), dtype=np.int64)
    lines = pa.array(starts[numbers - 1], pa.int64())
    return table.append_column("_line", lines), bad


def record_lines(block: bytes, first_line: int) -> NDArray[np.int64]:
    """The line on which each record of `block` starts, in the order the CSV reader yields them.

    The reader skips blank lines (`\\n`, `\\r\\n`) and a quoted value may hold newlines, so the
    n-th record is not on the n-th line; a quarantined record must name the line an analyst
    finds it on. `block` is whole records (`blocks`) and its first line is `first_line`.
    """
    data = np.frombuffer(block, dtype=np.uint8)
    newlines = np.flatnonzero(data == ord("\n"))
    quotes = np.flatnonzero(data == ord('"'))
    ends = newlines[np.searchsorted(quotes, newlines) % 2 == 0]  # outside quotes
    if len(ends) == 0 or ends[-1] != len(data) - 1:  # a quote never closed runs to the end
        ends = np.append(ends, len(data) - 1)
    starts = np.concatenate(([0], ends[:-1] + 1)).astype(np.int64)
    length = ends - starts
    blank = (length == 0) | ((length == 1) & (data[np.minimum(starts, len(data) - 1)] == 13))
    kept = starts[~blank]
    lines: NDArray[np.int64] = np.searchsorted(newlines, kept).astype(np.int64) + first_line
    return lines


def as_text(table: pa.Table) -> pa.Table:
    """Columns that are valid UTF-8 become text here (fast, vectorised); a column holding
    invalid bytes stays binary so the normaliser quarantines just the records concerned."""
    columns = []
    for column in table.columns:
        try:
            columns.append(trimmed(column.cast(pa.string())))
        except pa.ArrowInvalid:
            columns.append(column)
    return pa.Table.from_arrays(columns, names=table.column_names)


def trimmed(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """Text without edge spaces (done here, on the reading thread, so the store need not)."""
    return pc.utf8_trim(column, " ")

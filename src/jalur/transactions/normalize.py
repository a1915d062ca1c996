"""One SQL normaliser for every format: raw chunk → canonical rows, each with a reason or none.

The reader's field map says where each canonical field comes from; this module turns it into a
single DuckDB statement that decodes bytes (invalid UTF-8 is a reason, not a crash), parses
timestamps and amounts, checks currencies against the known list, derives a content-hash id when
the source has none, converts to the reporting currency and names the first problem of each
record. Values travel as bound parameters; identifiers are quoted with sqlglot.
"""

from __future__ import annotations

import re
from typing import Any

import pyarrow as pa
from sqlglot import exp

from jalur.transactions.raw import META, Col, FieldMap, Sql
from jalur.transactions.schema import COLUMNS

#: Fields whose text identifies a record when the source gives no id (content-hash id).
#: (The received amount and currency came later: leaving them out keeps earlier ids.
#: `pattern_id`, like `label`, is ground truth about the payment, not the payment: IBM's
#: patterns file and its transactions file give the same payment the same id.)
_IDENTITY = [
    c
    for c in COLUMNS
    if c
    not in (
        "tx_id",
        "source_file",
        "source_position",
        "label",
        "pattern_id",
        "amount_received",
        "currency_received",
    )
]
_SPECIAL = {"tx_id", "timestamp", "amount", "currency", "label", "amount_reporting"}
_SPECIAL |= {"amount_received", "currency_received"}
_SPECIAL |= {"source_file", "source_position"}


def quote(name: str) -> str:
    """A safely quoted DuckDB identifier."""
    return exp.to_identifier(name, quoted=True).sql("duckdb")


def _duck_type(kind: pa.DataType) -> str:
    """The DuckDB type the normaliser treats a raw column as; anything else is read as text."""
    if pa.types.is_timestamp(kind):
        return "TIMESTAMPTZ" if kind.tz else "TIMESTAMP"
    if pa.types.is_date(kind):
        return "DATE"
    if pa.types.is_float32(kind) or pa.types.is_float16(kind):
        return "FLOAT"  # read as the shortest text that is the same float (see `_amount`)
    if pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_decimal(kind):
        return "DOUBLE"
    if pa.types.is_boolean(kind):
        return "BOOLEAN"
    return "VARCHAR"


def _is_text(kind: pa.DataType) -> bool:
    return any(
        test(kind)
        for test in (pa.types.is_string, pa.types.is_large_string, pa.types.is_string_view)
    )


def _is_binary(kind: pa.DataType) -> bool:
    return bool(pa.types.is_binary(kind) or pa.types.is_large_binary(kind))


def _decoded(schema: pa.Schema) -> tuple[list[str], list[str], dict[str, str]]:
    """Select list of the decoding layer, the bad-UTF-8 checks for binary columns and the
    column names those checks report (bound as parameters: a name is data, not SQL)."""
    select, checks, labels = [], [], {}
    for index, field in enumerate(schema):
        q = quote(field.name)
        if field.name in META:
            select.append(q)
        elif _is_binary(field.type):
            select += [f"try(decode({q})) AS {q}", f"{q} AS __b{index}"]
            labels[f"column_{index}"] = field.name
            checks.append(
                f"CASE WHEN {q} IS NOT NULL AND try(decode({q})) IS NULL "
                f"THEN 'not valid UTF-8 in column \"' || $column_{index} || "
                "'\" (wrong encoding?)' END"
            )
        elif _duck_type(field.type) == "VARCHAR" and not _is_text(field.type):
            # lists, structs, durations, times, dictionaries…: their text, judged per record
            select.append(f"CAST({q} AS VARCHAR) AS {q}")
        else:
            select.append(q)
    return select, checks, labels


def _raw_text(schema: pa.Schema) -> str:
    if "_raw" in schema.names:
        return "_raw"
    parts = []
    for index, field in enumerate(schema):
        if field.name in META:
            continue
        q = quote(field.name)
        is_bin = _is_binary(field.type)
        parts.append(f"coalesce({q}, __b{index}::VARCHAR)" if is_bin else f"{q}::VARCHAR")
    return f"concat_ws(',', {', '.join(parts)})" if parts else "NULL"


def _source_types(schema: pa.Schema, fmap: FieldMap) -> dict[str, tuple[str, str]]:
    """canonical field → (SQL expression over decoded columns, its DuckDB type)."""
    out: dict[str, tuple[str, str]] = {}
    for name, source in fmap.fields.items():
        if isinstance(source, Col):
            if source.name not in schema.names:
                out[name] = ("NULL", "VARCHAR")
                continue
            out[name] = (quote(source.name), _duck_type(schema.field(source.name).type))
        elif isinstance(source, Sql):
            out[name] = (f"({source.expr})", source.type)
    return out


def _timestamp(kind: str, fmap: FieldMap) -> str:
    x = "__f_timestamp"
    if kind == "TIMESTAMPTZ":
        return x
    zone = _zone(fmap)
    if kind in ("TIMESTAMP", "DATE"):
        return f"timezone({zone}, {x}::TIMESTAMP)"
    text = f"trim({x}::VARCHAR)"
    naive = f"TRY_CAST({text} AS TIMESTAMP)"
    zoned = f"TRY_CAST({_with_seconds(text)} AS TIMESTAMPTZ)"
    naive_formats, zoned_formats = _formats(fmap)
    if naive_formats:
        naive = f"coalesce(try_strptime({text}, $fmts), {naive})"
    if zoned_formats:
        zoned = f"coalesce(try_strptime({text}, $zfmts), {zoned})"
    return (
        f"CASE WHEN regexp_matches({text}, '(Z|[+-][0-9][0-9]:?[0-9][0-9])$') "
        f"THEN {zoned} ELSE timezone({zone}, {naive}) END"
    )


def _zone(fmap: FieldMap) -> str:
    """SQL: the zone a time written without one is in: UTC, or the mapping's `timezone:`
    (bound as `$zone`; a WIB export's `08:30` is 01:30 UTC, not 08:30)."""
    return "'UTC'" if fmap.timezone == "UTC" else "$zone::VARCHAR"


def _with_seconds(text: str) -> str:
    """ISO 8601 allows `08:30+07:00` (no seconds before the offset), DuckDB does not cast it:
    `:00` goes in before the offset (a time with seconds is left as it is)."""
    return (
        f"regexp_replace({text}, '([T ][0-9]{{1,2}}:[0-9]{{2}})(Z|[+-][0-9]{{2}}:?[0-9]{{2}})$', "
        "'\\1:00\\2')"
    )


def _formats(fmap: FieldMap) -> tuple[list[str], list[str]]:
    """The mapping's timestamp formats without an offset and with one (`%z`): a time that
    ends in an offset is read with the zoned ones (it was only ever read as ISO 8601, so
    `07/12/2026 08:30 +0700` under `%d/%m/%Y %H:%M %z` was quarantined), the others as UTC."""
    zoned = [f for f in fmap.timestamp_formats if "%z" in f]
    return [f for f in fmap.timestamp_formats if f not in zoned], zoned


#: What writes digit groups apart in an amount's text (`1 234 567,89`), removed before it is
#: read: the space, and the no-break (U+00A0) and narrow no-break (U+202F) spaces that
#: spreadsheets in comma-decimal locales write; those used to make the amount not a number.
GROUP_SEPARATORS = (" ", "\u00a0", "\u202f")


def _amount(kind: str, fmap: FieldMap, field: str = "amount") -> str:
    if kind in ("DOUBLE", "BOOLEAN"):
        return f"__f_{field}::DOUBLE"
    if kind == "FLOAT":
        # A float32 `100.12` is 100.12000274658203 as a double: its shortest text is the
        # number the writer meant (the double had decimals its currency has not).
        return f"TRY_CAST(__f_{field}::VARCHAR AS DOUBLE)"
    text = f"trim(__f_{field}::VARCHAR)"
    for separator in GROUP_SEPARATORS:
        text = f"replace({text}, '{separator}', '')"
    text = _ungrouped(text, "." if fmap.decimal_comma else ",")
    if fmap.decimal_comma:
        text = f"replace({text}, ',', '.')"
    return f"TRY_CAST({text} AS DOUBLE)"


def _ungrouped(text: str, group: str) -> str:
    """SQL: `text` without its digit-group separators (`.` in `1.234.567,89` under
    `decimal_comma`, `,` in `1,234,567.89` otherwise), taken only between groups of three
    digits; a separator anywhere else makes it no number (NULL). Every dot used to be
    removed under `decimal_comma`, so `100.50` loaded as 10050; `1,234.56` as 1.23456."""
    decimal = "," if group == "." else "."
    grouped = f"^[+-]?[0-9]{{1,3}}(\\{group}[0-9]{{3}})+(\\{decimal}[0-9]*)?$"
    return (
        f"CASE WHEN NOT contains({text}, '{group}') THEN {text} "
        f"WHEN regexp_matches({text}, '{grouped}') THEN replace({text}, '{group}', '') END"
    )


def _currency(field: str) -> str:
    """SQL: a currency as ISO 4217: its code, or the code of its name or symbol as banks'
    exports write them (`Rp`, `rupiah`, `€`, `руб.`: `tx_lookup`'s `spelt_currency` rows,
    `lookups.currency_spellings`); these were quarantined as unknown currencies."""
    text = f"trim({field}::VARCHAR)"
    return (
        "coalesce((SELECT code FROM tx_lookup WHERE kind = 'spelt_currency' "
        f"AND name = lower({text})), nullif(upper({text}), ''))"
    )


def _label(kind: str) -> str:
    if kind == "BOOLEAN":
        return "__f_label"
    v = "lower(trim(__f_label::VARCHAR))"
    return (
        f"CASE WHEN {v} IN ('1', 'true', 't', 'yes', 'y') THEN true "
        f"WHEN {v} IN ('0', 'false', 'f', 'no', 'n') THEN false END"
    )


def _text(name: str, kind: str) -> str:
    # Readers hand over text already trimmed (in Arrow, on the reading thread).
    # A country is kept as written here: `country_fields` reads it to alpha-2 after staging.
    return f"nullif(__f_{name}, '')" if kind == "VARCHAR" else f"__f_{name}::VARCHAR"


def _show(name: str) -> str:
    """SQL: the raw field as a reason quotes it: trimmed, its first 60 characters, control
    characters escaped (`bad timestamp: 2024\\x1b[2J`), so the reason cannot act on a terminal."""
    return escaped_sql(f"trim(__f_{name}::VARCHAR)")


def _blank(name: str, kind: str) -> str:
    """SQL: the raw field is absent (typed columns are never blank, only NULL)."""
    if kind == "VARCHAR":
        return f"nullif(trim(__f_{name}), '') IS NULL"
    return f"__f_{name} IS NULL"


_REASONS = """CASE
    WHEN _reject IS NOT NULL THEN _reject
    WHEN _bad_utf8 IS NOT NULL THEN _bad_utf8
    WHEN __f_reject IS NOT NULL THEN __f_reject
    {control}
    WHEN {blank_timestamp} THEN 'missing timestamp'
    WHEN __ts IS NULL THEN 'bad timestamp: ' || {show_ts}
    WHEN year(__ts) NOT BETWEEN 1900 AND 2200 THEN 'timestamp out of range: ' || __ts::VARCHAR
    WHEN {blank_amount} THEN 'missing amount'
    WHEN __amt IS NULL THEN 'amount is not a number: ' || {show_amount}
    WHEN NOT isfinite(__amt) THEN 'amount is not finite: ' || {show_amount}
    WHEN __amt < 0 THEN 'negative amount: ' || {show_amount}
    WHEN __amt > {max_amount} THEN 'amount above {bound}: ' || {show_amount}
    WHEN __ccy IS NULL THEN 'missing currency'
    WHEN rates.currency IS NULL THEN 'unknown currency: ' || {show_currency}
    {minor_units}
    WHEN __amt * rates.factor > {max_amount}
        THEN 'amount in the reporting currency above {bound}: ' || {show_amount} || ' '
            || {show_currency} || ' is ' || printf('%.4g', __amt * rates.factor)
    WHEN NOT ({blank_amount_received}) AND __ramt IS NULL
        THEN 'received amount is not a number: ' || {show_amount_received}
    WHEN NOT isfinite(__ramt) THEN 'received amount is not finite: ' || {show_amount_received}
    WHEN __ramt < 0 THEN 'negative received amount: ' || {show_amount_received}
    WHEN __ramt > {max_amount} THEN 'received amount above {bound}: ' || {show_amount_received}
    WHEN __ramt IS NOT NULL AND __rccy IS NULL THEN 'missing received currency'
    WHEN __rccy IS NOT NULL AND received_rates.currency IS NULL
        THEN 'unknown received currency: ' || {show_currency_received}
    WHEN __ramt * received_rates.factor > {max_amount}
        THEN 'received amount in the reporting currency above {bound}: '
            || {show_amount_received} || ' ' || {show_currency_received} || ' is '
            || printf('%.4g', __ramt * received_rates.factor)
    WHEN NOT ({blank_label}) AND __lbl IS NULL
        THEN 'label is not true/false: ' || {show_label}
    WHEN length(__tid) > 200 THEN 'transaction id longer than 200 characters'
    {long_text}
END"""

#: The most one payment may move, paid or received, in its own currency and in the reporting
#: currency. Above any real payment (the largest interbank settlements are ~1e11 USD) and well
#: below 2**53 (~9e15), past which float64 loses whole units and goAML refuses an amount; a
#: finite `1.7e308 GBP` was `inf` USD, and one such payment made every sum after it inf or NaN.
#: `tx load` quarantines and the stream refuses (dead letters) an amount above it.
MAX_AMOUNT = 1e15
#: The bound as reasons write it (`1e+15`).
MAX_AMOUNT_TEXT = f"{MAX_AMOUNT:.0e}"

#: Characters a payment's text field may have (a name, an address, a remittance text): SWIFT's
#: longest field is 6 × 35, an ISO 20022 address 7 × 70. A sender's 30 MB "name" was stored
#: and screened; the quarantine keeps this much of a rejected record's text, too.
MAX_TEXT = 4000


#: `__amt` in its currency's minor units (`100.123 USD` is 10012.3 cents).
_IN_MINOR_UNITS = "(__amt * power(10, rates.digits))"


def _minor_units(fmap: FieldMap) -> str:
    """SQL `WHEN` clause rejecting an amount with more decimals than its currency has
    (`100.123 USD`, `5.5 JPY`): no payment system sends one (MT103 32A rule C03, ISO 20022's
    CurrencyAmount rule). Judged on the value, so `100.00 JPY` is 100 yen; the tolerance is a
    few float64 roundings of the scaled amount, nothing a real extra decimal hides in below
    about 1e12 units. Empty for a source whose amounts ignore minor units (research sets)."""
    if not fmap.minor_units:
        return ""
    scaled = _IN_MINOR_UNITS
    return (
        f"WHEN rates.digits IS NOT NULL AND abs({scaled} - round({scaled})) "
        f"> 1e-9 + abs({scaled}) * 1e-14 "
        "THEN 'amount has more decimals than ' || __ccy || ' has (' "
        "|| rates.digits::VARCHAR || '): ' || " + _show("amount")
    )


def _long_text(kind: dict[str, str]) -> str:
    """SQL `WHEN` clauses rejecting a record whose text field is longer than `MAX_TEXT`."""
    return "\n    ".join(
        f"WHEN length(__f_{name}) > {MAX_TEXT} THEN "
        f"'{name} longer than {MAX_TEXT:,} characters: ' || length(__f_{name})::VARCHAR"
        for name in COLUMNS
        if kind[name] == "VARCHAR" and name not in ("tx_id", "source_file", "source_position")
    )


#: Identifier fields refused with a control character in them, and the characters (RE2 class):
#: C0 and C1 controls, DEL, the bidi marks, embeddings, overrides and isolates, and the
#: characters that print as nothing (soft hyphen, zero-width space and joiners, word joiner
#: and invisible operators, line and paragraph separators, the byte-order mark). An identifier
#: reaches terminals (ESC sequences), reports and goAML files as it is; a bidi override shows
#: `T1\u202egpj.exe` reversed; `ACC-1\u200b` looks like `ACC-1` on every screen and report
#: but is another account, whose payments would never meet that one's. Names and free text
#: are not judged here.
IDENTIFIERS = ("tx_id", "orig_account", "bene_account")
_CONTROL_RANGES = (
    (0x0, 0x1F), (0x7F, 0x9F), (0xAD, 0xAD), (0x200B, 0x200F), (0x2028, 0x202E),
    (0x2060, 0x2064), (0x2066, 0x2069), (0xFEFF, 0xFEFF),
)  # fmt: skip
CONTROL = "[" + "".join(f"\\x{{{a:x}}}-\\x{{{b:x}}}" for a, b in _CONTROL_RANGES) + "]"
#: The same class for Python's `re` (the stream judges payments one by one, without SQL).
_CONTROL_RE = re.compile("[" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in _CONTROL_RANGES) + "]")


def escape_controls(text: str) -> str:
    """`text` (at most 60 characters) with each control character written as Python writes
    it (`\\x1b`, `\\u202e`): what the SQL of `escaped_sql` does, for one value in hand."""
    return _CONTROL_RE.sub(
        lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 256 else f"\\u{ord(m[0]):04x}",
        text[:60],
    )


def control_reason(field: str, value: str | None) -> str | None:
    """Why an identifier field (`IDENTIFIERS`) is refused, in the quarantine's words
    (`control character in tx_id: T\\x1b[2J`), or None when it has no control character.
    The stream refuses a payment by this rule so that it and `tx load` agree."""
    if value is None or not _CONTROL_RE.search(value):
        return None
    return f"control character in {field}: {escape_controls(value)}"


def escaped_sql(text: str, width: int = 60) -> str:
    """SQL: `text` (at most `width` characters) with each control character written as Python
    writes it (`\\x1b`, `\\u202e`), so a reason shown on a terminal cannot act on it."""
    code = "unicode(__c)"
    return (
        f"array_to_string(list_transform(string_split(left({text}, {width}), ''), __c -> "
        f"CASE WHEN NOT regexp_matches(__c, '{CONTROL}') THEN __c "
        f"WHEN {code} < 256 THEN '\\x' || lpad(lower(hex({code})), 2, '0') "
        f"ELSE '\\u' || lpad(lower(hex({code})), 4, '0') END), '')"
    )


def _control(kind: dict[str, str]) -> str:
    """SQL `WHEN` clauses rejecting a record whose identifier has a control character; the
    reason names the field and shows the value escaped."""
    return "\n    ".join(
        f"WHEN regexp_matches(__f_{name}, '{CONTROL}') "
        f"THEN 'control character in {name}: ' || {escaped_sql(f'__f_{name}')}"
        for name in IDENTIFIERS
        if kind[name] == "VARCHAR"
    )


_OCCURRENCE = """SELECT h.*, row_number() OVER (PARTITION BY h.__hash ORDER BY h._ord)
        + coalesce(seen.n, 0) AS __occ
    FROM h LEFT JOIN tx_seen AS seen ON seen.hash = h.__hash"""

#: Per file: how many records with each content hash earlier chunks had.
SEEN_DDL = "CREATE OR REPLACE TEMP TABLE tx_seen (hash VARCHAR PRIMARY KEY, n BIGINT)"
SEEN_UPDATE = """INSERT OR REPLACE INTO tx_seen
    SELECT __hash, max(__occ) FROM tx_stage WHERE __hash IS NOT NULL GROUP BY __hash"""


def stage_sql(schema: pa.Schema, fmap: FieldMap) -> tuple[str, dict[str, Any]]:
    """A query over the registered `raw_chunk` giving canonical columns plus `_reason` (why the
    record is rejected, NULL when good), `_ord`, `__hash`, `__occ`, `_e2e`, `_rawtext` and `_footer`
    (a statement's balance or total line: no record, `FieldMap.footer`); and its
    parameters. Callers use it as a subquery: DuckDB computes only the columns each use needs."""
    decoded, checks, labels = _decoded(schema)
    utf8 = f"coalesce({', '.join(checks)})" if checks else "NULL::VARCHAR"
    position = "_pos" if "_pos" in schema.names else "'line ' || _line::VARCHAR"
    ordinal = "_line" if "_line" in schema.names else "row_number() OVER ()"
    if "_row" in schema.names:
        position, ordinal = "'row ' || _row::VARCHAR", "_row"
    reject = "_reject" if "_reject" in schema.names else "NULL::VARCHAR"
    sources = _source_types(schema, fmap)
    mapped = [f"{sources.get(c, ('NULL', 'VARCHAR'))[0]} AS __f_{c}" for c in COLUMNS]
    mapped.append(f"({fmap.reject or 'NULL'})::VARCHAR AS __f_reject")
    mapped.append(f"coalesce(({fmap.footer or 'false'}), false) AS __f_footer")
    kind = {c: sources.get(c, ("NULL", "VARCHAR"))[1] for c in COLUMNS}
    content = f"md5(concat_ws('|', {', '.join(f'__f_{c}' for c in _IDENTITY)}))"
    hashed = "tx_id" not in fmap.fields
    occurrence = "NULL::VARCHAR"
    if hashed:
        # Identical records are distinct payments told apart by their order in the file:
        # the k-th copy gets `:k` (k > 1), counted across chunks in `tx_seen`.
        occurrence = "CASE WHEN __occ > 1 THEN ':' || __occ::VARCHAR END"
    typed = [
        f"coalesce(nullif(trim(__f_tx_id::VARCHAR), ''), "
        f"$prefix || ':' || __hash || coalesce({occurrence}, '')) AS __tid",
        f"{_timestamp(kind['timestamp'], fmap)} AS __ts",
        f"{_amount(kind['amount'], fmap)} AS __amt",
        f"{_currency('__f_currency')} AS __ccy",
        f"{_amount(kind['amount_received'], fmap, 'amount_received')} AS __ramt",
        f"{_currency('__f_currency_received')} AS __rccy",
        f"{_label(kind['label'])} AS __lbl",
    ]
    out = []
    for name in COLUMNS:
        expr = {
            "tx_id": "__tid",
            "timestamp": "__ts",
            "amount": "__amt",
            "currency": "__ccy",
            "amount_received": "__ramt",
            "currency_received": "__rccy",
            "label": "__lbl",
            "amount_reporting": "round(__amt * rates.factor, 4)",
            "source_file": "$source_file",
            "source_position": "_pos",
        }.get(name) or _text(name, kind[name])
        out.append(f"{expr} AS __o_{name}")
    reasons = _REASONS.format(
        **{
            f"blank_{n}": _blank(n, kind[n])
            for n in ("timestamp", "amount", "label", "amount_received")
        },
        show_ts=_show("timestamp"),
        show_amount=_show("amount"),
        show_amount_received=_show("amount_received"),
        show_label=_show("label"),
        show_currency=escaped_sql("__ccy", 20),
        show_currency_received=escaped_sql("__rccy", 20),
        long_text=_long_text(kind),
        minor_units=_minor_units(fmap),
        control=_control(kind),
        max_amount=repr(MAX_AMOUNT),
        bound=MAX_AMOUNT_TEXT,
    )
    sql = f"""WITH d AS (
    SELECT {", ".join(decoded)}, {utf8} AS _bad_utf8, {position} AS _pos,
           {reject} AS _reject, {ordinal} AS _ord
    FROM raw_chunk
), m AS (
    SELECT {", ".join(mapped)}, * FROM d
), h AS (
    SELECT *, {content if hashed else "NULL::VARCHAR"} AS __hash FROM m
), o AS (
    {_OCCURRENCE if hashed else "SELECT *, 1 AS __occ FROM h"}
), t AS (
    SELECT *, {", ".join(typed)} FROM o
), r AS (
    SELECT {", ".join(out)}, CASE WHEN NOT __f_footer THEN {reasons} END AS _reason, t.*
    FROM t LEFT JOIN tx_rates AS rates ON rates.currency = t.__ccy
    LEFT JOIN tx_rates AS received_rates ON received_rates.currency = t.__rccy
)
SELECT {", ".join(f"__o_{c} AS {c}" for c in COLUMNS)}, _reason, _ord, __hash, __occ,
       __f_footer AS _footer,
       {"_e2e" if "_e2e" in schema.names else "NULL::VARCHAR"} AS _e2e,
       CASE WHEN _reason IS NOT NULL THEN left({_raw_text(schema)}, {MAX_TEXT}) END AS _rawtext
FROM r"""
    params: dict[str, Any] = {**fmap.params, **labels, "prefix": fmap.id_prefix}
    if "$zone" in sql:
        params["zone"] = fmap.timezone
    if "$fmts" in sql:
        params["fmts"] = _formats(fmap)[0]
    if "$zfmts" in sql:
        params["zfmts"] = _formats(fmap)[1]
    return sql, params

"""One account's statement as a bank exports it, mapped to payer and payee.

A statement line names the counterparty only: the statement's own account is in its title,
and whether it paid or was paid depends on the line, told by a debit/credit indicator column
(`D`/`K`, `DB`/`CR`), by the amount's sign (`-1.500,00`, `1.500,00-`, `1,500.00 DB`) or by
the column the amount is in (`Debet`, `Kredit`). A mapping's `statement:` says which:

    statement:
      account: "0987654321"      # the statement's own account, name, bank… (values)
      name: PT SUMBER REJEKI
      bank: CENAIDJA
      counterparty:              # the other side's columns
        account: Rekening Lawan
        name: Nama Lawan
      indicator: D/K             # or debit_amount: Debet + credit_amount: Kredit;
      debit: [D, DB]             #    neither: columns.amount is signed
      credit: [K, CR]

On a debit line the own account is the payer (`orig_*`) and the counterparty the payee
(`bene_*`); on a credit line the other way round. A line whose direction cannot be told is
quarantined naming why. Everything becomes SQL over the raw columns (names quoted, values
bound as parameters), judged by the normaliser like any other field.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from jalur.transactions.errors import TransactionLoadError
from jalur.transactions.normalize import escaped_sql, quote
from jalur.transactions.raw import Source, Sql, column_name_problem

#: The party fields a statement sets on each side (`orig_<field>`, `bene_<field>`).
PARTY = ("account", "name", "bank", "country", "identifier", "address")
#: Indicator values read as debit (money out of the statement's account) and credit, unless
#: the mapping names its own: ISO 20022 (DBIT/CRDT), English, Indonesian (Debet/Kredit, D/K)
#: and Russian (Д/К) exports.
DEBIT = ("D", "DB", "DR", "DBT", "DBIT", "DEBIT", "DEBET", "Д", "ДЕБЕТ")
CREDIT = ("C", "K", "CR", "KR", "CRDT", "CREDIT", "KREDIT", "К", "КРЕДИТ")
#: Keys naming a column of the file.
_COLUMN_KEYS = ("indicator", "debit_amount", "credit_amount")
_KEYS = {"counterparty", "debit", "credit", *_COLUMN_KEYS}
#: How a statement's own balance and total lines begin (`Saldo Akhir`, `Closing balance`,
#: `Итого обороты`, `Входящий остаток`), in Indonesian, English and Russian exports: such a
#: line, naming no counterparty, is no payment (`StatementFields.footer`). Matched at a
#: cell's start, whole words, in any case. `Total` alone begins company names too (TOTAL
#: E&P): it is a footer only alone, or before the words of a statement's totals.
FOOTERS = (
    "saldo", "mutasi debet", "mutasi debit", "mutasi kredit", "mutasi credit", "jumlah mutasi",
    "grand total", "subtotal", "sub-total", "opening balance", "closing balance",
    "balance brought forward", "balance carried forward", "brought forward", "carried forward",
    "итого", "всего", "входящий остаток", "исходящий остаток", "остаток", "обороты", "сальдо",
    r"total(?:\s*[:=]?\s*$|\s+(?:debits?|credits?|debet|kredit|mutasi|amount|transactions?)\b)",
)  # fmt: skip
#: A sign that makes an amount's text a debit: a leading minus (ASCII or U+2212), a trailing
#: minus (`1.500,00-`, as mainframe exports write) or accounting brackets `(1,500.00)`.
_NEGATIVE = r"^[-\x{2212}]|-$|^\(.*\)$"
#: The parameters `footer_sql`'s SQL binds.
FOOTER_PARAMS = {"footer_words": "(?i)^(?:" + "|".join(FOOTERS) + r")(?:[\s:.,;=(-]|$)"}


@dataclass(frozen=True)
class StatementFields:
    """What `statement:` adds to a field map: the fields, their bound values and the SQL
    giving the reason a line is refused (NULL when its direction is clear)."""

    fields: dict[str, Source]
    params: dict[str, Any]
    reject: str | None
    reads: tuple[str, ...]  # the raw columns these read
    described: tuple[str, ...] = ()  # the mapping's own columns, where a footer's words stand
    counterparty: tuple[str, ...] = ()  # the counterparty's columns

    def footer(self, available: list[str]) -> str | None:
        """SQL true on a balance or total line (`footer_sql`): the words may stand in the
        counterparty's name column, as 1C writes `Входящий остаток` there."""
        return footer_sql([*self.described, *self.counterparty], self.counterparty, available)


def footer_sql(
    described: Iterable[str], parties: Iterable[str], available: list[str]
) -> str | None:
    """SQL true on an export's balance or total line: a cell of the `described` columns
    begins with one of `FOOTERS` and every column of `parties` is empty or holds such words
    too (a line naming a party is a payment, whatever its description says). Binds
    `$footer_words` (`FOOTER_PARAMS`). None when no described column is in the file."""
    cells = [c for c in dict.fromkeys(described) if c in available]
    if not cells:
        return None
    worded = " OR ".join(_worded(c) for c in cells)
    nobody = " AND ".join(
        f"(nullif({_text(c)}, '') IS NULL OR {_worded(c)})"
        for c in dict.fromkeys(parties)
        if c in available
    )
    return f"(({worded}) AND {nobody or 'true'})"


def _problem(source: str, message: str) -> TransactionLoadError:
    return TransactionLoadError(source, "mapping", message)


def _text(column: str) -> str:
    return f"trim(CAST({quote(column)} AS VARCHAR))"


def _worded(column: str) -> str:
    """SQL: the column's cell begins with a statement's balance or total words (`FOOTERS`)."""
    return f"coalesce(regexp_matches({_text(column)}, $footer_words), false)"


def _unsigned(text: str) -> str:
    """SQL: the amount's text (SQL `text`) without the sign that made it a debit."""
    return (
        f"regexp_replace(regexp_replace({text}, '^\\((.*)\\)$', '\\1'), "
        f"'^[-\\x{{2212}}+]\\s*|\\s*-$', '')"
    )


def _given(column: str) -> str:
    """SQL: the column holds an amount other than zero (exports write `0,00` or nothing in
    the column a line does not use)."""
    return f"NOT regexp_matches(coalesce({_text(column)}, ''), '^[-+]?[0.,\\s]*$')"


def _values(spec: dict[str, Any], key: str, default: tuple[str, ...], source: str) -> list[str]:
    values = spec.get(key, list(default))
    if isinstance(values, str | int):
        values = [values]
    if (
        not isinstance(values, list)
        or not values
        or not all(isinstance(v, str | int) for v in values)
    ):
        raise _problem(source, f"statement.{key} must be a list of indicator values")
    return [str(v).strip().upper() for v in values]


def _party(spec: dict[str, Any], key: str, source: str) -> dict[str, Any]:
    side = spec.get(key) or {}
    if not isinstance(side, dict) or set(side) - set(PARTY):
        raise _problem(
            source,
            f"statement.{key}: a table of {', '.join(PARTY)} (found {side!r})",
        )
    return side


def statement_fields(spec: object, columns: dict[str, str], source: str) -> StatementFields:
    """The fields `spec` (a mapping's `statement:`) gives; `columns` are the mapping's own
    `columns:` (the amount's). Raises a mapping error naming the key when it cannot work."""
    if not isinstance(spec, dict):
        raise _problem(source, "statement: must be a table (account, counterparty, indicator…)")
    own = {k: v for k, v in spec.items() if k in PARTY}
    unknown = set(spec) - set(PARTY) - _KEYS
    if unknown:
        raise _problem(source, f"statement: unknown keys {sorted(unknown)}")
    if not own.get("account") and not own.get("name"):
        raise _problem(source, "statement: needs the statement's own account (or name)")
    counterparty = _party(spec, "counterparty", source)
    for column in counterparty.values():
        problem = column_name_problem(column) if isinstance(column, str) else "not a name"
        if problem:
            raise _problem(source, f"statement.counterparty: {column!r}: {problem}")
    for key, value in own.items():
        if not isinstance(value, str):
            raise _problem(
                source,
                f'statement.{key}: write the value in quotes ("0987654321"); YAML read it as '
                f"{value!r}, which loses an account's leading zeros",
            )
    params: dict[str, Any] = {f"stmt_own_{k}": v for k, v in own.items()}
    params.update(FOOTER_PARAMS)
    debit, amount, reject = _direction(spec, columns, params, source)
    fields: dict[str, Source] = {} if amount is None else {"amount": amount}
    for key in PARTY:
        mine = f"$stmt_own_{key}" if key in own else "NULL"
        theirs = _text(counterparty[key]) if key in counterparty else "NULL"
        if mine == theirs == "NULL":
            continue
        fields[f"orig_{key}"] = Sql(f"CASE WHEN {debit} THEN {mine} ELSE {theirs} END")
        fields[f"bene_{key}"] = Sql(f"CASE WHEN {debit} THEN {theirs} ELSE {mine} END")
    reads = [*counterparty.values(), *(str(spec[k]) for k in _COLUMN_KEYS if k in spec)]
    if isinstance(amount, Sql) and "amount" in columns:  # a signed amount, read unsigned
        reads.append(columns["amount"])
    described = tuple(c for c in columns.values() if isinstance(c, str))
    return StatementFields(
        fields, params, reject, tuple(reads), described, tuple(map(str, counterparty.values()))
    )


def _direction(
    spec: dict[str, Any], columns: dict[str, str], params: dict[str, Any], source: str
) -> tuple[str, Sql | None, str | None]:
    """SQL true on a debit line (false on a credit, NULL when it cannot be told), the amount
    field when the statement sets it, and the SQL reason for a line without a direction."""
    indicator = spec.get("indicator")
    pair = (spec.get("debit_amount"), spec.get("credit_amount"))
    if indicator is not None and any(pair):
        raise _problem(
            source,
            "statement: indicator and debit_amount/credit_amount are two ways to say the "
            "direction: give one",
        )
    if any(pair) and not all(pair):
        need = "credit_amount" if pair[0] else "debit_amount"
        raise _problem(
            source,
            f"statement: {'debit_amount' if pair[0] else 'credit_amount'} "
            f"needs {need} (the column of the other direction)",
        )
    if all(pair) and "amount" in columns:
        raise _problem(
            source,
            "statement: with debit_amount and credit_amount the amount is theirs; "
            "leave columns.amount out",
        )
    if indicator is not None:
        return _by_indicator(spec, str(indicator), params, source)
    if all(pair):
        return _by_column(str(pair[0]), str(pair[1]), params)
    if "amount" not in columns:
        raise _problem(source, "statement: signed amounts need columns.amount")
    return _by_sign(spec, columns["amount"], params, source)


def _by_sign(
    spec: dict[str, Any], column: str, params: dict[str, Any], source: str
) -> tuple[str, Sql | None, str | None]:
    """A debit is a negative amount, or one followed by a debit indicator (`1,500.00 DB`, as
    BCA's internet banking writes; `250.00 CR` is a credit). Another word after the amount
    (`250.00 USD`) is left in it, so the amount is not a number and the line is quarantined."""
    params.update(
        stmt_debit=_values(spec, "debit", DEBIT, source),
        stmt_credit=_values(spec, "credit", CREDIT, source),
    )
    text = _text(column)
    suffix = f"upper(regexp_extract({text}, '\\s(\\S+)$', 1))"
    debit, credit = (
        f"list_contains($stmt_debit, {suffix})",
        f"list_contains($stmt_credit, {suffix})",
    )
    marked = f"regexp_replace({text}, '\\s+\\S+$', '')"
    bare = f"(CASE WHEN {debit} OR {credit} THEN {marked} ELSE {text} END)"
    direction = f"({debit} OR (NOT {credit} AND regexp_matches({bare}, '{_NEGATIVE}')))"
    return direction, Sql(_unsigned(bare)), None


def _by_indicator(
    spec: dict[str, Any], column: str, params: dict[str, Any], source: str
) -> tuple[str, Sql | None, str | None]:
    debit = _values(spec, "debit", DEBIT, source)
    credit = _values(spec, "credit", CREDIT, source)
    params.update(stmt_debit=debit, stmt_credit=credit, stmt_indicator=column)
    value = f"upper({_text(column)})"
    direction = (
        f"(CASE WHEN list_contains($stmt_debit, {value}) THEN true "
        f"WHEN list_contains($stmt_credit, {value}) THEN false END)"
    )
    named = "'debit/credit indicator in column \"' || $stmt_indicator || '\"'"
    reject = (
        f"CASE WHEN nullif({_text(column)}, '') IS NULL THEN {named} || ' missing' "
        f"WHEN {direction} IS NULL THEN {named} || ' is neither debit (' || "
        "array_to_string($stmt_debit, ', ') || ') nor credit (' || "
        f"array_to_string($stmt_credit, ', ') || '): ' || {escaped_sql(_text(column))} END"
    )
    return direction, None, reject


def _by_column(
    debit: str, credit: str, params: dict[str, Any]
) -> tuple[str, Sql | None, str | None]:
    params.update(stmt_debit_column=debit, stmt_credit_column=credit)
    out, into = _given(debit), _given(credit)
    direction = (
        f"(CASE WHEN {out} AND NOT {into} THEN true WHEN {into} AND NOT {out} THEN false END)"
    )
    amount = Sql(
        f"CASE WHEN {out} THEN {_unsigned(_text(debit))} ELSE {_unsigned(_text(credit))} END"
    )
    reject = (
        f"CASE WHEN {out} AND {into} THEN 'both debit (\"' || $stmt_debit_column || '\": ' || "
        f"{escaped_sql(_text(debit))} || ') and credit (\"' || $stmt_credit_column || '\": ' || "
        f"{escaped_sql(_text(credit))} || '): a statement line moves money one way' "
        f"WHEN NOT {out} AND NOT {into} THEN 'neither debit (\"' || $stmt_debit_column || "
        "'\") nor credit (\"' || $stmt_credit_column || '\") has an amount' END"
    )
    return direction, amount, reject

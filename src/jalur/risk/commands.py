"""`jalur model train|show|score`: the per-account risk model from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import pyarrow.csv as pcsv
import typer
from rich.table import Table

from jalur.audit import record_cli
from jalur.cells import guard_table
from jalur.clikit import (
    EXIT_ERROR,
    EXIT_NOTHING_ACCEPTED,
    EXIT_PARTIAL,
    check_out,
    console,
    err_console,
    fail,
    one_of,
    open_store,
    plain,
    print_json,
    settings_of,
    warn,
)
from jalur.config import ConfigError, private_dir
from jalur.monitoring import ENGINES, EngineError, load_params
from jalur.risk.labels import LabelFileError, Labels, read_labels
from jalur.risk.model import EXPLAIN_TOP, ModelError, load_card
from jalur.risk.service import card_caution, score_workspace, train_model, workspace_features
from jalur.risk.sources import case_labels
from jalur.store import Store

model_app = typer.Typer(help="Per-account risk: train, show and score.", no_args_is_help=True)
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


EngineOpt = Annotated[
    str,
    typer.Option("--engine", help="duckdb (default) or spark.", callback=one_of(ENGINES)),
]


def model_folder(ctx: typer.Context) -> Path:
    """Where the workspace keeps its risk model and card."""
    return settings_of(ctx).home / "models" / "risk"


@model_app.command("train")
def train_command(
    ctx: typer.Context,
    labels: Annotated[
        Path | None, typer.Option("--labels", help="CSV with columns account,label (1/0).")
    ] = None,
    from_cases: Annotated[
        bool, typer.Option("--from-cases", help="Labels from closed cases' dispositions.")
    ] = False,
    skip_bad: Annotated[
        bool, typer.Option("--skip-bad", help="Train on the good rows; count the bad ones.")
    ] = False,
    engine: EngineOpt = "duckdb",
    as_json: JsonFlag = False,
) -> None:
    """Train the LightGBM risk model; its threshold is cross-validated on these labels only.

    Rows naming an account with no payment, labels other than 0/1, or contradictions are
    errors: nothing is trained unless --skip-bad (then exit 3)."""
    if (labels is None) == (not from_cases):
        raise fail("give either --labels FILE or --from-cases", code=2)
    with open_store(ctx) as store:
        try:
            features, payments = workspace_features(store, engine, _spark(ctx))
        except EngineError as exc:
            raise fail(str(exc)) from exc
        found = _labels(ctx, store, labels, features.accounts)
        _check(found, skip_bad)
        folder = model_folder(ctx)
        private_dir(folder.parent)
        try:
            card = train_model(features, payments, found, folder)
        except ModelError as exc:
            raise fail(f"{exc} (nothing was trained)") from exc
    record_cli(ctx, "model.train", card["hash"], card["data"])
    if as_json:
        print_json(card)
    else:
        _print_card(card)
    if found.errors:
        raise typer.Exit(EXIT_PARTIAL)


def _spark(ctx: typer.Context) -> dict[str, Any]:
    """The workspace's `[monitoring.spark]` settings, as `jalur monitor run` reads them (the
    risk commands ran `--engine spark` on local defaults, whatever jalur.toml said)."""
    try:
        return dict(load_params(settings_of(ctx).section("monitoring")).of("spark"))
    except ConfigError as exc:
        raise fail(str(exc)) from exc


def _labels(ctx: typer.Context, store: Store, path: Path | None, known: list[str]) -> Labels:
    if path is None:
        return case_labels(ctx, store, known)
    try:
        return read_labels(path, known)
    except LabelFileError as exc:
        raise fail(f"{exc} (nothing was trained)") from exc


def _check(found: Labels, skip_bad: bool) -> None:
    """Stop on bad rows (naming them) unless skipping; stop on one class either way."""
    for error in found.errors[:50]:
        err_console.print(
            f"[yellow]rejected[/] {plain(found.source)} {plain(error)}", highlight=False
        )
    if len(found.errors) > 50:
        err_console.print(f"… and {len(found.errors) - 50} more rejected rows", markup=False)
    if found.errors and not skip_bad:
        raise fail(
            f"{len(found.errors)} of {found.read} label rows are bad: nothing was trained "
            "(fix them, or give --skip-bad to train on the rest)"
        )
    if found.errors:
        warn(f"{len(found.errors)} of {found.read} label rows skipped (--skip-bad)")
    if found.duplicates:
        shown = "; ".join(found.duplicates[:5]) + (" …" if len(found.duplicates) > 5 else "")
        warn(
            f"{len(found.duplicates)} labels repeat an account already labelled, "
            f"counted once: {shown}"
        )
    problem = found.problem()
    if problem:
        # every row rejected under --skip-bad: README's 4 (nothing went in), not a refusal
        code = EXIT_NOTHING_ACCEPTED if found.errors and not found.by_account else EXIT_ERROR
        raise fail(f"{problem} (nothing was trained)", code=code)


@model_app.command("show")
def show_command(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Print the stored model's card: data, features, metrics, date, hash.

    Payments changed since training: a warning (`caution` in JSON), as `model score` gives."""
    try:
        card = load_card(model_folder(ctx))
    except ModelError as exc:
        raise fail(str(exc)) from exc
    with open_store(ctx) as store:
        caution = card_caution(card, store)
    if as_json:
        print_json({**card, "caution": caution})
        return
    _print_card(card)
    if caution:
        warn(caution)


#: The card's cross-validated measures as the text names them.
_MEASURES = {
    "roc_auc": "ROC-AUC",
    "average_precision": "average precision",
    "precision": "precision",
    "recall": "recall",
    "f1": "F1",
    "precision_at_k": "precision at K",
}


def _print_card(card: dict[str, Any]) -> None:
    console.print(
        f"[bold]{plain(card['model'])}[/] trained {plain(card['trained_at'])}, "
        f"hash {plain(card['hash'])}"
    )
    console.print(_data_line(card["data"]), highlight=False, markup=False)
    console.print(
        f"threshold {card['threshold']} ({card['threshold_rule']})", highlight=False, markup=False
    )
    measures = ", ".join(
        f"{_MEASURES.get(key, key)} {value}" for key, value in card["cross_validation"].items()
    )
    console.print(f"cross-validation: {measures}", highlight=False, markup=False)
    features = card["features"]
    table = Table("feature", "meaning")
    for feature in features:
        table.add_row(plain(feature["name"]), plain(feature["doc"]))
    console.print(table)


def _data_line(data: dict[str, Any]) -> str:
    """The labels and payments a card was trained on, in words (it was a Python dict); a
    card of an older version may lack a count: it reads "?"."""
    keys = ("source", "sha256", "read", "accepted", "positives", "negatives", "rejected")
    d = {key: data.get(key, "?") for key in (*keys, "duplicates", "payments")}
    return (
        f"labels: {d['source']} (sha256 {d['sha256']}): {d['read']} read, {d['accepted']} "
        f"accepted ({d['positives']} positives, {d['negatives']} negatives), {d['rejected']} "
        f"rejected, {d['duplicates']} duplicates; {d['payments']} payments"
    )


@model_app.command("score")
def score_command(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", help="CSV: account,score,flag,explanation.")],
    scorecard: Annotated[
        bool, typer.Option("--scorecard", help="Use the unsupervised scorecard, not the model.")
    ] = False,
    engine: EngineOpt = "duckdb",
    top: Annotated[int, typer.Option("--top", min=0, help="Accounts to print.")] = 10,
    explain_all: Annotated[
        bool,
        typer.Option(
            "--explain-all",
            help="Explain every account's score (slow: by default the flagged accounts and "
            "the 1,000 highest scores).",
        ),
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Score every account (the trained model, else the scorecard) and keep the scores."""
    explain = None if explain_all else EXPLAIN_TOP
    check_out(out)  # before the scores are computed and kept
    with open_store(ctx) as store:
        try:
            scoring = score_workspace(
                store, model_folder(ctx), engine, scorecard, explain, _spark(ctx)
            )
        except (EngineError, ModelError) as exc:
            raise fail(str(exc)) from exc
    pcsv.write_csv(guard_table(scoring.table), out)  # text cells inert in a spreadsheet
    if scoring.caution:
        warn(scoring.caution)
    flagged = sum(bool(f) for f in scoring.table.column("flag").to_pylist())
    # the caution too: a reviewer sees scores made on payments the threshold never measured
    details = {"scorer": scoring.scorer, "flagged": flagged, "caution": scoring.caution}
    record_cli(ctx, "model.score", str(out), details)
    rows = scoring.table.slice(0, top).to_pylist()
    if as_json:
        print_json({"scorer": scoring.scorer, "accounts": scoring.table.num_rows,
                    "flagged": flagged, "out": str(out), "caution": scoring.caution,
                    "top": rows})  # fmt: skip
        return
    table = Table("account", "score", "flag", "explanation")
    for row in rows:
        table.add_row(plain(row["account"]), f"{row['score']:.3f}", "yes" if row["flag"] else "",
                      plain(row["explanation"]))  # fmt: skip
    console.print(table)
    console.print(
        f"{scoring.table.num_rows} accounts scored by {scoring.scorer}, {flagged} flagged; "
        f"written to {out}",
        markup=False,
    )


def register_cli(app: typer.Typer) -> None:
    app.add_typer(model_app, name="model")

"""Screening chunks of a batch in worker processes (fork: the index is shared, not copied).

The screening function is set as a module global before the workers fork, so each worker sees
the parent's in-memory index without pickling it. Every chunk is split among the workers by
name: a customer file repeats common names, each worker remembers the names it screened
(`Screener.screen_many`), and a name always goes to the same worker, so it is screened once in
the whole run rather than once per worker. At most two chunks are in flight, which bounds
memory however large the input.
"""

from __future__ import annotations

import gc
import multiprocessing
import queue
import traceback
import zlib
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.process import BaseProcess
from typing import Any

from jalur.screening.features import Query

ScreenFn = Callable[[list[Query]], list[list[dict[str, Any]]]]
Chunk = tuple[list[str], list[Query], int]
Rows = list[list[dict[str, Any]]]

_SCREEN: ScreenFn | None = None
#: Chunks sent to the workers and not yet collected.
IN_FLIGHT = 2
#: Seconds between checks that a worker is still alive while waiting for its answer.
POLL_S = 1.0


class WorkerError(RuntimeError):
    """A worker process failed or died; the message carries its traceback."""


def _serve(inbox: Any, outbox: Any) -> None:
    """A worker: screen each list of queries it is sent, until it is sent None."""
    assert _SCREEN is not None, "set before the workers fork"
    while (queries := inbox.get()) is not None:
        try:
            outbox.put(("ok", _SCREEN(queries)))
        except Exception:  # the parent raises it, with the worker's traceback
            outbox.put(("error", traceback.format_exc()))


def worker_of(query: Query, workers: int) -> int:
    """The worker that screens this name: the same for every spelling that differs only in
    case and spacing, and the same from run to run (not Python's salted `hash`)."""
    key = " ".join(query.name.casefold().split())
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) % workers


def screen_chunks(
    chunks: Iterator[Chunk], screen: ScreenFn, workers: int
) -> Iterator[tuple[list[str], Rows, int]]:
    """(ids, hit rows per id, rows read) for each chunk, in input order."""
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for ids, queries, rows_read in chunks:
            yield ids, screen(queries), rows_read
        return
    global _SCREEN
    _SCREEN = screen
    context = multiprocessing.get_context("fork")
    inboxes = [context.Queue() for _ in range(workers)]
    outboxes = [context.Queue() for _ in range(workers)]
    # Objects that exist now are the index: a collection in a worker would touch each of them
    # (copying the shared pages) and find nothing to free.
    gc.freeze()
    processes = [
        context.Process(target=_serve, args=(inbox, outbox), daemon=True)
        for inbox, outbox in zip(inboxes, outboxes, strict=True)
    ]
    for process in processes:
        process.start()
    pending: deque[tuple[list[str], int, list[list[int]]]] = deque()
    try:
        for ids, queries, rows_read in chunks:
            positions: list[list[int]] = [[] for _ in range(workers)]
            for at, query in enumerate(queries):
                positions[worker_of(query, workers)].append(at)
            for worker, held in enumerate(positions):
                if held:
                    inboxes[worker].put([queries[at] for at in held])
            pending.append((ids, rows_read, positions))
            while len(pending) > IN_FLIGHT:
                yield _collect(pending.popleft(), outboxes, processes)
        while pending:
            yield _collect(pending.popleft(), outboxes, processes)
    finally:
        for inbox in inboxes:
            inbox.put(None)
        for process in processes:
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()
        gc.unfreeze()


def _collect(
    sent: tuple[list[str], int, list[list[int]]],
    outboxes: list[Any],
    processes: Sequence[BaseProcess],
) -> tuple[list[str], Rows, int]:
    """The oldest chunk's rows, put back in input order from each worker's share."""
    ids, rows_read, positions = sent
    rows: Rows = [[] for _ in ids]
    for worker, held in enumerate(positions):
        if held:
            for at, found in zip(held, _answer(outboxes[worker], processes[worker]), strict=True):
                rows[at] = found
    return ids, rows, rows_read


def _answer(outbox: Any, process: BaseProcess) -> Rows:
    while True:
        try:
            status, value = outbox.get(timeout=POLL_S)
        except queue.Empty:
            if not process.is_alive():
                raise WorkerError(f"screening worker died (exit code {process.exitcode})") from None
            continue
        if status == "error":
            raise WorkerError(f"screening worker failed:\n{value}")
        result: Rows = value
        return result

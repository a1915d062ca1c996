"""The recent payments the windowed typologies read, indexed as the batch windows them.

Batch monitoring groups payments into hopping windows (two grids, offset by half a window;
`jalur.monitoring.detectors.windows`) and follows money one hop on within a time limit. Here
the same windows are kept incrementally: per account, side and window, the counterparties
seen (with how often), and per account the payments in and out. Everything in this module is
derived from the payments of the last `horizon` seconds, so it is bounded by the windows and
rebuilt after a restart by replaying those payments (`jalur.stream.state` keeps them).
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from jalur.monitoring import BURST_GAP, burst_start
from jalur.stream.payment import Payment

#: A hopping window: (grid, bucket) as the batch numbers them.
Window = tuple[int, int]
#: What a payment added to one window entry: (kind, key, detail), undone on eviction.
Mark = tuple[str, Any, Any]
Marks = tuple[Mark, ...]


def windows_of(ts: int, half: int) -> tuple[Window, Window]:
    """The two windows (one per grid) a moment falls in, numbered as the batch SQL does:
    half h = floor(ts / half); grid g's bucket = floor((h + g) / 2)."""
    h = math.floor(ts / half)
    return (0, (h + 0) // 2), (1, (h + 1) // 2)


def first_busy_start(windows: Iterable[Window], busy: Callable[[Window], bool]) -> int:
    """The first half of the burst that the busy `windows` belong to, as the batch numbers
    bursts: back from the earliest of them through busy windows no more than `BURST_GAP`
    halves apart (`busy` says whether a window is busy)."""
    start = min(burst_start(*w) for w in windows)
    while True:
        earlier = [s for s in range(start - BURST_GAP, start) if busy(window_at(s))]
        if not earlier:
            return start
        start = min(earlier)


def window_at(start: int) -> Window:
    """The window whose first half is `start` (grid g's window b starts at half 2b - g)."""
    grid = start % 2
    return grid, (start + grid) // 2


@dataclass
class Pool:
    """Cash deposits of one account in one window (cash funnel)."""

    deposits: int = 0
    cash: float = 0.0
    t_first: int = 0
    t_last: int = 0


@dataclass
class Tally:
    """Counterparties of one account in one window, on one side, with the earliest and latest
    payment and the sum of the payments' times (gather-scatter compares them, and their mean:
    the payments in must come on average before those out, as in the batch)."""

    parties: dict[str, int] = field(default_factory=dict)
    first: int = 0
    last: int = 0
    ts_total: int = 0

    @property
    def payments(self) -> int:
        return sum(self.parties.values())


@dataclass
class WindowIndex:
    """Recent payments by account, by window and by threshold."""

    horizon: int
    ins: dict[str, deque[Payment]] = field(default_factory=dict)
    outs: dict[str, deque[Payment]] = field(default_factory=dict)
    tallies: dict[tuple[str, str, int, Window], Tally] = field(default_factory=dict)
    pieces: Counter[tuple[str, str, float, int, Window]] = field(default_factory=Counter)
    pools: dict[tuple[str, int, Window], Pool] = field(default_factory=dict)
    _queue: list[tuple[int, int, Payment, Marks]] = field(default_factory=list)
    _seq: int = 0
    watermark: int = 0

    def __len__(self) -> int:
        return len(self._queue)

    def incoming(self, account: str | None) -> deque[Payment]:
        return self.ins.get(account or "", _EMPTY)

    def outgoing(self, account: str | None) -> deque[Payment]:
        return self.outs.get(account or "", _EMPTY)

    def tally(self, side: str, account: str, half: int, window: Window) -> Tally | None:
        return self.tallies.get((side, account, half, window))

    def add(self, payment: Payment, marks: Marks) -> None:
        """Index `payment`; `marks` are the window entries it made (undone on eviction)."""
        if payment.edge:
            self.ins.setdefault(str(payment.bene_account), deque()).append(payment)
            self.outs.setdefault(str(payment.orig_account), deque()).append(payment)
        heapq.heappush(self._queue, (payment.ts, self._seq, payment, marks))
        self._seq += 1
        self.watermark = max(self.watermark, payment.ts)
        self._evict()

    def count(self, side: str, account: str, party: str, half: int, ts: int) -> Marks:
        """Count `party` as a counterparty of `account` on `side` in both windows of `ts`."""
        marks: list[Mark] = []
        for window in windows_of(ts, half):
            key = (side, account, half, window)
            tally = self.tallies.get(key)
            if tally is None:
                tally = self.tallies[key] = Tally(first=ts, last=ts)
            tally.parties[party] = tally.parties.get(party, 0) + 1
            tally.first, tally.last = min(tally.first, ts), max(tally.last, ts)
            tally.ts_total += ts
            marks.append(("tally", key, (party, ts)))
        return tuple(marks)

    def piece(self, key: tuple[str, str, float, int], ts: int) -> Marks:
        """Count one near-threshold piece for (account, currency, threshold, half)."""
        marks: list[Mark] = []
        for window in windows_of(ts, key[3]):
            self.pieces[(*key, window)] += 1
            marks.append(("piece", (*key, window), None))
        return tuple(marks)

    def deposit(self, account: str, half: int, ts: int, value: float) -> Marks:
        marks: list[Mark] = []
        for window in windows_of(ts, half):
            pool = self.pools.get((account, half, window))
            if pool is None:
                pool = self.pools[(account, half, window)] = Pool(t_first=ts, t_last=ts)
            pool.deposits += 1
            pool.cash += value
            pool.t_first, pool.t_last = min(pool.t_first, ts), max(pool.t_last, ts)
            marks.append(("pool", (account, half, window), value))
        return tuple(marks)

    def _evict(self) -> None:
        cutoff = self.watermark - self.horizon
        while self._queue and self._queue[0][0] < cutoff:
            _, _, payment, marks = heapq.heappop(self._queue)
            self._forget(payment)
            for mark in marks:
                self._unmark(mark)

    def _forget(self, payment: Payment) -> None:
        if not payment.edge:
            return
        _drop(self.ins, str(payment.bene_account), payment)
        _drop(self.outs, str(payment.orig_account), payment)

    def _unmark(self, mark: Mark) -> None:
        kind, key, detail = mark
        if kind == "tally":
            party, ts = detail
            tally = self.tallies[key]
            tally.ts_total -= ts
            left = tally.parties[party] - 1
            tally.parties[party] = left
            if left <= 0:
                del tally.parties[party]
            if not tally.parties:
                del self.tallies[key]
        elif kind == "piece":
            self.pieces[key] -= 1
            if self.pieces[key] <= 0:
                del self.pieces[key]
        else:  # a cash pool: its window has long closed, forget it with its last deposit
            pool = self.pools.get(key)
            if pool is not None:
                pool.deposits -= 1
                if pool.deposits <= 0:
                    del self.pools[key]

    def payments(self) -> Iterator[Payment]:
        """The payments held, oldest first (what a restart replays)."""
        return (entry[2] for entry in sorted(self._queue))


_EMPTY: deque[Payment] = deque()


def _drop(index: dict[str, deque[Payment]], account: str, payment: Payment) -> None:
    held = index.get(account)
    if held is None:
        return
    if held and held[0] is payment:
        held.popleft()
    elif payment in held:
        held.remove(payment)
    if not held:
        del index[account]

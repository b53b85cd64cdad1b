"""The build layer's two ways of running the stages' per-item work (`portal.steps.Steps`).

`Fresh` is a one-shot build: every call is computed, the large jobs spread over forked workers,
and nothing is kept. `Kept` is the dev server's: each result stays in its (step, slot), and a
later call in that slot whose arguments are the very same objects, or else equal to them, gets
the kept result back — the same object, so whoever compares it with an earlier one finds it
unchanged at a glance. A build ends with `sweep()`, which drops the slots of each step that the
build did not call (a deleted file, a renamed document); steps a build never reached (it stopped
at an error) keep theirs for the next one.

The stages' functions are pure over their arguments, so reuse needs no hand-written keys: the
arguments are the key.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from itertools import compress
from operator import itemgetter, ne
from typing import Any, TypeVar

from portal.build.parallel import parallel_imap, parallel_map
from portal.build.store import STORED_STEPS, ResultStore, stored_form
from portal.steps import Call

Result = TypeVar("Result")


def _compute(function: Callable[..., Result], arguments: Sequence[tuple[Any, ...]], workers: int,
             costly: bool) -> list[Result]:
    return parallel_map(lambda args: function(*args), arguments, workers, costly)


class Fresh:
    """Everything computed; steps marked parallel run on `workers` processes. With a `store`
    (`build`'s persistent cache), the calls of the stored steps whose digest it holds are read
    from it instead, and the others' results written to it."""

    def __init__(self, workers: int = 1, store: ResultStore | None = None):
        self.workers = workers
        self.store = store

    def each(self, step: str, function: Callable[..., Result], calls: Sequence[Call], *,
             parallel: bool = False, costly: bool = False) -> list[Result]:
        return list(self.stream(step, function, calls, parallel=parallel, costly=costly))

    def stream(self, step: str, function: Callable[..., Result], calls: Sequence[Call], *,
               parallel: bool = False, costly: bool = False) -> Iterator[Result]:
        arguments = [args for _, args in calls]
        workers = self.workers if parallel else 1
        if self.store is None or step not in STORED_STEPS:
            return parallel_imap(lambda args: function(*args), arguments, workers, costly)
        return _stored(self.store, step, function, arguments, workers)

    def once(self, step: str, function: Callable[..., Result], *args: Any) -> Result:
        return function(*args)

    def sweep(self) -> None:
        pass


def _stored(store: ResultStore, step: str, function: Callable[..., Result], arguments: list[tuple[Any, ...]],
            workers: int) -> Iterator[Result]:
    """The results in order: stored ones read back as they are reached (a large site's cards are
    never all in memory), the rest computed on `workers` and stored."""
    keys = store.keys(step, arguments)
    present = store.present([key for key in keys if key is not None])
    missing = [position for position, key in enumerate(keys) if key not in present]

    def computed_and_stored_form(call: tuple[tuple[Any, ...], bool]) -> tuple[Result, tuple[int, bytes] | None]:
        # The stored form is made where the result is (pickling and deflating a body took the
        # building process as long as receiving it); a bytes result travels back once, as both.
        args, kept = call
        value = function(*args)
        return value, stored_form(value) if kept else None

    computed = parallel_imap(computed_and_stored_form,
                             [(arguments[position], keys[position] is not None) for position in missing], workers)
    for key in keys:
        if key in present:
            yield store.get(key)
            continue
        value, form = next(computed)
        if key is not None and form is not None:
            store.put(key, form)
        yield value


class Kept:
    """Results kept by (step, slot) across builds, while the arguments stay the same."""

    def __init__(self, workers: int = 1):
        self.workers = workers
        self._slots: dict[str, dict[Hashable, tuple[tuple[Any, ...], Any]]] = {}
        self._used: dict[str, set[Hashable]] = {}
        # step -> the slots, arguments and results of its last call, in order
        self._last: dict[str, tuple[list[Hashable], list[tuple[Any, ...]], tuple[Any, ...]]] = {}
        self.computed: dict[str, int] = {}  # calls computed so far, per step (what tests look at)

    def each(self, step: str, function: Callable[..., Result], calls: Sequence[Call], *,
             parallel: bool = False, costly: bool = False) -> list[Result]:
        slots = self._slots.setdefault(step, {})
        names = list(map(itemgetter(0), calls))  # at C speed, like the two lines below: every document, every step
        arguments = list(map(itemgetter(1), calls))
        self._used.setdefault(step, set()).update(names)
        last = self._last.get(step)
        positions: Iterable[int]
        if last is not None and last[0] == names:
            # The slots of this step's last call, in the same order (any rebuild that added, removed
            # or renamed nothing): its results, and only the calls whose arguments differ from
            # that call's looked at, the arguments compared pair by pair in C.
            results: list[Any] = list(last[2])
            positions = compress(range(len(calls)), map(ne, last[1], arguments))
        else:
            results = [None] * len(calls)
            positions = range(len(calls))
        missing: dict[Hashable, tuple[tuple[Any, ...], list[int]]] = {}
        kept_in = slots.get
        for position in positions:
            slot, args = names[position], arguments[position]
            kept = kept_in(slot)
            # same_inputs, inlined: after a rename this loop runs for every document in every step
            if kept is not None and (kept[0] is args or kept[0] == args):
                results[position] = kept[1]
            elif slot in missing:
                missing[slot][1].append(position)
            else:
                missing[slot] = (args, [position])
        if missing:
            fresh = _compute(function, [args for args, _ in missing.values()], self.workers if parallel else 1,
                             costly)
            for (slot, (args, places)), value in zip(missing.items(), fresh, strict=True):
                slots[slot] = (args, value)
                for position in places:
                    results[position] = value
            self.computed[step] = self.computed.get(step, 0) + len(missing)
        self._last[step] = (names, arguments, tuple(results))  # a copy: callers may change the list they get
        return results

    def stream(self, step: str, function: Callable[..., Result], calls: Sequence[Call], *,
               parallel: bool = False, costly: bool = False) -> Iterator[Result]:
        return iter(self.each(step, function, calls, parallel=parallel, costly=costly))

    def once(self, step: str, function: Callable[..., Result], *args: Any) -> Result:
        return self.each(step, function, [(step, args)])[0]

    def sweep(self) -> None:
        for step, used in self._used.items():
            slots = self._slots[step]
            if len(used) != len(slots):
                for slot in [slot for slot in slots if slot not in used]:
                    del slots[slot]
        self._used = {}

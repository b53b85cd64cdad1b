"""How a pipeline stage runs its per-item work, without knowing how the build runs it.

A stage describes its work as calls of pure functions: "parse each of these files", "render
each of these bodies", "the relation indexes of these facts". It hands them to a `Steps` object
and gets the results back in order. The build layer (`portal/build/reuse.py`) decides what that
means: a one-shot build computes everything, spreading large jobs over the cores; the dev
server's builder keeps each result in a slot and returns it again while the call's arguments are
the same objects (or equal to them). Because every function is pure over its arguments, no
stage has to say which inputs matter, and none branches on how it is run.

`PLAIN` computes every call in this process: what tests and small tools use.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Sequence
from typing import Any, Protocol, TypeVar

Result = TypeVar("Result")

# One call: (slot, arguments). A slot names the item across builds ("content/documents/x.md",
# a slug, a year); two calls of one step may share a slot only if they share the arguments too.
Call = tuple[Hashable, tuple[Any, ...]]


class Steps(Protocol):
    def each(self, step: str, function: Callable[..., Result], calls: Sequence[Call], *,
             parallel: bool = False, costly: bool = False) -> list[Result]:
        """[function(*args) for slot, args in calls]. `parallel`: the calls are worth spreading
        over processes when there are many (each takes a millisecond or more, and results are
        small to send back); `costly` too: each takes tens of milliseconds (a batch of items),
        worth spreading even when there are only a few."""
        ...

    def stream(self, step: str, function: Callable[..., Result], calls: Sequence[Call], *,
               parallel: bool = False, costly: bool = False) -> Iterator[Result]:
        """The results of `each`, in order, as they come: a caller that uses each result once
        and lets it go never holds them all (a large site's search terms)."""
        ...

    def once(self, step: str, function: Callable[..., Result], *args: Any) -> Result:
        """function(*args), one call in the step's single slot."""
        ...


class Plain:
    """Every call computed, in this process, nothing kept."""

    def each(self, step: str, function: Callable[..., Result], calls: Sequence[Call], *,
             parallel: bool = False, costly: bool = False) -> list[Result]:
        return [function(*args) for _, args in calls]

    def stream(self, step: str, function: Callable[..., Result], calls: Sequence[Call], *,
               parallel: bool = False, costly: bool = False) -> Iterator[Result]:
        return (function(*args) for _, args in calls)

    def once(self, step: str, function: Callable[..., Result], *args: Any) -> Result:
        return function(*args)


PLAIN: Steps = Plain()


def same_inputs(before: tuple[Any, ...], now: tuple[Any, ...]) -> bool:
    """Whether a pure function's result for `before` holds for `now`: the same objects, or else
    equal ones (comparing tuples tries identity item by item first, so unchanged objects cost
    nothing; only a changed one is compared by value)."""
    return before is now or before == now

"""The dev server's kept steps (`portal.build.reuse.Kept`): what is computed again, what is reused."""

from hypothesis import given, settings
from hypothesis import strategies as st

from portal.build.reuse import Kept


class Counted:
    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def __call__(self, *args):
        self.calls.append(args)
        return [args]  # a new object per call: reuse is seen by identity


def test_a_call_with_the_same_slots_computes_only_the_arguments_that_changed():
    steps, function = Kept(), Counted()
    first = steps.each("step", function, [(name, (name, 1)) for name in "abcd"])
    second = steps.each("step", function, [("a", ("a", 1)), ("b", ("b", 2)), ("c", ("c", 1)), ("d", ("d", 1))])
    assert function.calls[4:] == [("b", 2)]
    assert [x is y for x, y in zip(first, second, strict=True)] == [True, False, True, True]
    assert second[1] == [("b", 2)]


def test_changing_the_list_a_call_returned_changes_nothing_the_next_call_returns():
    steps, function = Kept(), Counted()
    calls = [(name, (name,)) for name in "abc"]
    got = steps.each("step", function, calls)
    got.sort(key=lambda value: value[0][0], reverse=True)  # a caller sorting its results in place
    got.append("extra")
    assert steps.each("step", function, calls) == [[("a",)], [("b",)], [("c",)]]


def test_a_slot_given_twice_in_one_call_is_computed_once():
    steps, function = Kept(), Counted()
    steps.each("step", function, [("a", (1,)), ("a", (1,)), ("b", (2,))])
    again = steps.each("step", function, [("a", (3,)), ("a", (3,)), ("b", (2,))])
    assert function.calls == [(1,), (2,), (3,)]
    assert again[0] is again[1]


# Any sequence of calls over a few slots: the results are what computing every call gives.
_calls = st.lists(st.tuples(st.sampled_from("abcde"), st.integers(0, 2)), max_size=8)


@settings(max_examples=300, deadline=None)
@given(st.lists(_calls, min_size=1, max_size=6))
def test_kept_results_are_always_those_of_computing_every_call(builds):
    steps = Kept()
    for build in builds:
        # a slot takes one argument per call (two calls of one step share a slot only with the same arguments)
        arguments = {}
        for slot, value in build:
            arguments.setdefault(slot, value)
        calls = [(slot, (slot, arguments[slot])) for slot, _ in build]
        assert steps.each("step", Counted(), calls) == [[args] for _, args in calls]
        steps.sweep()

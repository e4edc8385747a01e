"""Reading ahead on another thread: items in order, the producer's error where its item
would have come, and a consumer that stops early stops the producer too."""

import threading

import pytest

from annotator.core.read_ahead import map_ahead, read_ahead


def _counting(limit: int, made: list[int]):
    for n in range(limit):
        made.append(n)
        yield n


def test_items_come_in_order_made_on_another_thread():
    threads = set()

    def items():
        for n in range(50):
            threads.add(threading.current_thread())
            yield n

    assert list(read_ahead(items(), depth=3)) == list(range(50))
    assert threading.current_thread() not in threads


def test_the_producers_error_comes_after_the_items_before_it():
    def items():
        yield 1
        yield 2
        raise ValueError("line 3: broken")

    got = []
    with pytest.raises(ValueError, match="line 3: broken"):
        for item in read_ahead(items()):
            got.append(item)
    assert got == [1, 2]


def test_closing_early_stops_the_producer_within_the_depth():
    made: list[int] = []
    ahead = read_ahead(_counting(10_000, made), depth=2)
    assert next(ahead) == 0
    ahead.close()
    # Taken 1, at most `depth` waiting, and one in the producer's hands when it stopped.
    assert len(made) <= 4
    assert not [t for t in threading.enumerate() if t.name == "read-ahead"]


def test_an_error_in_the_consumer_stops_the_producer():
    made: list[int] = []
    with pytest.raises(RuntimeError):
        for item in read_ahead(_counting(10_000, made), depth=2):
            if item == 5:
                raise RuntimeError("stored badly")
    assert len(made) <= 9
    assert not [t for t in threading.enumerate() if t.name == "read-ahead"]


def test_map_ahead_works_on_another_thread_and_keeps_the_order():
    workers = set()

    def square(n: int) -> int:
        workers.add(threading.current_thread())
        return n * n

    assert list(map_ahead(square, range(20), depth=2)) == [(n, n * n) for n in range(20)]
    assert threading.current_thread() not in workers


def test_map_ahead_raises_the_works_error_in_its_items_turn():
    def work(n: int) -> int:
        if n == 3:
            raise ValueError("page 3: broken")
        return n

    got = []
    with pytest.raises(ValueError, match="page 3: broken"):
        for item, _ in map_ahead(work, range(10)):
            got.append(item)
    assert got == [0, 1, 2]


def test_closing_map_ahead_stops_taking_items_and_leaves_no_thread():
    taken: list[int] = []

    def items():
        for n in range(10_000):
            taken.append(n)
            yield n

    ahead = map_ahead(lambda n: n, items(), depth=2)
    assert next(ahead) == (0, 0)
    ahead.close()
    assert len(taken) <= 3
    assert not [t for t in threading.enumerate() if t.name.startswith("map-ahead")]

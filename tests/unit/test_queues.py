from __future__ import annotations

import random

import pytest

from model.queues import LittleCheck, TimedQueue


class Item:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"Item({self.name})"


def test_littles_law_by_hand_with_items_waiting_at_the_horizon():
    q = TimedQueue("q")
    a, b, c, d = Item("a"), Item("b"), Item("c"), Item("d")
    q.enter(0.0, a)
    q.enter(1.0, b)
    assert q.leave(2.0, a) == 2.0
    q.enter(4.0, c)
    assert q.leave(5.0, b) == 4.0
    q.enter(7.0, d)
    # length: 1 on [0,1), 2 on [1,2), 1 on [2,4), 2 on [4,5), 1 on [5,7), 2 on [7,10]
    # area = 1 + 2 + 2 + 2 + 2 + 6 = 15 over horizon 10
    check = q.check(10.0)
    assert isinstance(check, LittleCheck)
    assert check.name == "q"
    assert check.mean_length == pytest.approx(1.5, abs=1e-12)
    assert check.arrival_rate == pytest.approx(0.4, abs=1e-12)  # 4 arrivals
    # sojourns: a 2, b 4, c 6 (still waiting: 4 -> 10), d 3 (still waiting: 7 -> 10)
    assert check.mean_wait_h == pytest.approx(15.0 / 4.0, abs=1e-12)
    assert check.gap == pytest.approx(0.0, abs=1e-12)
    assert len(q) == 2 and c in q and d in q and a not in q
    assert (q.arrivals, q.departures, q.max_length) == (4, 2, 2)
    assert q.sojourn_done == 6.0
    assert list(q.recent) == [2.0, 4.0]


def test_check_does_not_change_the_books():
    q = TimedQueue("q")
    x = Item("x")
    q.enter(1.0, x)
    first = q.check(5.0)
    assert q.check(5.0) == first
    assert first.mean_length == pytest.approx(0.8)
    assert q.leave(6.0, x) == 5.0
    later = q.check(10.0)
    assert later.mean_length == pytest.approx(0.5)
    assert later.gap == pytest.approx(0.0, abs=1e-12)


def test_littles_law_random_sequence():
    rng = random.Random(5)
    q = TimedQueue("r")
    t = 0.0
    inside: list[Item] = []
    for i in range(2000):
        t += rng.expovariate(1.0)
        if inside and rng.random() < 0.5:
            q.leave(t, inside.pop(rng.randrange(len(inside))))
        else:
            item = Item(str(i))
            inside.append(item)
            q.enter(t, item)
    horizon = t + 3.0
    check = q.check(horizon)
    assert len(q) == len(inside) > 0
    assert check.gap < 1e-9 * max(1.0, check.mean_length)


def test_same_time_events_and_reentry():
    q = TimedQueue("s")
    x = Item("x")
    q.enter(2.0, x)
    assert q.leave(2.0, x) == 0.0
    q.enter(3.0, x)  # may come back after leaving
    check = q.check(4.0)
    assert q.arrivals == 2
    assert check.mean_length == pytest.approx(0.25)
    assert check.gap == pytest.approx(0.0, abs=1e-12)


def test_double_enter_raises_and_leaves_books_unchanged():
    q = TimedQueue("dup")
    x = Item("x")
    q.enter(1.0, x)
    with pytest.raises(ValueError, match="already in queue dup"):
        q.enter(2.0, x)
    assert q.arrivals == 1 and len(q) == 1
    assert q.check(3.0).gap == pytest.approx(0.0, abs=1e-12)


def test_leaving_an_absent_item_raises():
    q = TimedQueue("q")
    with pytest.raises(KeyError):
        q.leave(1.0, Item("ghost"))


def test_empty_queue_and_zero_horizon():
    q = TimedQueue("e")
    assert len(q) == 0
    check = q.check(0.0)
    assert (check.mean_length, check.arrival_rate, check.mean_wait_h, check.gap) == (0.0, 0.0, 0.0, 0.0)
    assert q.check(100.0).gap == 0.0


def test_waiting_lists_the_items_held_now_in_the_order_they_entered():
    q = TimedQueue("w")
    a, b, c = Item("a"), Item("b"), Item("c")
    q.enter(1.0, b)
    q.enter(2.0, a)
    q.enter(3.0, c)
    q.leave(4.0, a)
    q.enter(5.0, a)  # back in: now last
    assert q.waiting() == [b, c, a]
    q.leave(6.0, b)
    q.leave(6.0, c)
    q.leave(6.0, a)
    assert q.waiting() == []

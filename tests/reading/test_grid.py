"""The reader's background worker: one thread for every job given to it, in order, ending when told."""

from __future__ import annotations

import threading
from concurrent.futures import Future

import pytest

from permitcli.reading.grid import _Worker


def test_a_worker_runs_its_jobs_in_turn_on_one_thread_started_with_the_first() -> None:
    worker = _Worker("permitcli-test-worker")
    assert not any(t.name == "permitcli-test-worker" for t in threading.enumerate())
    ran: list[tuple[int, str]] = []

    def job(n: int) -> int:
        ran.append((n, threading.current_thread().name))
        return n * n

    futures = [worker.submit(lambda n=n: job(n)) for n in range(5)]
    helper_futures: list[Future[int]] = []
    helper = threading.Thread(target=lambda: helper_futures.extend(worker.submit(lambda n=n: job(n)) for n in (5, 6)))
    helper.start()
    helper.join()
    assert [f.result(timeout=10) for f in futures + helper_futures] == [n * n for n in range(7)]
    assert [n for n, _ in ran] == list(range(7))
    assert {name for _, name in ran} == {"permitcli-test-worker"}
    assert sum(t.name == "permitcli-test-worker" for t in threading.enumerate()) == 1
    worker.stop()
    for thread in threading.enumerate():
        if thread.name == "permitcli-test-worker":
            thread.join(timeout=10)
            assert not thread.is_alive()


def test_a_job_cancelled_before_it_starts_never_runs_and_an_error_reaches_the_caller() -> None:
    worker = _Worker("permitcli-test-worker")
    gate = threading.Event()
    ran: list[str] = []
    first = worker.submit(lambda: gate.wait(10))
    second = worker.submit(lambda: ran.append("second"))
    assert second.cancel()
    failing = worker.submit(lambda: 1 // 0)
    gate.set()
    assert first.result(timeout=10) is True
    with pytest.raises(ZeroDivisionError):
        failing.result(timeout=10)
    assert ran == []
    worker.stop()


def test_a_job_given_after_stop_runs_at_once_on_the_callers_thread() -> None:
    worker = _Worker("permitcli-test-worker")
    worker.stop()
    done = worker.submit(threading.current_thread)
    assert done.done() and done.result() is threading.current_thread()

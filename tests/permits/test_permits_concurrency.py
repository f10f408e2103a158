"""Four processes drawing on one permit at once, on both engines: the lock lets exactly what remains through."""

from __future__ import annotations

import multiprocessing
from datetime import date
from decimal import Decimal

from permitcli.errors import RefusedError
from permitcli.permits.model import Permit
from permitcli.permits.store import Register

PROCESSES, DRAWS = 4, 25


def _draw(url: str, name: str, ready, results) -> None:  # type: ignore[no-untyped-def]
    done = refused = 0
    try:
        with Register.open(url) as register:
            register.get("KZ-60")  # connected
            ready.wait(timeout=120)  # all four start drawing together
            for i in range(DRAWS):
                try:
                    register.use("KZ-60", declaration=f"{name}-{i}", day=date(2026, 6, 1), quantity=Decimal(1),
                                 by=name)
                    done += 1
                except RefusedError:
                    refused += 1
    except BaseException as exc:  # reported, so the test fails at once instead of waiting
        results.put(f"{name}: {type(exc).__name__}: {exc}")
        raise
    results.put((done, refused))


def test_four_processes_never_overdraw(register_url: str) -> None:
    with Register.open(register_url) as register:
        register.add(Permit(number="KZ-60", committee="telecom", annex=2, code="8517620009", origin="CN",
                            quantity=Decimal(60), unit="шт", unit_code="796", issued=date(2026, 1, 5)))
    context = multiprocessing.get_context("fork")  # the children start with permitcli already imported
    ready, results = context.Barrier(PROCESSES), context.Queue()
    workers = [context.Process(target=_draw, args=(register_url, f"p{n}", ready, results)) for n in range(PROCESSES)]
    for worker in workers:
        worker.start()
    try:
        outcomes = [results.get(timeout=300) for _ in workers]
    finally:
        for worker in workers:
            worker.join(timeout=60)
            if worker.is_alive():
                worker.kill()
    assert [o for o in outcomes if isinstance(o, str)] == []
    assert [w.exitcode for w in workers] == [0] * PROCESSES
    assert sum(done for done, _ in outcomes) == 60
    assert sum(refused for _, refused in outcomes) == 40
    with Register.open(register_url) as register:
        record = register.get("KZ-60")
        assert record.remaining == 0
        assert len(record.uses) == 60 and all(u.quantity == 1 for u in record.uses)
        assert [h.action for h in register.history("KZ-60")].count("use") == 60

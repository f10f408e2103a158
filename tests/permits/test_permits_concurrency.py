"""Four processes drawing on one permit at once, on both engines: the lock lets exactly what remains through."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from decimal import Decimal

from permitcli.permits.model import Permit
from permitcli.permits.store import Register

WORKER = r"""
import json, sys
from datetime import date
from decimal import Decimal
from permitcli.errors import RefusedError
from permitcli.permits.store import Register

url, name = sys.argv[1], sys.argv[2]
done = refused = 0
with Register.open(url) as register:
    register.get("KZ-60")  # connected and ready
    print("ready", flush=True)
    sys.stdin.readline()  # all four start drawing together
    for i in range(25):
        try:
            register.use("KZ-60", declaration=f"{name}-{i}", day=date(2026, 6, 1), quantity=Decimal(1), by=name)
            done += 1
        except RefusedError:
            refused += 1
print(json.dumps({"done": done, "refused": refused}))
"""


def test_four_processes_never_overdraw(register_url: str) -> None:
    with Register.open(register_url) as register:
        register.add(Permit(number="KZ-60", committee="telecom", annex=2, code="8517620009", origin="CN",
                            quantity=Decimal(60), unit="шт", unit_code="796", issued=date(2026, 1, 5)))
    workers = [subprocess.Popen([sys.executable, "-c", WORKER, register_url, f"p{n}"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for n in range(4)]
    try:
        for worker in workers:
            assert worker.stdout is not None and worker.stdout.readline().strip() == "ready", worker.stderr
        for worker in workers:
            assert worker.stdin is not None
            worker.stdin.write("go\n")
            worker.stdin.flush()
        results = []
        for worker in workers:
            out, errors = worker.communicate(timeout=300)
            assert worker.returncode == 0, errors
            results.append(json.loads(out))
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
    assert sum(r["done"] for r in results) == 60
    assert sum(r["refused"] for r in results) == 40
    with Register.open(register_url) as register:
        record = register.get("KZ-60")
        assert record.remaining == 0
        assert len(record.uses) == 60 and all(u.quantity == 1 for u in record.uses)
        assert [h.action for h in register.history("KZ-60")].count("use") == 60

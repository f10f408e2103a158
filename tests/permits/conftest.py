"""Registers to test against: a SQLite file, and a database on a throwaway PostgreSQL server.

The server is a cluster made with `initdb` in a temporary folder, started once for the session and stopped at its
end. It trusts its unix socket (in that folder) and asks for a password on 127.0.0.1, at a free port. Tests that need it are skipped when the server's programs are not
installed, except in CI (`CI=true`), where they fail instead. As root, initdb and the server run as the
`postgres` user (initdb refuses to run as root).
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ENGINES = ("sqlite", "postgresql")


def _server_bin() -> Path | None:
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).parent

    def version(path: str) -> tuple[int, ...]:
        part = Path(path).parent.parent.name
        return tuple(int(p) for p in part.split(".") if p.isdigit())

    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=version)
    return Path(candidates[-1]).parent if candidates else None


def _missing(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"PostgreSQL tests must run in CI: {reason}")
    pytest.skip(reason)


class Server:
    """A running throwaway cluster; `url(name)` makes a new empty database and gives its URL."""

    def __init__(self, base: Path, port: int, prefix: list[str], bindir: Path) -> None:
        self.base, self.port, self.prefix, self.bindir = base, port, prefix, bindir
        self._counter = itertools.count(1)

    @property
    def socket_dir(self) -> str:
        return str(self.base)

    def admin_url(self, database: str = "postgres") -> str:
        return f"postgresql://permitcli@/{database}?host={self.base}&port={self.port}"

    def new_database(self) -> str:

        name = f"register_{next(self._counter)}"
        with self.admin() as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.admin_url(name)

    def admin(self):  # -> psycopg.Connection
        import psycopg

        return psycopg.connect(host=str(self.base), port=self.port, user="permitcli", dbname="postgres",
                               autocommit=True)


def _short_temp() -> str | None:
    """Where the cluster goes: the server's unix socket path may not pass 107 bytes, so under a deep TMPDIR it
    goes in /tmp (None: the usual temporary folder)."""
    if len(tempfile.gettempdir()) <= 48 or not os.access("/tmp", os.W_OK | os.X_OK):
        return None
    return "/tmp"


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Server]:
    bindir = _server_bin()
    if bindir is None:
        _missing("PostgreSQL's server programs (initdb, pg_ctl) are not installed")
    prefix: list[str] = []
    base = Path(tempfile.mkdtemp(prefix="permitcli-pg-", dir=_short_temp()))
    if os.geteuid() == 0:  # initdb refuses root: run the cluster as the postgres user
        import pwd

        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(base)
            _missing("running as root, and there is no postgres user to run the server as")
        os.chown(base, user.pw_uid, user.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    data = base / "data"
    log = base / "server.log"
    port = _free_port()
    try:
        subprocess.run([*prefix, str(bindir / "initdb"), "-D", str(data), "--auth-local=trust", "--auth-host=scram-sha-256",
                        "-U", "permitcli",
                        "-E", "UTF8", "--locale=C", "--no-sync"], check=True, capture_output=True)
        options = f"-k {base} -c listen_addresses=127.0.0.1 -p {port} -c fsync=off -c full_page_writes=off"
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w",
                        "start"], check=True, capture_output=True)
    except subprocess.CalledProcessError as exc:
        detail = (exc.stderr or b"").decode(errors="replace").strip().splitlines()
        log_text = log.read_text(errors="replace") if log.exists() else ""
        shutil.rmtree(base, ignore_errors=True)
        pytest.fail(f"could not start a PostgreSQL server: {' | '.join(detail[-3:]) or exc} {log_text[-500:]}")
    try:
        yield Server(base, port, prefix, bindir)
    finally:
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                       capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(params=ENGINES)
def register_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty register on each engine: a SQLite file path, or a PostgreSQL URL."""
    if request.param == "sqlite":
        return str(tmp_path / "register.sqlite3")
    server: Server = request.getfixturevalue("pg_server")
    return server.new_database()

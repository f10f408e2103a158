"""Where the register lives and how it is opened: SQLite in the user data folder by default, PostgreSQL for a
team; the schema brought up to date by the Alembic migrations; database errors turned into one-line errors that
never show a password."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event, exc
from sqlalchemy.engine import URL, Connection, Engine

from permitcli.errors import RegisterError, UsageError

APP_NAME = "permitcli"
DEFAULT_FILE = "permits.sqlite3"
ENV_VAR = "PERMITCLI_DB"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_SECONDS = 30  # how long a writer waits for another one's lock before giving up
_PG_MIGRATION_LOCK = 0x7065726D  # an advisory lock key: one process migrates a PostgreSQL register at a time


def default_path() -> Path:
    """The default register: permits.sqlite3 in the user data folder (platformdirs)."""
    import platformdirs

    return platformdirs.user_data_path(APP_NAME) / DEFAULT_FILE


@dataclass(frozen=True)
class Location:
    """A register's address: its SQLAlchemy URL, and how it may be shown (never with the password)."""

    url: URL
    default: bool = False  # the default file in the user data folder

    @property
    def shown(self) -> str:
        if self.url.get_backend_name() == "sqlite":
            return self.url.database or ":memory:"
        url = self.url.set(drivername=self.url.get_backend_name())
        if "password" in url.query:
            url = url.update_query_dict({"password": "***"})
        return url.render_as_string(hide_password=True)

    @property
    def dialect(self) -> str:
        return self.url.get_backend_name()

    def scrub(self, text: str) -> str:
        """`text` without the URL's password, should a driver's message repeat it."""
        for password in (self.url.password, self.url.query.get("password")):
            if password and isinstance(password, str):
                text = text.replace(password, "***")
        return text


def resolve(db: str | None, environ: dict[str, str] | None = None) -> Location:
    """The register to use: `--db` (a URL, or a file path for SQLite), else PERMITCLI_DB, else the default file."""
    environ = dict(os.environ) if environ is None else environ
    text = db if db else environ.get(ENV_VAR, "")
    if not text.strip():
        return Location(URL.create("sqlite", database=str(default_path())), default=True)
    text = text.strip()
    if "://" not in text:
        return Location(URL.create("sqlite", database=str(Path(text).expanduser())))
    try:
        url = sa.engine.make_url(text)
    except (exc.ArgumentError, ValueError):
        raise UsageError("--db: not a database URL (sqlite:///FILE or postgresql://USER@HOST/DB)") from None
    backend = url.get_backend_name()
    if backend in ("postgresql", "postgres"):
        return Location(url.set(drivername="postgresql+psycopg"))
    if backend == "sqlite":
        if not url.database or url.database == ":memory:":
            raise UsageError("--db: a SQLite register needs a file (sqlite:///FILE)")
        return Location(url.set(drivername="sqlite"))
    raise UsageError(f"--db: {backend} is not supported; the register runs on SQLite or PostgreSQL")


def _prepare_sqlite_file(location: Location, create: bool) -> None:
    """Create a missing register file readable by its owner only (mode 0600); its folder too when default."""
    path = Path(location.url.database or "")
    if path.exists():
        if path.is_dir():
            raise RegisterError(f"register {path}: is a folder, not a file")
        return
    if not create:
        raise RegisterError(f"register {path}: there is none yet; add a permit first (permitcli permits add)")
    if location.default:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return  # another process made it first
    except FileNotFoundError:
        raise RegisterError(f"register {path}: no such folder {path.parent}") from None
    except OSError as err:
        raise RegisterError(f"register {path}: cannot create it: {err.strerror or err}") from None
    os.close(fd)


def create_engine(location: Location, *, create: bool = True) -> Engine:
    """An engine for the register. SQLite: WAL, foreign keys, and transactions that say BEGIN themselves, so a
    writer can take the write lock up front (BEGIN IMMEDIATE)."""
    if location.dialect == "sqlite":
        _prepare_sqlite_file(location, create)
        engine = sa.create_engine(location.url, connect_args={"timeout": SQLITE_BUSY_SECONDS})

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
            dbapi_connection.isolation_level = None  # no implicit BEGIN from the driver: see _sqlite_begin
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Connection) -> None:
            mode = "IMMEDIATE" if conn.get_execution_options().get("write") else "DEFERRED"
            conn.exec_driver_sql(f"BEGIN {mode}")

        return engine
    return sa.create_engine(location.url, connect_args={"connect_timeout": 10}, pool_pre_ping=False)


@contextlib.contextmanager
def translated(location: Location) -> Iterator[None]:
    """Database errors as RegisterError: one line, naming the register, never its password."""
    try:
        yield
    except exc.IntegrityError:
        raise
    except (exc.OperationalError, exc.DatabaseError, exc.InterfaceError) as err:
        raise RegisterError(f"register {location.shown}: {_reason(location, err)}") from None


def _reason(location: Location, err: exc.DBAPIError) -> str:
    original = getattr(err, "orig", None)
    text = str(original if original is not None else err).strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    text = lines[0] if lines else type(err).__name__
    lowered = text.lower()
    if "file is not a database" in lowered or "malformed" in lowered:
        text = "not a permitcli register or a corrupt file (file is not a database)"
    elif "database is locked" in lowered:
        text = "locked by another program; try again"
    elif "unable to open database file" in lowered:
        text = "cannot open the file (no permission, or its folder is missing)"
    elif "password authentication failed" in lowered:
        text = "the server refused the user name or password"
    elif "can only be added to" in lowered:
        text = "uses and history can only be added to"
    return location.scrub(text)


# ------------------------------------------------------------------------------------------------ migrations


def alembic_config():  # -> alembic.config.Config
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


# Every revision in migrations/versions, oldest first: the last is the head. Knowing them without loading Alembic
# keeps opening a register quick (Alembic is imported only to migrate); a test keeps this list and the folder equal.
REVISIONS = ("0001",)


def schema_state(engine: Engine) -> tuple[set[str], set[str]]:
    """The register's current revisions and the program's heads; a revision the program does not know means
    the register was made by a newer permitcli, and is refused untouched."""
    with engine.connect() as conn:
        if sa.inspect(conn).has_table("alembic_version"):
            current = {str(v) for v in conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars()}
        else:
            current = set()
        conn.rollback()
    for revision in current:
        if revision not in REVISIONS:
            raise RegisterError(f"its schema (revision {revision}) is newer than this permitcli knows; "
                                f"upgrade permitcli to use it")
    return current, {REVISIONS[-1]}


def upgrade(engine: Engine) -> bool:
    """Bring the register's schema to this program's head; True if anything was done."""
    from alembic import command

    current, heads = schema_state(engine)
    if current == heads:
        return False
    config = alembic_config()
    with engine.connect().execution_options(write=True) as conn:
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
            config.attributes["connection"] = conn
            command.upgrade(config, "head")  # reads the version again under the lock: a second process does nothing
    return True

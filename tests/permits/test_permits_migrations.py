"""The Alembic migrations make exactly the tables permitcli.permits.schema describes, on both engines."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from permitcli.permits.database import create_engine, resolve
from permitcli.permits.schema import metadata
from permitcli.permits.store import Register


def test_migrations_match_the_schema(register_url: str) -> None:
    with Register.open(register_url) as register:
        assert register.upgraded and register.revision() == "0001"
    engine = create_engine(resolve(register_url))
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), metadata)
    finally:
        engine.dispose()
    assert diff == []
    with Register.open(register_url) as again:
        assert not again.upgraded


def test_the_known_revisions_are_the_migrations_folder() -> None:
    from alembic.script import ScriptDirectory

    from permitcli.permits.database import REVISIONS, alembic_config

    script = ScriptDirectory.from_config(alembic_config())
    assert tuple(r.revision for r in reversed(list(script.walk_revisions()))) == REVISIONS
    assert set(script.get_heads()) == {REVISIONS[-1]}

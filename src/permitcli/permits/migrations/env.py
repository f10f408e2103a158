"""Alembic's environment for the permit register: it runs on the connection the register hands it."""

from __future__ import annotations

from alembic import context

from permitcli.permits.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # only the register runs these migrations, always on its own connection
    raise RuntimeError("the register's migrations run through permitcli (permits db upgrade)")

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()

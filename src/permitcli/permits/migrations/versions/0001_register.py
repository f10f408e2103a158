"""The register: permits, their uses and the history; uses and history can only be added to.

Revision ID: 0001
Revises:
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_APPEND_ONLY = ("uses", "history")


def upgrade() -> None:
    op.create_table(
        "permits",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("number", sa.String(100), nullable=False, unique=True),
        sa.Column("committee", sa.String(40), nullable=False),
        sa.Column("annex", sa.Integer, nullable=True),
        sa.Column("code", sa.String(10), nullable=False),
        sa.Column("goods", sa.Text, nullable=False),
        sa.Column("origin", sa.String(2), nullable=False),
        sa.Column("quantity", sa.String(60), nullable=False),
        sa.Column("unit", sa.String(60), nullable=False),
        sa.Column("unit_code", sa.String(60), nullable=False),
        sa.Column("value", sa.String(60), nullable=True),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("destination", sa.String(2), nullable=False),
        sa.Column("buyer", sa.Text, nullable=False),
        sa.Column("contract_number", sa.String(200), nullable=False),
        sa.Column("contract_date", sa.Date, nullable=True),
        sa.Column("border_crossing", sa.Text, nullable=False),
        sa.Column("applicant_bin", sa.String(12), nullable=False),
        sa.Column("source_rows", sa.Text, nullable=False),
        sa.Column("issued", sa.Date, nullable=False),
        sa.Column("valid_until", sa.Date, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("terminated_on", sa.Date, nullable=True),
        sa.Column("termination_ground", sa.String(4), nullable=False),
    )
    op.create_table(
        "uses",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("permit_id", sa.Integer, sa.ForeignKey("permits.id"), nullable=False),
        sa.Column("declaration", sa.String(200), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("quantity", sa.String(60), nullable=False),
        sa.Column("value", sa.String(60), nullable=True),
        sa.Column("reverses", sa.Integer, sa.ForeignKey("uses.id"), nullable=True, unique=True),
        sa.Column("recorded_at", sa.String(40), nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=False),
    )
    op.create_index("ix_uses_permit_id", "uses", ["permit_id"])
    op.create_table(
        "history",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("by", sa.String(200), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("number", sa.String(100), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
    )
    op.create_index("ix_history_number", "history", ["number"])
    dialect = op.get_bind().dialect.name
    for table in _APPEND_ONLY:  # the database itself refuses to change or delete what was written
        if dialect == "sqlite":
            for event in ("UPDATE", "DELETE"):
                op.execute(f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
                           f"BEGIN SELECT RAISE(ABORT, '{table} can only be added to'); END")
        elif dialect == "postgresql":
            op.execute(f"CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS "
                       f"$$ BEGIN RAISE EXCEPTION '{table} can only be added to'; END $$")
            op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                       f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in _APPEND_ONLY:
        if dialect == "sqlite":
            for event in ("update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{event}")
        elif dialect == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {table}_append_only()")
    op.drop_table("history")
    op.drop_table("uses")
    op.drop_table("permits")

"""The register's tables in SQLAlchemy Core: one schema for SQLite and PostgreSQL.

Quantities and values are exact decimals kept as text (SQLite has no exact decimal type); sums are made in
Python inside the transaction that holds the permit's lock. Moments are ISO 8601 text in UTC. The tables are
created and changed only by the Alembic migrations in `migrations/versions`; this module is what the code
reads and writes through, and a test keeps the two the same.
"""

from __future__ import annotations

from sqlalchemy import Column, Date, ForeignKey, Integer, MetaData, String, Table, Text

metadata = MetaData()

permits = Table(
    "permits",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("number", String(100), nullable=False, unique=True),
    Column("committee", String(40), nullable=False),
    Column("annex", Integer, nullable=True),
    Column("code", String(10), nullable=False),
    Column("goods", Text, nullable=False, default=""),
    Column("origin", String(2), nullable=False),
    Column("quantity", String(60), nullable=False),
    Column("unit", String(60), nullable=False),
    Column("unit_code", String(60), nullable=False),
    Column("value", String(60), nullable=True),
    Column("currency", String(3), nullable=False, default=""),
    Column("destination", String(2), nullable=False, default=""),
    Column("buyer", Text, nullable=False, default=""),
    Column("contract_number", String(200), nullable=False, default=""),
    Column("contract_date", Date, nullable=True),
    Column("border_crossing", Text, nullable=False, default=""),
    Column("applicant_bin", String(12), nullable=False, default=""),
    Column("source_rows", Text, nullable=False, default=""),  # invoice rows, space-separated
    Column("issued", Date, nullable=False),
    Column("valid_until", Date, nullable=False),
    Column("status", String(20), nullable=False),  # active | terminated
    Column("terminated_on", Date, nullable=True),
    Column("termination_ground", String(4), nullable=False, default=""),
)

uses = Table(
    "uses",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("permit_id", Integer, ForeignKey("permits.id"), nullable=False, index=True),
    Column("declaration", String(200), nullable=False),
    Column("date", Date, nullable=False),
    Column("quantity", String(60), nullable=False),  # negative for a reversal
    Column("value", String(60), nullable=True),
    Column("reverses", Integer, ForeignKey("uses.id"), nullable=True, unique=True),
    Column("recorded_at", String(40), nullable=False),
    Column("recorded_by", String(200), nullable=False),
)

history = Table(
    "history",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", String(40), nullable=False),
    Column("by", String(200), nullable=False),
    Column("action", String(20), nullable=False),  # add | use | reverse | terminate | import
    Column("number", String(100), nullable=False, index=True),
    Column("detail", Text, nullable=False),  # JSON
)

TABLES = ("permits", "uses", "history")  # in the order rows must be copied in

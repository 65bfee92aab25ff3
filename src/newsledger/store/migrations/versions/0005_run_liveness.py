"""runs.pid, runs.host, runs.heartbeat_at: which process runs a run, and when it last wrote

A run killed with kill -9 never says it ended; the next run that opens the store marks it
`interrupted` when its process is gone from this host, or when it has not written for long
(batch.mark_dead_runs). NULL for runs stored before.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: Union[str, Sequence[str], None] = "0004"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

COLUMNS = ("pid", "host", "heartbeat_at")


def upgrade() -> None:
    op.add_column("runs", sa.Column("pid", sa.Integer, nullable=True))
    op.add_column("runs", sa.Column("host", sa.String(255), nullable=True))
    op.add_column("runs", sa.Column("heartbeat_at", sa.DateTime, nullable=True))


def downgrade() -> None:
    for name in reversed(COLUMNS):
        if op.get_bind().dialect.name == "sqlite":  # as in 0004: no batch copy of the table
            op.execute(f"ALTER TABLE runs DROP COLUMN {name}")
        else:
            op.drop_column("runs", name)

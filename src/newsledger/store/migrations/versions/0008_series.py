"""series, series_points: each figure in its series (what it counts, unit, place), by source and day

Kept as articles are written (store/series.py). A store that held articles before has their figures
put in series when it is migrated (store/db.py `migrate`, after this revision, with the models of
the head).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: Union[str, Sequence[str], None] = "0007"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "series",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(400), nullable=False),
        sa.Column("measure", sa.String(120), nullable=False),
        sa.Column("unit", sa.String(32), nullable=True),
        sa.Column("place", sa.String(200), nullable=True),
        sa.Column("first_date", sa.Date, nullable=True),
        sa.Column("last_date", sa.Date, nullable=True),
        sa.Column("points", sa.Integer, nullable=False),
        sa.Column("sources", sa.Integer, nullable=False),
        sa.Column("disagree", sa.Boolean, nullable=False),
        sa.UniqueConstraint("key"),
    )
    op.create_index("ix_series_measure", "series", ["measure"])
    op.create_table(
        "series_points",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("series_id", sa.Integer, sa.ForeignKey("series.id", ondelete="CASCADE"), nullable=False),
        sa.Column("figure_id", sa.Integer, sa.ForeignKey("figures.id", ondelete="CASCADE"), nullable=False),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
        sa.Column("value", sa.Float, nullable=True),
        sa.Column("value_max", sa.Float, nullable=True),
        sa.Column("approx", sa.String(16), nullable=False),
        sa.Column("source", sa.Text, nullable=True),
        sa.Column("actor_id", sa.Integer, nullable=True),
        sa.Column("outlet", sa.Text, nullable=True),
        sa.Column("date", sa.Date, nullable=True),
        sa.Column("disagrees", sa.Boolean, nullable=False),
        sa.UniqueConstraint("figure_id"),
    )
    op.create_index("ix_series_points_article_id", "series_points", ["article_id"])
    op.create_index("ix_series_points_series_date", "series_points", ["series_id", "date"])


def downgrade() -> None:
    op.drop_table("series_points")
    op.drop_table("series")

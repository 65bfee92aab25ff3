"""actors, actor_names, entity_actors, actor_edits: people and organizations across the corpus

An actor is one person or organization across articles ("Donald Trump", "Donald J. Trump" and
"Trump" are one); each article's PERSON or ORG entity that names one is linked to it (entity_actors),
and its surface forms are counted (actor_names). User corrections (`entities merge`, `split`,
`rename`) are kept in actor_edits. New tables only: the entities table is not altered. A store
migrated from 0005 has its entities linked by the next `ingest` or `load` (or `newsledger entities
rebuild`), which finds no actor there and links every stored article first.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: Union[str, Sequence[str], None] = "0005"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "actors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("surname", sa.String(length=255), nullable=True),
        sa.Column("ambiguous", sa.Boolean(), nullable=False),
        sa.Column("renamed", sa.Boolean(), nullable=False),
        sa.Column("articles", sa.Integer(), nullable=False),
        sa.Column("mentions", sa.Integer(), nullable=False),
        sa.Column("persons", sa.Integer(), nullable=False),
        sa.Column("organizations", sa.Integer(), nullable=False),
        sa.Column("first_seen", sa.DateTime(), nullable=True),
        sa.Column("last_seen", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    op.create_index("ix_actors_name", "actors", ["name"], unique=False)
    op.create_index("ix_actors_surname", "actors", ["surname"], unique=False)
    op.create_table(
        "actor_names",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("names", sa.Integer(), nullable=False),
        sa.Column("mentions", sa.Integer(), nullable=False),
        sa.Column("tied", sa.Integer(), nullable=False),
        sa.Column("pinned", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["actors.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("actor_id", "name"),
    )
    op.create_index("ix_actor_names_actor_id", "actor_names", ["actor_id"], unique=False)
    op.create_index("ix_actor_names_key", "actor_names", ["key"], unique=False)
    op.create_table(
        "entity_actors",
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("link", sa.String(length=16), nullable=False),
        sa.Column("forms", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["entity_id"], ["entities.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["actor_id"], ["actors.id"]),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("entity_id"),
    )
    op.create_index("ix_entity_actors_actor_id", "entity_actors", ["actor_id"], unique=False)
    op.create_index("ix_entity_actors_article_id", "entity_actors", ["article_id"], unique=False)
    op.create_index("ix_entity_actors_key", "entity_actors", ["key"], unique=False)
    op.create_table(
        "actor_edits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("args", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("actor_edits")
    op.drop_table("entity_actors")
    op.drop_table("actor_names")
    op.drop_table("actors")

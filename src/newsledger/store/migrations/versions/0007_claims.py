"""claims, claim_occurrences, claim_bands: the same quotation across articles (quote provenance)

Each new article's quotes are linked as it is stored (store/provenance.py): a claim, its first
appearance, every occurrence with its outlet, date and speaker, the variants and what they change,
and an index of MinHash bands and word fingerprints through which a new quote finds its candidates.
Articles stored before this revision have no claims until they are linked (provenance.link_stored).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-10
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: Union[str, Sequence[str], None] = "0006"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("speaker", sa.Text(), nullable=True),
        sa.Column("first_attribution_id", sa.Integer(), nullable=True),
        sa.Column("first_article_id", sa.Integer(), nullable=True),
        sa.Column("first_seen", sa.DateTime(), nullable=True),
        sa.Column("occurrences", sa.Integer(), nullable=False),
        sa.Column("changed", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["first_article_id"], ["articles.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["first_attribution_id"], ["attributions.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claims_changed"), ["changed"], unique=False)
        batch_op.create_index(batch_op.f("ix_claims_first_seen"), ["first_seen"], unique=False)
        batch_op.create_index("ix_claims_occurrences_id", ["occurrences", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claims_speaker"), ["speaker"], unique=False)
    op.create_table(
        "claim_occurrences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("attribution_id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("outlet", sa.Text(), nullable=True),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.Column("speaker", sa.Text(), nullable=True),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("similarity", sa.Float(), nullable=False),
        sa.Column("match", sa.String(length=8), nullable=False),
        sa.Column("variant", sa.Boolean(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["attribution_id"], ["attributions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("article_id", "attribution_id"),
    )
    with op.batch_alter_table("claim_occurrences", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_occurrences_article_id"), ["article_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_occurrences_attribution_id"), ["attribution_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_occurrences_claim_id"), ["claim_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_occurrences_speaker"), ["speaker"], unique=False)
    op.create_table(
        "claim_bands",
        sa.Column("band", sa.String(length=24), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("band", "claim_id"),
    )
    with op.batch_alter_table("claim_bands", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_bands_claim_id"), ["claim_id"], unique=False)


def downgrade() -> None:
    op.drop_table("claim_bands")
    op.drop_table("claim_occurrences")
    op.drop_table("claims")

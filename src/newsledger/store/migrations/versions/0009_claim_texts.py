"""claim_texts: each claim's distinct quotes, by digest, the first few marked to compare with;
an index of entity_actors by actor and link

Linking a quote (store/provenance.py) looked up its exact text here first, and otherwise compares
it with the `compared` texts of its candidate claims only, a bounded number a claim, instead of
every distinct text of their occurrences (a cost that grew with the corpus). A store that has
claims has its occurrences' texts put here by this revision, the first MAX_COMPARED distinct texts
of each claim (in occurrence order) marked `compared`. Linking an article's entities asks which of
the actors it touched have an ambiguous link: `ix_entity_actors_actor_link` answers that by a seek
an actor, where the actor_id index alone read all of their links.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""
import hashlib
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: Union[str, Sequence[str], None] = "0008"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

MAX_COMPARED = 8  # as store/provenance.py's, when this revision was written
BATCH = 1000


def upgrade() -> None:
    claim_texts = op.create_table(
        "claim_texts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("compared", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("claim_id", "digest"),
    )
    with op.batch_alter_table("claim_texts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_texts_digest"), ["digest"], unique=False)
        batch_op.create_index("ix_claim_texts_claim_compared", ["claim_id", "compared"], unique=False)
    op.create_index("ix_entity_actors_actor_link", "entity_actors", ["actor_id", "link"], unique=False)
    # the texts of the claims already made (a digest is corpus.provenance.key: sha256, 32 hex digits)
    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT claim_id, text, MIN(id) AS first FROM claim_occurrences GROUP BY claim_id, text "
        "ORDER BY claim_id, first")).all()
    held: dict[int, int] = {}
    out = []
    for claim_id, text, _first in rows:
        n = held.get(claim_id, 0)
        held[claim_id] = n + 1
        out.append(dict(claim_id=claim_id, digest=hashlib.sha256(text.encode("utf-8")).hexdigest()[:32],
                        text=text, compared=n < MAX_COMPARED))
    for i in range(0, len(out), BATCH):
        conn.execute(sa.insert(claim_texts), out[i:i + BATCH])


def downgrade() -> None:
    op.drop_index("ix_entity_actors_actor_link", table_name="entity_actors")
    op.drop_table("claim_texts")

"""attributions.type: what is ascribed (statement, belief, intention, question, denial, finding; other
in the polnear scheme)

NULL for rows stored before the ledger said it (analyzing the article again fills it in).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: Union[str, Sequence[str], None] = "0003"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.add_column("attributions", sa.Column("type", sa.String(16), nullable=True))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # not batch mode: a copied table would lose the full-text triggers of revision 0002
        op.execute("ALTER TABLE attributions DROP COLUMN type")
    else:
        op.drop_column("attributions", "type")

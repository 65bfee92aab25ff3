"""attributions.source_resolved: whether an attribution's source says who spoke

NULL for a source without span; false for a bare pronoun ("I", "they", "who") that no entity
resolved, which is no speaker; true otherwise. Rows already stored are judged by their columns: a
source linked to an entity is resolved, one whose text is a lone pronoun and that has no entity is
not (a relative pronoun's antecedent is found only when the article is analyzed again), any other
source with a span is resolved. The pronoun list is this revision's own copy, frozen with it.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: Union[str, Sequence[str], None] = "0002"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

PRONOUNS = """
i me my mine myself we us our ours ourselves you your yours yourself yourselves
he him his himself she her hers herself it its itself they them their theirs themselves
one oneself who whom whose which that what whoever whatever this these those
someone somebody anyone anybody everyone everybody nobody none others another
some many few several all both most each either neither
""".split()


def upgrade() -> None:
    op.add_column("attributions", sa.Column("source_resolved", sa.Boolean(), nullable=True))
    att = sa.table("attributions", sa.column("source_start", sa.Integer), sa.column("source_text", sa.Text),
                   sa.column("source_entity_id", sa.Integer), sa.column("source_resolved", sa.Boolean))
    bare = sa.and_(att.c.source_entity_id.is_(None),
                   sa.func.lower(sa.func.trim(att.c.source_text)).in_(PRONOUNS))
    op.execute(att.update().where(att.c.source_start.is_not(None))
               .values(source_resolved=sa.case((bare, sa.false()), else_=sa.true())))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # not batch mode: a copied table would lose the full-text triggers of revision 0002
        op.execute("ALTER TABLE attributions DROP COLUMN source_resolved")
    else:
        op.drop_column("attributions", "source_resolved")

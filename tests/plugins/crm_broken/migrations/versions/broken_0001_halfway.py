"""Creates a table, writes a row, then fails on an index over a column that does not exist.

Revision ID: broken_0001
Revises:
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "broken_0001"
down_revision = None
branch_labels = ("broken",)
depends_on = "example_0001"


def upgrade() -> None:
    op.create_table("broken_part", sa.Column("id", sa.Integer(), primary_key=True), sa.Column("name", sa.String(50)))
    op.execute("INSERT INTO broken_part (id, name) VALUES (1, 'half')")
    op.create_index("ix_broken_part_missing", "broken_part", ["no_such_column"])


def downgrade() -> None:
    op.drop_table("broken_part")

"""Record numbers from patterns, for every module (crm.next_number).

Revision ID: core_0006
Revises: core_0005
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "core_0006"
down_revision = "core_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "core_sequence",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("period", sa.String(length=20), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", "period", name=op.f("pk_core_sequence")),
    )


def downgrade() -> None:
    op.drop_table("core_sequence")

"""Service: tags on tickets.

Revision ID: service_0007
Revises: service_0006
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "service_0007"
down_revision = "service_0006"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "service_ticket_tag",
        sa.Column("ticket_id", ID, nullable=False),
        sa.Column("tag", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["service_ticket.id"], name=op.f("fk_service_ticket_tag_ticket_id_service_ticket"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("ticket_id", "tag", name=op.f("pk_service_ticket_tag")),
    )
    op.create_index("ix_service_ticket_tag_tag", "service_ticket_tag", ["tag", "ticket_id"])


def downgrade() -> None:
    op.drop_table("service_ticket_tag")

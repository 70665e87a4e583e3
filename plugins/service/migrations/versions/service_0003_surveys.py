"""Service: satisfaction surveys of resolved tickets.

Revision ID: service_0003
Revises: service_0002
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "service_0003"
down_revision = "service_0002"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "service_survey",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("ticket_id", ID, nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("sent_at", TIME, nullable=False),
        sa.Column("expires_at", TIME, nullable=False),
        sa.Column("answered_at", TIME, nullable=True),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["ticket_id"], ["service_ticket.id"], name=op.f("fk_service_survey_ticket_id_service_ticket"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_survey")),
        sa.UniqueConstraint("ticket_id", name=op.f("uq_service_survey_ticket_id")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_service_survey_token_hash")),
    )
    op.create_index(op.f("ix_service_survey_answered_at"), "service_survey", ["answered_at"])


def downgrade() -> None:
    op.drop_table("service_survey")

"""Service: queues, the target a ticket works towards now (for escalation and ticketsAtRisk), and the working time
each target took (for reports).

Revision ID: service_0002
Revises: service_0001
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "service_0002"
down_revision = "service_0001"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "service_queue",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("team_id", ID, nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
        sa.Column("deleted_at", TIME, nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["core_team.id"], name=op.f("fk_service_queue_team_id_core_team")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_queue")),
    )
    op.create_index("uq_service_queue_name", "service_queue", ["name"], unique=True,
                    postgresql_where=sa.text("deleted_at IS NULL"), sqlite_where=sa.text("deleted_at IS NULL"))
    with op.batch_alter_table("service_sla_policy") as batch:
        batch.add_column(sa.Column("warn_minutes", sa.Integer(), nullable=False, server_default="60"))
    with op.batch_alter_table("service_ticket") as batch:
        batch.add_column(sa.Column("queue_id", ID, nullable=True))
        batch.add_column(sa.Column("paused_minutes", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("sla_due_at", TIME, nullable=True))
        batch.add_column(sa.Column("sla_warn_at", TIME, nullable=True))
        batch.add_column(sa.Column("sla_stage", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("first_response_minutes", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("first_response_breached", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("resolution_minutes", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("resolution_breached", sa.Boolean(), nullable=True))
        batch.create_foreign_key(op.f("fk_service_ticket_queue_id_service_queue"), "service_queue", ["queue_id"], ["id"])
        batch.create_index(op.f("ix_service_ticket_queue_id"), ["queue_id"], unique=False)
        batch.create_index("ix_service_ticket_warn", ["sla_warn_at"], unique=False)
        batch.create_index("ix_service_ticket_sla_due", ["sla_due_at"], unique=False)
        batch.create_index("ix_service_ticket_created", ["created_at"], unique=False)
    # Tickets made before this revision: their current target, from the due times they have.
    op.execute("UPDATE service_ticket SET sla_due_at = CASE WHEN first_responded_at IS NULL AND first_response_due IS NOT NULL "
               "THEN first_response_due ELSE resolution_due END WHERE status NOT IN ('resolved', 'closed')")


def downgrade() -> None:
    with op.batch_alter_table("service_ticket") as batch:
        batch.drop_index("ix_service_ticket_created")
        batch.drop_index("ix_service_ticket_sla_due")
        batch.drop_index("ix_service_ticket_warn")
        batch.drop_index(op.f("ix_service_ticket_queue_id"))
        batch.drop_constraint(op.f("fk_service_ticket_queue_id_service_queue"), type_="foreignkey")
        for column in ("resolution_breached", "resolution_minutes", "first_response_breached", "first_response_minutes", "sla_stage",
                       "sla_warn_at", "sla_due_at", "paused_minutes", "queue_id"):
            batch.drop_column(column)
    with op.batch_alter_table("service_sla_policy") as batch:
        batch.drop_column("warn_minutes")
    op.drop_table("service_queue")

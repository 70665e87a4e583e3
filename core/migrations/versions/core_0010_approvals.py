"""Approvals: chains and their steps, requests with the approvers fixed at submission, and every decision.

Revision ID: core_0010
Revises: core_0009
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "core_0010"
down_revision = "core_0009"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "core_approval_chain",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("resource", sa.String(length=50), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("conditions", JSON, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
        sa.Column("deleted_at", TIME, nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_core_approval_chain")),
    )
    op.create_index(op.f("ix_core_approval_chain_resource"), "core_approval_chain", ["resource"])
    op.create_table(
        "core_approval_step",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("chain_id", ID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("approver", sa.String(length=10), nullable=False),
        sa.Column("user_id", ID, nullable=True),
        sa.Column("role_id", ID, nullable=True),
        sa.Column("mode", sa.String(length=3), nullable=False),
        sa.Column("min_value", sa.BigInteger(), nullable=True),
        sa.Column("conditions", JSON, nullable=False),
        sa.ForeignKeyConstraint(["chain_id"], ["core_approval_chain.id"], name=op.f("fk_core_approval_step_chain_id_core_approval_chain"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["core_user.id"], name=op.f("fk_core_approval_step_user_id_core_user")),
        sa.ForeignKeyConstraint(["role_id"], ["core_role.id"], name=op.f("fk_core_approval_step_role_id_core_role")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_core_approval_step")),
        sa.UniqueConstraint("chain_id", "position", name=op.f("uq_core_approval_step_chain_id")),
    )
    op.create_index(op.f("ix_core_approval_step_chain_id"), "core_approval_step", ["chain_id"])
    op.create_table(
        "core_approval_request",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("resource", sa.String(length=50), nullable=False),
        sa.Column("record_id", sa.String(length=64), nullable=False),
        sa.Column("record_version", sa.Integer(), nullable=True),
        sa.Column("chain_id", ID, nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("step", sa.Integer(), nullable=True),
        sa.Column("value", sa.BigInteger(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("owner_id", ID, nullable=True),
        sa.Column("submitted_by", ID, nullable=True),
        sa.Column("submitted_at", TIME, nullable=False),
        sa.Column("decided_at", TIME, nullable=True),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["chain_id"], ["core_approval_chain.id"], name=op.f("fk_core_approval_request_chain_id_core_approval_chain")),
        sa.ForeignKeyConstraint(["owner_id"], ["core_user.id"], name=op.f("fk_core_approval_request_owner_id_core_user")),
        sa.ForeignKeyConstraint(["submitted_by"], ["core_user.id"], name=op.f("fk_core_approval_request_submitted_by_core_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_core_approval_request")),
    )
    op.create_index("ix_core_approval_request_record", "core_approval_request", ["resource", "record_id", "submitted_at"])
    op.create_table(
        "core_approval_assignment",
        sa.Column("request_id", ID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("user_id", ID, nullable=False),
        sa.Column("step_name", sa.String(length=200), nullable=False),
        sa.Column("mode", sa.String(length=3), nullable=False),
        sa.Column("decided", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["request_id"], ["core_approval_request.id"], name=op.f("fk_core_approval_assignment_request_id_core_approval_request"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["core_user.id"], name=op.f("fk_core_approval_assignment_user_id_core_user")),
        sa.PrimaryKeyConstraint("request_id", "position", "user_id", name=op.f("pk_core_approval_assignment")),
    )
    op.create_index("ix_core_approval_assignment_user", "core_approval_assignment", ["user_id", "decided"])
    op.create_table(
        "core_approval_decision",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("request_id", ID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=True),
        sa.Column("step_name", sa.String(length=200), nullable=True),
        sa.Column("actor_id", ID, nullable=True),
        sa.Column("decision", sa.String(length=10), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("at", TIME, nullable=False),
        sa.ForeignKeyConstraint(["request_id"], ["core_approval_request.id"], name=op.f("fk_core_approval_decision_request_id_core_approval_request"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["actor_id"], ["core_user.id"], name=op.f("fk_core_approval_decision_actor_id_core_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_core_approval_decision")),
    )
    op.create_index("ix_core_approval_decision_request", "core_approval_decision", ["request_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_core_approval_decision_request", table_name="core_approval_decision")
    op.drop_table("core_approval_decision")
    op.drop_index("ix_core_approval_assignment_user", table_name="core_approval_assignment")
    op.drop_table("core_approval_assignment")
    op.drop_index("ix_core_approval_request_record", table_name="core_approval_request")
    op.drop_table("core_approval_request")
    op.drop_index(op.f("ix_core_approval_step_chain_id"), table_name="core_approval_step")
    op.drop_table("core_approval_step")
    op.drop_index(op.f("ix_core_approval_chain_resource"), table_name="core_approval_chain")
    op.drop_table("core_approval_chain")

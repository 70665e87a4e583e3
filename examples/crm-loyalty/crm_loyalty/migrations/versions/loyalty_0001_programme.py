"""Accounts, the ledger, the programme (with its first rules) and birthday gifts.

Revision ID: loyalty_0001
Revises:
Create Date: 2026-12-06
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "loyalty_0001"
down_revision = None
branch_labels = ("loyalty",)
depends_on = ("core_0001", "sales_0001")

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
AT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "loyalty_account",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("customer_id", ID, nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("lifetime_points", sa.Integer(), nullable=False),
        sa.Column("created_at", AT, nullable=False),
        sa.Column("updated_at", AT, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["core_customer.id"], name=op.f("fk_loyalty_account_customer_id_core_customer")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loyalty_account")),
        sa.UniqueConstraint("customer_id", name=op.f("uq_loyalty_account_customer_id")),
    )
    op.create_table(
        "loyalty_entry",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("at", AT, nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("remaining", sa.Integer(), nullable=False),
        sa.Column("expires_at", AT, nullable=True),
        sa.Column("order_id", ID, nullable=True),
        sa.Column("spend", sa.BigInteger(), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("actor_id", ID, nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["loyalty_account.id"], name=op.f("fk_loyalty_entry_account_id_loyalty_account")),
        sa.ForeignKeyConstraint(["order_id"], ["sales_order.id"], name=op.f("fk_loyalty_entry_order_id_sales_order")),
        sa.ForeignKeyConstraint(["actor_id"], ["core_user.id"], name=op.f("fk_loyalty_entry_actor_id_core_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loyalty_entry")),
        sa.UniqueConstraint("order_id", "kind", name="uq_loyalty_entry_order_kind"),
    )
    op.create_index("ix_loyalty_entry_account", "loyalty_entry", ["account_id", "id"])
    op.create_index("ix_loyalty_entry_expiring", "loyalty_entry", ["expires_at", "remaining"])
    programme = op.create_table(
        "loyalty_programme",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("points_per_unit", sa.BigInteger(), nullable=False),
        sa.Column("expiry_days", sa.Integer(), nullable=False),
        sa.Column("silver_points", sa.Integer(), nullable=False),
        sa.Column("silver_spend", sa.BigInteger(), nullable=False),
        sa.Column("gold_points", sa.Integer(), nullable=False),
        sa.Column("gold_spend", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", AT, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loyalty_programme")),
    )
    # The programme every shop starts with (money in ten-thousandths, as crm.Money stores it): a point per unit of
    # the reporting currency, points kept a year, silver at 1,000 points or 500 spent in a year, gold at 5,000 or 2,500.
    op.bulk_insert(programme, [{"id": 1, "points_per_unit": 10_000, "expiry_days": 365, "silver_points": 1000,
                                "silver_spend": 500 * 10_000, "gold_points": 5000, "gold_spend": 2500 * 10_000,
                                "updated_at": datetime.now(UTC), "version": 1}])
    op.create_table(
        "loyalty_birthday_gift",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("contact_id", ID, nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("task_id", ID, nullable=True),
        sa.ForeignKeyConstraint(["contact_id"], ["core_contact.id"], name=op.f("fk_loyalty_birthday_gift_contact_id_core_contact")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loyalty_birthday_gift")),
        sa.UniqueConstraint("contact_id", "year", name="uq_loyalty_birthday_gift"),
    )


def downgrade() -> None:
    op.drop_table("loyalty_birthday_gift")
    op.drop_table("loyalty_programme")
    op.drop_index("ix_loyalty_entry_expiring", table_name="loyalty_entry")
    op.drop_index("ix_loyalty_entry_account", table_name="loyalty_entry")
    op.drop_table("loyalty_entry")
    op.drop_table("loyalty_account")

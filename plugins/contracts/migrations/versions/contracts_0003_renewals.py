"""Renewals: the day notice is due (indexed, for the renewal job) and the end date whose notice was given, so that
each term's notice is given once.

Revision ID: contracts_0003
Revises: contracts_0002
Create Date: 2026-12-06
"""

from datetime import timedelta

import sqlalchemy as sa
from alembic import op

revision = "contracts_0003"
down_revision = "contracts_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contracts_contract") as batch:
        batch.add_column(sa.Column("notice_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("renewal_noticed_for", sa.Date(), nullable=True))
    op.create_index("ix_contracts_contract_status_notice", "contracts_contract", ["status", "notice_on"])
    contract = sa.table("contracts_contract", sa.column("id", sa.Integer), sa.column("end_date", sa.Date), sa.column("notice_days", sa.Integer),
                        sa.column("notice_on", sa.Date))
    bind = op.get_bind()
    rows = bind.execute(sa.select(contract.c.id, contract.c.end_date, contract.c.notice_days).where(contract.c.end_date.is_not(None))).all()
    if rows:
        bind.execute(contract.update().where(contract.c.id == sa.bindparam("row_id")).values(notice_on=sa.bindparam("day")),
                     [{"row_id": r.id, "day": r.end_date - timedelta(days=r.notice_days)} for r in rows])


def downgrade() -> None:
    op.drop_index("ix_contracts_contract_status_notice", table_name="contracts_contract")
    with op.batch_alter_table("contracts_contract") as batch:
        batch.drop_column("renewal_noticed_for")
        batch.drop_column("notice_on")

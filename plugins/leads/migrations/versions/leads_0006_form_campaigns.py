"""A web form's leads count for a campaign.

Revision ID: leads_0006
Revises: leads_0005
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "leads_0006"
down_revision = "leads_0005"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("leads_form") as batch:
        batch.add_column(sa.Column("campaign_id", ID, nullable=True))
        batch.create_foreign_key(op.f("fk_leads_form_campaign_id_leads_campaign"), "leads_campaign", ["campaign_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("leads_form") as batch:
        batch.drop_constraint(op.f("fk_leads_form_campaign_id_leads_campaign"), type_="foreignkey")
        batch.drop_column("campaign_id")

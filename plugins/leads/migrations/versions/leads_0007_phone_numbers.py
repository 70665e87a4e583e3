"""Leads' phone numbers in the core's new normal form (E.164 by the phonenumbers library), so that duplicates of
leads and customers keep matching.

Revision ID: leads_0007
Revises: leads_0006
Create Date: 2026-12-06
"""

from alembic import op

revision = "leads_0007"
down_revision = "leads_0006"
branch_labels = None
depends_on = "core_0009"


def upgrade() -> None:
    from crm.plugins.leads.duplicates import renormalise_sync

    renormalise_sync(op.get_bind())


def downgrade() -> None:
    pass  # the E.164 forms serve the older release as well

"""Phone numbers in E.164 (the phonenumbers library) instead of bare digits: stored normal forms computed again, in
CRM_PHONE_REGION if it is set, so that duplicates and searches keep finding them.

Revision ID: core_0009
Revises: core_0008
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "core_0009"
down_revision = "core_0008"
branch_labels = None
depends_on = None

channel = sa.table("core_channel", sa.column("id", sa.Integer), sa.column("kind", sa.String), sa.column("value", sa.String),
                   sa.column("normalized", sa.String))


def upgrade() -> None:
    from crm.customers import normalise
    from crm.settings import load_settings

    normalise.configure(load_settings().phone_region)
    bind = op.get_bind()
    rows = bind.execute(sa.select(channel.c.id, channel.c.value, channel.c.normalized).where(channel.c.kind == "phone")).all()
    changed = normalise.renormalised(rows)
    if changed:
        bind.execute(channel.update().where(channel.c.id == sa.bindparam("row_id")).values(normalized=sa.bindparam("normalized")),
                     [{"row_id": c["id"], "normalized": c["normalized"]} for c in changed])


def downgrade() -> None:
    pass  # the E.164 forms are as good a normal form for the older release: nothing to undo

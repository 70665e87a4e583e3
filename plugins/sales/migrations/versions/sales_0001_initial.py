"""Sales: pipelines, stages, opportunities and their history, products, price lists, quotes, orders, targets.

Enabling sales also creates the default pipeline and the document number sequences.

Revision ID: sales_0001
Revises:
Create Date: 2026-11-23
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "sales_0001"
down_revision = None
branch_labels = ("sales",)
depends_on = "core_0001"

DEFAULT_STAGES = [  # name, probability, kind
    ("Qualification", 10, "open"), ("Needs analysis", 25, "open"), ("Proposal", 50, "open"),
    ("Negotiation", 75, "open"), ("Won", 100, "won"), ("Lost", 0, "lost"),
]


def upgrade() -> None:
    op.create_table('sales_pipeline',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('is_default', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_pipeline')),
    )
    op.create_table('sales_price_list',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('segment', sa.String(length=100), nullable=True),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_price_list')),
    )
    op.create_table('sales_product',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('price', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('category', sa.String(length=100), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_product')),
    sa.UniqueConstraint('sku', name=op.f('uq_sales_product_sku')),
    )
    op.create_index(op.f('ix_sales_product_category'), 'sales_product', ['category'], unique=False)
    op.create_table('sales_sequence',
    sa.Column('name', sa.String(length=20), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_sales_sequence')),
    )
    op.create_table('sales_price_list_item',
    sa.Column('price_list_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('product_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('price', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['price_list_id'], ['sales_price_list.id'], name=op.f('fk_sales_price_list_item_price_list_id_sales_price_list'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['sales_product.id'], name=op.f('fk_sales_price_list_item_product_id_sales_product')),
    sa.PrimaryKeyConstraint('price_list_id', 'product_id', name=op.f('pk_sales_price_list_item')),
    )
    op.create_table('sales_stage',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('pipeline_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('probability', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['pipeline_id'], ['sales_pipeline.id'], name=op.f('fk_sales_stage_pipeline_id_sales_pipeline')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_stage')),
    sa.UniqueConstraint('pipeline_id', 'position', name=op.f('uq_sales_stage_pipeline_id')),
    )
    op.create_index(op.f('ix_sales_stage_pipeline_id'), 'sales_stage', ['pipeline_id'], unique=False)
    op.create_table('sales_opportunity',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('customer_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('pipeline_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('stage_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('probability', sa.Integer(), nullable=False),
    sa.Column('probability_set', sa.Boolean(), nullable=False),
    sa.Column('expected_close_date', sa.Date(), nullable=True),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('stage_entered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('source', sa.String(length=100), nullable=True),
    sa.Column('campaign', sa.String(length=200), nullable=True),
    sa.Column('competitors', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('lost_reason', sa.String(length=500), nullable=True),
    sa.Column('next_step', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('owner_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['core_customer.id'], name=op.f('fk_sales_opportunity_customer_id_core_customer')),
    sa.ForeignKeyConstraint(['owner_id'], ['core_user.id'], name=op.f('fk_sales_opportunity_owner_id_core_user')),
    sa.ForeignKeyConstraint(['pipeline_id'], ['sales_pipeline.id'], name=op.f('fk_sales_opportunity_pipeline_id_sales_pipeline')),
    sa.ForeignKeyConstraint(['stage_id'], ['sales_stage.id'], name=op.f('fk_sales_opportunity_stage_id_sales_stage')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_opportunity')),
    )
    op.create_index('ix_sales_opportunity_customer_created', 'sales_opportunity', ['customer_id', 'created_at'], unique=False)
    op.create_index(op.f('ix_sales_opportunity_opened_at'), 'sales_opportunity', ['opened_at'], unique=False)
    op.create_index(op.f('ix_sales_opportunity_owner_id'), 'sales_opportunity', ['owner_id'], unique=False)
    op.create_index(op.f('ix_sales_opportunity_pipeline_id'), 'sales_opportunity', ['pipeline_id'], unique=False)
    op.create_index(op.f('ix_sales_opportunity_stage_id'), 'sales_opportunity', ['stage_id'], unique=False)
    op.create_index('ix_sales_opportunity_status_close', 'sales_opportunity', ['status', 'expected_close_date'], unique=False)
    op.create_index('ix_sales_opportunity_status_closed', 'sales_opportunity', ['status', 'closed_at'], unique=False)
    op.create_table('sales_target',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('team_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('metric', sa.String(length=20), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['core_team.id'], name=op.f('fk_sales_target_team_id_core_team')),
    sa.ForeignKeyConstraint(['user_id'], ['core_user.id'], name=op.f('fk_sales_target_user_id_core_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_target')),
    )
    op.create_index(op.f('ix_sales_target_team_id'), 'sales_target', ['team_id'], unique=False)
    op.create_index(op.f('ix_sales_target_user_id'), 'sales_target', ['user_id'], unique=False)
    op.create_table('sales_opportunity_change',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('opportunity_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('stage_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('probability', sa.Integer(), nullable=False),
    sa.Column('expected_close_date', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['core_user.id'], name=op.f('fk_sales_opportunity_change_actor_id_core_user')),
    sa.ForeignKeyConstraint(['opportunity_id'], ['sales_opportunity.id'], name=op.f('fk_sales_opportunity_change_opportunity_id_sales_opportunity'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['stage_id'], ['sales_stage.id'], name=op.f('fk_sales_opportunity_change_stage_id_sales_stage')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_opportunity_change')),
    )
    op.create_index('ix_sales_opportunity_change_opportunity', 'sales_opportunity_change', ['opportunity_id', 'at'], unique=False)
    op.create_table('sales_opportunity_contact',
    sa.Column('opportunity_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('contact_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['core_contact.id'], name=op.f('fk_sales_opportunity_contact_contact_id_core_contact')),
    sa.ForeignKeyConstraint(['opportunity_id'], ['sales_opportunity.id'], name=op.f('fk_sales_opportunity_contact_opportunity_id_sales_opportunity'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('opportunity_id', 'contact_id', name=op.f('pk_sales_opportunity_contact')),
    )
    op.create_table('sales_opportunity_line',
    sa.Column('opportunity_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('product_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=False),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.Column('unit_price', sa.BigInteger(), nullable=False),
    sa.Column('discount_percent', sa.BigInteger(), nullable=False),
    sa.Column('tax_percent', sa.BigInteger(), nullable=False),
    sa.Column('net', sa.BigInteger(), nullable=False),
    sa.Column('tax', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['opportunity_id'], ['sales_opportunity.id'], name=op.f('fk_sales_opportunity_line_opportunity_id_sales_opportunity'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['sales_product.id'], name=op.f('fk_sales_opportunity_line_product_id_sales_product')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_opportunity_line')),
    )
    op.create_index(op.f('ix_sales_opportunity_line_opportunity_id'), 'sales_opportunity_line', ['opportunity_id'], unique=False)
    op.create_index(op.f('ix_sales_opportunity_line_product_id'), 'sales_opportunity_line', ['product_id'], unique=False)
    op.create_table('sales_quote',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('number', sa.String(length=30), nullable=False),
    sa.Column('customer_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('opportunity_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('subtotal', sa.BigInteger(), nullable=False),
    sa.Column('tax_total', sa.BigInteger(), nullable=False),
    sa.Column('total', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('owner_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['core_customer.id'], name=op.f('fk_sales_quote_customer_id_core_customer')),
    sa.ForeignKeyConstraint(['opportunity_id'], ['sales_opportunity.id'], name=op.f('fk_sales_quote_opportunity_id_sales_opportunity')),
    sa.ForeignKeyConstraint(['owner_id'], ['core_user.id'], name=op.f('fk_sales_quote_owner_id_core_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_quote')),
    sa.UniqueConstraint('number', name=op.f('uq_sales_quote_number')),
    )
    op.create_index(op.f('ix_sales_quote_customer_id'), 'sales_quote', ['customer_id'], unique=False)
    op.create_index(op.f('ix_sales_quote_opportunity_id'), 'sales_quote', ['opportunity_id'], unique=False)
    op.create_index(op.f('ix_sales_quote_owner_id'), 'sales_quote', ['owner_id'], unique=False)
    op.create_table('sales_stage_visit',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('opportunity_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('stage_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('entered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('left_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['opportunity_id'], ['sales_opportunity.id'], name=op.f('fk_sales_stage_visit_opportunity_id_sales_opportunity'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['stage_id'], ['sales_stage.id'], name=op.f('fk_sales_stage_visit_stage_id_sales_stage')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_stage_visit')),
    )
    op.create_index('ix_sales_stage_visit_opportunity', 'sales_stage_visit', ['opportunity_id', 'entered_at'], unique=False)
    op.create_index(op.f('ix_sales_stage_visit_stage_id'), 'sales_stage_visit', ['stage_id'], unique=False)
    op.create_table('sales_order',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('number', sa.String(length=30), nullable=False),
    sa.Column('customer_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('quote_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('opportunity_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('subtotal', sa.BigInteger(), nullable=False),
    sa.Column('tax_total', sa.BigInteger(), nullable=False),
    sa.Column('total', sa.BigInteger(), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancel_reason', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('owner_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['core_customer.id'], name=op.f('fk_sales_order_customer_id_core_customer')),
    sa.ForeignKeyConstraint(['opportunity_id'], ['sales_opportunity.id'], name=op.f('fk_sales_order_opportunity_id_sales_opportunity')),
    sa.ForeignKeyConstraint(['owner_id'], ['core_user.id'], name=op.f('fk_sales_order_owner_id_core_user')),
    sa.ForeignKeyConstraint(['quote_id'], ['sales_quote.id'], name=op.f('fk_sales_order_quote_id_sales_quote')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_order')),
    sa.UniqueConstraint('number', name=op.f('uq_sales_order_number')),
    )
    op.create_index('ix_sales_order_customer_status', 'sales_order', ['customer_id', 'status'], unique=False)
    op.create_index(op.f('ix_sales_order_opportunity_id'), 'sales_order', ['opportunity_id'], unique=False)
    op.create_index(op.f('ix_sales_order_owner_id'), 'sales_order', ['owner_id'], unique=False)
    op.create_index(op.f('ix_sales_order_quote_id'), 'sales_order', ['quote_id'], unique=False)
    op.create_table('sales_quote_line',
    sa.Column('quote_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('product_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=False),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.Column('unit_price', sa.BigInteger(), nullable=False),
    sa.Column('discount_percent', sa.BigInteger(), nullable=False),
    sa.Column('tax_percent', sa.BigInteger(), nullable=False),
    sa.Column('net', sa.BigInteger(), nullable=False),
    sa.Column('tax', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['sales_product.id'], name=op.f('fk_sales_quote_line_product_id_sales_product')),
    sa.ForeignKeyConstraint(['quote_id'], ['sales_quote.id'], name=op.f('fk_sales_quote_line_quote_id_sales_quote'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_quote_line')),
    )
    op.create_index(op.f('ix_sales_quote_line_product_id'), 'sales_quote_line', ['product_id'], unique=False)
    op.create_index(op.f('ix_sales_quote_line_quote_id'), 'sales_quote_line', ['quote_id'], unique=False)
    op.create_table('sales_order_line',
    sa.Column('order_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('product_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=False),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.Column('unit_price', sa.BigInteger(), nullable=False),
    sa.Column('discount_percent', sa.BigInteger(), nullable=False),
    sa.Column('tax_percent', sa.BigInteger(), nullable=False),
    sa.Column('net', sa.BigInteger(), nullable=False),
    sa.Column('tax', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['sales_order.id'], name=op.f('fk_sales_order_line_order_id_sales_order'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['sales_product.id'], name=op.f('fk_sales_order_line_product_id_sales_product')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_order_line')),
    )
    op.create_index(op.f('ix_sales_order_line_order_id'), 'sales_order_line', ['order_id'], unique=False)
    op.create_index(op.f('ix_sales_order_line_product_id'), 'sales_order_line', ['product_id'], unique=False)

    now = datetime.now(UTC)
    if op.get_bind().dialect.name == "sqlite":
        now = now.replace(tzinfo=None)  # the core's UTCDateTime stores naive UTC on SQLite
    pipeline = sa.table("sales_pipeline", sa.column("id"), sa.column("name"), sa.column("is_default"), sa.column("position"),
                        sa.column("created_at"), sa.column("updated_at"), sa.column("version"))
    stage = sa.table("sales_stage", sa.column("pipeline_id"), sa.column("name"), sa.column("position"), sa.column("probability"), sa.column("kind"))
    sequence = sa.table("sales_sequence", sa.column("name"), sa.column("value"))
    op.bulk_insert(pipeline, [{"id": 1, "name": "New business", "is_default": True, "position": 1, "created_at": now, "updated_at": now, "version": 1}])
    op.bulk_insert(stage, [{"pipeline_id": 1, "name": n, "position": i + 1, "probability": p, "kind": k} for i, (n, p, k) in enumerate(DEFAULT_STAGES)])
    op.bulk_insert(sequence, [{"name": "quote", "value": 0}, {"name": "order", "value": 0}])
    if op.get_bind().dialect.name == "postgresql":  # the explicit id above does not move the identity sequence
        op.execute("SELECT setval(pg_get_serial_sequence('sales_pipeline', 'id'), 1)")


def downgrade() -> None:

    op.drop_index(op.f('ix_sales_order_line_product_id'), table_name='sales_order_line')
    op.drop_index(op.f('ix_sales_order_line_order_id'), table_name='sales_order_line')
    op.drop_table('sales_order_line')
    op.drop_index(op.f('ix_sales_quote_line_quote_id'), table_name='sales_quote_line')
    op.drop_index(op.f('ix_sales_quote_line_product_id'), table_name='sales_quote_line')
    op.drop_table('sales_quote_line')
    op.drop_index(op.f('ix_sales_order_quote_id'), table_name='sales_order')
    op.drop_index(op.f('ix_sales_order_owner_id'), table_name='sales_order')
    op.drop_index(op.f('ix_sales_order_opportunity_id'), table_name='sales_order')
    op.drop_index('ix_sales_order_customer_status', table_name='sales_order')
    op.drop_table('sales_order')
    op.drop_index(op.f('ix_sales_stage_visit_stage_id'), table_name='sales_stage_visit')
    op.drop_index('ix_sales_stage_visit_opportunity', table_name='sales_stage_visit')
    op.drop_table('sales_stage_visit')
    op.drop_index(op.f('ix_sales_quote_owner_id'), table_name='sales_quote')
    op.drop_index(op.f('ix_sales_quote_opportunity_id'), table_name='sales_quote')
    op.drop_index(op.f('ix_sales_quote_customer_id'), table_name='sales_quote')
    op.drop_table('sales_quote')
    op.drop_index(op.f('ix_sales_opportunity_line_product_id'), table_name='sales_opportunity_line')
    op.drop_index(op.f('ix_sales_opportunity_line_opportunity_id'), table_name='sales_opportunity_line')
    op.drop_table('sales_opportunity_line')
    op.drop_table('sales_opportunity_contact')
    op.drop_index('ix_sales_opportunity_change_opportunity', table_name='sales_opportunity_change')
    op.drop_table('sales_opportunity_change')
    op.drop_index(op.f('ix_sales_target_user_id'), table_name='sales_target')
    op.drop_index(op.f('ix_sales_target_team_id'), table_name='sales_target')
    op.drop_table('sales_target')
    op.drop_index('ix_sales_opportunity_status_closed', table_name='sales_opportunity')
    op.drop_index('ix_sales_opportunity_status_close', table_name='sales_opportunity')
    op.drop_index(op.f('ix_sales_opportunity_stage_id'), table_name='sales_opportunity')
    op.drop_index(op.f('ix_sales_opportunity_pipeline_id'), table_name='sales_opportunity')
    op.drop_index(op.f('ix_sales_opportunity_owner_id'), table_name='sales_opportunity')
    op.drop_index(op.f('ix_sales_opportunity_opened_at'), table_name='sales_opportunity')
    op.drop_index('ix_sales_opportunity_customer_created', table_name='sales_opportunity')
    op.drop_table('sales_opportunity')
    op.drop_index(op.f('ix_sales_stage_pipeline_id'), table_name='sales_stage')
    op.drop_table('sales_stage')
    op.drop_table('sales_price_list_item')
    op.drop_table('sales_sequence')
    op.drop_index(op.f('ix_sales_product_category'), table_name='sales_product')
    op.drop_table('sales_product')
    op.drop_table('sales_price_list')
    op.drop_table('sales_pipeline')

"""Core tables: identity, customers, contacts, activities, audit trail, plugin state.

Revision ID: core_0001
Revises: 
Create Date: 2026-11-23
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = 'core_0001'
down_revision = None
branch_labels = ('core',)
depends_on = None


def upgrade() -> None:
    op.create_table('core_casbin_rule',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('ptype', sa.String(length=255), nullable=False),
    sa.Column('v0', sa.String(length=255), nullable=True),
    sa.Column('v1', sa.String(length=255), nullable=True),
    sa.Column('v2', sa.String(length=255), nullable=True),
    sa.Column('v3', sa.String(length=255), nullable=True),
    sa.Column('v4', sa.String(length=255), nullable=True),
    sa.Column('v5', sa.String(length=255), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_casbin_rule')),
    )
    with op.batch_alter_table('core_casbin_rule', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_casbin_rule_v0'), ['v0'], unique=False)

    op.create_table('core_counter',
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_core_counter')),
    )
    op.create_table('core_custom_field',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('entity', sa.String(length=50), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('type', sa.String(length=20), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('choices', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('archived', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_custom_field')),
    sa.UniqueConstraint('entity', 'key', name=op.f('uq_core_custom_field_entity')),
    )
    op.create_table('core_job',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('next_run_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_core_job')),
    )
    op.create_table('core_login_throttle',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('key', sa.String(length=400), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('window_started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_login_throttle')),
    sa.UniqueConstraint('key', name=op.f('uq_core_login_throttle_key')),
    )
    op.create_table('core_plugin',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('version', sa.String(length=50), nullable=False),
    sa.Column('grants_seeded', sa.Boolean(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_core_plugin')),
    )
    op.create_table('core_role',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=False),
    sa.Column('builtin', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_role')),
    sa.UniqueConstraint('name', name=op.f('uq_core_role_name')),
    )
    op.create_table('core_user',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_user')),
    sa.UniqueConstraint('email', name=op.f('uq_core_user_email')),
    )
    op.create_table('core_api_key',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('prefix', sa.String(length=16), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('role_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['role_id'], ['core_role.id'], name=op.f('fk_core_api_key_role_id_core_role')),
    sa.ForeignKeyConstraint(['user_id'], ['core_user.id'], name=op.f('fk_core_api_key_user_id_core_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_api_key')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_core_api_key_key_hash')),
    )
    op.create_table('core_audit_entry',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('resource', sa.String(length=50), nullable=False),
    sa.Column('record_id', sa.String(length=64), nullable=False),
    sa.Column('customer_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('changes', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['core_user.id'], name=op.f('fk_core_audit_entry_actor_id_core_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_audit_entry')),
    )
    with op.batch_alter_table('core_audit_entry', schema=None) as batch_op:
        batch_op.create_index('ix_core_audit_customer', ['customer_id', 'at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_audit_entry_at'), ['at'], unique=False)
        batch_op.create_index('ix_core_audit_record', ['resource', 'record_id', 'id'], unique=False)

    op.create_table('core_customer',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('search_name', sa.String(length=300), nullable=False),
    sa.Column('industry', sa.String(length=100), nullable=True),
    sa.Column('size', sa.String(length=50), nullable=True),
    sa.Column('region', sa.String(length=100), nullable=True),
    sa.Column('source', sa.String(length=100), nullable=True),
    sa.Column('lifecycle_stage', sa.String(length=50), nullable=False),
    sa.Column('website', sa.String(length=300), nullable=True),
    sa.Column('website_domain', sa.String(length=300), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('addresses', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('custom_fields', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('owner_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['core_user.id'], name=op.f('fk_core_customer_owner_id_core_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_customer')),
    )
    with op.batch_alter_table('core_customer', schema=None) as batch_op:
        batch_op.create_index('ix_core_customer_created', ['created_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_customer_industry'), ['industry'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_customer_lifecycle_stage'), ['lifecycle_stage'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_customer_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index('ix_core_customer_owner_name', ['owner_id', 'search_name'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_customer_region'), ['region'], unique=False)
        batch_op.create_index('ix_core_customer_search_name', ['search_name'], unique=False, postgresql_ops={'search_name': 'text_pattern_ops'})
        batch_op.create_index(batch_op.f('ix_core_customer_website_domain'), ['website_domain'], unique=False)

    op.create_table('core_team',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('manager_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['manager_id'], ['core_user.id'], name=op.f('fk_core_team_manager_id_core_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_team')),
    sa.UniqueConstraint('name', name=op.f('uq_core_team_name')),
    )
    op.create_table('core_token',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['core_user.id'], name=op.f('fk_core_token_user_id_core_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_core_token_token_hash')),
    )
    with op.batch_alter_table('core_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_token_user_id'), ['user_id'], unique=False)

    op.create_table('core_activity',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('customer_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('kind', sa.String(length=50), nullable=False),
    sa.Column('subject', sa.String(length=500), nullable=False),
    sa.Column('body', sa.Text(), nullable=True),
    sa.Column('direction', sa.String(length=10), nullable=True),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=200), nullable=True),
    sa.Column('record_type', sa.String(length=50), nullable=True),
    sa.Column('record_id', sa.String(length=64), nullable=True),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('assignee_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('done', sa.Boolean(), nullable=False),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('owner_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assignee_id'], ['core_user.id'], name=op.f('fk_core_activity_assignee_id_core_user')),
    sa.ForeignKeyConstraint(['customer_id'], ['core_customer.id'], name=op.f('fk_core_activity_customer_id_core_customer')),
    sa.ForeignKeyConstraint(['owner_id'], ['core_user.id'], name=op.f('fk_core_activity_owner_id_core_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_activity')),
    )
    with op.batch_alter_table('core_activity', schema=None) as batch_op:
        batch_op.create_index('ix_core_activity_customer_time', ['customer_id', 'occurred_at', 'id'], unique=False)
        batch_op.create_index('ix_core_activity_open_tasks', ['assignee_id', 'done', 'due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_activity_owner_id'), ['owner_id'], unique=False)

    op.create_table('core_contact',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('customer_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=True),
    sa.Column('birthday', sa.Date(), nullable=True),
    sa.Column('preferred_channel', sa.String(length=20), nullable=True),
    sa.Column('consent', sa.Boolean(), nullable=False),
    sa.Column('is_primary', sa.Boolean(), nullable=False),
    sa.Column('custom_fields', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('owner_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['core_customer.id'], name=op.f('fk_core_contact_customer_id_core_customer')),
    sa.ForeignKeyConstraint(['owner_id'], ['core_user.id'], name=op.f('fk_core_contact_owner_id_core_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_contact')),
    )
    with op.batch_alter_table('core_contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_contact_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_contact_owner_id'), ['owner_id'], unique=False)

    op.create_table('core_customer_tag',
    sa.Column('customer_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('tag', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['core_customer.id'], name=op.f('fk_core_customer_tag_customer_id_core_customer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('customer_id', 'tag', name=op.f('pk_core_customer_tag')),
    )
    with op.batch_alter_table('core_customer_tag', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_customer_tag_tag'), ['tag'], unique=False)

    op.create_table('core_team_member',
    sa.Column('team_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['core_team.id'], name=op.f('fk_core_team_member_team_id_core_team'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['core_user.id'], name=op.f('fk_core_team_member_user_id_core_user')),
    sa.PrimaryKeyConstraint('team_id', 'user_id', name=op.f('pk_core_team_member')),
    )
    with op.batch_alter_table('core_team_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_team_member_user_id'), ['user_id'], unique=False)

    op.create_table('core_activity_contact',
    sa.Column('activity_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('contact_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['core_activity.id'], name=op.f('fk_core_activity_contact_activity_id_core_activity'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['contact_id'], ['core_contact.id'], name=op.f('fk_core_activity_contact_contact_id_core_contact')),
    sa.PrimaryKeyConstraint('activity_id', 'contact_id', name=op.f('pk_core_activity_contact')),
    )
    with op.batch_alter_table('core_activity_contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_activity_contact_contact_id'), ['contact_id'], unique=False)

    op.create_table('core_channel',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('customer_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('contact_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('value', sa.String(length=320), nullable=False),
    sa.Column('normalized', sa.String(length=320), nullable=False),
    sa.Column('label', sa.String(length=50), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['core_contact.id'], name=op.f('fk_core_channel_contact_id_core_contact'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['customer_id'], ['core_customer.id'], name=op.f('fk_core_channel_customer_id_core_customer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_channel')),
    )
    with op.batch_alter_table('core_channel', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_channel_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_channel_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index('ix_core_channel_normalized', ['kind', 'normalized'], unique=False, postgresql_ops={'normalized': 'text_pattern_ops'})


    # Workers poll this counter to notice permission changes made elsewhere.
    op.bulk_insert(sa.table("core_counter", sa.column("name", sa.String), sa.column("value", sa.Integer)), [{"name": "policy", "value": 1}])


def downgrade() -> None:
    with op.batch_alter_table('core_channel', schema=None) as batch_op:
        batch_op.drop_index('ix_core_channel_normalized', postgresql_ops={'normalized': 'text_pattern_ops'})
        batch_op.drop_index(batch_op.f('ix_core_channel_customer_id'))
        batch_op.drop_index(batch_op.f('ix_core_channel_contact_id'))

    op.drop_table('core_channel')
    with op.batch_alter_table('core_activity_contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_activity_contact_contact_id'))

    op.drop_table('core_activity_contact')
    with op.batch_alter_table('core_team_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_team_member_user_id'))

    op.drop_table('core_team_member')
    with op.batch_alter_table('core_customer_tag', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_customer_tag_tag'))

    op.drop_table('core_customer_tag')
    with op.batch_alter_table('core_contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_contact_owner_id'))
        batch_op.drop_index(batch_op.f('ix_core_contact_customer_id'))

    op.drop_table('core_contact')
    with op.batch_alter_table('core_activity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_activity_owner_id'))
        batch_op.drop_index('ix_core_activity_open_tasks')
        batch_op.drop_index('ix_core_activity_customer_time')

    op.drop_table('core_activity')
    with op.batch_alter_table('core_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_token_user_id'))

    op.drop_table('core_token')
    op.drop_table('core_team')
    with op.batch_alter_table('core_customer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_customer_website_domain'))
        batch_op.drop_index('ix_core_customer_search_name', postgresql_ops={'search_name': 'text_pattern_ops'})
        batch_op.drop_index(batch_op.f('ix_core_customer_region'))
        batch_op.drop_index('ix_core_customer_owner_name')
        batch_op.drop_index(batch_op.f('ix_core_customer_owner_id'))
        batch_op.drop_index(batch_op.f('ix_core_customer_lifecycle_stage'))
        batch_op.drop_index(batch_op.f('ix_core_customer_industry'))
        batch_op.drop_index('ix_core_customer_created')

    op.drop_table('core_customer')
    with op.batch_alter_table('core_audit_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_core_audit_record')
        batch_op.drop_index(batch_op.f('ix_core_audit_entry_at'))
        batch_op.drop_index('ix_core_audit_customer')

    op.drop_table('core_audit_entry')
    op.drop_table('core_api_key')
    op.drop_table('core_user')
    op.drop_table('core_role')
    op.drop_table('core_plugin')
    op.drop_table('core_login_throttle')
    op.drop_table('core_job')
    op.drop_table('core_custom_field')
    op.drop_table('core_counter')
    with op.batch_alter_table('core_casbin_rule', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_casbin_rule_v0'))

    op.drop_table('core_casbin_rule')

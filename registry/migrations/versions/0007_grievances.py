"""grievances: categories, grievances and their timeline events

Revision ID: 0007
Revises: 0001
Create Date: 2026-11-27 22:51:53.093458
"""

from alembic import op
import sqlalchemy as sa
import registry.db


revision = '0007'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('grievance_categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('names', sa.JSON(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('default_priority', sa.String(length=12), nullable=False),
    sa.Column('sensitive', sa.Boolean(), nullable=False),
    sa.Column('sla_hours', sa.Integer(), nullable=False),
    sa.Column('team', sa.String(length=80), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['grievance_categories.id'], name=op.f('fk_grievance_categories_parent_id_grievance_categories')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grievance_categories')),
    sa.UniqueConstraint('code', name=op.f('uq_grievance_categories_code'))
    )
    op.create_table('grievances',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=10), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('handling_area_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('complainant_phone', sa.String(length=20), nullable=True),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('consent_to_contact', sa.Boolean(), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('priority', sa.String(length=12), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('escalation_level', sa.Integer(), nullable=False),
    sa.Column('received_at', registry.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('due_at', registry.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('hold_started_at', registry.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('resolved_at', registry.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', registry.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decision', sa.String(length=16), nullable=True),
    sa.Column('survey_sent_at', registry.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('survey_answer', sa.String(length=8), nullable=True),
    sa.Column('updated_at', registry.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_grievances_area_id_areas')),
    sa.ForeignKeyConstraint(['assignee_id'], ['users.id'], name=op.f('fk_grievances_assignee_id_users')),
    sa.ForeignKeyConstraint(['category_id'], ['grievance_categories.id'], name=op.f('fk_grievances_category_id_grievance_categories')),
    sa.ForeignKeyConstraint(['handling_area_id'], ['areas.id'], name=op.f('fk_grievances_handling_area_id_areas')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_grievances_person_id_persons'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grievances')),
    sa.UniqueConstraint('number', name=op.f('uq_grievances_number'))
    )
    with op.batch_alter_table('grievances', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grievances_area_id'), ['area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grievances_assignee_id'), ['assignee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grievances_category_id'), ['category_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grievances_complainant_phone'), ['complainant_phone'], unique=False)
        batch_op.create_index('ix_grievances_status_due', ['status', 'due_at'], unique=False)

    op.create_table('grievance_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grievance_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('at', registry.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_name', sa.String(length=120), nullable=True),
    sa.Column('public', sa.Boolean(), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('from_status', sa.String(length=16), nullable=True),
    sa.Column('to_status', sa.String(length=16), nullable=True),
    sa.Column('outbox_message_id', sa.Integer(), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_grievance_events_actor_id_users')),
    sa.ForeignKeyConstraint(['grievance_id'], ['grievances.id'], name=op.f('fk_grievance_events_grievance_id_grievances'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['outbox_message_id'], ['outbox_messages.id'], name=op.f('fk_grievance_events_outbox_message_id_outbox_messages'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grievance_events'))
    )
    with op.batch_alter_table('grievance_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grievance_events_grievance_id'), ['grievance_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('grievance_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grievance_events_grievance_id'))

    op.drop_table('grievance_events')
    with op.batch_alter_table('grievances', schema=None) as batch_op:
        batch_op.drop_index('ix_grievances_status_due')
        batch_op.drop_index(batch_op.f('ix_grievances_complainant_phone'))
        batch_op.drop_index(batch_op.f('ix_grievances_category_id'))
        batch_op.drop_index(batch_op.f('ix_grievances_assignee_id'))
        batch_op.drop_index(batch_op.f('ix_grievances_area_id'))

    op.drop_table('grievances')
    op.drop_table('grievance_categories')

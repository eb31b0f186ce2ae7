"""programs: programs, areas and budgets, versioned rule sets, planned payments, enrollment

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-27 22:54:26.863846
"""

from alembic import op
import sqlalchemy as sa
import registry.db


revision = '0004'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('programs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('names', sa.JSON(), nullable=False),
    sa.Column('descriptions', sa.JSON(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('payments_per_year', sa.Integer(), nullable=False),
    sa.Column('created_at', registry.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', registry.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programs')),
    sa.UniqueConstraint('code', name=op.f('uq_programs_code'))
    )
    op.create_table('planned_payments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('label', sa.String(length=120), nullable=False),
    sa.Column('cancelled', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_planned_payments_area_id_areas')),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_planned_payments_program_id_programs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_planned_payments'))
    )
    with op.batch_alter_table('planned_payments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_planned_payments_program_id'), ['program_id'], unique=False)

    op.create_table('program_areas',
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_program_areas_area_id_areas')),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_program_areas_program_id_programs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('program_id', 'area_id', name=op.f('pk_program_areas'))
    )
    op.create_table('program_budgets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('funding_source', sa.String(length=120), nullable=False),
    sa.Column('amount', sa.Numeric(precision=16, scale=2), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_program_budgets_area_id_areas')),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_program_budgets_program_id_programs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_program_budgets'))
    )
    with op.batch_alter_table('program_budgets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_program_budgets_program_id'), ['program_id'], unique=False)

    op.create_table('rule_sets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('document', sa.JSON(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('author_name', sa.String(length=120), nullable=False),
    sa.Column('created_at', registry.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', registry.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('activated_at', registry.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('activated_by', sa.String(length=120), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_rule_sets_author_id_users')),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_rule_sets_program_id_programs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rule_sets')),
    sa.UniqueConstraint('program_id', 'version', name=op.f('uq_rule_sets_program_id'))
    )
    op.create_table('enrollments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=False),
    sa.Column('rule_set_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.JSON(), nullable=False),
    sa.Column('score', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('items', sa.JSON(), nullable=True),
    sa.Column('overridden', sa.Boolean(), nullable=False),
    sa.Column('override_reason', sa.Text(), nullable=True),
    sa.Column('decided_at', registry.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_by', sa.String(length=120), nullable=False),
    sa.Column('status_changed_at', registry.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status_changed_by', sa.String(length=120), nullable=False),
    sa.Column('status_note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_enrollments_household_id_households'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_enrollments_program_id_programs')),
    sa.ForeignKeyConstraint(['rule_set_id'], ['rule_sets.id'], name=op.f('fk_enrollments_rule_set_id_rule_sets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrollments')),
    sa.UniqueConstraint('household_id', 'program_id', name=op.f('uq_enrollments_household_id'))
    )
    with op.batch_alter_table('enrollments', schema=None) as batch_op:
        batch_op.create_index('ix_enrollments_program_status', ['program_id', 'status'], unique=False)

    op.create_table('enrollment_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('at', registry.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('rule_set_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollments.id'], name=op.f('fk_enrollment_events_enrollment_id_enrollments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['rule_set_id'], ['rule_sets.id'], name=op.f('fk_enrollment_events_rule_set_id_rule_sets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrollment_events'))
    )
    with op.batch_alter_table('enrollment_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enrollment_events_enrollment_id'), ['enrollment_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('enrollment_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enrollment_events_enrollment_id'))

    op.drop_table('enrollment_events')
    with op.batch_alter_table('enrollments', schema=None) as batch_op:
        batch_op.drop_index('ix_enrollments_program_status')

    op.drop_table('enrollments')
    op.drop_table('rule_sets')
    with op.batch_alter_table('program_budgets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_program_budgets_program_id'))

    op.drop_table('program_budgets')
    op.drop_table('program_areas')
    with op.batch_alter_table('planned_payments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_planned_payments_program_id'))

    op.drop_table('planned_payments')
    op.drop_table('programs')

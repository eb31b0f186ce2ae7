"""Indicator snapshots: the figures dashboards read, and when each month was refreshed.

Revision ID: 0017_indicators
Revises: 0015_matching
"""

from alembic import op
import sqlalchemy as sa
import registry.db


revision = '0017_indicators'
down_revision = "0015_matching"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('indicator_refreshes',
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('refreshed_at', registry.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('seconds', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('period', name=op.f('pk_indicator_refreshes'))
    )
    op.create_table('indicator_snapshots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator', sa.String(length=40), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('program', sa.String(length=32), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('dimension', sa.String(length=80), nullable=False),
    sa.Column('value', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('numerator', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('denominator', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('refreshed_at', registry.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_indicator_snapshots_area_id_areas')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_snapshots')),
    sa.UniqueConstraint('period', 'program', 'indicator', 'area_id', 'dimension', name=op.f('uq_indicator_snapshots_period'))
    )
    with op.batch_alter_table('indicator_snapshots', schema=None) as batch_op:
        batch_op.create_index('ix_indicator_snapshots_lookup', ['period', 'program', 'area_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('indicator_snapshots', schema=None) as batch_op:
        batch_op.drop_index('ix_indicator_snapshots_lookup')

    op.drop_table('indicator_snapshots')
    op.drop_table('indicator_refreshes')

"""field submissions: idempotency keys of registrations sent from phones

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-27 22:56:39.526129
"""

from alembic import op
import sqlalchemy as sa
import registry.db


revision = '0003'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('submission_keys',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', registry.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_submission_keys_household_id_households'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_submission_keys_user_id_users')),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_submission_keys'))
    )


def downgrade() -> None:
    op.drop_table('submission_keys')

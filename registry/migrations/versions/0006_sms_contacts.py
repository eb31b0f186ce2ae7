"""sms: contacts (STOP/START opt-out and the LANGUAGE chosen by SMS)

Revision ID: 0006
Revises: 0001
Create Date: 2026-11-27 22:54:01.921917
"""

from alembic import op
import sqlalchemy as sa
import registry.db


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sms_contacts',
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('opted_out', sa.Boolean(), nullable=False),
    sa.Column('opted_out_at', registry.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('language', sa.String(length=5), nullable=True),
    sa.Column('updated_at', registry.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('phone', name=op.f('pk_sms_contacts'))
    )


def downgrade() -> None:
    op.drop_table('sms_contacts')

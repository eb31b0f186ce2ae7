"""cards: beneficiary cards and their verifications

Revision ID: 0008
Revises: 0005
Create Date: 2026-11-27 22:51:13.352553
"""

from alembic import op
import sqlalchemy as sa
import registry.db


revision = '0008'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('cards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=12), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('holder_ref', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('key_id', sa.String(length=16), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('issued_at', registry.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', registry.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', registry.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoke_reason', sa.String(length=16), nullable=True),
    sa.Column('revocation_seq', sa.Integer(), nullable=True),
    sa.Column('replaces_id', sa.Integer(), nullable=True),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_cards_household_id_households'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_cards_issued_by_id_users')),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_cards_person_id_persons'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['replaces_id'], ['cards.id'], name=op.f('fk_cards_replaces_id_cards')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cards')),
    sa.UniqueConstraint('number', name=op.f('uq_cards_number'))
    )
    with op.batch_alter_table('cards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cards_holder_ref'), ['holder_ref'], unique=False)
        batch_op.create_index('ix_cards_household_status', ['household_id', 'status'], unique=False)
        batch_op.create_index('ix_cards_person_status', ['person_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_cards_revocation_seq'), ['revocation_seq'], unique=False)

    op.create_table('card_verifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('card_id', sa.Integer(), nullable=True),
    sa.Column('card_number', sa.String(length=12), nullable=True),
    sa.Column('valid', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.String(length=32), nullable=False),
    sa.Column('method', sa.String(length=8), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('at', registry.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['card_id'], ['cards.id'], name=op.f('fk_card_verifications_card_id_cards'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_card_verifications_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_card_verifications'))
    )
    with op.batch_alter_table('card_verifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_card_verifications_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_card_verifications_card_id'), ['card_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('card_verifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_card_verifications_card_id'))
        batch_op.drop_index(batch_op.f('ix_card_verifications_at'))

    op.drop_table('card_verifications')
    with op.batch_alter_table('cards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cards_revocation_seq'))
        batch_op.drop_index('ix_cards_person_status')
        batch_op.drop_index('ix_cards_household_status')
        batch_op.drop_index(batch_op.f('ix_cards_holder_ref'))

    op.drop_table('cards')

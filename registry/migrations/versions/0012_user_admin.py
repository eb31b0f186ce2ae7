"""User administration: a one-time password must be changed; no more per-account lockout.

Failed logins now slow down the address they come from (key-value store), so the per-account
counters that let anyone lock an officer out are dropped.

Revision ID: 0012_user_admin
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

import registry.db

revision = "0012_user_admin"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column(
                "must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
        batch.drop_column("failed_logins")
        batch.drop_column("locked_until")


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("locked_until", registry.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch.add_column(
            sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0")
        )
        batch.drop_column("must_change_password")

"""Voice door: recordings attached to grievances; call backs after missed calls.

Revision ID: 0022_voice
Revises: 0016_cases
"""

import sqlalchemy as sa
from alembic import op

import registry.db

revision = "0022_voice"
down_revision = "0016_cases"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "grievance_recordings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("grievance_id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=20), nullable=False),
        sa.Column("provider_recording_id", sa.String(length=80), nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("duration_seconds", sa.Integer(), nullable=True),
        sa.Column("audio", sa.LargeBinary(), nullable=True),
        sa.Column("missing_reason", sa.String(length=120), nullable=True),
        sa.Column("received_at", registry.db.UTCDateTime(), nullable=False),
        sa.Column("removed_at", registry.db.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["grievance_id"], ["grievances.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("provider", "provider_recording_id", name="uq_grievance_recording"),
    )
    op.create_index(
        op.f("ix_grievance_recordings_grievance_id"),
        "grievance_recordings",
        ["grievance_id"],
        unique=False,
    )
    op.create_table(
        "callback_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("gateway", sa.String(length=20), nullable=False),
        sa.Column("missed_call_key", sa.String(length=100), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("requested_at", registry.db.UTCDateTime(), nullable=False),
        sa.Column("claimed_at", registry.db.UTCDateTime(), nullable=True),
        sa.Column("placed_at", registry.db.UTCDateTime(), nullable=True),
        sa.Column("provider_call_id", sa.String(length=80), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("missed_call_key"),
    )
    op.create_index("ix_callback_due", "callback_requests", ["status", "requested_at"])
    op.create_index(op.f("ix_callback_requests_phone"), "callback_requests", ["phone"])


def downgrade() -> None:
    op.drop_index(op.f("ix_callback_requests_phone"), table_name="callback_requests")
    op.drop_index("ix_callback_due", table_name="callback_requests")
    op.drop_table("callback_requests")
    op.drop_index(op.f("ix_grievance_recordings_grievance_id"), table_name="grievance_recordings")
    op.drop_table("grievance_recordings")

"""Trust and privacy: retention erasures; on PostgreSQL, an append-only audit table.

Revision ID: 0009
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

import registry.db

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# The audit log only grows: even the owner of the table cannot change or remove a row through
# normal SQL (a superuser can still drop the trigger, which the hash chain then reveals).
APPEND_ONLY_FUNCTION = """
CREATE OR REPLACE FUNCTION kinga_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql
"""
TRIGGERS = (
    "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
    "FOR EACH ROW EXECUTE FUNCTION kinga_audit_append_only()",
    "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events "
    "FOR EACH ROW EXECUTE FUNCTION kinga_audit_append_only()",
    "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events "
    "FOR EACH STATEMENT EXECUTE FUNCTION kinga_audit_append_only()",
)


def upgrade() -> None:
    op.create_table(
        "privacy_erasures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=32), nullable=False),
        sa.Column("erased_at", registry.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_privacy_erasures_household_id_households"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_erasures")),
        sa.UniqueConstraint("household_id", name=op.f("uq_privacy_erasures_household_id")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(APPEND_ONLY_FUNCTION)
        for statement in TRIGGERS:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in ("no_update", "no_delete", "no_truncate"):
            op.execute(f"DROP TRIGGER IF EXISTS audit_events_{name} ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS kinga_audit_append_only()")
    op.drop_table("privacy_erasures")

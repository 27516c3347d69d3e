"""record versions: a stale edit is refused, not saved over another's

Every record people edit in a form (products, producers, OCOP certificates, campaigns,
stories, complaints, order requests, users) gets a `version` the mapper counts
(version_id_col); the forms carry it and a save from an older version answers 409
(catalog/web/edit_conflicts.py). Existing rows start at 1.

Revision ID: d13a00000001
Revises: c6433448aae9
Create Date: 2026-12-07 16:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd13a00000001'
down_revision = 'c6433448aae9'
branch_labels = None
depends_on = None

VERSIONED_TABLES = (
    'products',
    'producers',
    'ocop_certificates',
    'campaigns',
    'stories',
    'complaints',
    'order_requests',
    'users',
)


def upgrade():
    for table in VERSIONED_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False)
            )


def downgrade():
    for table in reversed(VERSIONED_TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('version')

"""producer quotas: what a producer account has stored

producer_uploads has one row per distinct photo or certificate scan a producer's accounts
stored, with its bytes; catalog/listings/quotas.py counts them (and the listings created per
day, from the audit log) against CHOVIET_QUOTA_*. Uploads made before this revision are not
counted.

Revision ID: d13a00000003
Revises: d13a00000002
Create Date: 2026-12-07 16:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd13a00000003'
down_revision = 'd13a00000002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('producer_uploads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('producer_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('stored_bytes', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['producer_id'], ['producers.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('producer_id', 'kind', 'name', name='uq_producer_upload')
    )
    with op.batch_alter_table('producer_uploads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_producer_uploads_producer_id'), ['producer_id'], unique=False)


def downgrade():
    with op.batch_alter_table('producer_uploads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_producer_uploads_producer_id'))

    op.drop_table('producer_uploads')

"""seasons and stock (availability, harvest months)

Revision ID: d14a00000002
Revises: d14a00000001
Create Date: 2026-12-07 19:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd14a00000002'
down_revision = 'd14a00000001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.add_column(sa.Column('availability', sa.String(length=20), server_default=sa.text("'in_stock'"), nullable=False))
        batch_op.add_column(sa.Column('harvest_months', sa.Integer(), server_default=sa.text('0'), nullable=False))


def downgrade():
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_column('harvest_months')
        batch_op.drop_column('availability')

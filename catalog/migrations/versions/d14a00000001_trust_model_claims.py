"""trust model: producers' claims kept apart from certificate records (issue 14.1)

Product.claimed_stars / claimed_certificate_no / claimed_certificate_year hold what a
producer declared; Product.ocop_stars and certificate_* stay the copy of the current
OcopCertificate record. OcopCertificate.source tells an official's entry ("official") from a
row of an imported official list ("import"); decision_date_approximate marks a date derived
from a year only (1 January of that year).

The data move (stars without a record become records or claims) is in d14a00000004, once
every claim column exists.

Revision ID: d14a00000001
Revises: d13a00000003
Create Date: 2026-12-07 19:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd14a00000001'
down_revision = 'd13a00000003'
branch_labels = None
depends_on = None

def upgrade():
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_stars', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('claimed_certificate_no', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('claimed_certificate_year', sa.Integer(), nullable=True))
    with op.batch_alter_table('ocop_certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.String(length=20), server_default=sa.text("'official'"), nullable=False))
        batch_op.add_column(sa.Column('decision_date_approximate', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('ocop_certificates', schema=None) as batch_op:
        batch_op.drop_column('decision_date_approximate')
        batch_op.drop_column('source')
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_column('claimed_certificate_year')
        batch_op.drop_column('claimed_certificate_no')
        batch_op.drop_column('claimed_stars')

"""producer verification: what was checked, by whom, when

Revision ID: d14a00000003
Revises: d14a00000002
Create Date: 2026-12-07 19:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd14a00000003'
down_revision = 'd14a00000002'
branch_labels = None
depends_on = None

# Rows marked before the mark had a written meaning keep it, dated by their last change, with
# a note that says so: an official re-verifies (with the evidence) or withdraws it.
LEGACY_NOTE = (
    "Đánh dấu trước khi có quy trình xác minh; chưa ghi lại giấy tờ đã đối chiếu."
)


def upgrade():
    with op.batch_alter_table('producers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('verified_note', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('verified_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('verified_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            'fk_producers_verified_by_id_users', 'users', ['verified_by_id'], ['id']
        )
    producers = sa.table(
        'producers',
        sa.column('verified', sa.Boolean()),
        sa.column('verified_note', sa.Text()),
        sa.column('verified_at', sa.DateTime()),
        sa.column('updated_at', sa.DateTime()),
    )
    op.execute(
        producers.update()
        .where(producers.c.verified == sa.true())
        .values(verified_at=producers.c.updated_at, verified_note=LEGACY_NOTE)
    )


def downgrade():
    with op.batch_alter_table('producers', schema=None) as batch_op:
        batch_op.drop_constraint('fk_producers_verified_by_id_users', type_='foreignkey')
        batch_op.drop_column('verified_by_id')
        batch_op.drop_column('verified_at')
        batch_op.drop_column('verified_note')

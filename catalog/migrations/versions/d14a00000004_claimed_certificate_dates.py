"""claims: the decision and expiry a producer declared, kept with the claimed stars

Data: a product with ocop_stars but no certificate record either came from an imported
official list (source "import": it gets a record, expiry 36 months after the decision, or the
expiry the list gave) or from the producer (any other source: the stars move to claimed_*
and the copy is cleared, so they stop counting as OCOP stars).

A producer's declaration ("OCOP 4 sao, QĐ 123/QĐ-UBND, hết hạn 03/2027") is kept whole in
claimed_* columns until an official records or verifies the certificate or drops the claim;
only certificate records set the product's stars (issue 14.1).

Revision ID: d14a00000004
Revises: d14a00000003
Create Date: 2026-12-07 23:40:00

"""
from datetime import date, datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd14a00000004'
down_revision = 'd14a00000003'
branch_labels = None
depends_on = None

CERTIFICATE_MONTHS = 36


def _add_months(day, months):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, 28 if month == 2 else 30 if month in (4, 6, 9, 11) else 31))


def _as_date(value):
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def upgrade():
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_certificate_decision', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('claimed_certificate_expires_on', sa.Date(), nullable=True))
    _move_uncertified_stars()


def _move_uncertified_stars():
    bind = op.get_bind()
    products = sa.table(
        'products', sa.column('id'), sa.column('source'), sa.column('ocop_stars'),
        sa.column('certificate_no'), sa.column('certificate_decision'),
        sa.column('certificate_year'), sa.column('certificate_expires_on', sa.Date),
        sa.column('certificate_revoked'), sa.column('certificate_verified'),
        sa.column('claimed_stars'), sa.column('claimed_certificate_no'),
        sa.column('claimed_certificate_year'), sa.column('claimed_certificate_decision'),
        sa.column('claimed_certificate_expires_on', sa.Date),
    )
    certificates = sa.table(
        'ocop_certificates', sa.column('product_id'), sa.column('decision_no'),
        sa.column('decision_date', sa.Date), sa.column('issuing_council'), sa.column('stars'),
        sa.column('evaluation_type'), sa.column('expires_on', sa.Date),
        sa.column('certificate_no'), sa.column('source'),
        sa.column('decision_date_approximate'), sa.column('created_at', sa.DateTime),
        sa.column('version'),
    )
    with_record = sa.select(certificates.c.product_id)
    rows = bind.execute(
        sa.select(products).where(
            products.c.ocop_stars.is_not(None), products.c.id.not_in(with_record)
        )
    ).mappings().all()
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    for row in rows:
        if row['source'] == 'import':
            expires_on = _as_date(row['certificate_expires_on'])
            approximate = True
            if row['certificate_year']:
                decided = date(row['certificate_year'], 1, 1)
            elif expires_on is not None:
                decided = _add_months(expires_on, -CERTIFICATE_MONTHS)
            else:
                decided = date(now.year, 1, 1)
            bind.execute(certificates.insert().values(
                product_id=row['id'],
                decision_no=row['certificate_decision'] or row['certificate_no'] or 'Theo danh sách nhập',
                decision_date=decided, issuing_council='Theo danh sách OCOP đã nhập',
                stars=row['ocop_stars'], evaluation_type='new',
                expires_on=expires_on or date(decided.year + 3, 12, 31),
                certificate_no=row['certificate_no'], source='import',
                decision_date_approximate=approximate, created_at=now, version=1,
            ))
            continue
        bind.execute(products.update().where(products.c.id == row['id']).values(
            claimed_stars=row['ocop_stars'], claimed_certificate_no=row['certificate_no'],
            claimed_certificate_year=row['certificate_year'],
            claimed_certificate_decision=row['certificate_decision'],
            claimed_certificate_expires_on=_as_date(row['certificate_expires_on']), ocop_stars=None,
            certificate_no=None, certificate_decision=None, certificate_year=None,
            certificate_expires_on=None, certificate_revoked=False,
            certificate_verified=False,
        ))


def downgrade():
    # Claims go back into the copy columns where no record took their place (the pre-14.1
    # shape); records stay, as records.
    bind = op.get_bind()
    products = sa.table(
        'products', sa.column('ocop_stars'), sa.column('certificate_no'),
        sa.column('certificate_year'), sa.column('certificate_decision'),
        sa.column('certificate_expires_on', sa.Date), sa.column('claimed_stars'),
        sa.column('claimed_certificate_no'), sa.column('claimed_certificate_year'),
        sa.column('claimed_certificate_decision'),
        sa.column('claimed_certificate_expires_on', sa.Date),
    )
    bind.execute(products.update().where(
        products.c.ocop_stars.is_(None), products.c.claimed_stars.is_not(None)
    ).values(
        ocop_stars=products.c.claimed_stars, certificate_no=products.c.claimed_certificate_no,
        certificate_year=products.c.claimed_certificate_year,
        certificate_decision=products.c.claimed_certificate_decision,
        certificate_expires_on=products.c.claimed_certificate_expires_on,
    ))
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_column('claimed_certificate_expires_on')
        batch_op.drop_column('claimed_certificate_decision')

"""The bulk importer: validation per row, idempotence, legacy provinces, the CLI report."""

from __future__ import annotations

import unicodedata

import pytest
from sqlalchemy import func, select

from catalog.extensions import db
from catalog.imports.import_files import ImportFileError
from catalog.imports.imports import import_csv
from catalog.models import IndexOutbox, Producer, Product
from tests.helpers import csv_bytes, row


def count(model) -> int:  # type: ignore[no-untyped-def]
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_sparse_row_with_only_required_columns_is_loaded(app):
    data = csv_bytes(
        {
            "product_name": "Miến dong",
            "producer_name": "HTX Miến dong Bình Liêu",
            "province": "Quảng Ninh",
        }
    )
    report = import_csv(data)
    assert report.ok and report.products_created == 1
    product = db.session.scalar(select(Product))
    assert product.category is None and product.ocop_stars is None
    assert product.status == "published"
    assert product.producer.type == "hop_tac_xa"  # inferred from "HTX"


def test_legacy_province_resolves_and_is_remembered(app):
    import_csv(csv_bytes(row()))
    product = db.session.scalar(select(Product))
    assert product.province.name == "Bắc Ninh"
    assert product.province_recorded_as == "Bắc Giang"


def test_current_province_name_is_not_recorded_as_legacy(app):
    import_csv(csv_bytes(row(province="Tỉnh Bắc Ninh")))
    product = db.session.scalar(select(Product))
    assert product.province.name == "Bắc Ninh"
    assert product.province_recorded_as is None


def test_import_twice_changes_nothing(app):
    data = csv_bytes(row(), row(product_name="Nhãn muộn", ocop_stars=""))
    first = import_csv(data)
    assert (first.products_created, first.producers_created) == (2, 1)
    db.session.execute(IndexOutbox.__table__.delete())
    db.session.commit()
    second = import_csv(data)
    assert second.products_created == 0 and second.products_updated == 0
    assert second.producers_created == 0 and second.producers_updated == 0
    assert second.products_unchanged == 2
    assert count(Product) == 2 and count(Producer) == 1
    assert count(IndexOutbox) == 0  # nothing changed, nothing to re-index


def test_messy_names_match_existing_rows(app):
    import_csv(csv_bytes(row(product_name="Trà hoa vàng", producer_name="HTX Thủy Sơn")))
    messy = row(product_name="  trà  hoa vàng ", producer_name="HTX Thuỷ  Sơn ")
    report = import_csv(csv_bytes(messy))
    assert report.products_created == 0 and report.producers_created == 0
    assert count(Product) == 1


def test_text_is_stored_nfc_and_trimmed(app):
    nfd = unicodedata.normalize("NFD", "Bánh đậu xanh Hải Dương")
    import_csv(csv_bytes(row(product_name=f"  {nfd}  ", province="Hải Dương")))
    product = db.session.scalar(select(Product))
    assert product.name == "Bánh đậu xanh Hải Dương"
    assert unicodedata.is_normalized("NFC", product.name)


def test_producer_matched_by_tax_code_before_name(app):
    import_csv(csv_bytes(row(tax_code="0100109106", producer_name="Công ty A")))
    report = import_csv(
        csv_bytes(
            row(tax_code="0100109106", producer_name="Công ty A", product_name="Sản phẩm khác")
        )
    )
    assert report.producers_created == 0
    assert count(Producer) == 1


@pytest.mark.parametrize(
    ("column", "value", "fragment"),
    [
        ("ocop_stars", "6", "3, 4 hoặc 5"),
        ("ocop_stars", "abc", "3, 4 hoặc 5"),
        ("tax_code", "0100109107", "Mã số thuế"),  # wrong check digit
        ("tax_code", "12345", "Mã số thuế"),
        ("category", "Điện tử", "sáu nhóm"),
        ("province", "Atlantis", "Không nhận ra"),
        ("price_vnd", "-5", "Giá"),
        ("phone", "12345", "điện thoại"),
        ("producer_type", "tập đoàn", "Loại chủ thể"),
        ("product_name", "", "Bắt buộc"),
        ("producer_name", "   ", "Bắt buộc"),
        ("certificate_year", "1890", "Năm"),
    ],
)
def test_invalid_value_is_reported_with_line_and_column(app, column, value, fragment):
    data = csv_bytes(row(product_name="Tốt"), row(**{column: value}))
    report = import_csv(data)
    assert [(e.line, e.column) for e in report.errors] == [(3, column)]
    assert fragment in report.errors[0].reason
    assert report.products_created == 1  # the good row is loaded all the same


def test_accepts_valid_tax_codes_and_personal_id(app):
    rows = [
        row(product_name="A", producer_name="Công ty A", tax_code="0100109106"),
        row(product_name="B", producer_name="Công ty B", tax_code="0100109106-001"),
        row(product_name="C", producer_name="Hộ kinh doanh C", tax_code="001085012345"),
    ]
    report = import_csv(csv_bytes(*rows))
    assert report.ok, report.errors
    codes = set(db.session.scalars(select(Producer.tax_code)))
    assert codes == {"0100109106", "0100109106-001", "001085012345"}


def test_wrong_header_is_refused_whole(app):
    with pytest.raises(ImportFileError):
        import_csv(b"name,province\nA,B\n")
    with pytest.raises(ImportFileError):
        import_csv("tên".encode("utf-16"))


def test_hostile_cells_do_not_break_import(app):
    hostile = row(
        product_name="<script>alert(1)</script>",
        description="'; DROP TABLE products; --\x00\x07",
        producer_name="Hộ kinh doanh \u202eevil",
    )
    report = import_csv(csv_bytes(hostile, row(product_name="x" * 500)))
    assert report.products_created == 1
    assert [e.column for e in report.errors] == ["product_name"]
    product = db.session.scalar(select(Product))
    assert product.name == "<script>alert(1)</script>"
    assert "\x00" not in product.description


def test_dry_run_writes_nothing(app):
    report = import_csv(csv_bytes(row(), row(ocop_stars="9")), dry_run=True)
    assert report.products_created == 1 and len(report.errors) == 1
    assert count(Product) == 0 and count(Producer) == 0 and count(IndexOutbox) == 0


def test_import_queues_index_changes_in_the_same_transaction(app, monkeypatch):
    from catalog import database

    monkeypatch.setattr(database, "_after_commit", {})  # keep the rows: no sync after commit
    report = import_csv(csv_bytes(row(), row(product_name="Nhãn")))
    queued = set(db.session.scalars(select(IndexOutbox.product_id)))
    assert queued == set(report.product_ids)


def test_cli_import_reports_rejected_rows_and_exits_nonzero(app, runner, tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes(csv_bytes(row(), row(ocop_stars="7", product_name="Hỏng")))
    result = runner.invoke(args=["catalog", "import", str(path)])
    assert result.exit_code == 1
    assert "dòng 3, cột ocop_stars" in result.output
    assert "1 dòng bị từ chối" in result.output
    assert count(Product) == 1


def test_cli_dry_run_and_clean_file_exit_zero(app, runner, tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes(csv_bytes(row()))
    dry = runner.invoke(args=["catalog", "import", "--dry-run", str(path)])
    assert dry.exit_code == 0 and count(Product) == 0
    real = runner.invoke(args=["catalog", "import", str(path)])
    assert real.exit_code == 0 and count(Product) == 1


def test_cli_bad_header_exits_2(app, runner, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    result = runner.invoke(args=["catalog", "import", str(path)])
    assert result.exit_code == 2
    assert "tiêu đề" in result.output


def test_formula_guard_apostrophes_from_our_exports_are_taken_off(app):
    """Open-data and report exports prefix "=…", "-…" with an apostrophe; re-importing such a
    file must give back the original text, not "'-…"."""
    from catalog.imports.import_files import read_csv

    data = csv_bytes(row(description="'- ăn kèm bún đậu", address="'=1+1", unit="'kg"))
    ((_, raw),) = list(read_csv(data))
    assert raw["description"] == "- ăn kèm bún đậu"
    assert raw["address"] == "=1+1"
    assert raw["unit"] == "'kg"  # an apostrophe before ordinary text is the user's own

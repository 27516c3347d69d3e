"""Officials' web import: CSV and XLSX upload, dry-run preview, confirm once, scope, audit,
hostile files."""

from __future__ import annotations

import io
import zipfile
from datetime import date

from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from catalog.extensions import db
from catalog.imports import web_imports
from catalog.imports.import_files import cell_text
from catalog.imports.import_rows import COLUMNS
from catalog.models import AuditEntry, ImportBatch, Producer, Product
from tests.factories import create_user
from tests.forms import post_form
from tests.helpers import csv_bytes, row

PAGE = "/quan-ly/nhap-danh-sach"


def bac_ninh_official():  # type: ignore[no-untyped-def]
    return create_user("official", provinces=("Bắc Ninh",))


def xlsx_bytes(*rows: dict, header: tuple[str, ...] = COLUMNS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for values in rows:
        sheet.append([values.get(name) for name in header])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(client, data: bytes, name: str = "danh-sach.csv"):  # type: ignore[no-untyped-def]
    return post_form(client, PAGE, {"file": (io.BytesIO(data), name)})


def batch_id(response) -> int:  # type: ignore[no-untyped-def]
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def products() -> int:
    return db.session.scalar(select(func.count(Product.id)))


def test_csv_preview_then_confirm(client, login_as):
    login_as(bac_ninh_official())
    data = csv_bytes(
        row(),
        row(product_name="Nhãn lồng", ocop_stars="3"),
        row(product_name="Gà Đông Tảo", ocop_stars="9"),
    )
    bid = batch_id(upload(client, data))
    assert products() == 0  # a preview writes nothing but the batch
    page = client.get(f"{PAGE}/{bid}").get_data(as_text=True)
    assert "Vải thiều Lục Ngạn" in page and "Tạo mới" in page
    assert "Số sao OCOP phải là 3, 4 hoặc 5" in page and ">4<" in page  # row 4 of the file
    preview = db.session.get(ImportBatch, bid).preview
    assert preview["counts"]["products_created"] == 2
    assert preview["counts"]["producers_created"] == 1
    assert preview["errors"] == [
        {
            "line": 4,
            "column": "ocop_stars",
            "reason": "Số sao OCOP phải là 3, 4 hoặc 5 (để trống nếu chưa được chứng nhận).",
        }
    ]
    assert [o["product_action"] for o in preview["outcomes"]] == ["created", "created"]
    confirmed = post_form(client, f"{PAGE}/{bid}/xac-nhan", {}, form_url=f"{PAGE}/{bid}")
    assert confirmed.status_code == 302
    assert products() == 2
    made = db.session.scalars(select(Product)).all()
    assert {p.source for p in made} == {"import"}
    assert db.session.scalar(select(Producer)).source == "import"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "import_confirmed"))
    assert entry.entity_id == bid and entry.after["products_created"] == 2
    assert entry.entity_type == "import" and entry.actor_id is not None
    assert entry.after["file"] == "danh-sach.csv"
    # a second confirmation is refused politely and changes nothing
    again = post_form(client, f"{PAGE}/{bid}/xac-nhan", {}, form_url=f"{PAGE}/{bid}")
    assert again.status_code == 409 and "đã được nhập" in again.get_data(as_text=True)
    assert products() == 2
    assert (
        db.session.scalar(
            select(func.count(AuditEntry.id)).where(AuditEntry.action == "import_confirmed")
        )
        == 1
    )


def test_second_upload_previews_updates(client, login_as):
    login_as(bac_ninh_official())
    bid = batch_id(upload(client, csv_bytes(row())))
    post_form(client, f"{PAGE}/{bid}/xac-nhan", {}, form_url=f"{PAGE}/{bid}")
    again = batch_id(upload(client, csv_bytes(row(price_vnd="50000"), row(product_name="Nhãn"))))
    preview = db.session.get(ImportBatch, again).preview
    actions = [(o["product_action"], o["producer_action"]) for o in preview["outcomes"]]
    assert actions == [("updated", "unchanged"), ("created", "unchanged")]


def test_xlsx_preview_and_confirm_with_typed_cells(client, login_as):
    login_as(bac_ninh_official())
    data = xlsx_bytes(
        {
            **row(),
            "ocop_stars": 4,
            "price_vnd": 45000.0,
            "certificate_year": date(2024, 3, 1),
            "tax_code": "0100109106",
            "phone": "0912345678",
        },
        {**row(product_name="Mì Chũ"), "ocop_stars": 3.0, "certificate_year": 2023.0},
        {**row(product_name="Nhãn"), "description": "=1+2", "unit": "@SUM(A1)"},
        {**row(), "product_name": '=HYPERLINK("http://x")'},  # a formula without saved value
    )
    bid = batch_id(upload(client, data, "Danh sach.XLSX"))
    batch = db.session.get(ImportBatch, bid)
    assert batch.file_format == "xlsx" and batch.preview["counts"]["products_created"] == 3
    assert [(e["line"], e["column"]) for e in batch.preview["errors"]] == [(5, "product_name")]
    post_form(client, f"{PAGE}/{bid}/xac-nhan", {}, form_url=f"{PAGE}/{bid}")
    vai = db.session.scalar(select(Product).where(Product.name == "Vải thiều Lục Ngạn"))
    assert vai.price_vnd == 45000 and vai.certificate_year == 2024 and vai.ocop_stars == 4
    assert vai.producer.tax_code == "0100109106"
    nhan = db.session.scalar(select(Product).where(Product.name == "Nhãn"))
    # openpyxl wrote "=1+2" as a formula with no saved value: never evaluated, left empty
    assert nhan.description == "" and nhan.unit == "@SUM(A1)"


def test_cell_text_keeps_numbers_whole():
    assert cell_text(123456789.0) == "123456789"
    assert cell_text(2024.0, "certificate_year") == "2024"
    assert cell_text(1.5) == "1.5"
    assert cell_text(date(2026, 11, 23)) == "23/11/2026"
    assert cell_text(date(2026, 11, 23), "certificate_year") == "2026"
    assert cell_text(None) == "" and cell_text(True) == "1"


def test_rows_of_other_provinces_are_refused(client, login_as):
    login_as(create_user("official", provinces=("Cao Bằng",)))
    data = csv_bytes(row(province="Cao Bằng", product_name="Hạt dẻ"), row())
    bid = batch_id(upload(client, data))
    preview = db.session.get(ImportBatch, bid).preview
    assert preview["counts"]["products_created"] == 1
    assert preview["errors"] == [
        {"line": 3, "column": "province", "reason": "Bạn không phụ trách tỉnh/thành phố Bắc Ninh."}
    ]
    post_form(client, f"{PAGE}/{bid}/xac-nhan", {}, form_url=f"{PAGE}/{bid}")
    assert [p.name for p in db.session.scalars(select(Product))] == ["Hạt dẻ"]


def test_only_the_uploader_or_an_admin_confirms(app, client, login_as):
    login_as(bac_ninh_official())
    bid = batch_id(upload(client, csv_bytes(row())))
    colleague = bac_ninh_official()
    login_as(colleague)
    page = client.get(f"{PAGE}/{bid}")
    assert page.status_code == 200 and "Chỉ người đã tải tệp lên" in page.get_data(as_text=True)
    token_page = client.get(PAGE).get_data(as_text=True)
    from tests.forms import find_csrf_token

    token = find_csrf_token(token_page)
    assert client.post(f"{PAGE}/{bid}/xac-nhan", data={"csrf_token": token}).status_code == 403
    assert client.post(f"{PAGE}/{bid}/huy", data={"csrf_token": token}).status_code == 403
    login_as(create_user("official", provinces=("Cao Bằng",)))
    assert client.get(f"{PAGE}/{bid}").status_code == 403
    assert client.get(f"{PAGE}/999999").status_code == 404
    login_as("producer")
    assert client.get(PAGE).status_code == 403
    login_as("admin")
    assert post_form(client, f"{PAGE}/{bid}/xac-nhan", {}, form_url=PAGE).status_code == 302
    assert products() == 1


def test_discard_then_confirm_is_refused(client, login_as):
    login_as(bac_ninh_official())
    bid = batch_id(upload(client, csv_bytes(row())))
    assert post_form(client, f"{PAGE}/{bid}/huy", {}, form_url=PAGE).status_code == 302
    assert db.session.get(ImportBatch, bid).status == "discarded"
    refused = post_form(client, f"{PAGE}/{bid}/xac-nhan", {}, form_url=PAGE)
    assert refused.status_code == 409 and products() == 0
    missing_csrf = client.post(f"{PAGE}/{bid}/xac-nhan")
    assert missing_csrf.status_code == 400


def bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<x>" + b" " * (80 * 1024 * 1024) + b"</x>")
    return out.getvalue()


def test_hostile_files_are_refused_with_a_message(client, login_as, monkeypatch):
    login_as(bac_ninh_official())
    monkeypatch.setattr(web_imports, "MAX_BYTES", 200_000)  # keeps the test's upload small
    cases = {
        ("junk.xlsx", b"\x00\x01binary junk" * 100): "không phải bảng tính Excel",
        ("junk.csv", b"\xff\xfe\x00\x00junk"): "UTF-8",
        ("bomb.xlsx", bomb()): "quá lớn khi giải nén",
        ("fake.xlsx", b"PK\x03\x04" + b"\x00" * 200): "không phải bảng tính Excel",
        ("zip.csv", b"PK\x03\x04rest"): "đuôi .xlsx",
        ("list.exe", b"MZ..."): "Chỉ nhận tệp",
        ("header.csv", b"name,province\nA,B\n"): "Dòng tiêu đề",
        ("empty.csv", b""): "Tệp rỗng",
        ("big.csv", b"a" * 200_001): "Tệp quá lớn",
        ("wrong.xlsx", xlsx_bytes(row(), header=("name", "province"))): "Dòng tiêu đề",
    }
    for (name, data), message in cases.items():
        response = upload(client, data, name)
        assert response.status_code == 422, name
        assert message in response.get_data(as_text=True), name
    assert db.session.scalar(select(func.count(ImportBatch.id))) == 0


def test_row_cap_and_bom(client, login_as, monkeypatch):
    login_as(bac_ninh_official())
    monkeypatch.setattr(web_imports, "MAX_ROWS", 2)
    too_many = upload(client, csv_bytes(row(), row(product_name="B"), row(product_name="C")))
    assert too_many.status_code == 422 and "quá 2 dòng" in too_many.get_data(as_text=True)
    bid = batch_id(upload(client, b"\xef\xbb\xbf" + csv_bytes(row())))
    assert db.session.get(ImportBatch, bid).preview["counts"]["products_created"] == 1


def test_templates_download_with_the_right_header(client, login_as):
    login_as(bac_ninh_official())
    text = client.get(f"{PAGE}/mau.csv").data.decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(COLUMNS)
    workbook = load_workbook(io.BytesIO(client.get(f"{PAGE}/mau.xlsx").data), read_only=True)
    header = next(workbook.active.iter_rows(max_row=1, values_only=True))
    workbook.close()
    assert tuple(header) == COLUMNS


def test_cli_imports_xlsx(runner, tmp_path):
    path = tmp_path / "list.xlsx"
    path.write_bytes(xlsx_bytes(row(), row(product_name="Nhãn")))
    result = runner.invoke(args=["catalog", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert products() == 2
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a workbook")
    assert runner.invoke(args=["catalog", "import", str(junk)]).exit_code == 2

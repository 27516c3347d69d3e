"""The producer's dashboard and business profile: validation in Vietnamese, the province →
ward choice with and without JavaScript, the logo, and claims of a tax code already listed."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from catalog.extensions import db
from catalog.listings import profiles
from catalog.models import AuditEntry, Producer, ProducerClaim
from catalog.platform import reference
from tests.factories import create_producer, province
from tests.forms import post_form
from tests.listings.support import (
    PRODUCERS,
    VALID_MST,
    cao_bang_ward,
    file,
    jpeg,
    owner,
    png,
    profile_data,
)

PROFILE = f"{PRODUCERS}/ho-so"


@pytest.fixture
def user(login_as):  # type: ignore[no-untyped-def]
    return login_as(owner(status="pending"))


def save(client, **overrides: Any):  # type: ignore[no-untyped-def]
    return post_form(client, PROFILE, profile_data(**overrides))


def text(response) -> str:  # type: ignore[no-untyped-def]
    return response.get_data(as_text=True)


def served(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with client.get(url) as response:
        return response.status_code


def fresh(producer: Producer) -> Producer:
    db.session.expire_all()
    return db.session.get(Producer, producer.id)


# -- dashboard -----------------------------------------------------------------------------


def test_dashboard_shows_status_checklist_and_what_to_do_next(client, user):
    page = text(client.get(f"{PRODUCERS}/"))
    assert "Đang chờ duyệt hồ sơ" in page
    for step in ("Xác nhận địa chỉ e-mail", "Hoàn thiện hồ sơ cơ sở", "Thêm sản phẩm đầu tiên"):
        assert step in page
    assert "Còn thiếu: loại hình, mã số thuế" in page
    assert "Cơ sở chưa có sản phẩm nào" in page


def test_dashboard_shows_the_officials_note_when_changes_are_requested(client, login_as):
    producer = create_producer(status="changes_requested", review_note="Bổ sung giấy phép.")
    login_as(owner_of(producer))
    page = text(client.get(f"{PRODUCERS}/"))
    assert "Cần bổ sung hồ sơ" in page and "Bổ sung giấy phép." in page


def owner_of(producer: Producer):  # type: ignore[no-untyped-def]
    from tests.factories import create_user

    return create_user("producer", producer=producer)


@pytest.mark.parametrize(
    ("status", "label"),
    [("active", "Đang hoạt động"), ("rejected", "Hồ sơ chưa được chấp nhận")],
)
def test_dashboard_status_labels(client, login_as, status, label):
    login_as(owner(status=status))
    assert label in text(client.get(f"{PRODUCERS}/"))


# -- saving the profile --------------------------------------------------------------------


def test_valid_profile_is_saved_normalised_and_audited(client, user):
    response = save(client)
    assert response.status_code == 302
    producer = fresh(user.producer)
    ward_code, ward_name = cao_bang_ward()
    assert producer.tax_code == VALID_MST and producer.type == "hop_tac_xa"
    assert (producer.ward_code, producer.ward_name) == (ward_code, ward_name)
    assert producer.phone == "0912345678"
    assert producer.website == "https://hatde.example.vn"
    assert producer.facebook_url == "https://facebook.com/hatdetrungkhanh"
    assert producer.representative == "Nông Văn Thành"
    assert profiles.missing_fields(producer) == []
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "profile.update")
    ).one()
    assert entry.actor_id == user.id and entry.after["tax_code"] == VALID_MST
    page = text(client.get(f"{PRODUCERS}/"))
    assert "Đã lưu hồ sơ cơ sở." in page


@pytest.mark.parametrize(
    ("kind", "typed", "stored"),
    [
        ("hop_tac_xa", "0100109106", "0100109106"),
        ("doanh_nghiep", "0100 109 106", "0100109106"),
        ("doanh_nghiep", "0100109106-001", "0100109106-001"),
        ("ho_kinh_doanh", "001204567890", "001204567890"),
        ("to_hop_tac", "", None),
    ],
)
def test_valid_tax_codes(client, user, kind, typed, stored):
    assert save(client, type=kind, tax_code=typed).status_code == 302
    assert fresh(user.producer).tax_code == stored


@pytest.mark.parametrize(
    ("kind", "typed", "message"),
    [
        ("hop_tac_xa", "0100109107", "Mã số thuế không hợp lệ"),  # wrong check digit
        ("doanh_nghiep", "010010910", "Mã số thuế không hợp lệ"),  # 9 digits
        ("doanh_nghiep", "01001O9106", "Mã số thuế không hợp lệ"),  # a letter O
        ("doanh_nghiep", "001204567890", "dùng mã số thuế 10 số"),  # personal ID for a company
        ("hop_tac_xa", "", "Vui lòng nhập mã số thuế"),
    ],
)
def test_invalid_tax_codes_are_refused_in_vietnamese(client, user, kind, typed, message):
    response = save(client, type=kind, tax_code=typed)
    assert response.status_code == 422
    page = text(response)
    assert message in page and "Vui lòng sửa những chỗ sau" in page
    assert 'value="Hợp tác xã Hạt dẻ Trùng Khánh"' in page  # what was typed is kept
    assert fresh(user.producer).tax_code is None


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0912 345 678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("024 3812 3456", "02438123456"),
    ],
)
def test_phone_numbers_are_normalised(client, user, typed, stored):
    assert save(client, phone=typed).status_code == 302
    assert fresh(user.producer).phone == stored


@pytest.mark.parametrize("typed", ["12345", "0123456789", "abc"])
def test_invalid_phone_numbers_are_refused(client, user, typed):
    response = save(client, phone=typed)
    assert response.status_code == 422 and "Số điện thoại không đúng" in text(response)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("facebook_url", "evil.example.com/page", "đường dẫn trang Facebook"),
        ("zalo", "zalo.evil.example", "Zalo"),
        ("email", "not-an-email", "e-mail không hợp lệ"),
        ("type", "cong_ty_ma", "chọn một mục trong danh sách"),
        ("province_id", "999", "chọn một mục trong danh sách"),
        ("name", "", "Vui lòng điền mục này"),
    ],
)
def test_other_fields_are_validated(client, user, name, value, message):
    response = save(client, **{name: value})
    assert response.status_code == 422 and message in text(response)


def test_a_ward_must_belong_to_the_chosen_province(client, user):
    hanoi = province("Hà Nội").id
    response = save(client, province_id=str(hanoi), wards_for=str(hanoi))  # a Cao Bằng ward
    assert response.status_code == 422
    assert "không thuộc tỉnh đã chọn" in text(response)
    assert fresh(user.producer).ward_code is None


def test_the_service_refuses_a_ward_of_another_province_whoever_calls(app, user):
    ward_code, _ = cao_bang_ward()
    with pytest.raises(profiles.ProfileError, match="không thuộc tỉnh"):
        profiles.update_profile(
            user, {"province_id": province("Hà Nội").id, "ward_code": ward_code}
        )


def test_choosing_a_province_without_javascript_keeps_what_was_typed(client, user):
    hanoi = province("Hà Nội").id
    response = save(client, province_id=str(hanoi), action="chon-tinh", name="Tên đang gõ dở")
    assert response.status_code == 200
    page = text(response)
    first_hanoi_ward = reference.wards_of(hanoi)[0][1]
    assert first_hanoi_ward in page and cao_bang_ward()[1] not in page
    assert 'value="Tên đang gõ dở"' in page and "Đã hiện danh sách phường, xã của Hà Nội" in page
    assert fresh(user.producer).name != "Tên đang gõ dở"  # nothing saved yet


def test_pressing_enter_with_the_province_unchanged_saves(client, user):
    # Enter "presses" the first button of the form: the province button.
    assert save(client, action="chon-tinh").status_code == 302
    assert fresh(user.producer).tax_code == VALID_MST


def test_ward_list_endpoint_for_the_script(client, user):
    cao_bang = province("Cao Bằng").id
    response = client.get(f"{PRODUCERS}/phuong-xa?tinh={cao_bang}")
    assert response.status_code == 200
    wards = response.get_json()["wards"]
    assert [(w["code"], w["name"]) for w in wards] == list(reference.wards_of(cao_bang))
    assert client.get(f"{PRODUCERS}/phuong-xa?tinh=abc").status_code == 404
    assert client.get(f"{PRODUCERS}/phuong-xa?tinh=9999").get_json() == {"wards": []}


def test_hostile_input_is_cleaned_or_refused(client, user):
    assert save(client, name="HTX\x00 Hạt dẻ\x07  Trùng\u200b Khánh").status_code == 302
    assert "\x00" not in fresh(user.producer).name and "\x07" not in fresh(user.producer).name
    response = save(client, name="A" * 100_000, description="x" * 50_000)
    assert response.status_code == 422
    assert "Tối đa 200 ký tự" in text(response) and "Tối đa 3000 ký tự" in text(response)


def test_editing_after_changes_were_requested_sends_the_profile_back(client, login_as):
    producer = create_producer(status="changes_requested", review_note="Thiếu mã số thuế.")
    login_as(owner_of(producer))
    assert save(client).status_code == 302
    assert fresh(producer).status == "pending"


def test_changing_the_legal_name_of_a_verified_producer_drops_the_badge(client, login_as):
    producer = create_producer(verified=True, tax_code=VALID_MST)
    login_as(owner_of(producer))
    assert save(client, name="Tên pháp lý mới").status_code == 302
    assert fresh(producer).verified is False


# -- logo ----------------------------------------------------------------------------------


def test_logo_is_stored_through_the_image_pipeline_and_served(client, user):
    response = post_form(
        client,
        PROFILE,
        {**profile_data(), "logo": file(png(), "logo.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    digest = fresh(user.producer).logo_digest
    assert digest and served(client, f"/anh/{digest}-thumb.webp") == 200
    assert f"/anh/{digest}-thumb.webp" in text(client.get(PROFILE))


def test_a_broken_logo_is_refused_next_to_the_field_keeping_the_rest(client, user):
    response = post_form(
        client,
        PROFILE,
        {**profile_data(), "logo": file(jpeg()[:200], "logo.jpg")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    page = text(response)
    assert "Tệp ảnh bị hỏng" in page
    assert 'value="Hợp tác xã Hạt dẻ Trùng Khánh"' in page
    assert fresh(user.producer).logo_digest is None


# -- a tax code already in the catalogue ---------------------------------------------------


def listed(status: str = "active") -> Producer:
    return create_producer(
        "HTX Chè Tân Cương",
        status=status,
        tax_code=VALID_MST,
        phone="0987654321",
        email="rieng-tu@example.vn",
        address="Số 9 đường Bí Mật",
        representative="Người Đại Diện Riêng",
    )


def test_a_taken_tax_code_offers_a_claim_and_reveals_only_the_public_name(client, user):
    other = listed()
    response = save(client)
    assert response.status_code == 422
    page = text(response)
    assert "Mã số thuế này đã có trong danh mục" in page and "HTX Chè Tân Cương" in page
    assert f"nhan-quan-ly?mst={VALID_MST}" in page
    for private in ("0987654321", "rieng-tu@example.vn", "Bí Mật", "Người Đại Diện Riêng"):
        assert private not in page
    assert fresh(user.producer).tax_code is None and fresh(other).tax_code == VALID_MST


def test_a_taken_tax_code_of_a_producer_not_yet_public_does_not_reveal_its_name(client, user):
    listed(status="pending")
    page = text(save(client))
    assert "đã được đăng ký cho một cơ sở khác" in page and "HTX Chè Tân Cương" not in page


def test_claiming_a_listed_producer_waits_for_an_official(client, user):
    other = listed()
    claim_url = f"{PROFILE}/nhan-quan-ly"
    assert "HTX Chè Tân Cương" in text(client.get(f"{claim_url}?mst={VALID_MST}"))
    data = {"tax_code": VALID_MST, "message": "Tôi là chủ nhiệm HTX, số máy 0912 345 678."}

    assert post_form(client, claim_url, data).status_code == 302
    assert post_form(client, claim_url, data).status_code == 302  # twice: still one claim

    claim = db.session.scalars(select(ProducerClaim)).one()
    assert (claim.producer_id, claim.user_id, claim.status) == (other.id, user.id, "pending")
    assert user.producer_id != other.id  # nothing handed over before an official decides
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "claim.create")).one()
    assert entry.entity_id == other.id and entry.actor_id == user.id
    page = text(client.get(f"{PRODUCERS}/"))
    assert "Yêu cầu quản lý hồ sơ" in page and "Đang chờ xác minh" in page


def test_claiming_an_unknown_or_own_tax_code_is_refused(client, user):
    claim_url = f"{PROFILE}/nhan-quan-ly"
    response = post_form(client, claim_url, {"tax_code": VALID_MST, "message": "Xin nhận."})
    assert response.status_code == 422 and "Không tìm thấy cơ sở" in text(response)
    save(client)
    response = post_form(client, claim_url, {"tax_code": VALID_MST, "message": "Xin nhận."})
    assert response.status_code == 422 and "đã quản lý cơ sở này" in text(response)
    assert db.session.scalars(select(ProducerClaim)).all() == []


def test_the_ward_select_offers_the_filter_box_like_checkout(client, user):
    """site.js puts a filter box above a list of 100+ wards when the select names its label
    (data-filter-label), as at checkout; without JS the plain select still works."""
    page = text(client.get(PROFILE))
    select = re.search(r"<select[^>]*name=\"ward_code\"[^>]*>", page).group(0)
    assert 'data-filter-label="Tìm nhanh phường, xã: gõ vài chữ trong tên"' in select
    province_select = re.search(r"<select[^>]*name=\"province_id\"[^>]*>", page).group(0)
    assert "data-wards-url=" in province_select  # the script that adds the box runs here

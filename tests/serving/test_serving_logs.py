"""Request ids and structured logs: one JSON line per request with the fields an operator
searches by, the id echoed to the client and stamped on error records, no secrets."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest

from catalog.serving.request_log import (
    JsonFormatter,
    RequestIdFilter,
    configure_logging,
    request_id_from,
)
from tests.conftest import close_app, make_app
from tests.factories import PASSWORD, create_user
from tests.forms import post_form

LOGIN = "/tai-khoan/dang-nhap"
HEX_ID = re.compile(r"[0-9a-f]{32}")


def json_lines(caplog: pytest.LogCaptureFixture, logger: str = "catalog.request") -> list[dict]:
    """The records as our JSON formatter writes them (with the request id filter applied)."""
    formatter, stamp = JsonFormatter(), RequestIdFilter()
    lines = []
    for record in caplog.records:
        if record.name == logger:
            stamp.filter(record)
            lines.append(json.loads(formatter.format(record)))
    return lines


@pytest.mark.parametrize(
    ("incoming", "kept"),
    [
        ("abc-123_X.y", True),
        ("a" * 64, True),
        ("a" * 65, False),
        ("bad id", False),
        ("x;rm -rf", False),
        ("", False),
        ("nhật", False),
    ],
)
def test_incoming_request_ids_are_kept_only_when_sane(incoming, kept):
    result = request_id_from(incoming)
    assert (result == incoming) is kept
    if not kept:
        assert HEX_ID.fullmatch(result)


def test_each_request_gets_an_id_echoed_and_logged(client, caplog):
    caplog.set_level(logging.INFO, logger="catalog.request")
    first = client.get("/")
    second = client.get("/", headers={"X-Request-ID": "lb-42.a_b"})
    assert HEX_ID.fullmatch(first.headers["X-Request-ID"])
    assert second.headers["X-Request-ID"] == "lb-42.a_b"
    lines = json_lines(caplog)
    assert [line["request_id"] for line in lines] == [first.headers["X-Request-ID"], "lb-42.a_b"]
    line = lines[1]
    assert {"ts", "level", "logger", "request_id", "method", "path", "status"} <= set(line)
    assert line["method"] == "GET" and line["path"] == "/" and line["status"] == 200
    assert line["level"] == "INFO" and line["logger"] == "catalog.request"
    assert line["duration_ms"] >= 0 and line["remote_addr"] == "127.0.0.1"
    assert line["user_id"] is None


def test_the_signed_in_user_is_logged_by_id(client, login_as, caplog):
    user = login_as("producer")
    caplog.set_level(logging.INFO, logger="catalog.request")
    client.get("/co-so-cua-toi/")
    assert json_lines(caplog)[-1]["user_id"] == user.id


def test_final_statuses_are_logged(client, caplog):
    caplog.set_level(logging.INFO, logger="catalog.request")
    client.get("/khong-co-trang-nay")
    etag = client.get("/api/v1/provinces").headers["ETag"]
    client.get("/api/v1/provinces", headers={"If-None-Match": etag})
    assert [line["status"] for line in json_lines(caplog)] == [404, 200, 304]


def test_no_query_strings_passwords_or_tokens_in_the_log(client, caplog):
    create_user(email="an@example.vn")
    caplog.set_level(logging.DEBUG)
    client.get("/tim-kiem?q=b%C3%AD+m%E1%BA%ADt&token=abc")
    client.get("/tai-khoan/dat-lai-mat-khau/SECRET-TOKEN-VALUE")
    client.get("/don-hang/theo-doi/ANOTHER-SECRET")
    post_form(client, LOGIN, {"email": "an@example.vn", "password": PASSWORD})
    text = caplog.text + json.dumps(json_lines(caplog))
    for secret in ("SECRET-TOKEN-VALUE", "ANOTHER-SECRET", PASSWORD, "token=abc", "bí mật"):
        assert secret not in text
    paths = [line["path"] for line in json_lines(caplog)]
    assert "/tim-kiem" in paths
    assert "/tai-khoan/dat-lai-mat-khau/[hidden]" in paths
    assert "/don-hang/theo-doi/[hidden]" in paths


def test_an_unexpected_error_is_logged_with_the_request_id(caplog, app):
    broken = make_app(Path(app.instance_path))

    @broken.get("/_boom")
    def _boom():  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    caplog.set_level(logging.INFO)
    with broken.app_context():
        response = broken.test_client().get("/_boom", headers={"X-Request-ID": "trace-7"})
        close_app(broken)
    assert response.status_code == 500 and response.headers["X-Request-ID"] == "trace-7"
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert {r.name for r in errors} >= {"catalog.web.error_pages", "catalog.request"}
    for record in errors:
        RequestIdFilter().filter(record)
        assert record.request_id == "trace-7"
    traced = json.loads(JsonFormatter().format(next(r for r in errors if r.exc_info)))
    assert traced["request_id"] == "trace-7" and "RuntimeError: boom" in traced["exc_info"]


def test_production_writes_json_lines_to_stderr(app, monkeypatch, capsys):
    monkeypatch.setenv("CHOVIET_ENV", "production")
    monkeypatch.setenv("CHOVIET_SITE_URL", "https://choviet.example.vn")
    monkeypatch.setenv("CHOVIET_SECRET_KEY", "p" * 40)
    production = make_app(Path(app.instance_path), SECRET_KEY="p" * 40)
    try:
        assert production.config["LOG_FORMAT"] == "json"
        capsys.readouterr()
        with production.app_context():
            production.test_client().get("/", headers={"X-Request-ID": "json-1"})
            close_app(production)
        lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line]
        request_line = next(line for line in lines if line["logger"] == "catalog.request")
        assert request_line["request_id"] == "json-1" and request_line["status"] == 200
    finally:
        configure_logging(app)  # back to text logging for the other tests


def test_text_is_the_default_off_production_and_bad_formats_refuse_to_start(app, tmp_path):
    assert app.config["LOG_FORMAT"] == "text"
    with pytest.raises(RuntimeError, match="CHOVIET_LOG_FORMAT"):
        make_app(tmp_path / "bad", LOG_FORMAT="xml")

"""Producer accounts, the mail they send: the outbox command, the log without SMTP, and
with SMTP sending after commit and keeping failures."""

from __future__ import annotations

from tests.accounts.support import (
    FORGOT,
    mails_to,
    register,
)
from tests.forms import post_form

# ---------------------------------------------------------------- outbox


def test_mail_outbox_prints_messages_newest_last(app, client, runner):
    register(client)
    post_form(app.test_client(), FORGOT, {"email": "hongphuc@example.vn"})
    result = runner.invoke(args=["mail", "outbox"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Đến: hongphuc@example.vn" in out and "chưa gửi" in out
    assert out.index("xác nhận địa chỉ e-mail") < out.index("đặt lại mật khẩu")
    assert "/tai-khoan/xac-nhan-email/" in out
    assert "/tai-khoan/xac-nhan-email/" in runner.invoke(args=["mail", "outbox", "--unsent"]).output


def test_an_empty_outbox_says_so(app, runner):
    assert "Hộp thư đi trống" in runner.invoke(args=["mail", "outbox"]).output


def test_without_smtp_each_mail_is_written_to_the_log(app, client, caplog):
    with caplog.at_level("INFO", logger="catalog.platform.mail"):
        register(client)
    logged = caplog.text
    assert "Chợ Việt: xác nhận địa chỉ e-mail" in logged
    assert "/tai-khoan/xac-nhan-email/" in logged


class FakeSMTP:
    sent: list = []
    fail = False

    def __init__(self, host, port, timeout):
        self.host = host

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self):
        pass

    def login(self, user, password):
        pass

    def send_message(self, message):
        if FakeSMTP.fail:
            raise OSError("máy chủ thư không trả lời")
        FakeSMTP.sent.append(message)


def test_with_smtp_mail_is_sent_after_commit_and_failures_are_kept(app, client, monkeypatch):
    monkeypatch.setattr("catalog.platform.mail.smtplib.SMTP", FakeSMTP)
    monkeypatch.setattr(FakeSMTP, "sent", [])
    app.config["SMTP_HOST"] = "smtp.example.vn"
    register(client)
    [sent] = FakeSMTP.sent
    assert sent["To"] == "hongphuc@example.vn" and "xác nhận" in sent["Subject"]
    [stored] = mails_to("hongphuc@example.vn")
    assert stored.sent_at is not None and stored.error is None

    monkeypatch.setattr(FakeSMTP, "fail", True)
    post_form(client, FORGOT, {"email": "hongphuc@example.vn"})
    failed = mails_to("hongphuc@example.vn")[-1]
    assert failed.sent_at is None and "không trả lời" in failed.error

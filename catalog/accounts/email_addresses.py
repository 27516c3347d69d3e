"""What makes two account e-mail addresses the same, and which ones may open an account.

Look-alikes must not become separate accounts: a fullwidth "ａｎ@ｅｘａｍｐｌｅ.ｖｎ" is the same
address as "an@example.vn" (NFKC), "Thư.vn" is its IDNA form "xn--th-e0a.vn", and a local part or
domain label mixing alphabets (a Cyrillic "а" among Latin letters) is refused when an account is
created: no real mailbox needs one, and it is the usual way to impersonate someone.
"""

from __future__ import annotations

import unicodedata

import idna
from email_validator import EmailNotValidError, validate_email

from catalog.errors import Invalid
from catalog.platform.vietnamese import clean_text

MAX_EMAIL = 254


class EmailRefused(Invalid):
    """An address an account cannot be created with; the message says why, politely."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "email")


def _ascii_domain(domain: str) -> str:
    try:
        return idna.encode(domain, uts46=True).decode("ascii")
    except idna.IDNAError:
        return domain  # not a valid domain: left for the caller's check to refuse


def normalize_email(email: str) -> str:
    """The key accounts are found by: NFKC, trimmed, lower case, the domain in its IDNA
    (ASCII) form. Never raises: signing in with a malformed address simply finds nobody."""
    text = unicodedata.normalize("NFKC", clean_text(email)).lower()
    local, at, domain = text.rpartition("@")
    if not at:
        return text
    return f"{local}@{_ascii_domain(domain)}"


def _scripts(text: str) -> set[str]:
    """The alphabets of the letters in `text` (LATIN, CYRILLIC, GREEK...), from their
    Unicode names; digits and punctuation belong to none."""
    return {unicodedata.name(ch, "?").split(" ")[0] for ch in text if ch.isalpha()}


def account_email(email: str) -> str:
    """The normalised address, or EmailRefused when an account must not use it."""
    address = normalize_email(email)
    if len(address) > MAX_EMAIL:
        raise EmailRefused(f"Địa chỉ e-mail dài quá {MAX_EMAIL} ký tự.")
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError as exc:
        raise EmailRefused("Địa chỉ e-mail không hợp lệ.") from exc
    local, _, domain = address.rpartition("@")
    try:
        parts = [local, *idna.decode(domain).split(".")]
    except idna.IDNAError as exc:
        raise EmailRefused("Địa chỉ e-mail không hợp lệ.") from exc
    if any(len(_scripts(part)) > 1 for part in parts):
        raise EmailRefused(
            "Địa chỉ e-mail trộn chữ cái của nhiều bảng chữ (ví dụ chữ Latin với chữ Kirin). "
            "Vui lòng gõ lại địa chỉ bằng bàn phím thường."
        )
    return address

"""Domain errors: the one vocabulary services use to refuse a request.

Services raise these and never know about HTTP; `catalog.web.error_pages` turns one that no
view handled into the right page or JSON answer (NotFound → 404, Forbidden → 403, Invalid →
400, Conflict → 409), so views need no `try/except → abort(...)`. A view catches `Invalid`
only to show its message next to a form field (`field`, or the form as a whole when None).
"""

from __future__ import annotations


class DomainError(Exception):
    """A polite refusal, in Vietnamese, that the person can act on."""

    status = 400
    default_message = "Yêu cầu không hợp lệ."

    def __init__(self, message: str | None = None, field: str | None = None) -> None:
        self.message = message or self.default_message
        self.field = field
        super().__init__(self.message)


class NotFound(DomainError, LookupError):
    """No such entry, or not one this person may know exists."""

    status = 404
    default_message = "Không tìm thấy mục này."


class Forbidden(DomainError, PermissionError):
    """The person may not act on this entry: out of their provinces, or not theirs."""

    status = 403
    default_message = "Bạn không phụ trách tỉnh, thành phố của mục này."


class Invalid(DomainError, ValueError):
    """The input or the step breaks a rule; `field` names the form field it belongs to."""

    status = 400


class Conflict(DomainError):
    """The entry is no longer in a state that allows this step (changed meanwhile)."""

    status = 409
    default_message = "Mục này vừa được thay đổi; vui lòng tải lại trang."


class EditConflict(Conflict):
    """Someone saved the entry after this form was opened (its version moved on): saving
    now would silently overwrite their change. catalog.web.edit_conflicts shows the form
    again with both sides' values."""

    default_message = (
        "Người khác vừa sửa mục này sau khi bạn mở biểu mẫu. Vui lòng xem giá trị hiện tại "
        "rồi lưu lại nếu vẫn muốn thay đổi."
    )

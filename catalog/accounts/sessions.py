"""Ending a person's sessions wherever they are.

Sessions are signed cookies, so the server cannot delete one a browser (or a thief) still
holds. Instead every session and remember-me cookie names the user's session version it was
issued under (User.get_id: Flask-Login's "alternative token"), and the user loader
(catalog/web/security.py) refuses any other version. Counting the version up therefore ends
every session and remember-me cookie issued before, on every device, at once; a copied
cookie replayed later opens nothing.

It is counted up on signing out, a password change or reset, a change of role or of
whether the account may sign in, and "Đăng xuất khỏi mọi thiết bị" on the account page.
"""

from __future__ import annotations

from catalog.database import write_transaction
from catalog.models import User
from catalog.platform import audit


def end_sessions(user: User) -> None:
    """Within the caller's write transaction: every session and remember-me cookie of this
    user issued so far stops working (the next request there is anonymous). Writes are
    serialised (catalog/database.py), so reading and counting up cannot lose a bump."""
    user.session_version = (user.session_version or 0) + 1


def sign_out(user: User) -> None:
    """Signing out: the cookies this browser holds die, and with them every copy of them."""
    with write_transaction():
        end_sessions(user)


def sign_out_everywhere(user: User) -> None:
    """The account page's button: every session of this user ends (the caller signs the
    current browser in again under the new version, if it keeps it)."""
    with write_transaction():
        end_sessions(user)
        audit.record(user, "account.sign_out_everywhere", "user", user.id)

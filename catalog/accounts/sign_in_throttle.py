"""The per-account sign-in throttle: wrong passwords for one e-mail address, from any number
of client addresses, slow down further attempts for that address.

Flask-Limiter counts per client IP (CHOVIET_LOGIN_RATE); someone guessing from many IPs at
once would pass it. This counts per account instead, keyed by the normalised address typed
(so "AN@Example.vn " and "an@example.vn" count together), whether or not an account has it:
an unknown address is throttled exactly like a registered one, so the answer tells nothing.

After SIGN_IN_ACCOUNT_FAILURES wrong passwords, each further attempt must wait: the first
delay is SIGN_IN_DELAY_S, and it doubles with each new failure up to SIGN_IN_MAX_DELAY_S.
It is a delay, not a lock: once it has run out the right password works (and clears the
count), a password reset clears it, and attempts while delayed are answered without even
checking the password, so they neither count nor extend the delay. The streak is forgotten
once SIGN_IN_ACCOUNT_WINDOW_S pass without a failure after the last delay.

Browsers that have signed in to the account before (a known-device cookie,
catalog/accounts/known_devices.py) count under a key of their own: a stranger guessing from
elsewhere slows down only the strangers, never the owner on their own phone; a stolen device
cookie is throttled the same way, separately.

The state is in the database (models/sign_in.py), so every worker and host counts together.
Callers run these inside their write transaction: check, password and count are serialised
with other writes (catalog/database.py), so parallel guesses cannot slip between them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete

from catalog.accounts.email_addresses import normalize_email
from catalog.extensions import db
from catalog.models import SignInThrottle

KNOWN_DEVICE_PREFIX = "known-device\x00"
# 2 ** 20 times the first delay is beyond any sane maximum: no overflow from a long streak.
MAX_DOUBLINGS = 20


@dataclass(frozen=True)
class Limits:
    failures: int
    window: timedelta
    first_delay: timedelta
    max_delay: timedelta

    @property
    def enabled(self) -> bool:
        return self.failures > 0


def limits() -> Limits:
    """The settings (CHOVIET_SIGN_IN_*), read at request time."""
    config = current_app.config
    return Limits(
        failures=int(config["SIGN_IN_ACCOUNT_FAILURES"]),
        window=timedelta(seconds=max(0, int(config["SIGN_IN_ACCOUNT_WINDOW_S"]))),
        first_delay=timedelta(seconds=max(1, int(config["SIGN_IN_DELAY_S"]))),
        max_delay=timedelta(seconds=max(1, int(config["SIGN_IN_MAX_DELAY_S"]))),
    )


def account_key(email: str, *, known_device: bool = False) -> str:
    """The row an attempt counts under: a hash of the normalised address, so any input,
    however long or odd, is one 64-character key, and variants of one address share it."""
    prefix = KNOWN_DEVICE_PREFIX if known_device else ""
    address = prefix + normalize_email(email or "")
    return hashlib.sha256(address.encode("utf-8", "surrogatepass")).hexdigest()


def keys_for(email: str) -> tuple[str, str]:
    """Both keys of one address (strangers', known devices')."""
    return account_key(email), account_key(email, known_device=True)


def delayed_until(key: str, now: datetime) -> datetime | None:
    """When attempts under this key may be checked again; None when they may be now."""
    row = db.session.get(SignInThrottle, key)
    if row is None or row.delayed_until is None or row.delayed_until <= now:
        return None
    return row.delayed_until


def delay_after(failures: int, rules: Limits) -> timedelta | None:
    """The wait after this many failures in a streak: none below the limit, then the first
    delay, doubled with each further failure, capped."""
    if not rules.enabled or failures < rules.failures:
        return None
    doublings = min(failures - rules.failures, MAX_DOUBLINGS)
    return min(rules.first_delay * (2**doublings), rules.max_delay)


def count_failure(key: str, now: datetime) -> int:
    """Within the caller's write transaction: one more wrong password under this key.
    Returns the failures in the streak so far (equal to the limit: the limit trips now)."""
    rules = limits()
    row = db.session.get(SignInThrottle, key)
    if row is None:
        row = SignInThrottle(key=key, failures=0, last_failure_at=now, expires_at=now)
        db.session.add(row)
    elif row.expires_at <= now:
        row.failures, row.delayed_until = 0, None  # the last streak is forgotten
    row.failures += 1
    row.last_failure_at = now
    delay = delay_after(row.failures, rules)
    row.delayed_until = now + delay if delay is not None else None
    row.expires_at = (row.delayed_until or now) + rules.window
    _prune(now, keep=key)
    return row.failures


def clear(keys: tuple[str, ...] | list[str]) -> None:
    """Within the caller's write transaction: forget these keys' streaks (the right password
    came, or the password was reset)."""
    for key in keys:
        row = db.session.get(SignInThrottle, key)
        if row is not None:
            db.session.delete(row)


def has_streak(key: str) -> bool:
    """Whether failures are counted under this key (so a success has something to clear)."""
    return db.session.get(SignInThrottle, key) is not None


def _prune(now: datetime, keep: str) -> None:
    """Forgotten streaks leave the table (one indexed DELETE), so guesses at random addresses
    cannot grow it without bound."""
    db.session.execute(
        delete(SignInThrottle)
        .where(SignInThrottle.expires_at <= now, SignInThrottle.key != keep)
        .execution_options(synchronize_session=False)
    )

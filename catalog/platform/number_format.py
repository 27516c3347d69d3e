"""Numbers and prices as the reader's language writes them, in one place.

Vietnamese writes dots between thousands and a comma before decimals, the đồng sign after
the amount: 150.000 ₫, 1.234, 12,5. English pages write 150,000 ₫, 1,234, 12.5: the
English separators, but the symbol kept after the amount, where a buyer bound for Vietnam
sees it on every price tag there (and the amount is never mistaken for dollars). The space
before ₫ is a no-break space, so a price never wraps between amount and sign.

Every function takes the language ("vi" or "en") or, by default, the current one: the
request's (?hl=, its cookie) or the one a mail forces (flask_babel.force_locale), so the
`vnd` and `num` template filters and the order e-mails follow the reader without passing
it along. Outside any app context (commands, tests of pure functions) it is Vietnamese.
"""

from __future__ import annotations

from flask import has_app_context
from flask_babel import get_locale

VIETNAMESE = "vi"
# language -> (thousands separator, decimal separator)
SEPARATORS = {"vi": (".", ","), "en": (",", ".")}
CURRENCY = "\u00a0₫"

__all__ = ["format_decimal", "format_number", "format_vnd", "reader_language"]


def reader_language() -> str:
    """The language numbers are written in now: the locale Flask-Babel would translate to,
    else Vietnamese."""
    if not has_app_context():
        return VIETNAMESE
    locale = get_locale()
    language = locale.language if locale is not None else VIETNAMESE
    return language if language in SEPARATORS else VIETNAMESE


def _separators(language: str | None) -> tuple[str, str]:
    return SEPARATORS.get(language or reader_language(), SEPARATORS[VIETNAMESE])


def format_number(value: int | None, language: str | None = None) -> str:
    """1234 → "1.234" (Vietnamese) or "1,234" (English); None → ""."""
    if value is None:
        return ""
    thousands, _decimal = _separators(language)
    return f"{int(value):,}".replace(",", thousands)


def format_vnd(amount: int | None, language: str | None = None) -> str:
    """150000 → "150.000 ₫" (Vietnamese) or "150,000 ₫" (English); None → ""."""
    if amount is None:
        return ""
    return format_number(amount, language) + CURRENCY


def format_decimal(value: float, places: int = 1, language: str | None = None) -> str:
    """12345.67 → "12.345,7" (Vietnamese) or "12,345.7" (English): sizes in MB,
    megapixels."""
    thousands, decimal = _separators(language)
    text = f"{value:,.{places}f}"
    return text.replace(",", "\u2009").replace(".", decimal).replace("\u2009", thousands)

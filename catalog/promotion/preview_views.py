"""The Markdown preview endpoint of the officials' forms (markdown_preview): signed-in
officials and admins only, CSRF-protected like every POST, text no longer than the forms
take (413 otherwise, with a polite message)."""

from __future__ import annotations

from flask import make_response, request
from flask.typing import ResponseReturnValue
from markupsafe import Markup

from catalog.promotion.markdown_preview import MARKER_HEADER, Preview, fragment, preview_of
from catalog.promotion.promotion_common import MAX_MARKDOWN
from catalog.web.blueprints import official as bp
from catalog.web.official_access import official_required

# Bytes of a form body that may still hold MAX_MARKDOWN characters (UTF-8, URL-encoded).
MAX_BODY = MAX_MARKDOWN * 12 + 4096


@bp.post("/xem-truoc-markdown")
@official_required
def markdown_preview() -> ResponseReturnValue:
    """The sanitised HTML of `text` (a fragment for the page's script)."""
    if (request.content_length or 0) > MAX_BODY:
        preview = Preview("text", Markup(""), too_long=True)
    else:
        preview = preview_of("text", request.form.get("text"))
    response = make_response(fragment(preview), 413 if preview.too_long else 200)
    response.headers[MARKER_HEADER] = "1"
    return response

"""The preview of a Markdown field (campaign descriptions, story bodies), rendered with the
public pages' own renderer and sanitiser (platform.markdown_render), so what an official sees
before saving is what the public page will show.

Two ways in, one result: with JavaScript, the form's "Xem trước" button posts the text to
`preview_endpoint` (the fragment is shown next to the field); without it, the same button
submits the whole form, which comes back as typed with the preview (view_steps.form_page),
nothing saved and nothing lost.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import render_template, request
from markupsafe import Markup

from catalog.platform.markdown_render import render_markdown
from catalog.promotion.promotion_common import MAX_MARKDOWN

# The submit button's name; its value names the field to preview.
BUTTON = "xem_truoc"
# The endpoint's answers carry it, so the page's script can tell them from a sign-in page
# or a CSRF error page that a fetch may have followed.
MARKER_HEADER = "X-Markdown-Preview"


@dataclass(frozen=True)
class Preview:
    field: str
    html: Markup
    too_long: bool = False
    files_dropped: bool = False


def preview_of(field: str, text: str | None) -> Preview:
    """The rendered text, or a refusal when it is longer than the field takes."""
    source = (text or "").replace("\r\n", "\n")
    if len(source) > MAX_MARKDOWN:
        return Preview(field, Markup(""), too_long=True)
    return Preview(field, render_markdown(source))


def fragment(preview: Preview) -> str:
    """The preview's HTML, as the endpoint sends it and the form page includes it."""
    return render_template("official/_markdown_preview.html", preview=preview, limit=MAX_MARKDOWN)


def requested_preview(markdown_fields: tuple[str, ...], form: object) -> Preview | None:
    """The preview a no-JS "Xem trước" submit asked for, or None (a real save)."""
    wanted = request.form.get(BUTTON, "")
    if request.method != "POST" or wanted not in markdown_fields:
        return None
    field = getattr(form, wanted, None)
    preview = preview_of(wanted, getattr(field, "data", None))
    chosen = any(f.filename for f in request.files.values())
    if chosen:  # a browser cannot be given a file back: say so rather than lose it quietly
        preview = Preview(preview.field, preview.html, preview.too_long, files_dropped=True)
    return preview

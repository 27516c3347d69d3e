"""Officials' Markdown (campaign descriptions, stories) turned into HTML that is safe to show.

Two layers, because either alone has gaps: markdown-it-py renders with raw HTML and images
switched off (HTML typed into the text comes out as visible text, not markup), then nh3
(ammonia) keeps only a short list of tags and the `href` of links whose scheme is http,
https or mailto, adding rel="nofollow noopener". Headings start at h2: the page's own title
is the h1, so "# Tiêu đề" in a story must not compete with it ("#" and "##" both give h2).
"""

from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

# Longer texts are cut before parsing: the form refuses them anyway, and a pathological
# input must not cost more than a bounded amount of work on every page view.
MAX_SOURCE_CHARS = 20_000
ALLOWED_TAGS = {"h2", "h3", "h4", "p", "ul", "ol", "li", "strong", "em", "blockquote", "a", "br"}
LINK_SCHEMES = ("http://", "https://", "mailto:")
LINK_REL = "nofollow noopener"

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.disable(["html_block", "html_inline"])


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Only absolute web and mail links: relative or scheme-less hrefs are dropped too.
    (nh3 passes its own rel through this filter as well.)"""
    if tag != "a":
        return None
    if attribute == "href" and value.strip().lower().startswith(LINK_SCHEMES):
        return value
    if attribute == "rel" and value == LINK_REL:
        return value
    return None


_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags={"script", "style"},
    attributes={"a": {"href"}},
    attribute_filter=_keep_attribute,
    url_schemes={"http", "https", "mailto"},
    link_rel=LINK_REL,
    strip_comments=True,
)


def _adjust(tokens: list[Token]) -> None:
    """# and ## → h2, ### → h3, deeper → h4; an image becomes its alt text (stories have
    their own cover; pictures from anywhere on the web are not shown)."""
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(max(int(token.tag[1]), 2), 4)}"
        for child in token.children or ():
            if child.type == "image":
                child.type, child.tag, child.attrs = "text", "", {}
                child.content = "".join(c.content for c in child.children or ())
                child.children = None


def render_markdown(source: str | None) -> Markup:
    """Sanitised HTML for a Markdown text; empty Markup for nothing."""
    if not source:
        return Markup("")
    return Markup(_render(source[:MAX_SOURCE_CHARS]))  # noqa: S704 - sanitised by nh3


@lru_cache(maxsize=256)
def _render(text: str) -> str:
    """Cached: some inputs (thousands of "[") cost markdown-it close to a second, and the
    same description is shown on every view of its page."""
    env: dict = {}
    tokens = _markdown.parse(text.replace("\x00", ""), env)
    _adjust(tokens)
    html = _markdown.renderer.render(tokens, _markdown.options, env)
    return _cleaner.clean(html)  # noqa: S704 - nh3 output is the sanitised HTML

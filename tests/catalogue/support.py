"""Reading what crawlers and link previews read: <head> tags, JSON-LD and sitemap XML."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any
from xml.etree import ElementTree

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
URLSET = "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
SITEMAPINDEX = "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
LD_PATTERN = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


class HeadTags(HTMLParser):
    """Collects <meta property/name> contents and <link rel=canonical> hrefs."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.canonical: list[str] = []
        self.script_srcs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "meta":
            key = values.get("property") or values.get("name")
            if key:
                self.meta.setdefault(key, []).append(values.get("content") or "")
        elif tag == "link" and values.get("rel") == "canonical":
            self.canonical.append(values.get("href") or "")
        elif tag == "script" and values.get("src"):
            self.script_srcs.append(values["src"] or "")


def head_tags(html: str) -> HeadTags:
    parser = HeadTags()
    parser.feed(html)
    return parser


def one_meta(tags: HeadTags, key: str) -> str:
    values = tags.meta.get(key, [])
    assert len(values) == 1, (key, values)
    return values[0]


def json_ld(html: str) -> list[dict[str, Any]]:
    return [json.loads(block) for block in LD_PATTERN.findall(html)]


def sitemap_locs(xml: bytes) -> list[str]:
    root = ElementTree.fromstring(xml)
    assert root.tag == URLSET
    return [loc.text or "" for loc in root.findall("sm:url/sm:loc", SITEMAP_NS)]


def sitemap_index_locs(xml: bytes) -> list[str]:
    root = ElementTree.fromstring(xml)
    assert root.tag == SITEMAPINDEX
    return [loc.text or "" for loc in root.findall("sm:sitemap/sm:loc", SITEMAP_NS)]


def keys_anywhere(data: Any) -> set[str]:
    """Every key of a nested JSON value (to prove no rating or review is claimed)."""
    if isinstance(data, dict):
        return set(data) | set().union(*(keys_anywhere(v) for v in data.values()))
    if isinstance(data, list):
        return set().union(*(keys_anywhere(v) for v in data)) if data else set()
    return set()

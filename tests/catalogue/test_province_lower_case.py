"""'tỉnh' is written in lower case mid-sentence (issue 14, point 9), whatever the province's
full name says at the start of a label."""

from __future__ import annotations

import re

from tests.factories import province


def test_province_name_in_sentence(app):
    assert province("Cao Bằng").name_in_sentence == "tỉnh Cao Bằng"
    assert province("Hồ Chí Minh").name_in_sentence == "thành phố Hồ Chí Minh"


def test_province_page_description_lower_case(client):
    page = client.get("/tinh/cao-bang").get_data(as_text=True)
    description = re.search(r'<meta name="description" content="([^"]*)"', page).group(1)
    assert "của tỉnh Cao Bằng" in description
    assert not re.search(r"\w Tỉnh ", re.sub(r"<[^>]+>", " ", page))

from __future__ import annotations

from conformo.core.templatetags.conformo_css import css_string


def test_text_for_a_css_string_is_escaped_the_css_way():
    assert css_string("NBC-2026-00001") == "NBC-2026-00001"
    assert css_string('Smith & "Sons" \\ Ltd\n</style>') == "Smith & \\22 Sons\\22  \\5C  Ltd\\A \\3C /style>"

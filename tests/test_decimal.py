"""Numbers written as the interface language writes them."""

from __future__ import annotations

from maliquiz.i18n import decimal, set_language


def test_decimal_in_english_and_french() -> None:
    assert (decimal(36.34), decimal(2.5, None), decimal(3.0, None)) == ("36.3", "2.5", "3")
    assert decimal(1250.5) == "1,250.5"
    set_language("fr")
    try:
        assert (decimal(36.34), decimal(2.5, None), decimal(3.0, None)) == ("36,3", "2,5", "3")
        assert decimal(1250.5) == "1\u202f250,5"
    finally:
        set_language("en")

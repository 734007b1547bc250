"""The colour pairs of static/app.css pass WCAG 2.1 AA contrast (4.5:1 for text)."""

from __future__ import annotations

import pytest

PAIRS = [  # (text, background, where)
    ("#1b1f24", "#f4f6f8", "body text"),
    ("#1b1f24", "#ffffff", "text on cards"),
    ("#56606b", "#ffffff", "hints"),
    ("#56606b", "#f4f6f8", "hints on the page"),
    ("#0b5394", "#ffffff", "links"),
    ("#ffffff", "#0b5394", "primary buttons"),
    ("#ffffff", "#0b3d6b", "header"),
    ("#a4161a", "#ffffff", "errors, danger buttons"),
    ("#8a5a00", "#ffffff", "warnings"),
    ("#ffffff", "#a4161a", "overdue badge"),
    ("#1b1f24", "#f0b400", "due-today badge"),
    ("#0b3d6b", "#dbe9f6", "open badge"),
    ("#14532d", "#d8efdd", "met badge"),
    ("#5c4400", "#fff3cd", "proposed badge, demo banner"),
    ("#7a1014", "#fdecec", "error message"),
    ("#14532d", "#e7f4ea", "success message"),
    ("#1b1f24", "#e6ebf0", "neutral badge"),
    ("#0b3d6b", "#e8f1fb", "info message"),
]


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_the_pairs_are_the_stylesheets():
    css = open("static/app.css", encoding="utf-8").read().lower()
    for text, background, _where in PAIRS:
        for colour in (text, background):
            if colour not in ("#ffffff",):
                assert colour in css, colour


@pytest.mark.parametrize("text,background,where", PAIRS)
def test_contrast_is_at_least_aa(text, background, where):
    assert contrast(text, background) >= 4.5, where

"""Display width: a Chinese character takes two cells, a digit or letter one; a character's place in a box
follows from it."""

from __future__ import annotations

from extractors.text.glyphs import display_width, x_at


def test_a_chinese_character_is_twice_as_wide_as_a_digit():
    assert display_width("105台") == 5 and display_width("（盖章）") == 8


def test_a_character_starts_where_the_widths_before_it_end():
    assert x_at("105台", 3, 0.0, 50.0) == 30.0  # 台 after three one-cell digits of five cells
    assert x_at("甲方乙方", 2, 10.0, 90.0) == 50.0
    assert x_at("", 0, 10.0, 90.0) == 10.0

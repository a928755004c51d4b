"""Runs of one character (0000, 9999, ****) survive recognition: a narrow font makes CTC merge repeats, so the
run is read again from a wider window and lengthened when its neighbours agree."""

from __future__ import annotations

import re

import cv2
import numpy as np
import pytest

from extractors.readers.ocr import _RUN, _longer_run, get_engine


def _fix(text: str, window: str) -> str:
    m = _RUN.search(text)
    assert m is not None
    return _longer_run(text, m.start(), m.end(), window)


def test_a_longer_run_with_the_same_neighbours_replaces_the_run():
    assert _fix("发票号码:2351200000058396237", "1200000005839") == "发票号码:23512000000058396237"
    assert _fix("机器编号:99999999", "编号:999999999999") == "机器编号:999999999999"
    account = _fix("Account Number: 6225 ******* 7788", "6225********7788")
    assert account == "Account Number: 6225 ******** 7788"


def test_a_window_read_that_disagrees_around_the_run_changes_nothing():
    assert _fix("2351200000058396237", "1300000005839") == "2351200000058396237"  # '3' before, not '2'
    assert _fix("2351200000058396237", "120000") == "2351200000058396237"  # shorter: keep
    assert _fix("2351200000058396237", "1200000006") == "2351200000058396237"  # '6' after, not '5'


@pytest.mark.slow
def test_a_squeezed_invoice_number_keeps_its_zeros():
    import noto_cjk_sans_otc
    from PIL import Image, ImageDraw, ImageFont

    text = "23512000000058396237"
    font = ImageFont.truetype(str(noto_cjk_sans_otc.FONT_PATH), 24, index=2)
    left, top, right, bottom = font.getbbox(text)
    img = Image.new("L", (right - left + 40, bottom - top + 40), 255)
    ImageDraw.Draw(img).text((20 - left, 20 - top), text, fill=0, font=font)
    img = img.resize((int(img.width * 0.6), img.height))  # narrow: read plainly, one 0 is lost
    bgr = cv2.cvtColor(np.asarray(img), cv2.COLOR_GRAY2BGR)
    lines = get_engine().recognize(bgr)
    assert [re.sub(r"\s", "", ln.text) for ln in lines] == [text]

"""Synthetic degradations are deterministic per seed, and the measures behind ``idp eval read`` are right."""

from __future__ import annotations

import numpy as np
import pytest

from idp.synth.degrade import DEGRADATIONS, image_pdf, render_pdf
from idp.synth.measure import char_error_rate, edit_distance, flexible_char_error_rate, key_token_recall
from idp.synth.specimen import invoice_specimen, specimen_pdf


@pytest.fixture(scope="module")
def page() -> np.ndarray:
    return render_pdf(specimen_pdf(invoice_specimen()), dpi=100)[0]


@pytest.mark.parametrize("name", sorted(DEGRADATIONS))
def test_same_seed_same_pixels(page: np.ndarray, name: str) -> None:
    first, again = DEGRADATIONS[name](page, 5), DEGRADATIONS[name](page, 5)
    assert first.dtype == np.uint8 and first.ndim == 3
    assert np.array_equal(first, again)
    if name not in ("clean", "rot180"):
        assert first.shape != page.shape or not np.array_equal(first, page)


def test_photo_differs_between_seeds(page: np.ndarray) -> None:
    assert not np.array_equal(DEGRADATIONS["photo"](page, 1), DEGRADATIONS["photo"](page, 2))


def test_image_pdf_round_trips_through_the_renderer(page: np.ndarray) -> None:
    (back,) = render_pdf(image_pdf([page], dpi=100), dpi=100)
    assert abs(back.shape[0] - page.shape[0]) <= 1 and abs(back.shape[1] - page.shape[1]) <= 1
    h, w = min(back.shape[0], page.shape[0]), min(back.shape[1], page.shape[1])
    assert np.abs(back[:h, :w].astype(int) - page[:h, :w].astype(int)).mean() < 8  # resampled by a pixel
    ink = back[back.mean(axis=2) < 200].astype(int)
    assert ink[:, 2].mean() > ink[:, 0].mean() + 10  # the brown form stays brown: channels not swapped


@pytest.mark.parametrize(
    ("a", "b", "d"), [("", "abc", 3), ("kitten", "sitting", 3), ("发票号码", "发漂号码", 1)]
)
def test_edit_distance(a: str, b: str, d: int) -> None:
    assert edit_distance(a, b) == d == edit_distance(b, a)


def test_error_rates_ignore_width_and_spacing() -> None:
    assert char_error_rate("发票号码：12345678", "发票号码: 12345678") == 0
    assert char_error_rate("abcd", "abed") == 0.25


def test_flexible_rate_ignores_order_and_splitting_but_not_misreads() -> None:
    truth = ["名称：甲公司 密码区 0+1<2", "纳税人识别号：91310115MA1H8XXX2Q"]
    assert (
        flexible_char_error_rate(truth, ["纳税人识别号:91310115MA1H8XXX2Q", "0+1<2", "名称:甲公司", "密码区"])
        == 0
    )
    assert flexible_char_error_rate(truth, ["名称:甲公司 密码区 0+1<2"]) == pytest.approx(
        25 / 39
    )  # the second line is missing
    assert flexible_char_error_rate(["abc"], ["abc", "abc"]) == 1.0  # a line read twice counts once as error


def test_key_token_recall_reports_misses() -> None:
    recall, missed = key_token_recall(["12,345.67", "91310115MA1H8XXX2Q", "壹万"], "合计 ¥12345.67\n壹万贰仟")
    assert recall == pytest.approx(2 / 3) and missed == ["91310115MA1H8XXX2Q"]

"""The demo fails when a bundle is decided against its expected.json (a clean one held, a planted one passed)."""

from __future__ import annotations

import json
from pathlib import Path

from idp.app.demo import _unexpected_bundles


def _bundle(root: Path, name: str, decision: str) -> Path:
    path = root / name
    path.mkdir()
    (path / "expected.json").write_text(json.dumps({"decision": decision}), encoding="utf-8")
    return path


def test_a_clean_bundle_sent_to_review_and_a_planted_one_passed_are_both_reported(tmp_path: Path) -> None:
    clean, planted = _bundle(tmp_path, "000-clean", "straight_through"), _bundle(tmp_path, "001-x", "review")
    single = tmp_path / "invoice.pdf"  # a lone document has no expectation
    states = {"a": {"status": "completed", "decision": {"outcome": "review"}},
              "b": {"status": "completed", "decision": {"outcome": "straight_through"}},
              "c": {"status": "completed", "decision": {"outcome": "review"}}}
    got = _unexpected_bundles([(clean, "a"), (planted, "b"), (single, "c")], states)
    assert got == [(clean, "straight_through", "review"), (planted, "review", "straight_through")]


def test_bundles_decided_as_expected_are_not_reported(tmp_path: Path) -> None:
    clean = _bundle(tmp_path, "000-clean", "straight_through")
    states = {"a": {"status": "completed", "decision": {"outcome": "straight_through"}}}
    assert _unexpected_bundles([(clean, "a")], states) == []

"""The optional paddleocr backend: its model dirs are built offline from the rapidocr wheel's files."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import yaml

from extractors.readers.ocr_paddle import PaddleOcrEngine, build_model_dirs


def test_available_only_when_paddleocr_is_importable() -> None:
    assert PaddleOcrEngine.is_available() == (importlib.util.find_spec("paddleocr") is not None)


def test_model_dirs_are_built_from_the_shipped_onnx_files(tmp_path: Path) -> None:
    import rapidocr

    det_dir, rec_dir = build_model_dirs(tmp_path)
    shipped = Path(rapidocr.__file__).parent / "models"
    assert (det_dir / "inference.onnx").read_bytes() == (shipped / "PP-OCRv6_det_small.onnx").read_bytes()
    assert (rec_dir / "inference.onnx").stat().st_size == (shipped / "PP-OCRv6_rec_small.onnx").stat().st_size
    det = yaml.safe_load((det_dir / "inference.yml").read_text(encoding="utf-8"))
    rec = yaml.safe_load((rec_dir / "inference.yml").read_text(encoding="utf-8"))
    assert det["Global"]["model_name"] == "PP-OCRv6_small_det"
    assert det["PostProcess"]["name"] == "DBPostProcess"
    chars = rec["PostProcess"]["character_dict"]
    assert len(chars) > 18000 and "票" in chars and "¥" in chars
    assert build_model_dirs(tmp_path) == (det_dir, rec_dir)  # idempotent: a second worker reuses them
    assert not list(tmp_path.rglob("*.tmp"))

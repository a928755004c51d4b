"""Optional OCR backend: ``paddleocr`` 3.x (engine="onnxruntime", no paddlepaddle) on rapidocr's models.

Used only when ``paddleocr`` is importable and ``settings.ocr_engine == "paddle"``. The model dirs
paddleocr wants (``inference.onnx`` + ``inference.yml``) are built once from the ONNX files inside the
rapidocr wheel, so nothing is downloaded. Every optional sub-model is switched off: an unset one would
make PaddleX probe model hosts.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import shutil
import threading
from pathlib import Path

import numpy as np

from extractors.readers.ocr import DEFAULT_DET_SIDE, OcrLine
from idp.settings import get_settings

logger = logging.getLogger(__name__)

_DET_NAME, _REC_NAME = "PP-OCRv6_small_det", "PP-OCRv6_small_rec"
_DET_ONNX, _REC_ONNX = "PP-OCRv6_det_small.onnx", "PP-OCRv6_rec_small.onnx"
_MIN_TEXT_SCORE = 0.5


class PaddleOcrEngine:
    """paddleocr's pipeline behind :class:`extractors.readers.ocr.OcrEngine` (no text-line direction model,
    so every line comes back with ``angle=0``; upside-down pages are the rapidocr engine's strength)."""

    name = "paddle"

    def __init__(self, threads: int = 2, model_root: Path | None = None) -> None:
        os.environ.setdefault("PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK", "True")
        root = model_root or get_settings().data_dir / "paddle_models"
        det_dir, rec_dir = build_model_dirs(root)
        from paddleocr import PaddleOCR

        self._ocr = PaddleOCR(
            text_detection_model_name=_DET_NAME,
            text_detection_model_dir=str(det_dir),
            text_recognition_model_name=_REC_NAME,
            text_recognition_model_dir=str(rec_dir),
            use_doc_orientation_classify=False,
            use_doc_unwarping=False,
            use_textline_orientation=False,
            device="cpu",
            engine="onnxruntime",
            engine_config={"intra_op_num_threads": threads, "inter_op_num_threads": 1},
        )
        self._lock = threading.Lock()

    @staticmethod
    def is_available() -> bool:
        return (
            importlib.util.find_spec("paddleocr") is not None
            and importlib.util.find_spec("rapidocr") is not None
        )

    def recognize(self, image_bgr: np.ndarray, *, det_side: int | None = None) -> list[OcrLine]:
        side = det_side or min(DEFAULT_DET_SIDE, max(image_bgr.shape[:2]))
        with self._lock:
            results = list(
                self._ocr.predict(image_bgr, text_det_limit_side_len=side, text_det_limit_type="max")
            )
        lines = []
        for page in results:
            for poly, text, score in zip(
                page["rec_polys"], page["rec_texts"], page["rec_scores"], strict=False
            ):
                if text.strip() and score >= _MIN_TEXT_SCORE:
                    box = tuple((float(x), float(y)) for x, y in np.asarray(poly)[:4])
                    lines.append(OcrLine(box=box, text=text, score=float(score)))  # type: ignore[arg-type]
        return lines


def build_model_dirs(root: Path) -> tuple[Path, Path]:
    """``root/PP-OCRv6_small_{det,rec}`` with ``inference.onnx`` (copied, never modified in place) and the
    ``inference.yml`` paddleocr needs; the rec character list comes from the ONNX metadata."""
    import onnxruntime
    import rapidocr
    import yaml

    models = Path(rapidocr.__file__).parent / "models"
    det_dir, rec_dir = root / _DET_NAME, root / _REC_NAME
    for directory, onnx in ((det_dir, _DET_ONNX), (rec_dir, _REC_ONNX)):
        directory.mkdir(parents=True, exist_ok=True)
        target = directory / "inference.onnx"
        if not target.exists():
            tmp = target.with_suffix(f".{os.getpid()}.tmp")
            shutil.copyfile(models / onnx, tmp)
            os.replace(tmp, target)  # atomic: workers starting together never see half a file
    if not (det_dir / "inference.yml").exists():
        det = {
            "Global": {"model_name": _DET_NAME},
            "PreProcess": {
                "transform_ops": [
                    {"DecodeImage": {"channel_first": False, "img_mode": "BGR"}},
                    {"DetLabelEncode": None},
                    {"DetResizeForTest": {"resize_long": 960}},
                    {
                        "NormalizeImage": {
                            "mean": [0.485, 0.456, 0.406],
                            "std": [0.229, 0.224, 0.225],
                            "scale": "1./255.",
                            "order": "hwc",
                        }
                    },
                    {"ToCHWImage": None},
                    {"KeepKeys": {"keep_keys": ["image", "shape", "polys", "ignore_tags"]}},
                ]
            },
            "PostProcess": {
                "name": "DBPostProcess",
                "thresh": 0.2,
                "box_thresh": 0.45,
                "max_candidates": 3000,
                "unclip_ratio": 1.4,
            },
        }
        _write_atomic(det_dir / "inference.yml", yaml.safe_dump(det, allow_unicode=True))
    if not (rec_dir / "inference.yml").exists():
        meta = onnxruntime.InferenceSession(str(rec_dir / "inference.onnx")).get_modelmeta()
        chars = meta.custom_metadata_map["character"].split("\n")
        rec = {
            "Global": {"model_name": _REC_NAME},
            "PreProcess": {
                "transform_ops": [
                    {"DecodeImage": {"channel_first": False, "img_mode": "BGR"}},
                    {"MultiLabelEncode": {"gtc_encode": "NRTRLabelEncode"}},
                    {"RecResizeImg": {"image_shape": [3, 48, 320]}},
                    {"KeepKeys": {"keep_keys": ["image", "label_ctc", "label_gtc", "length", "valid_ratio"]}},
                ]
            },
            "PostProcess": {"name": "CTCLabelDecode", "character_dict": chars},
        }
        _write_atomic(rec_dir / "inference.yml", yaml.safe_dump(rec, allow_unicode=True))
    return det_dir, rec_dir


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)

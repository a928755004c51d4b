"""Signs that a PDF (a bank statement above all) was edited after the bank produced it, as findings.

Takes the :class:`~idp.models.PdfForensics` report of ``extractors.readers.pdf_forensics.inspect_pdf``; the
pipeline calls :func:`check` with it for PDF statements. Each sign is a warning for a person, not a verdict.
"""

from __future__ import annotations

import re

from idp.models import Finding, PdfForensics, Severity
from validators.rules._common import finding

RULE_IDS = (
    "pdf.producer_not_bank",
    "pdf.modified_after_creation",
    "pdf.incremental_update",
    "pdf.mixed_fonts",
)
#: Producer/creator names of office suites, PDF editors and online converters (case-insensitive). Libraries
#: that banks' own systems export with (iText, PDFsharp, JasperReports, ReportLab) are no sign of editing.
EDITORS = re.compile(
    r"microsoft|word|excel|wps|kingsoft|libreoffice|openoffice|acrobat(?! distiller)|pdf-?xchange|foxit|"
    r"phantompdf|pdfelement|wondershare|ilovepdf|smallpdf|sejda|nitro|pdf24|skia|quartz|"
    r"福昕|金山|万兴|迅捷",
    re.IGNORECASE,
)


def check(report: PdfForensics) -> list[Finding]:
    findings: list[Finding] = []
    for key, label in (("producer", "生成程序(Producer)"), ("creator", "创建程序(Creator)")):
        name = getattr(report, key)
        if name and EDITORS.search(name):
            findings.append(
                finding(
                    "pdf.producer_not_bank",
                    Severity.WARNING,
                    f"PDF{label}为「{name}」，非银行系统导出，可能经编辑",
                    {key: name},
                )
            )
    if report.creation_date and report.mod_date and report.mod_date != report.creation_date:
        findings.append(
            finding(
                "pdf.modified_after_creation",
                Severity.WARNING,
                f"PDF修改时间{report.mod_date}与创建时间{report.creation_date}不同，文件可能被修改",
                {"creation_date": report.creation_date, "mod_date": report.mod_date},
            )
        )
    if report.incremental_updates > 0 and not report.signed:
        findings.append(
            finding(
                "pdf.incremental_update",
                Severity.WARNING,
                f"PDF含{report.incremental_updates}次增量保存（{report.eof_markers}个%%EOF，"
                f"{report.xref_sections}个交叉引用表），内容可能在导出后被改动",
                {
                    "incremental_updates": report.incremental_updates,
                    "eof_markers": report.eof_markers,
                    "xref_sections": report.xref_sections,
                },
            )
        )
    if report.odd_amounts:
        examples = "、".join(f"第{r.page}页「{r.text}」({r.font})" for r in report.odd_amounts[:5])
        fonts = "、".join(f"{f}×{n}" for f, n in sorted(report.amount_fonts.items(), key=lambda kv: -kv[1]))
        findings.append(
            finding(
                "pdf.mixed_fonts",
                Severity.WARNING,
                f"金额使用了不同字体（{fonts}），疑似个别金额被改写：{examples}",
                {"fonts": fonts, "examples": examples},
            )
        )
    return findings

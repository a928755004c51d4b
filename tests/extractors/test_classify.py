"""Document classification per page and per file, and splitting a file that mixes documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.classify import UNSURE_BELOW, classify_file, classify_page, split_documents
from extractors.readers.dispatch import read_document
from idp.models.fields import DocumentKind
from idp.models.geometry import BBox
from idp.models.page import PageText, TextLine, TextSource
from idp.synth.specimen import contract_specimen, invoice_specimen, specimen_pdf, statement_specimen

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "real"


def _pages(tmp_path: Path, *specimens) -> list[PageText]:
    path = tmp_path / "file.pdf"
    path.write_bytes(specimen_pdf(*specimens))
    return read_document(path)


def _page(*texts: str, page_no: int = 1) -> PageText:
    lines = [
        TextLine(text=t, bbox=BBox(x0=0.1, y0=0.05 + 0.05 * i, x1=0.9, y1=0.09 + 0.05 * i))
        for i, t in enumerate(texts)
    ]
    return PageText(page_no=page_no, width=595, height=842, source=TextSource.OCR, lines=lines)


def test_each_specimen_kind_is_recognised(tmp_path: Path) -> None:
    invoice, contract, statement = _pages(
        tmp_path, invoice_specimen(), contract_specimen(), statement_specimen()
    )
    got = [classify_page(p) for p in (invoice, contract, statement)]
    assert [g.kind for g in got] == [
        DocumentKind.VAT_INVOICE,
        DocumentKind.PURCHASE_CONTRACT,
        DocumentKind.BANK_STATEMENT,
    ]
    assert got[0].subtype == "31" and got[0].key == "24312000000012345678"
    assert got[1].key == "HT-2024-0315" and got[2].key == "1001234509876543210"
    assert all(g.confidence >= 0.8 for g in got)


@pytest.mark.parametrize(
    ("title", "subtype"),
    [
        ("电子发票（普通发票）", "32"),
        ("上海增值税电子普通发票", "10"),
        ("广东增值税电子专用发票", "08"),
        ("增值税电子普通发票（通行费）", "14"),
        ("北京增值税专用发票", "01"),
        ("增值税普通发票（卷票）", "11"),
    ],
)
def test_invoice_subtypes_from_the_title(title: str, subtype: str) -> None:
    page = _page(
        title,
        "发票代码：011001900111 发票号码：12345678",
        "开票日期：2024年03月15日",
        "购买方 名称：示例公司 纳税人识别号：91310115MA1H8XXX2Q",
        "价税合计（大写）壹佰圆整（小写）¥100.00",
    )
    result = classify_page(page)
    assert (result.kind, result.subtype) == (DocumentKind.VAT_INVOICE, subtype)


def test_contract_then_invoices_then_statement_is_split(tmp_path: Path) -> None:
    pages = _pages(
        tmp_path,
        contract_specimen(),
        invoice_specimen("24312000000012345678"),
        invoice_specimen("24312000000087654321"),
        statement_specimen(),
    )
    spans = split_documents(pages)
    assert [(s.kind, s.pages) for s in spans] == [
        (DocumentKind.PURCHASE_CONTRACT, [1]),
        (DocumentKind.VAT_INVOICE, [2]),
        (DocumentKind.VAT_INVOICE, [3]),
        (DocumentKind.BANK_STATEMENT, [4]),
    ]
    assert classify_file(pages).unsure  # one label for a mixed file would be a guess


def test_continuation_pages_stay_with_their_document() -> None:
    contract = _page(
        "购销合同", "合同编号：HT-1", "甲方（需方）：甲公司", "乙方（供方）：乙公司", "第一条 标的", page_no=1
    )
    clauses = _page(
        "第五条 违约责任：违约方支付违约金。",
        "第六条 争议解决：向甲方所在地法院起诉。",
        "第七条 本合同一式两份。",
        page_no=2,
    )
    signatures = _page("（盖章）", page_no=3)
    spans = split_documents([contract, clauses, signatures])
    assert [(s.kind, s.pages) for s in spans] == [(DocumentKind.PURCHASE_CONTRACT, [1, 2, 3])]


def test_contract_page_header_with_its_number_continues_the_contract() -> None:
    """A page header repeats 合同编号; the next line (7. 争议解决) must not run into the number."""
    first = _page("供货合同 合同编号:GH-202401-738", "供货合同", "甲方（供货方）：甲公司", "乙方（采购方）：乙公司",
                  "1. 产品名称、规格型号、数量及价款", page_no=1)
    second = _page("供货合同 合同编号:GH-202401-738", "7. 争议解决", "因本合同引起的争议，双方应协商解决；协商不成的，"
                   "任何一方均可向合同签订地人民法院提起诉讼。", "甲方（盖章）：甲公司 乙方（盖章）：乙公司", page_no=2)
    spans = split_documents([first, second])
    assert [(s.kind, s.pages) for s in spans] == [(DocumentKind.PURCHASE_CONTRACT, [1, 2])]


def test_statement_pages_without_header_continue(tmp_path: Path) -> None:
    first = _pages(tmp_path, statement_specimen())[0]
    rows = _page(
        "2024-04-01 货款 1000.00 58647.54",
        "2024-04-02 手续费 5.00 58642.54",
        "2024-04-03 利息 1.00 58643.54",
        "借方发生额 贷方发生额 余额",
        page_no=2,
    )
    spans = split_documents([first, rows])
    assert [(s.kind, s.pages) for s in spans] == [(DocumentKind.BANK_STATEMENT, [1, 2])]


def test_unsure_page_is_reported_not_guessed() -> None:
    vague = _page("付款通知", "请于本月底前将货款汇至我司账户，余额以对方确认为准。")
    result = classify_page(vague)
    assert result.confidence < UNSURE_BELOW
    assert result.kind in (DocumentKind.UNKNOWN, DocumentKind.OTHER)
    (span,) = split_documents([vague])
    assert span.kind in (DocumentKind.UNKNOWN, DocumentKind.OTHER) and span.subtype is None


def test_blank_page_has_no_class() -> None:
    result = classify_page(_page())
    assert (result.kind, result.confidence) == (DocumentKind.OTHER, 0.0)


def test_real_multipage_ofd_is_one_invoice() -> None:
    path = REAL / "invoices" / "ofdrw_999.ofd"
    if not path.exists():
        pytest.skip("real samples not available")
    (span,) = split_documents(read_document(path))
    assert span.kind is DocumentKind.VAT_INVOICE and span.pages == [1, 2, 3, 4, 5] and span.subtype == "10"


def test_real_statement_and_toll_invoice() -> None:
    statement = REAL / "statements" / "finrep_cmb_statement_fixture.pdf"
    toll = REAL / "invoices" / "i2e_91420000722084584J_8cd62e109ec84973b3b39d166e52298c.pdf"
    if not (statement.exists() and toll.exists()):
        pytest.skip("real samples not available")
    assert classify_file(read_document(statement)).kind is DocumentKind.BANK_STATEMENT
    result = classify_file(read_document(toll))
    assert (result.kind, result.subtype) == (DocumentKind.VAT_INVOICE, "14")


def test_a_poor_photo_whose_labels_ocr_garbled_is_an_invoice_by_its_cipher_block_and_number() -> None:
    """开票日期 read 研靠运期, 价税合计 徐税分计: the labels say too little; the 密码区 and No 87654321 still do."""
    page = _page("1100094140", "增值伦专用发票", "No 87654321", "机器编号000000000001", "研靠运期:",
                 "1*6<+81+574+9*2+/>0-39063/*", "-=0/968*624582>91*3/*1<6*42", "2477</42**0±7-2</24-630-391",
                 "611+>/51433*124*5-+44><9/94", "计算机", "5099.00", "¥1019.83", "徐税分计(大篇)")
    assert classify_page(page).kind == DocumentKind.VAT_INVOICE


def test_account_numbers_and_dates_of_a_statement_are_no_cipher_block() -> None:
    page = _page("账号:6222020200112233445", "2024-01-02", "62220202001122334451-2024", "6222020200112233445",
                 "2024-01-03", "1,200.00", "2024-01-04", "3,000.00", "余额")
    assert classify_page(page).kind != DocumentKind.VAT_INVOICE


def test_an_order_contract_between_a_purchaser_and_a_supplier_with_bank_details_is_a_contract() -> None:
    """订货合同 between 采购方 and 供应方 (role words no invoice prints), with 税号 and 开户行及账号 rows."""
    page = _page("订货合同(订单)", "合同号:XS-2401-382 日期:2024-01-05",
                 "采购方 合肥长兴精密机械有限公司 供应方 南京宏远服饰有限公司",
                 "税号 913401042194208517 税号 91320115MAWM9C2K38",
                 "开户行及账号 中国工商银行合肥支行 6944402869280825461",
                 "品名 型号 单位 数量 单价 金额", "1 工作服 加厚 套 32 134.00 4,288.00", "合计 4,288.00",
                 "1)质量标准:供应方所供产品须符合国家现行标准及行业标准,随货提供产品合格证。",
                 "采购方(盖章):合肥长兴精密机械有限公司 供应方(盖章):南京宏远服饰有限公司")
    got = classify_page(page)
    assert got.kind is DocumentKind.PURCHASE_CONTRACT and got.confidence >= UNSURE_BELOW


def test_a_purchase_order_both_sides_stamp_is_a_contract() -> None:
    """采购订单 between 采购方 and 供应商 with goods, delivery and both seals: the trade contract a borrower
    brings (it had been unclassified, and no cross-check ran against it)."""
    page = _page("采购订单", "订单编号:2024-GX-782 下单日期:2024/11/07",
                 "【采购方】 【供应商】", "名称:盛丰钢材(郑州)有限公司 名称:河南巨力金属材料有限公司",
                 "统一社会信用代码:914101053408735963 统一社会信用代码:91410105MA85F54K04",
                 "订货明细:", "序号 产品名称 规格型号 单位 数量 含税单价 含税金额 交货期",
                 "1 螺纹钢 HRB400E Φ25 吨 87 3,980.00 346,260.00 2024/11/30", "合计 346,260.00",
                 "付款方式:货到验收后30日内付清", "采购方(盖章) 供应商(盖章)", "日期:2024/11/07")
    got = classify_page(page)
    assert got.kind is DocumentKind.PURCHASE_CONTRACT and got.confidence >= UNSURE_BELOW


def test_a_scanned_digital_invoice_whose_pale_labels_were_lost_is_still_an_invoice() -> None:
    """A 数电票 scan read with its title, 20-digit number, parties and amounts but none of the form's labels: it
    had been "other", so no payment or authority check ran on it."""
    page = _page("25432000019944978555", "电子发票", "(增值税专用发票)", "2025年05月19日",
                 "长沙鼎力农产品有限公司", "湖南润泽农产品有限公司", "914301045266847503", "91430104104740054G",
                 "*食用植物油*大豆油", "一级散装", "吨", "8.866", "77191.14", "9%", "6947.20",
                 "捌万肆仟壹佰叁拾捌元叁角肆分", "¥84138.34", "姚海燕")
    got = classify_page(page)
    assert got.kind is DocumentKind.VAT_INVOICE and got.confidence >= UNSURE_BELOW

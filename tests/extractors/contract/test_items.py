"""Goods tables read by header words and columns, whatever the column set (issue 14: 序号 glued to the name,
规格型号 and 单位 lost, quantity and price missing, adjacent cells joined into one amount)."""

from __future__ import annotations

from extractors.contract.extractor import PurchaseContractExtractor
from extractors.contract.lines import read_row
from extractors.text.table import Cell
from idp.models import TextSource
from tests.extractors.contract.pages import page

_PARTIES = [[("购销合同", 250)], [("甲方（需方）：", 56), ("上海甲贸易有限公司", 126)],
            [("乙方（供方）：", 56), ("杭州乙科技有限公司", 126)], [("第一条 标的", 56)]]


def _items(*rows: list[tuple[str, float]], source: TextSource = TextSource.TEXT_LAYER) -> list[dict[str, str]]:
    doc = PurchaseContractExtractor().extract([page([*_PARTIES, *rows], source=source)])
    return [{k: f.value for k, f in item.items() if f.value is not None} for item in doc.items]


def test_row_number_glued_to_the_name_is_dropped():
    header = [("序号", 58), ("货物名称", 110), ("型号规格", 200), ("计量单位", 290), ("数量", 350), ("单价", 410),
              ("金额", 490)]
    items = _items(
        header,
        [("1交流接触器", 58), ("CJX2-1810", 200), ("只", 300), ("10", 355), ("45.00", 405), ("450.00", 480)],
        [("小型断路器2", 110), ("DZ47-63", 200), ("个", 300), ("4", 355), ("30.00", 405),
         ("120.00", 480)],
        source=TextSource.OCR,
    )
    assert [i["name"] for i in items] == ["交流接触器", "小型断路器"]
    assert items[0]["spec"] == "CJX2-1810" and items[0]["unit"] == "只"


def test_name_left_of_a_centred_header_is_not_taken_for_the_row_number():
    items = _items(
        [("序号", 58), ("产品名称", 120), ("规格型号", 220), ("单位", 300), ("数量", 350), ("单价（元）", 400),
         ("金额（元）", 480)],
        [("1", 62), ("变频器", 86), ("VFD-M 7.5KW", 200), ("台", 302), ("108", 352), ("2,765.56", 400),
         ("298,680.48", 470)],
    )
    assert items == [{"name": "变频器", "spec": "VFD-M 7.5KW", "unit": "台", "quantity": "108",
                      "price": "2765.56", "amount": "298680.48"}]


def test_wrapped_header_and_extra_columns_keep_spec_unit_quantity():
    """订购数量 wrapped over two header lines; 品牌 and 备注 columns between and after the scored ones."""
    items = _items(
        [("订购数", 330)],
        [("No.", 58), ("品名", 100), ("品牌", 170), ("规格", 220), ("单位", 290), ("量", 345), ("含税单价", 390),
         ("含税金额", 460), ("备注", 530)],
        [("1", 60), ("螺纹钢", 100), ("沙钢", 170), ("HRB400E Φ20", 210), ("吨", 292), ("12.5", 338),
         ("3,900.00", 385), ("48,750.00", 455), ("现货", 530)],
    )
    assert items == [{"name": "螺纹钢", "spec": "HRB400E Φ20", "unit": "吨", "quantity": "12.5", "price": "3900",
                      "amount": "48750.00"}]


def test_cells_read_as_one_are_split_by_quantity_times_price():
    row = read_row(1, 1, {"name": [Cell("伺服电机", 100, 0, 140, 10)], "quantity": [Cell("60", 300, 0, 310, 10)],
                          "price": [Cell("2,078.56124,713.60", 380, 0, 470, 10)]}, has_number_column=False)
    assert (row.values["quantity"], row.values["price"], row.values["amount"]) == ("60", "2078.56", "124713.60")
    assert row.confidence["amount"] < 0.95  # repaired, so a person confirms it
    assert any("拆分" in e for e in row.evidence)


def test_unit_printed_in_the_quantity_cell():
    row = read_row(1, 1, {"name": [Cell("伺服电机", 100, 0, 140, 10)], "quantity": [Cell("60台", 300, 0, 320, 10)],
                          "price": [Cell("100.00", 380, 0, 410, 10)], "amount": [Cell("6,000.00", 450, 0, 490, 10)]},
                   has_number_column=False)
    assert (row.values["quantity"], row.values["unit"]) == ("60", "台")


def test_a_line_that_does_not_add_up_is_not_sure():
    row = read_row(1, 1, {"name": [Cell("伺服电机", 100, 0, 140, 10)], "quantity": [Cell("60", 300, 0, 310, 10)],
                          "price": [Cell("100.00", 380, 0, 410, 10)], "amount": [Cell("6,100.00", 450, 0, 490, 10)]},
                   has_number_column=False)
    assert row.values["amount"] == "6100.00" and max(row.confidence.values()) < 0.95


def test_table_continued_on_the_next_page_without_its_header():
    header = [("序号", 58), ("产品名称", 100), ("规格型号", 200), ("单位", 290), ("数量", 350), ("单价", 410),
              ("金额", 490)]
    first = page([*_PARTIES, header,
                  [("1", 60), ("螺纹钢", 100), ("HRB400E", 200), ("吨", 292), ("10", 355), ("4,000.00", 400),
                   ("40,000.00", 480)]])
    second = page([[("购销合同 编号：HT-2024-001", 56)], [],
                   [("2", 60), ("热轧卷板", 100), ("Q235B", 200), ("吨", 292), ("5", 355), ("4,200.00", 400),
                    ("21,000.00", 480)],
                   [("合计人民币（大写）：陆万壹仟元整", 56), ("¥61,000.00", 470)]], page_no=2)
    doc = PurchaseContractExtractor().extract([first, second])
    assert [i["name"].value for i in doc.items] == ["螺纹钢", "热轧卷板"]
    assert doc.value("total_amount") == "61000.00" and doc.fields["total_amount"].confidence >= 0.99


def test_misread_amount_is_corrected_by_the_total_but_still_reviewed():
    doc = PurchaseContractExtractor().extract([page([
        *_PARTIES,
        [("序号", 58), ("产品名称", 100), ("数量", 300), ("单价", 380), ("金额", 470)],
        [("1", 60), ("交流接触器", 100), ("100", 305), ("45.00", 380), ("4,500.00", 470)],
        [("2", 60), ("小型断路器", 100), ("20", 305), ("30.50", 380), ("640.00", 470)],  # OCR: 610.00
        [("合计人民币（大写）：伍仟壹佰壹拾元整（¥5,110.00）", 56)],
    ])])
    line = doc.items[1]["amount"]
    assert line.value == "610.00" and line.confidence < 0.95
    assert doc.value("total_amount") == "5110.00"


def test_row_numbers_printed_with_punctuation():
    items = _items(
        [("序号", 58), ("产品名称", 110), ("数量", 300), ("单价", 380), ("金额", 470)],
        [("1、", 58), ("交流接触器", 110), ("10", 305), ("45.00", 380), ("450.00", 470)],
        [("(2)", 58), ("小型断路器", 110), ("4", 305), ("30.00", 380), ("120.00", 470)],
    )
    assert [i["name"] for i in items] == ["交流接触器", "小型断路器"]


def test_a_name_cut_out_of_a_run_read_across_the_spec_column_is_left_for_review():
    """OCR read 工业级以太网8口千兆 as one box over the name and spec columns: the cut is a guess by width."""
    from extractors.contract.items import cut_between_characters
    from extractors.text.table import Row
    from extractors.text.table_columns import Column, assign

    whole = Cell("工业级以太网8口千兆", 100, 0, 300, 10)
    row = Row([whole, Cell("台", 320, 0, 330, 10)], 1)
    columns = [Column("name", 90, 190, (90, 190)), Column("spec", 200, 310, (200, 310)),
               Column("unit", 315, 340, (315, 340))]
    assigned = assign(row, columns)
    assert cut_between_characters(row, assigned) == {"name", "spec"}
    line = read_row(1, 1, {**assigned, "quantity": [Cell("2", 350, 0, 355, 10)],
                           "price": [Cell("10.00", 360, 0, 380, 10)], "amount": [Cell("20.00", 390, 0, 410, 10)]},
                    has_number_column=False, cut={"name", "spec"})
    assert line.confidence["name"] < 0.95 and line.confidence["spec"] < 0.95
    assert line.confidence["amount"] >= 0.95


def test_a_run_cut_where_the_script_changes_is_not_doubted():
    from extractors.contract.items import cut_between_characters
    from extractors.text.table import Row
    from extractors.text.table_columns import Column, assign

    row = Row([Cell("变频器VFD-M", 100, 0, 190, 10)], 1)
    columns = [Column("name", 90, 150, (90, 150)), Column("spec", 151, 200, (151, 200))]
    assigned = assign(row, columns)
    assert assigned["name"][0].text == "变频器"
    assert cut_between_characters(row, assigned) == set()


def test_an_amount_read_into_the_next_column_is_cut_where_the_chinese_text_begins():
    """OCR read 5,968.20 and the 交货期 cell 二〇二四年 as one box; a cut by character width falls inside the
    amount (OCR digits are wider than half a Chinese character)."""
    from extractors.contract.items import cut_at_script_change
    from extractors.text.table import Row
    from extractors.text.table_columns import Column, assign

    row = Row([Cell("5,968.20二〇二四年", 400, 0, 520, 10)], 1)
    columns = [Column("amount", 390, 444, (390, 444)), Column("other:交货期", 445, 520, (445, 520))]
    assert [c.text for c in assign(row, columns)["amount"]] != ["5,968.20"]  # the width cut is wrong
    cut = cut_at_script_change(row, columns)
    assert [c.text for c in assign(cut, columns)["amount"]] == ["5,968.20"]


def test_a_quantity_read_into_its_unit_column_is_cut_at_the_column_border():
    """OCR read 105 and the 单位 cell 台 as one wide box reaching only a little into the unit column; a cut
    by character width gives 10 | 5台."""
    from extractors.contract.items import cut_at_script_change
    from extractors.text.table import Row
    from extractors.text.table_columns import Column, assign

    row = Row([Cell("105台", 821, 0, 958, 20)], 1)
    columns = [Column("quantity", 816, 867, (816, 867)), Column("unit", 867, 971, (867, 971))]
    cut = assign(cut_at_script_change(row, columns), columns)
    assert [c.text for c in cut["quantity"]] == ["105"] and [c.text for c in cut["unit"]] == ["台"]
    name = Row([Cell("3号电机", 100, 0, 150, 20)], 1)  # a name is not a quantity and its unit
    name_columns = [Column("name", 90, 140, (90, 140)), Column("spec", 141, 200, (141, 200))]
    assert cut_at_script_change(name, name_columns) is name


def test_a_header_whose_cells_wrap_over_five_lines_keeps_every_column():
    """示范文本 headers: 牌号/商标, 计量/单位 and 交(提)货/时间及/数量 wrapped and centred beside one-line
    labels, over five text lines in all; with only the first three the unit column is lost and 吨 joins the spec."""
    slots: list[list[tuple[str, float]]] = [[] for _ in range(24)]
    slots[0] = [("购销合同", 250)]
    slots[2] = [("甲方（需方）：上海甲贸易有限公司", 56)]
    slots[4] = [("乙方（供方）：杭州乙科技有限公司", 56)]
    slots[6] = [("第一条 标的", 56)]
    slots[8] = [("交(提)货", 495)]
    slots[9] = [("牌号商", 150), ("计量", 285)]
    slots[10] = [("产品名称", 60), ("规格型号", 205), ("数量", 325), ("单价", 370), ("金额", 440), ("时间及数", 495)]
    slots[11] = [("标", 160), ("单位", 285)]
    slots[12] = [("量", 510)]
    slots[15] = [("冷轧钢板", 60), ("鞍钢", 150), ("SPCC", 195), ("吨", 287), ("33", 330), ("4,677.02", 365),
                 ("154,341.66", 430), ("9月16日", 495)]
    slots[18] = [("合计人民币金额（大写）：壹拾伍万肆仟叁佰肆拾壹元陆角陆分（¥154,341.66）", 56)]
    doc = PurchaseContractExtractor().extract([page(slots, step=6.0)])
    (item,) = doc.items
    assert item["spec"].value == "SPCC" and item["unit"].value == "吨" and item["quantity"].value == "33"


def test_a_unit_column_whose_label_ocr_missed_is_found_from_its_lined_up_words():
    header = [("货物名称", 58), ("规格型号", 150), ("生产厂家", 240), ("数量", 350), ("单价", 410), ("金额", 490)]
    items = _items(
        header,  # 计量单位 was printed between 生产厂家 and 数量 but not read
        [("交流接触器", 58), ("CJX2-1810", 150), ("正泰电器", 240), ("只", 310), ("10", 355), ("45.00", 405),
         ("450.00", 480)],
        [("小型断路器", 58), ("DZ47-63", 150), ("德力西", 240), ("个", 310), ("4", 355), ("30.00", 405),
         ("120.00", 480)],
        source=TextSource.OCR,
    )
    assert [(i["unit"], i["quantity"]) for i in items] == [("只", "10"), ("个", "4")]
    assert [i.get("spec") for i in items] == ["CJX2-1810", "DZ47-63"]


def test_a_name_run_into_the_spec_is_cut_where_the_code_begins_near_the_border():
    """工业级以太网8口千兆导轨式 over 产品名称 | 型号规格 (a scan): by width the 8 fell on the name's side, and the
    name read 工业级以太网8 (then 交换机 on its next line) at 0.97."""
    from extractors.contract.items import cut_at_script_change
    from extractors.text.table import Row
    from extractors.text.table_columns import Column, assign

    row = Row([Cell("工业级以太网8口千兆导轨式", 257, 0, 630, 43), Cell("台", 732, 0, 772, 43)], 1)
    columns = [Column("name", 255, 405, (276, 409)), Column("spec", 433, 630, (505, 634)),
               Column("unit", 728, 776, (715, 789))]
    cut = assign(cut_at_script_change(row, columns), columns)
    assert [c.text for c in cut["name"]] == ["工业级以太网"] and [c.text for c in cut["spec"]] == ["8口千兆导轨式"]
    far = Row([Cell("华为交换机S5720", 100, 0, 300, 10)], 1)  # the code starts far from the border: not cut here
    assert cut_at_script_change(far, [Column("name", 90, 280, (90, 280)), Column("spec", 281, 400, (281, 400))]) is far

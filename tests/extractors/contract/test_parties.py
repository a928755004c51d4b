"""Parties by role words wherever the letter is, in every block shape (issue 14: both parties' tax ids and the
sign place missed in one layout)."""

from __future__ import annotations

from extractors.contract.extractor import PurchaseContractExtractor
from idp.models import BBox, Mark, MarkKind
from tests.extractors.contract.pages import H, W, page

_GOODS = [[("第一条 标的", 56)],
          [("序号", 58), ("产品名称", 100), ("数量", 300), ("单价", 380), ("金额", 470)],
          [("1", 60), ("交流接触器", 100), ("100", 305), ("45.00", 380), ("4,500.00", 470)],
          [("合同总金额：人民币4,500.00元（大写：肆仟伍佰元整）。", 56)]]


def _doc(*rows: list[tuple[str, float]], tail: list[list[tuple[str, float]]] | None = None):
    return PurchaseContractExtractor().extract([page([[("买卖合同", 250)], *rows, *_GOODS, *(tail or [])])])


def test_seller_first_with_letters_reversed():
    doc = _doc([("甲方（供货方）：杭州乙科技有限公司", 56)], [("统一社会信用代码：91330106MA2B3C4D5E", 80)],
               [("乙方（采购方）：上海甲贸易有限公司", 56)], [("税号：91310115MA1K2L3M4N", 80)])
    assert doc.value("seller_name") == "杭州乙科技有限公司" and doc.value("seller_letter") == "甲方"
    assert doc.value("buyer_tax_id") == "91310115MA1K2L3M4N"
    assert doc.value("seller_tax_id") == "91330106MA2B3C4D5E"


def test_parties_in_a_sentence_wrapped_over_lines():
    doc = _doc(
        [("出卖人：杭州乙科技有限公司，统一社会信用代码：91330106MA2B3C4D5E，住所地：杭州市西湖区文三路", 56)],
        [("1号，法定代表人：王伟。", 56)],
        [("买受人：上海甲贸易有限公司，统一社会信用代码：91310115MA1K2L3M4N，法定代表人：李娜。", 56)],
    )
    assert doc.value("seller_name") == "杭州乙科技有限公司" and doc.value("buyer_name") == "上海甲贸易有限公司"
    assert doc.value("seller_legal_rep") == "王伟" and doc.value("buyer_legal_rep") == "李娜"
    assert doc.value("buyer_tax_id") == "91310115MA1K2L3M4N"


def test_a_partys_details_in_a_bracket_after_its_name_wrapped_over_lines():
    doc = _doc(
        [("卖方：杭州乙科技有限公司（统一社会信用代码：91330106MA2B3C4D5E；住所：浙江省杭州市西湖区文三", 56)],
        [("路1号；法定代表人：王伟；电话：0571-88888888）", 56)],
        [("买方：上海甲贸易有限公司(税号:91310115MA1K2L3M4N;法定代表人:李娜)", 56)],
    )
    assert doc.value("seller_name") == "杭州乙科技有限公司" and doc.value("buyer_name") == "上海甲贸易有限公司"
    assert doc.value("seller_tax_id") == "91330106MA2B3C4D5E" and doc.value("buyer_tax_id") == "91310115MA1K2L3M4N"
    assert doc.value("seller_address") == "浙江省杭州市西湖区文三路1号"
    assert doc.value("seller_legal_rep") == "王伟" and doc.value("buyer_legal_rep") == "李娜"
    assert doc.value("seller_phone") == "0571-88888888"


def test_parties_in_a_table_with_a_label_column():
    doc = _doc(
        [("需方", 250), ("供方", 420)],
        [("单位名称", 60), ("上海甲贸易有限公司", 160), ("杭州乙科技有限公司", 340)],
        [("纳税人识别号", 60), ("91310115MA1K2L3M4N", 160), ("91330106MA2B3C4D5E", 340)],
        [("法定代表人", 60), ("李娜", 160), ("王伟", 340)],
    )
    assert doc.value("buyer_name") == "上海甲贸易有限公司" and doc.value("seller_name") == "杭州乙科技有限公司"
    assert doc.value("buyer_tax_id") == "91310115MA1K2L3M4N" and doc.value("seller_tax_id") == "91330106MA2B3C4D5E"
    assert doc.value("seller_legal_rep") == "王伟"


def test_tax_ids_and_place_only_in_the_signing_blocks():
    doc = _doc(
        [("卖方（甲方）：杭州乙科技有限公司", 56)], [("买方（乙方）：上海甲贸易有限公司", 56)],
        tail=[[("甲方（盖章）：杭州乙科技有限公司", 56), ("乙方（盖章）：上海甲贸易有限公司", 310)],
              [("法定代表人或授权代表（签字）：", 56), ("法定代表人或授权代表（签字）：", 310)],
              [("税号：91330106MA2B3C4D5E", 56), ("税号：91310115MA1K2L3M4N", 310)],
              [("签约地点：上海市浦东新区", 56)]],
    )
    assert doc.value("seller_tax_id") == "91330106MA2B3C4D5E" and doc.value("buyer_tax_id") == "91310115MA1K2L3M4N"
    assert doc.value("seller_legal_rep") is None  # 或授权代表（签字） is a label, not a name
    assert doc.value("sign_place") == "上海市浦东新区"


def test_sign_place_and_date_in_running_text():
    doc = _doc([("买方：上海甲贸易有限公司", 56)], [("卖方：杭州乙科技有限公司", 56)],
               [("经友好协商，双方于二〇二四年三月五日在苏州市吴中区签订本合同。", 56)])
    assert doc.value("sign_place") == "苏州市吴中区" and doc.value("sign_date") == "2024-03-05"


def test_clause_naming_a_court_is_not_the_sign_place():
    doc = _doc([("买方：上海甲贸易有限公司", 56)], [("卖方：杭州乙科技有限公司", 56)],
               tail=[[("协商不成的，任何一方均可向合同签订地人民法院提起诉讼。", 56)]])
    assert doc.value("sign_place") is None


def test_heading_and_name_in_separate_runs_without_a_colon():
    doc = _doc([("甲方（需方）", 56), ("上海甲贸易有限公司", 200)], [("乙方（供方）", 56), ("杭州乙科技有限公司", 200)])
    assert doc.value("buyer_name") == "上海甲贸易有限公司" and doc.value("seller_name") == "杭州乙科技有限公司"


def test_sign_place_after_signed_at():
    doc = _doc([("买方：上海甲贸易有限公司", 56)], [("卖方：杭州乙科技有限公司", 56)],
               tail=[[("本合同于2024年3月5日签订于宁波市鄞州区。", 56)]])
    assert doc.value("sign_place") == "宁波市鄞州区"


def test_signature_table_cells_give_each_party_its_details_under_a_name_row_without_label():
    doc = _doc([("甲方（买方）：上海甲贸易有限公司", 56)], [("乙方（卖方）：杭州乙科技有限公司", 56)],
               tail=[[("甲方（盖章）", 59), ("乙方（盖章）", 300)],
                     [("上海甲贸易有限公司", 59), ("杭州乙科技有限公司", 300)],
                     [("法定代表人：李娜", 59), ("法定代表人：王伟", 300)],
                     [("税号：91310115MA1K2L3M4N", 59), ("税号：91330106MA2B3C4D5E", 300)],
                     [("开户行：中国银行上海分行", 59), ("开户行：中国银行杭州分行", 300)]])
    assert doc.value("buyer_legal_rep") == "李娜" and doc.value("seller_legal_rep") == "王伟"
    assert doc.value("buyer_tax_id") == "91310115MA1K2L3M4N" and doc.value("seller_tax_id") == "91330106MA2B3C4D5E"


def test_a_table_of_label_value_pairs_per_party():
    doc = _doc([("订货单位", 59), ("上海甲贸易有限公司", 140), ("供应单位", 300), ("杭州乙科技有限公司", 380)],
               [("税号", 59), ("91310115MA1K2L3M4N", 140), ("税号", 300), ("91330106MA2B3C4D5E", 380)],
               [("联系人", 59), ("李娜", 140), ("联系人", 300), ("王伟", 380)])
    assert doc.value("buyer_name") == "上海甲贸易有限公司" and doc.value("seller_name") == "杭州乙科技有限公司"
    assert doc.value("buyer_tax_id") == "91310115MA1K2L3M4N" and doc.value("seller_tax_id") == "91330106MA2B3C4D5E"
    assert doc.value("buyer_contact") == "李娜" and doc.value("seller_contact") == "王伟"


def test_details_table_after_the_clauses_with_seal_note_in_the_name_label():
    doc = _doc(tail=[[("出卖人", 250), ("买受人", 420)],
                     [("单位名称（章）", 60), ("杭州乙科技有限公司", 160), ("上海甲贸易有限公司", 340)],
                     [("单位地址", 60), ("杭州市西湖区文三路1号", 160), ("上海市浦东新区张江路2号", 340)],
                     [("税务登记号", 60), ("91330106MA2B3C4D5E", 160), ("91310115MA1K2L3M4N", 340)]])
    assert doc.value("seller_name") == "杭州乙科技有限公司" and doc.value("buyer_name") == "上海甲贸易有限公司"
    assert doc.value("buyer_address") == "上海市浦东新区张江路2号"
    assert doc.value("seller_tax_id") == "91330106MA2B3C4D5E"


def test_role_word_with_a_name_label_and_a_bare_seal_note_are_headings():
    doc = _doc([("供应商名称：杭州乙科技有限公司", 56)], [("采购单位名称：上海甲贸易有限公司", 56)],
               tail=[[("出卖人（章）：杭州乙科技有限公司", 56)], [("税号：91330106MA2B3C4D5E", 56)]])
    assert doc.value("seller_name") == "杭州乙科技有限公司" and doc.value("buyer_name") == "上海甲贸易有限公司"
    assert doc.value("seller_tax_id") == "91330106MA2B3C4D5E"


def test_seal_notes_as_ocr_leaves_them_still_make_signing_headings():
    doc = _doc([("卖方：杭州乙科技有限公司", 56)], [("买方：上海甲贸易有限公司", 56)],
               tail=[[("卖方(签章", 56), (":杭州乙科技有限公司", 110), ("买方（盖）：上海甲贸易有限公司", 310)],
                     [("税号：91330106MA2B3C4D5E", 56), ("税号：91310115MA1K2L3M4N", 310)]])
    assert doc.value("seller_tax_id") == "91330106MA2B3C4D5E" and doc.value("buyer_tax_id") == "91310115MA1K2L3M4N"


def test_header_table_with_a_row_per_party_under_a_row_of_labels():
    doc = _doc(
        [("单位名称", 130), ("纳税人识别号", 260), ("地址", 390), ("电话", 500)],
        [("甲方（需方）", 40), ("上海甲贸易有限", 130), ("91310115MA1K2L3M4N", 260), ("浦东新区人民路1号", 390),
         ("13812345678", 500)],
        [("公司", 130)],
        [("乙方（供方）", 40), ("杭州乙科技有限公司", 130), ("91330106MA2B3C4D5E", 260), ("西湖区文三路9号", 390),
         ("0571-8888888", 500)],
    )
    assert doc.value("buyer_name") == "上海甲贸易有限公司" and doc.value("seller_name") == "杭州乙科技有限公司"
    assert doc.value("buyer_tax_id") == "91310115MA1K2L3M4N" and doc.value("seller_tax_id") == "91330106MA2B3C4D5E"
    assert doc.value("buyer_address") == "浦东新区人民路1号" and doc.value("seller_phone") == "0571-8888888"


def test_label_value_table_under_each_party_heading_row():
    doc = _doc(
        [("甲方（买受人）", 60), ("上海甲贸易有限公司", 230)],
        [("统一社会信用代码", 60), ("91310115MA1K2L3M4N", 230)],
        [("住所", 60), ("浦东新区人民路1号", 230)],
        [("乙方（出卖人）", 60), ("杭州乙科技有限公司", 230)],
        [("法定代表人", 60), ("王伟", 230)],
    )
    assert doc.value("buyer_tax_id") == "91310115MA1K2L3M4N" and doc.value("buyer_address") == "浦东新区人民路1号"
    assert doc.value("seller_name") == "杭州乙科技有限公司" and doc.value("seller_legal_rep") == "王伟"
    assert doc.value("seller_tax_id") is None


def test_supplier_order_wording_names_both_roles():
    doc = _doc([("供应商：杭州乙科技有限公司", 56)], [("采购商：上海甲贸易有限公司", 56)])
    assert doc.value("buyer_name") == "上海甲贸易有限公司" and doc.value("seller_name") == "杭州乙科技有限公司"


def _at(*placed: tuple[int, list[tuple[str, float]]]):
    """One page from ``(slot, runs)``: slots are 6 points apart, so a label can sit between two value lines."""
    slots: list[list[tuple[str, float]]] = [[] for _ in range(max(i for i, _ in placed) + 1)]
    for i, runs in placed:
        slots[i] = runs
    return PurchaseContractExtractor().extract([page(slots, step=6.0)])


def _goods_at(first: int) -> list[tuple[int, list[tuple[str, float]]]]:
    return [(first + 3 * n, runs) for n, runs in enumerate(_GOODS)]


def test_wrapped_value_cell_around_a_label_centred_on_it_is_read_whole():
    doc = _at((0, [("买卖合同", 250)]),
              (3, [("甲方", 60), ("上海甲贸易有限公司", 130), ("乙方", 300), ("杭州乙科技有限公司", 370)]),
              (6, [("税号", 60), ("91310115MA1K2L3M4N", 130), ("税号", 300), ("91330106MA2B3C4D5E", 370)]),
              (9, [("上海市浦东新区张江路", 130), ("杭州市西湖区文三路", 370)]),
              (10, [("地址", 60), ("地址", 300)]),
              (11, [("690号", 130), ("90号", 370)]),
              (14, [("联系人", 60), ("李娜", 130), ("联系人", 300), ("王伟", 370)]),
              *_goods_at(18))
    assert doc.value("buyer_tax_id") == "91310115MA1K2L3M4N" and doc.value("seller_tax_id") == "91330106MA2B3C4D5E"
    assert doc.value("buyer_address") == "上海市浦东新区张江路690号"
    assert doc.value("seller_address") == "杭州市西湖区文三路90号"
    assert doc.value("buyer_contact") == "李娜" and doc.value("seller_contact") == "王伟"


def test_a_wrapped_line_under_a_value_stays_with_it_not_with_the_next_label():
    doc = _at((0, [("买卖合同", 250)]),
              (3, [("甲方", 60), ("上海甲贸易有限公司", 130), ("乙方", 300), ("杭州乙科技有限公司", 370)]),
              (6, [("地址", 60), ("上海市浦东新区张江路", 130), ("地址", 300), ("杭州市西湖区文三路", 370)]),
              (9, [("690号", 130), ("90号", 370)]),
              (12, [("联系人", 60), ("李娜", 130), ("联系人", 300), ("王伟", 370)]),
              *_goods_at(16))
    assert doc.value("buyer_address") == "上海市浦东新区张江路690号" and doc.value("seller_contact") == "王伟"


def test_details_blocks_under_no_role_word_belong_to_the_party_they_name():
    doc = _doc([("出卖人：杭州乙商贸行", 56)], [("买受人：上海甲贸易有限公司", 56)],
               tail=[[("单位名称（章）", 60), ("杭州乙商贸行", 140),
                      ("单位名称（章）", 300), ("上海甲贸易有限公司", 380)],
                     [("单位地址", 60), ("杭州市西湖区文三路1号", 140), ("单位地址", 300), ("上海市张江路2号", 380)],
                     [("税号", 60), ("91330106MA2B3C4D5E", 140), ("税号", 300), ("91310115MA1K2L3M4N", 380)]])
    assert doc.value("seller_tax_id") == "91330106MA2B3C4D5E" and doc.value("buyer_tax_id") == "91310115MA1K2L3M4N"
    assert doc.value("seller_address") == "杭州市西湖区文三路1号" and doc.value("buyer_address") == "上海市张江路2号"
    assert doc.fields["signature_seller"].page == 1  # the signing part is the named block, not the preamble
    assert doc.fields["signature_seller"].bbox.y0 > doc.fields["buyer_name"].bbox.y0


def test_a_name_block_matching_neither_party_is_no_party_s():
    doc = _doc([("出卖人：杭州乙商贸行", 56)], [("买受人：上海甲贸易有限公司", 56)],
               tail=[[("单位名称（章）", 60), ("北京丙物流有限公司", 140)],
                     [("税号", 60), ("91110105MA0C1D2E3F", 140)]])
    assert doc.value("seller_tax_id") is None and doc.value("buyer_tax_id") is None


def test_a_run_read_across_into_the_next_partys_column_is_cut_at_that_partys_label():
    doc = _doc([("甲方（买方）：上海甲贸易有限公司", 56), ("乙方（卖方）：杭州乙科技有限公司", 310)],
               [("住所：上海市浦东新区张江高科技园区碧波路690号住所：杭州市西湖区文三路90号", 56)],
               [("1号楼", 56), ("委托代理人：王伟", 310)],
               [("委托代理人：李娜", 56), ("电话：0571-8888888", 310)])
    assert doc.value("buyer_address") == "上海市浦东新区张江高科技园区碧波路690号1号楼"
    assert doc.value("seller_address") == "杭州市西湖区文三路90号"
    assert doc.value("buyer_contact") == "李娜" and doc.value("seller_contact") == "王伟"
    assert doc.value("seller_phone") == "0571-8888888"


def test_details_read_by_ocr_that_nothing_checks_stay_below_the_straight_through_bar():
    from idp.models import TextSource

    rows = [[("买卖合同", 250)], [("甲方（买方）：上海甲贸易有限公司", 56)], [("法定代表人：李娜", 56)],
            [("税号：91310115MA1K2L3M4N", 56)], [("乙方（卖方）：杭州乙科技有限公司", 56)], *_GOODS]
    scanned = PurchaseContractExtractor().extract([page(rows, source=TextSource.OCR)])
    assert scanned.value("buyer_legal_rep") == "李娜" and scanned.fields["buyer_legal_rep"].confidence <= 0.9
    assert scanned.fields["buyer_tax_id"].confidence > 0.95  # its checksum and the registry check it
    printed = PurchaseContractExtractor().extract([page(rows)])
    assert printed.fields["buyer_legal_rep"].confidence > 0.95


def test_a_label_column_label_centred_on_values_wrapped_in_both_party_columns():
    doc = _at((0, [("买卖合同", 250)]),
              (3, [("出卖人", 160), ("买受人", 340)]),
              (6, [("单位名称", 60), ("杭州乙科技有限公司", 160), ("上海甲贸易有限公司", 340)]),
              (9, [("法定代表人", 60), ("王伟", 160), ("李娜", 340)]),
              (12, [("杭州市西湖区文三路", 160), ("上海市浦东新区张江路", 340)]),
              (13, [("地址", 60)]),
              (14, [("90号", 160), ("690号", 340)]),
              (17, [("电话", 60), ("0571-8888888", 160), ("021-66666666", 340)]),
              *_goods_at(21))
    assert doc.value("seller_legal_rep") == "王伟" and doc.value("buyer_legal_rep") == "李娜"
    assert doc.value("seller_address") == "杭州市西湖区文三路90号"
    assert doc.value("buyer_address") == "上海市浦东新区张江路690号"
    assert doc.value("buyer_phone") == "021-66666666"


def test_a_label_row_with_one_partys_value_beside_it_and_the_others_wrapped_around_it():
    """地址 | 杭州市西湖区文三路 / 90号 (wrapped around the label's line) | 上海市…690号 (on it): the seller's lines are
    its address; before, the label row had no seller value, so the first line was dropped and 90号 ran on
    after the legal representative's name (``王伟90号`` at the text layer's 0.99)."""
    doc = _at((0, [("买卖合同", 250)]),
              (3, [("出卖人", 160), ("买受人", 340)]),
              (6, [("单位名称", 60), ("杭州乙科技有限公司", 160), ("上海甲贸易有限公司", 340)]),
              (9, [("法定代表人", 60), ("王伟", 160), ("李娜", 340)]),
              (12, [("杭州市西湖区文三路", 160)]),
              (13, [("地址", 60), ("上海市浦东新区张江路690号", 340)]),
              (14, [("90号", 160)]),
              (17, [("电话", 60), ("0571-8888888", 160), ("021-66666666", 340)]),
              *_goods_at(21))
    assert doc.value("seller_legal_rep") == "王伟" and doc.value("buyer_legal_rep") == "李娜"
    assert doc.value("seller_address") == "杭州市西湖区文三路90号"
    assert doc.value("buyer_address") == "上海市浦东新区张江路690号"
    assert doc.value("seller_phone") == "0571-8888888"


def _ruled_at(rule_ys: list[float], *placed: tuple[int, list[tuple[str, float]]]):
    """:func:`_at` with the table's horizontal ruling lines drawn at ``rule_ys`` (points)."""
    slots: list[list[tuple[str, float]]] = [[] for _ in range(max(i for i, _ in placed) + 1)]
    for i, runs in placed:
        slots[i] = runs
    pg = page(slots, step=6.0)
    pg.marks = [Mark(kind=MarkKind.RULE, bbox=BBox.from_points(50, y, 500, y + 0.5, W, H), confidence=1.0)
                for y in rule_ys]
    return PurchaseContractExtractor().extract([pg])


def test_a_wrapped_line_goes_to_the_ruled_row_that_holds_it_not_to_the_nearer_label():
    """A value set at the top of its ruled cell, nearer the row above's label than its own: the rules say
    whose line it is."""
    rows = ((0, [("买卖合同", 250)]),
            (3, [("出卖人", 160), ("买受人", 340)]),
            (6, [("单位名称", 60), ("杭州乙科技有限公司", 160), ("上海甲贸易有限公司", 340)]),
            (9, [("法定代表人", 60), ("王伟", 160), ("李娜", 340)]),
            (11, [("杭州市西湖区文三路", 160)]),
            (14, [("地址", 60), ("上海市浦东新区张江路690号", 340)]),
            (15, [("90号", 160)]),
            (19, [("电话", 60), ("0571-8888888", 160), ("021-66666666", 340)]),
            *_goods_at(23))
    # rows 60 + 6·slot: the legal representative's cell ends at 125, the address cell at 160
    doc = _ruled_at([70, 88, 107, 125, 160, 180], *rows)
    assert doc.value("seller_legal_rep") == "王伟"
    assert doc.value("seller_address") == "杭州市西湖区文三路90号"


def test_a_contract_number_keeps_the_brackets_it_prints():
    doc = _doc([("合同编号：MM〔2024〕第843号", 56)], [("甲方（买方）：上海甲贸易有限公司", 56)],
               [("乙方（卖方）：杭州乙科技有限公司", 56)])
    assert doc.value("contract_number") == "MM〔2024〕第843号"


def test_both_parties_ocr_read_as_one_run_are_two_blocks():
    doc = _doc([("甲方（需方）：上海甲贸易有限公司乙方（供方）：杭州乙科技有限公司", 56)],
               [("税号：91310115MA1K2L3M4N", 56), ("税号：91330106MA2B3C4D5E", 216)])
    assert doc.value("buyer_name") == "上海甲贸易有限公司" and doc.value("seller_name") == "杭州乙科技有限公司"
    assert doc.value("buyer_tax_id") == "91310115MA1K2L3M4N"
    assert doc.value("seller_tax_id") == "91330106MA2B3C4D5E"


def test_a_signature_ocr_read_as_letters_after_a_printed_name_is_not_part_of_the_name():
    doc = _at((0, [("买卖合同", 250)]),
              (3, [("出卖人", 160), ("买受人", 340)]),
              (6, [("单位名称", 60), ("杭州乙科技有限公司", 160), ("上海甲贸易有限公司", 340)]),
              (9, [("委托代理人", 60), ("王伟", 160), ("李娜aaa", 340)]),
              (12, [("电话", 60), ("0571-8888888", 160), ("021-66666666", 340)]),
              *_goods_at(16))
    assert doc.value("seller_contact") == "王伟" and doc.value("buyer_contact") == "李娜"

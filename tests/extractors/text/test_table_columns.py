"""Columns of a table found from its header and the gutters of its data, whatever the layout."""

from __future__ import annotations

from extractors.text.table import Cell, Row
from extractors.text.table_columns import Header, columns_from


def test_a_right_aligned_quantity_close_to_its_unit_stays_in_its_own_column():
    """数量 | 单位: the quantity printed right of its label's centre, the unit a space after it; the two read as
    one run of data that only the unit's label centre falls in."""
    header = Header(row=0, labels={"name": (300.0, 420.0), "quantity": (909.0, 978.0), "unit": (1020.0, 1086.0),
                                   "price": (1146.0, 1213.0)})
    data = [Row([Cell("交流接触器", 230, 0, 341, 20), Cell("62", 953, 0, 999, 20), Cell("台", 1005, 0, 1054, 20),
                 Cell("1,672.70", 1139, 0, 1250, 20)], 1) for _ in range(3)]
    columns = {c.key: (c.x0, c.x1) for c in columns_from(header, data, text_height=20.0)}
    assert columns["quantity"][0] <= 953 and columns["quantity"][1] < 1005
    assert columns["unit"][0] > 999


def test_a_cells_last_word_boxed_apart_stays_in_its_column_when_a_gap_is_left_before_the_next():
    """规格型号 | 单位: OCR boxed ``SSD`` apart from ``i7-13700/32G/1T``; its centre lies past the middle of the
    labels, but the stretch nobody covers is after it, before the units."""
    header = Header(row=0, labels={"name": (335.0, 452.0), "spec": (606.0, 721.0), "unit": (810.0, 880.0),
                                   "quantity": (914.0, 986.0), "amount": (1187.0, 1342.0)})
    data = [Row([Cell("笔记本电脑", 263, 0, 399, 40), Cell("i7-13700/32G/1T", 539, 0, 734, 40),
                 Cell("SSD", 747, 0, 787, 40), Cell("台", 806, 0, 846, 40),
                 Cell("8", 969, 0, 1007, 40)], 1),
            Row([Cell("复印纸", 261, 50, 352, 90), Cell("A4", 539, 50, 564, 90), Cell("70g", 577, 50, 615, 90),
                 Cell("台", 801, 50, 850, 90),
                 Cell("12", 956, 50, 1009, 90)], 1)]
    columns = {c.key: (c.x0, c.x1) for c in columns_from(header, data, text_height=40.0)}
    assert columns["spec"][1] >= 787 and columns["unit"][0] > 787


def test_a_run_of_data_nearer_an_empty_label_is_that_labels():
    """品名 | 型号规格 with values set left of the centred labels: 三等 ends just left of 型号规格, which has no
    other data; it is the spec, not a second part of the name."""
    header = Header(row=0, labels={"name": (285.0, 360.0), "spec": (552.0, 671.0), "unit": (762.0, 837.0)})
    data = [Row([Cell("玉米", 179, 0, 257, 50), Cell("三等", 472, 0, 549, 50), Cell("吨", 746, 0, 809, 50)], 1)]
    columns = {c.key: (c.x0, c.x1) for c in columns_from(header, data, text_height=50.0)}
    assert columns["name"][1] <= 257 and columns["spec"][0] <= 472


def test_two_runs_under_one_label_stay_together_when_the_next_label_has_data():
    header = Header(row=0, labels={"name": (285.0, 360.0), "spec": (552.0, 671.0)})
    data = [Row([Cell("玉米", 179, 0, 257, 50), Cell("三等", 472, 0, 549, 50), Cell("A级", 600, 0, 660, 50)], 1)]
    columns = {c.key: (c.x0, c.x1) for c in columns_from(header, data, text_height=50.0)}
    assert columns["name"][1] >= 549


def test_a_cut_between_centres_that_crosses_no_cell_is_kept_over_a_slightly_wider_blank():
    """牌号商标 | 规格型号: the spec ``TPC7062`` ``7寸`` (two boxes) starts where the brand's label ends; a blank
    between the spec's two boxes is a hair wider than the one before it, but the spec is one cell."""
    header = Header(row=0, labels={"name": (242.0, 377.0), "other:brand": (437.0, 546.0), "spec": (606.0, 736.0),
                                   "unit": (799.0, 874.0), "quantity": (926.0, 1004.0), "amount": (1236.0, 1374.0)})
    data = [Row([Cell("触摸屏", 185, 0, 343, 50), Cell("威纶通", 429, 0, 531, 50), Cell("TPC7062", 546, 0, 661, 50),
                 Cell("7寸", 677, 0, 726, 50), Cell("台", 812, 0, 859, 50), Cell("10", 952, 0, 1004, 50)], 1)]
    columns = {c.key: (c.x0, c.x1) for c in columns_from(header, data, text_height=50.0)}
    assert columns["other:brand"][1] <= 531 and columns["spec"][0] <= 546


def test_amounts_set_right_up_to_an_empty_remarks_column_stay_whole_in_their_own():
    """金额(含税) | 备注 with nothing under 备注: the amounts' boxes reach its edge, their centres a few pixels
    apart; the column was cut between those centres and each amount split in two (``210,31`` | ``5.84``)."""
    header = Header(row=0, labels={"price": (954.0, 1021.0), "other:税率": (1130.0, 1211.0),
                                   "amount": (1252.0, 1323.0), "other:备注": (1430.0, 1501.0)})
    amounts = [(1273, 1431), (1294, 1431), (1296, 1426), (1280, 1431)]
    data = [Row([Cell("6,185.76", 1014, 50 * i, 1136, 50 * i + 30), Cell("13%", 1128, 50 * i, 1211, 50 * i + 30),
                 Cell("210,315.84", x0, 50 * i, x1, 50 * i + 30)], 1) for i, (x0, x1) in enumerate(amounts)]
    columns = {c.key: (c.x0, c.x1) for c in columns_from(header, data, text_height=30.0)}
    assert columns["amount"][1] >= 1426 and columns["other:备注"][0] >= 1426


def test_a_name_with_a_bracketed_qualifier_labels_its_whole_cell():
    """单价(含税) | 税率: the prices lie under the cell's middle and right, past the characters 单价; the 税率 label
    they touch took them and the price was lost."""
    from extractors.text.table_columns import match_header

    row = Row([Cell("数量", 889, 0, 983, 30), Cell("单价(含税)", 960, 0, 1136, 30), Cell("税率", 1130, 0, 1221, 30),
               Cell("金额(含税)", 1263, 0, 1433, 30)], 0)
    labels = match_header(row, {"quantity": ("数量",), "price": ("单价",), "amount": ("金额",),
                                "other:税率": ("税率",)})
    assert labels["price"] == (960, 1136) and labels["amount"] == (1263, 1433)
    header = Header(row=0, labels=labels)
    data = [Row([Cell("1990", 884, 50, 969, 80), Cell("43.79", 1054, 50, 1147, 80), Cell("13%", 1130, 50, 1221, 80),
                 Cell("87,142.10", 1300, 50, 1436, 80)], 1)]
    columns = {c.key: (c.x0, c.x1) for c in columns_from(header, data, text_height=30.0)}
    assert columns["price"][0] <= 1054 and columns["other:税率"][0] >= 1130

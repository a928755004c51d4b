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

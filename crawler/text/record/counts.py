"""The problem counts of a notice: totals.py reads how many problems the feedback raised, done.py how many are
rectified; a table's 合计 row gives both where no sentence does."""

from __future__ import annotations

import re

from crawler.text.record.common import (
    Inspection,
)
from crawler.text.record.doc import Doc
from crawler.text.record.done import find_problems_done
from crawler.text.record.totals import TotalHit, find_problems_total, other_count

# --------------------------------------------------------------------------
# counts in a table

# A table of the feedback's problems, as text: cells split by spaces, tabs or bars on a line, or one cell a line
# (as pages' tables are extracted). A header names the problems' count and the done count; a 合计 row sums them:
# "序号 问题类别 问题数 已整改 整改中 / 1 …方面 6 5 1 / … / 合计 20 18 2".
TABLE_CELL = re.compile(r"[^ \t|]+")
# ("问题数", "反馈问题总数(个)", "具体问题数", "反馈问题(个)": a column of numbers, not of the problems' wording)
TABLE_TOTAL_COL = re.compile(r"^(?:(?:巡视|巡察)?反馈|具体)?问题(?:(?:总)?(?:数|个数|数量)(?:\([个项条]\))?|\([个项条]\))$")
TABLE_DONE_COL = re.compile(
    r"^(?:已整改|已完成|已完成整改|完成整改|整改完成|已整改完成|已整改到位|已销号)(?:问题)?(?:数|个数|数量)?(?:\([个项条]\))?$"
)
TABLE_SUM_ROW = re.compile(r"^(?:合计|总计|共计)$")
NUMBER_CELL = re.compile(r"^\d+$")
TABLE_HEADER_WORD = re.compile(r"问题(?:(?:总)?(?:数|个数|数量)(?:\([个项条]\))?|\([个项条]\))(?=[ \t|\n])")
# What a 合计 row may give before its numbers: the count of aspects ("合计 | 4个方面 | 42 | 35", "(4个方面)").
SUM_ROW_LABEL = re.compile(r"^\(?\d+个方面\)?$")
TABLE_SUM_WORD = re.compile(r"(?:合计|总计|共计)(?=[ \t|\n])")
# How far before its header the text may say the table is the feedback's ("巡察反馈问题整改情况如下表").
TABLE_CONTEXT = 80
# How many cells after the header the 合计 row may come.
TABLE_ROWS = 120


def _table_counts(doc: Doc, insp: Inspection) -> tuple[TotalHit, int | None] | None:
    """The total (and done count) in the 合计 row of a table of the feedback's problems; its numbers are
    read from the right, under the header's last columns (a 合计 cell may span the first ones)."""
    if not (TABLE_HEADER_WORD.search(doc.read) and TABLE_SUM_WORD.search(doc.read)):  # most notices have no table
        return None
    cells = [(m.group(0), ls + m.start(), ls + m.end(), li)
             for li, (ls, le) in enumerate(doc.lines) for m in TABLE_CELL.finditer(doc.read[ls:le])]
    for i, (text, start, _end, _li) in enumerate(cells):
        if not TABLE_TOTAL_COL.match(text):
            continue
        header = [text]
        one_a_line = i + 1 < len(cells) and cells[i + 1][3] != cells[i][3]
        for cell in cells[i + 1 : i + 8]:
            if NUMBER_CELL.match(cell[0]) or len(cell[0]) > 12 or (not one_a_line and cell[3] != cells[i][3]):
                break  # a header on one line ends with it: the next row may start with a name, not a number
            header.append(cell[0])
        done_col = next((c for c, h in enumerate(header) if TABLE_DONE_COL.match(h)), None)
        before = doc.read[max(0, start - TABLE_CONTEXT) : start]
        if done_col is None or "反馈" not in before + text or other_count(before, insp):
            continue
        after = cells[i + len(header) : i + len(header) + TABLE_ROWS]
        row = next((k for k, cell in enumerate(after) if TABLE_SUM_ROW.match(cell[0])), None)
        if row is None:
            continue
        nums = []
        for cell in after[row + 1 :]:
            if not nums and SUM_ROW_LABEL.match(cell[0]):
                continue
            if not NUMBER_CELL.match(cell[0]):
                break
            nums.append(cell)
        if len(nums) < len(header):
            continue
        first = len(nums) - len(header)
        total_cell, done_cell = nums[first], nums[first + done_col]
        total, done = int(total_cell[0]), int(done_cell[0])
        if total < 2 or done > total:
            continue
        doc.cite("problems_total", total_cell[1], total_cell[2])
        doc.cite("problems_done", done_cell[1], done_cell[2])
        return TotalHit(total, total_cell[3], total_cell[2], total_cell[1]), done
    return None


def read_problem_counts(doc: Doc, insp: Inspection) -> tuple[int | None, int | None]:
    total = find_problems_total(doc, insp)
    if total is None and (table := _table_counts(doc, insp)):
        return table[0].value, table[1]
    done = find_problems_done(doc, insp, total)
    return (total.value if total else None), done

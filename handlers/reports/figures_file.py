"""Read the media centre's official figures (.xlsx or .csv): columns found by their header names."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass

UNIT_HEADERS = ("单位", "单位名称", "单位名", "部门", "部门名称")
COUNT_HEADERS = ("上稿量", "数量", "篇数", "上稿数", "上稿篇数", "稿件数")
RANK_HEADERS = ("排名", "名次", "序号排名")
HEADER_SCAN_ROWS = 10
TOTAL_ROWS = ("合计", "总计", "小计")


class FiguresFileError(ValueError):
    """The file is refused whole; the message says why in Chinese."""


@dataclass(frozen=True)
class FigureRow:
    name: str
    articles: int
    rank: int | None
    line: int  # the row number in the file, for messages


def read_figures(content: bytes, filename: str) -> list[FigureRow]:
    """Rows of (unit name, 上稿量, optional 排名); raise FiguresFileError for anything malformed."""
    if not content:
        raise FiguresFileError("文件是空的。")
    rows = _csv_rows(content) if filename.lower().endswith(".csv") else _xlsx_rows(content)
    return _parse(rows)


def _xlsx_rows(content: bytes) -> list[list[object]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise FiguresFileError("不是有效的 Excel（.xlsx）文件，请另存为 .xlsx 后再发。") from exc
    try:
        return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()


def _csv_rows(content: bytes) -> list[list[object]]:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GBK
        try:
            return list(csv.reader(io.StringIO(content.decode(encoding))))
        except UnicodeDecodeError:
            continue
    raise FiguresFileError("CSV 文件的编码无法识别，请另存为 UTF-8 或 .xlsx。")


def _parse(rows: list[list[object]]) -> list[FigureRow]:
    header_at, columns = _find_header(rows)
    problems, found, seen = [], [], {}
    for offset, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        name = _cell(row, columns["unit"])
        raw = _cell(row, columns["count"])
        if not name and not raw:
            continue
        if any(str(c).strip() in TOTAL_ROWS for c in row if c is not None):
            continue  # the sheet's own total line
        if not name:
            problems.append(f"第{offset}行没有单位名称")
            continue
        articles = _whole(raw)
        if articles is None:
            problems.append(f"第{offset}行「{name}」的上稿量不是整数：{raw or '（空）'}")
            continue
        if name in seen:
            problems.append(f"单位「{name}」出现了两次（第{seen[name]}行和第{offset}行）")
            continue
        seen[name] = offset
        rank = _whole(_cell(row, columns["rank"])) if "rank" in columns else None
        found.append(FigureRow(name, articles, rank, offset))
    if problems:
        raise FiguresFileError("文件有误，未导入：\n" + "\n".join(f"- {p}" for p in problems))
    if not found:
        raise FiguresFileError("表头下面没有数据行。")
    return found


def _find_header(rows: list[list[object]]) -> tuple[int, dict[str, int]]:
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        cells = [str(c).strip() if c is not None else "" for c in row]
        columns = {}
        for key, names in (("unit", UNIT_HEADERS), ("count", COUNT_HEADERS), ("rank", RANK_HEADERS)):
            match = next((i for i, c in enumerate(cells) if c in names), None)
            if match is not None:
                columns[key] = match
        if "unit" in columns and "count" in columns:
            return index, columns
    raise FiguresFileError(
        "找不到表头：需要「单位」（或「单位名称」）和「上稿量」（或「数量」「篇数」）两列。"
    )


def _cell(row: list[object], index: int) -> str:
    if index >= len(row) or row[index] is None:
        return ""
    value = row[index]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _whole(text: str) -> int | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return int(value) if value.is_integer() and value >= 0 else None

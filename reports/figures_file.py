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
# A zone has dozens of units: these bounds are generous for the real sheet and keep a hostile one small.
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # all parts of the .xlsx (a zip) together, once unpacked
MAX_ROWS = 5000
MAX_COLUMNS = 50  # cells further right are not read
MAX_COUNT = 9999  # one unit's articles in one month
NOT_XLSX = "不是有效的 Excel（.xlsx）文件，请另存为 .xlsx 后再发。"


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
    if len(content) > MAX_FILE_BYTES:
        raise FiguresFileError(f"文件超过{MAX_FILE_BYTES // 1024 // 1024}MB，不像是上稿统计表，未导入。")
    rows = _csv_rows(content) if filename.lower().endswith(".csv") else _xlsx_rows(content)
    return _parse(rows)


def _xlsx_rows(content: bytes) -> list[list[object]]:
    """Read-only and row by row, never trusting the sheet's <dimension>: openpyxl pads every row to the
    declared width and height (A1:XFD20000 took 2.7 GB), so the dimension is reset and columns capped."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        unpacked = sum(item.file_size for item in zipfile.ZipFile(io.BytesIO(content)).infolist())
        if unpacked <= MAX_UNPACKED_BYTES:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise FiguresFileError(NOT_XLSX) from exc
    if unpacked > MAX_UNPACKED_BYTES:  # zipfile reads no more than a part's declared size
        raise FiguresFileError("这个 Excel 文件解压后过大，不像是上稿统计表，未导入。")
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()
        return _bounded(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True))
    finally:
        book.close()


def _bounded(rows) -> list[list[object]]:
    """At most MAX_ROWS rows (blank ones count: a sheet reaching row 1,048,576 is refused, not padded)."""
    found = []
    for row in rows:
        if len(found) == MAX_ROWS:
            raise FiguresFileError(
                f"表格超过{MAX_ROWS}行（空行也算），未导入。请只保留表头和各单位的数据行后再发。"
            )
        found.append(list(row[:MAX_COLUMNS]))
    return found


def _csv_rows(content: bytes) -> list[list[object]]:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GBK
        try:
            return _bounded(csv.reader(io.StringIO(content.decode(encoding))))
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
            problems.append(f"第{offset}行「{name}」的上稿量不是整数：{raw[:20] or '（空）'}")
            continue
        if articles > MAX_COUNT:
            problems.append(f"第{offset}行「{name}」的上稿量{raw[:20]}超出范围（最多{MAX_COUNT}篇）")
            continue
        if name in seen:
            problems.append(f"单位「{name}」出现了两次（第{seen[name]}行和第{offset}行）")
            continue
        seen[name] = offset
        rank = _whole(_cell(row, columns["rank"])) if "rank" in columns else None
        rank = rank if rank is not None and rank <= MAX_COUNT else None
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
    """A whole number written with digits (12, or 12.0 as Excel saves it). Not float(): that took 1e15 and
    1e300 (which then overflowed the database's integer) and inf."""
    digits = text.strip().removesuffix(".0")
    if not (digits.isascii() and digits.isdigit()):
        return None
    return int(digits) if len(digits) <= 9 else MAX_COUNT + 1  # past any limit (int() refuses 5,000 digits)

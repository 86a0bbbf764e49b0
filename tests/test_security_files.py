"""Issue 11, items 3 and 9: a small hostile spreadsheet cannot take gigabytes or crash-loop the scheduler,
and a count like 1e300 or 1e15 is refused with a reason."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from reports.figures_file import MAX_ROWS, FiguresFileError, read_figures
from scheduler.runner import build_scheduler
from storage import tasks
from storage.models import Member, Outbox, Task

MEMORY_LIMIT = 800 * 1024 * 1024  # the child's address space: the old reader needed 2.7 GB


def sheet(patch) -> bytes:
    """A real two-unit figures workbook whose worksheet XML `patch` rewrites (as a hostile file would)."""
    book = Workbook()
    book.active.append(["单位", "上稿量"])
    book.active.append(["新城街道", 3])
    book.active.append(["辽河镇", 2])
    plain = io.BytesIO()
    book.save(plain)
    source, out = zipfile.ZipFile(io.BytesIO(plain.getvalue())), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = source.read(name)
            target.writestr(name, patch(data.decode()) if name == "xl/worksheets/sheet1.xml" else data)
    return out.getvalue()


def huge_dimension(xml: str) -> str:
    return xml.replace('<dimension ref="A1:B3" />', '<dimension ref="A1:XFD20000" />')


def padded_to_row_20000(xml: str) -> str:
    """The audit's file: A1:XFD20000 declared and an empty (formatted) row 20000 present."""
    return huge_dimension(xml).replace("</sheetData>", '<row r="20000" /></sheetData>')


def last_row(xml: str) -> str:
    cell = '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    return huge_dimension(xml).replace("</sheetData>", cell + "</sheetData>")


def last_column(xml: str) -> str:
    return xml.replace("</row></sheetData>", '<c r="XFD3" t="n"><v>7</v></c></row></sheetData>')


def read_in_a_small_process(content: bytes) -> str:
    """read_figures in a child whose address space is capped: too much memory is a MemoryError there."""
    code = (
        "import resource, sys\n"
        f"resource.setrlimit(resource.RLIMIT_AS, ({MEMORY_LIMIT}, {MEMORY_LIMIT}))\n"
        "from reports.figures_file import FiguresFileError, read_figures\n"
        "try:\n"
        "    rows = read_figures(sys.stdin.buffer.read(), 'f.xlsx')\n"
        "    print([(r.name, r.articles) for r in rows])\n"
        "except FiguresFileError as exc:\n"
        "    print('refused:', exc)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], input=content, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    return done.stdout.decode().strip()


def test_a_declared_dimension_of_a1_xfd20000_is_not_trusted():
    content = sheet(huge_dimension)
    assert len(content) < 10_000
    assert read_in_a_small_process(content) == "[('新城街道', 3), ('辽河镇', 2)]"


def test_a_row_at_1048576_is_refused_with_a_reason():
    assert (
        read_in_a_small_process(sheet(last_row))
        == f"refused: 表格超过{MAX_ROWS}行（空行也算），未导入。请只保留表头和各单位的数据行后再发。"
    )


def test_a_cell_in_the_last_column_is_not_padded_to_it():
    assert read_in_a_small_process(sheet(last_column)) == "[('新城街道', 3), ('辽河镇', 2)]"


def test_an_xlsx_that_unpacks_huge_is_refused():
    bomb = sheet(lambda xml: xml.replace("<sheetData>", "<sheetData>" + " " * (60 * 1024 * 1024)))
    assert len(bomb) < 200_000
    with pytest.raises(FiguresFileError, match="解压后过大"):
        read_figures(bomb, "f.xlsx")


def test_a_file_over_5_mb_is_refused():
    with pytest.raises(FiguresFileError, match="文件超过5MB"):
        read_figures(b"x" * (5 * 1024 * 1024 + 1), "f.csv")


@pytest.mark.parametrize(
    ("count", "says"),
    [
        ("1e300", "上稿量不是整数：1e300"),
        ("1e15", "上稿量不是整数：1e15"),
        ("inf", "上稿量不是整数：inf"),
        ("-3", "上稿量不是整数：-3"),
        ("1000000000000000", "上稿量1000000000000000超出范围（最多9999篇）"),
        ("9" * 5000, "超出范围（最多9999篇）"),
    ],
)
def test_csv_counts_out_of_range_are_refused(count, says):
    with pytest.raises(FiguresFileError, match=says[:30]):
        read_figures(f"单位,上稿量\n新城街道,{count}\n".encode(), "f.csv")


def test_csv_counts_as_excel_saves_them_are_read():
    rows = read_figures("单位,上稿量\n新城街道,12.0\n辽河镇, 7 \n".encode(), "f.csv")
    assert [(r.name, r.articles) for r in rows] == [("新城街道", 12), ("辽河镇", 7)]


def test_a_task_that_kills_the_scheduler_twice_is_quarantined(pushing_app, org, caplog):
    """Each start-up requeues an interrupted task; the third start-up marks it failed and tells people,
    so it can no longer crash-loop the scheduler and stall everyone else's exports."""
    with org.sessions() as s, s.begin():
        admin = s.scalar(select(Member).where(Member.userid == "admin"))
        tasks.create(
            s, "import_official", admin, {"media_id": "M", "filename": "炸弹.xlsx", "period": "2023-03"}
        )
    for _crash in range(2):
        with org.sessions() as s, s.begin():
            assert tasks.claim_one(s) is not None  # the run starts … and the process dies
        build_scheduler(pushing_app.services, background=True)  # the restart
    with org.sessions() as s:
        task = s.scalar(select(Task))
        told = {tuple(r.recipients): r.payload["text"] for r in s.scalars(select(Outbox))}
    assert (task.status, task.attempts) == ("failed", 2) and "not retried" in task.error
    assert "导入《炸弹.xlsx》任务两次导致后台进程中断" in told[("admin",)] or any(
        "两次导致调度进程中断" in t for t in told.values()
    )
    assert "task 1 (import_official) quarantined" in caplog.text
    with org.sessions() as s, s.begin():
        assert tasks.claim_one(s) is None  # not started a third time


def test_an_interrupted_task_is_retried_once(pushing_app, org):
    with org.sessions() as s, s.begin():
        admin = s.scalar(select(Member).where(Member.userid == "admin"))
        tasks.create(s, "export", admin, {})
        tasks.claim_one(s)
    build_scheduler(pushing_app.services, background=True)
    with org.sessions() as s:
        assert s.scalar(select(Task.status)) == "pending"

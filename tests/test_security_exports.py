"""Issue 11, item 4: text from users is written as text in every workbook (the chat's 导出, the dashboard's
download, `tougao report --xlsx`): no cell of user origin becomes a formula."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import pytest
import time_machine
from click.testing import CliRunner
from openpyxl import load_workbook
from sqlalchemy import select

from bot import create_app
from bot.cli import main
from scheduler import jobs
from storage import tasks
from storage.activities import add_activity
from storage.articles import add_article
from storage.models import Member, Outlet, Unit
from tests.dashboard import DashboardUser
from tests.helpers import SHANGHAI

HOSTILE = [
    '=HYPERLINK("http://evil.example","点击查看")',
    "=1+1",
    "+cmd|' /C calc'!A0",
    "@SUM(A1:A9)",
    "-2+3",
]


@pytest.fixture
def hostile(org):
    """Articles and an activity whose titles, link and place are formulas, reported in March 2023."""
    with org.sessions() as s, s.begin():
        member = s.scalar(select(Member).where(Member.userid == "zhangsan"))
        outlet = s.scalar(select(Outlet).where(Outlet.name == "学习强国"))
        for i, title in enumerate(HOSTILE):
            url = f'=HYPERLINK("http://evil.example/{i}")'
            add_article(
                s,
                member=member,
                outlet=outlet,
                title=title,
                url=url,
                canonical=f"x{i}",
                published_on=date(2023, 3, 5),
            )
        add_activity(
            s,
            member=member,
            type="志愿服务",
            title="=1+1",
            held_on=date(2023, 3, 6),
            participants=3,
            place="@place",
        )
    return org


def formulas(content: bytes) -> list[str]:
    """Every formula cell in a workbook, read from its XML (what Excel would evaluate)."""
    archive = zipfile.ZipFile(io.BytesIO(content))
    return [n for n in archive.namelist() if n.startswith("xl/worksheets/") and b"<f>" in archive.read(n)]


def check(content: bytes) -> None:
    assert formulas(content) == []
    book = load_workbook(io.BytesIO(content))
    titles = [c.value for c in book["稿件"]["D"][1:]]
    assert sorted(titles) == sorted(HOSTILE)
    assert all(c.data_type == "s" and c.quotePrefix for c in book["稿件"]["D"][1:])
    assert book["稿件"]["N2"].value.startswith("=HYPERLINK(") and book["稿件"]["N2"].data_type == "s"
    assert [c.value for c in book["活动"][2]][4:7] == ["=1+1", 3, "@place"]


def test_the_chat_export_writes_formulas_as_text(pushing_app, fake_wecom, hostile):
    with hostile.sessions() as s, s.begin():
        leader = s.scalar(select(Member).where(Member.userid == "lishuji"))
        street = s.scalar(select(Unit).where(Unit.name == "新城街道"))
        payload = {"start": "2023-03-01", "end": "2023-03-31", "label": "2023年3月", "parent_id": street.id}
        tasks.create(s, "export", leader, payload)
    with time_machine.travel(datetime(2023, 4, 3, 10, 0, tzinfo=SHANGHAI), tick=False):
        jobs.work(pushing_app.services)
    [(_kind, _name, content)] = fake_wecom.uploads
    check(content)


def test_the_dashboard_download_writes_formulas_as_text(hostile):
    user = DashboardUser(
        create_app({"DATABASE_URL": str(hostile.engine.url)}, database=hostile, demo=True).test_client()
    )
    user.sign_in("lishuji")
    response = user.get("/admin/export.xlsx?period=2023年3月")
    assert response.status_code == 200
    check(response.get_data())


def test_the_report_command_writes_formulas_as_text(hostile, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", hostile.engine.url.render_as_string(hide_password=False))
    path = tmp_path / "march.xlsx"
    with time_machine.travel(datetime(2023, 4, 3, 10, 0, tzinfo=SHANGHAI), tick=False):
        result = CliRunner().invoke(main, ["report", "--period", "2023年3月", "--xlsx", str(path)])
    assert result.exit_code == 0, result.output
    check(path.read_bytes())

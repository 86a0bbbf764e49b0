"""The demo chat page and the dashboard in a real browser (Debian's chromium under Playwright)."""

from pathlib import Path

import pytest
from sqlalchemy import select

from bot import create_app
from scheduler import jobs
from storage.models import AdminAction, Quota, Unit
from storage.outbox import enqueue
from tests.browser import ARTIFACTS, chromium, fonts_rendering, served
from tests.helpers import ROUTING, app_push

pytestmark = pytest.mark.browser


@pytest.fixture
def site(org):
    """`tougao demo`'s app (chat page and dashboard) on the test database, served on loopback."""
    app = create_app({"DATABASE_URL": str(org.engine.url)}, database=org, demo=True)
    with served(app) as url:
        yield url


@pytest.fixture
def browser():
    with chromium() as b:
        yield b


def sign_in(page, site: str, userid: str) -> None:
    page.goto(f"{site}/admin/")
    page.select_option("#userid", userid)
    page.get_by_role("button", name="登录").click()


def test_a_chatted_article_shows_in_the_dashboard_ranking(site, browser):
    page = browser.new_page()
    page.goto(f"{site}/demo")
    page.wait_for_selector("#member option[value=zhangsan]", state="attached")
    page.fill(
        "#text", "上稿 浏览器里报送：社区开展消防演练 https://www.xuexi.cn/lgpage/detail/index.html?id=4242"
    )
    page.get_by_role("button", name="发送").click()
    page.wait_for_selector(".msg.bot >> text=已登记上稿")

    sign_in(page, site, "lishuji")
    first = page.locator("#ranking tbody tr").first
    assert first.locator("td").nth(1).inner_text() == "辽河社区"
    assert first.locator("td").nth(3).inner_text() == "1"
    page.get_by_role("link", name="稿件").click()
    assert "浏览器里报送：社区开展消防演练" in page.locator("#articles").inner_text()


def test_the_group_view_shows_several_members_asking_the_robot(site, browser):
    page = browser.new_page(viewport={"width": 1100, "height": 760})
    page.goto(f"{site}/demo")
    page.wait_for_selector("#member option[value=zhangsan]", state="attached")
    page.get_by_role("button", name="群聊（@投稿通）").click()
    page.fill(
        "#text", "上稿 群里报送：社区开展消防演练 https://www.xuexi.cn/lgpage/detail/index.html?id=4343"
    )
    page.get_by_role("button", name="发送").click()
    page.wait_for_selector("#group-log .msg.bot >> text=已登记上稿")
    page.select_option("#member", "lishuji")
    page.fill("#text", "本月排名")
    page.get_by_role("button", name="发送").click()
    page.wait_for_selector("#group-log .msg.bot >> text=1. 辽河社区 1篇")
    members = page.locator("#group-log .msg.member")
    assert members.count() == 2
    assert "张三" in members.nth(0).inner_text() and "@投稿通" in members.nth(0).inner_text()
    assert "李书记" in members.nth(1).inner_text() and "current" in (
        members.nth(1).get_attribute("class") or ""
    )
    assert "回复 李书记：本月排名" in page.locator("#group-log .msg.bot").last.inner_text()
    page.get_by_role("button", name="单聊").click()
    assert page.locator("#group-log").is_hidden() and "群里报送" not in page.locator("#log").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.get_by_role("button", name="群聊（@投稿通）").click()
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(ARTIFACTS / "demo-group-phone.png"), full_page=True)


def test_pushes_arrive_on_the_chat_page_as_the_scheduler_queues_them(site, browser, org):
    page = browser.new_page()
    page.goto(f"{site}/demo")
    page.wait_for_selector("#pushes >> text=调度器发出的推送会出现在这里")
    with org.sessions() as s, s.begin():
        enqueue(s, "test", [app_push("nag", ("zhangsan",), "【投稿通提醒】辽河社区还差2篇")], ROUTING)
    push = page.locator(".push", has_text="辽河社区还差2篇")
    push.wait_for(timeout=15_000)  # the page polls every 3 seconds
    assert "待发送 → zhangsan" in push.locator(".meta").inner_text()


def test_an_export_arrives_in_the_leaders_chat_as_a_file_that_downloads(org, browser):
    app = create_app({"DATABASE_URL": str(org.engine.url)}, database=org, demo=True)
    with served(app) as site:
        page = browser.new_page()
        page.goto(f"{site}/demo")
        page.wait_for_selector("#member option[value=lishuji]", state="attached")
        page.wait_for_selector("#pushes >> text=调度器发出的推送会出现在这里")  # the first poll is done
        page.select_option("#member", "lishuji")
        page.fill("#text", "导出 上月")
        page.get_by_role("button", name="发送").click()
        page.wait_for_selector(".msg.bot >> text=稍后以文件发给您")
        jobs.work(app.services)  # what the demo's scheduler does within 5 seconds
        link = page.locator("#log .msg.file a.download")
        link.wait_for(timeout=15_000)  # the page polls every 3 seconds
        assert "[文件] 新城街道" in page.locator("#log .msg.file").inner_text()
        with page.expect_download() as download:
            link.click()
        assert download.value.suggested_filename.endswith("宣传信息统计.xlsx")
        assert Path(download.value.path()).read_bytes()[:2] == b"PK"  # an .xlsx is a zip


def test_the_sign_in_picker_starts_at_someone_who_may_sign_in(site, browser):
    page = browser.new_page()
    page.goto(f"{site}/admin/login")
    chosen = page.locator("#userid").input_value()
    page.get_by_role("button", name="登录").click()  # as it comes, without picking anyone
    assert page.url.rstrip("/").endswith("/admin") and chosen in ("lishuji", "wangzhuren", "admin")
    assert page.locator("#ranking").count() == 1


@pytest.mark.parametrize("path", ["/demo", "/admin/login"])
def test_chinese_is_drawn_in_a_cjk_font_on_a_machine_without_one(site, path):
    """The pages name system fonts first; where none has Chinese (a server, a CI box), the browser tests and
    docs/screenshots.py offer the mplfonts wheel's Noto Sans CJK SC, so screenshots never show boxes."""
    with chromium(system_fonts=False) as bare:
        page = bare.new_page()
        page.goto(site + path)
        page.wait_for_selector("h1, h2")
        fonts = fonts_rendering(page, "h1" if path == "/demo" else "h2")
    assert all(family.startswith("Noto Sans CJK SC") for family in fonts) and sum(fonts.values()) >= 4, fonts


def test_sign_in_is_refused_for_a_publicist(site, browser):
    page = browser.new_page()
    sign_in(page, site, "zhangsan")
    assert "仅限领导和管理员" in page.content()
    page.goto(f"{site}/admin/")
    assert page.url.startswith(f"{site}/admin/login")  # still signed out


def test_an_admin_edits_a_quota(site, browser, org):
    page = browser.new_page()
    sign_in(page, site, "admin")
    page.get_by_role("link", name="任务指标").click()
    row = page.locator("#quotas tr[data-unit=希望社区]")
    row.get_by_label("希望社区上稿任务").fill("5")
    row.get_by_label("希望社区活动任务").fill("2")
    row.get_by_role("button", name="保存").click()
    assert "已设置希望社区每月任务：上稿5篇、活动2次" in page.locator(".flash.ok").inner_text()
    assert (
        page.locator("#quotas tr[data-unit=希望社区]").get_by_label("希望社区上稿任务").input_value() == "5"
    )
    with org.sessions() as s:
        unit_id = s.scalar(select(Unit.id).where(Unit.name == "希望社区"))
        quota = s.scalar(select(Quota).where(Quota.unit_id == unit_id))
        assert (quota.articles, quota.activities) == (5, 2)
        assert (
            s.scalar(select(AdminAction.detail).where(AdminAction.action == "quota"))
            == "希望社区 上稿5 活动2"
        )


def test_phone_width_pages_fit_and_are_saved(site, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    page = context.new_page()
    sign_in(page, site, "lishuji")
    ARTIFACTS.mkdir(exist_ok=True)
    for name, path in [("overview", "/admin/"), ("articles", "/admin/articles?status=")]:
        page.goto(site + path)
        # Nothing overflows sideways except inside the tables' own scroll boxes.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        shot = ARTIFACTS / f"dashboard-{name}-phone.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
    context.close()

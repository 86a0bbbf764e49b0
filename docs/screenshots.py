"""Take the README's screenshots: the demo chat page and every dashboard page, on a seeded demo database,
in Debian's chromium (needs the test extras). Run: .venv/bin/python docs/screenshots.py"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import create_app  # noqa: E402
from bot.demo_data import seed_history  # noqa: E402
from scheduler.jobs import deliver, run_occasion  # noqa: E402
from scheduler.schedule import load_schedule, occasions  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.orgfile import apply_org, load_org_file  # noqa: E402
from tests.browser import chromium, served  # noqa: E402

DESKTOP = {"width": 1100, "height": 760}
PHONE = {"width": 390, "height": 844}
PAGES = [  # (file, path, who, viewport)
    ("admin-login.png", "/admin/login", None, DESKTOP),
    ("admin-overview.png", "/admin/?period=上月", "admin", DESKTOP),
    ("admin-overview-phone.png", "/admin/?period=上月", "admin", PHONE),
    ("admin-articles.png", "/admin/articles?period=上月", "admin", DESKTOP),
    ("admin-activities.png", "/admin/activities?period=上月", "admin", DESKTOP),
    ("admin-members.png", "/admin/members", "admin", DESKTOP),
    ("admin-quotas.png", "/admin/quotas", "admin", DESKTOP),
    ("admin-exemptions.png", "/admin/exemptions", "admin", DESKTOP),
    ("admin-outbox.png", "/admin/outbox", "admin", DESKTOP),
]


def seeded_app(folder: Path):
    url = f"sqlite:///{folder}/demo.db"
    upgrade(url)
    db = Database.from_url(url)
    app = create_app({"DATABASE_URL": url}, database=db, demo=True)
    now = app.services.now()
    with db.sessions() as session, session.begin():
        apply_org(session, load_org_file(ROOT / "examples" / "org.yaml", session))
        seed_history(session, now.date())
    with db.readers() as session:
        schedule = load_schedule(session)
    nag = [o for o in occasions(schedule, now.year, now.month, now.tzinfo) if o.kind == "nag"][-1]
    run_occasion(
        app.services, nag, schedule, now, manual=True
    )  # some pushes for the outbox and the chat page
    deliver(app.services)
    return app


def main() -> None:
    out = ROOT / "docs"
    with (
        tempfile.TemporaryDirectory() as folder,
        served(seeded_app(Path(folder))) as site,
        chromium() as browser,
    ):
        page = browser.new_page(viewport=DESKTOP)
        page.goto(site + "/demo")
        page.fill("#text", "排名 上月")
        page.get_by_role("button", name="发送").click()
        page.wait_for_selector(".msg.bot >> text=各单位排名")
        page.wait_for_selector(".push")
        page.screenshot(path=str(out / "demo-page.png"))
        page.set_viewport_size(PHONE)
        page.screenshot(path=str(out / "demo-page-phone.png"), full_page=True)
        group_view(browser.new_page(viewport={"width": 1100, "height": 900}), site, out / "demo-group.png")
        for name, path, who, viewport in PAGES:
            context = browser.new_context(viewport=viewport, device_scale_factor=1)
            page = context.new_page()
            if who:
                page.goto(site + "/admin/login")
                page.select_option("#userid", who)
                page.get_by_role("button", name="登录").click()
            page.goto(site + path)
            page.screenshot(path=str(out / name), full_page=viewport is PHONE)
            context.close()
            print("wrote", out / name)


def group_view(page, site: str, path: Path) -> None:
    """The demo's group view: two publicists and a leader @ the robot in one simulated group."""
    page.goto(site + "/demo")
    page.wait_for_selector("#member option[value=zhangsan]", state="attached")
    page.get_by_role("button", name="群聊（@投稿通）").click()
    for userid, text, answer in [
        (
            "zhangsan",
            "今天学习强国发了我们社区的稿子《辽河社区开展冬季消防演练》 https://www.xuexi.cn/lgpage/detail/index.html?id=77",
            "已登记上稿",
        ),
        ("xiwang", "昨天在社区广场开展邻里守望志愿服务活动，很多居民参加", "大约是多少人"),
        ("xiwang", "大概50人", "已登记活动"),
        ("lishuji", "这个月排名怎么样", "各单位排名"),
    ]:
        page.select_option("#member", userid)
        page.fill("#text", text)
        page.get_by_role("button", name="发送").click()
        page.wait_for_selector(f"#group-log .msg.bot >> nth=-1 >> text={answer}")
    page.evaluate("document.getElementById('group-log').scrollTop = 0")  # from the first message on
    page.screenshot(path=str(path))
    print("wrote", path)


if __name__ == "__main__":
    main()

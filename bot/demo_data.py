"""Six months of plausible sample history for `tougao demo` (deterministic, written once)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from handlers.parsing.periods import month
from handlers.parsing.urls import canonical_url
from storage.articles import add_article, next_number
from storage.db import Database
from storage.models import Activity, Article, Member, Outlet

EXAMPLE_ORG = Path(__file__).resolve().parent.parent / "examples" / "org.yaml"

TOPICS = [
    "开展学雷锋志愿服务活动",
    "举办党的二十大精神宣讲会",
    "开展铸牢中华民族共同体意识主题活动",
    "开展垃圾分类进小区宣传",
    "举办邻里节文艺汇演",
    "开展反诈宣传进万家",
    "组织老党员重温入党誓词",
    "开展我们的节日·端午包粽子活动",
    "开展文明城市创建环境整治",
    "开展关爱留守儿童志愿服务",
    "举办好家风好家训故事汇",
    "开展消防安全知识培训",
    "开展健康义诊进社区",
    "开展科普宣传周活动",
]
ACTIVITY_TYPES = ["理论宣讲", "文明实践", "志愿服务", "中心组学习", "我们的节日"]
OUTLET_WEIGHTS = {
    "开发区融媒体中心": 8,
    "新城街道微信公众号": 5,
    "通辽日报": 2,
    "通辽市电视台": 1,
    "内蒙古日报": 1,
    "学习强国": 1,
}


def demo_database(url: str, today: date) -> Database:
    """A new database at `url` as `tougao demo` fills it: the newest schema, examples/org.yaml and the sample
    history up to `today` (for the screenshots and the benchmarks)."""
    from storage.migrate import upgrade
    from storage.orgfile import apply_org, load_org_file

    upgrade(url)
    db = Database.from_url(url)
    with db.sessions() as session, session.begin():
        apply_org(session, load_org_file(EXAMPLE_ORG, session))
        seed_history(session, today)
    return db


def seed_history(session: Session, today: date, months: int = 6, seed: int = 2023) -> int:
    """Write sample articles and activities for the publicists of the example org; skip if any exist."""
    if session.scalar(select(func.count(Article.id))):
        return 0
    rng = random.Random(seed)
    outlets = {o.name: o for o in session.scalars(select(Outlet))}
    names = [n for n in OUTLET_WEIGHTS if n in outlets]
    publicists = list(session.scalars(select(Member).where(Member.role == "publicist").order_by(Member.id)))
    written = 0
    for back in range(months - 1, -1, -1):
        period = month(*_months_back(today, back))
        last_day = min(period.end, today)
        for member in publicists:
            for _ in range(rng.choice([0, 1, 1, 2, 2, 3, 4, 5])):
                outlet = outlets[rng.choices(names, weights=[OUTLET_WEIGHTS[n] for n in names])[0]]
                day = period.start + timedelta(days=rng.randrange((last_day - period.start).days + 1))
                title = f"{member.unit.name}{rng.choice(TOPICS)}"
                url = _demo_url(outlet, written) if outlet.domains else None
                add_article(
                    session,
                    member=member,
                    outlet=outlet,
                    title=title,
                    url=url,
                    canonical=canonical_url(url) if url else None,
                    published_on=day,
                )
                written += 1
            for _ in range(rng.choice([0, 1, 1, 2])):
                day = period.start + timedelta(days=rng.randrange((last_day - period.start).days + 1))
                kind = rng.choice(ACTIVITY_TYPES)
                session.add(
                    Activity(
                        no=next_number(session, "activity"),
                        unit_id=member.unit_id,
                        member_id=member.id,
                        type=kind,
                        title=f"{member.unit.name}{kind}活动",
                        held_on=day,
                        participants=rng.randrange(10, 120),
                    )
                )
    session.flush()
    return written


def _months_back(today: date, back: int) -> tuple[int, int]:
    index = today.year * 12 + today.month - 1 - back
    return index // 12, index % 12 + 1


def _demo_url(outlet: Outlet, n: int) -> str:
    domain = outlet.domains[0]
    if domain == "mp.weixin.qq.com":
        return f"https://mp.weixin.qq.com/s?__biz=MzDEMO&mid={1000 + n}&idx=1&sn=demo{n}"
    return f"https://www.{domain}/demo/article-{n}.html"

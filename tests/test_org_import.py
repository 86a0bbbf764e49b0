"""`tougao org import`: the example imports, twice changes nothing, every bad file is refused whole."""

import textwrap

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from bot.cli import main
from storage.models import Member, Outlet, Quota, Unit, UnitLink
from storage.org import quota_for
from storage.orgfile import OrgFileError, apply_org, describe, load_org_file
from tests.conftest import EXAMPLE_ORG


def import_file(db, path):
    with db.sessions() as s, s.begin():
        return apply_org(s, load_org_file(path, s))


def counts(db) -> dict:
    with db.sessions() as s:
        return {
            m.__name__: s.scalar(select(func.count()).select_from(m))
            for m in (Unit, Member, Outlet, Quota, UnitLink)
        }


def write(tmp_path, text: str):
    path = tmp_path / "org.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_example_org_has_the_zone_the_street_and_its_people(org):
    with org.sessions() as s:
        zone = s.scalar(select(Unit).where(Unit.name == "通辽经济技术开发区"))
        street = s.scalar(select(Unit).where(Unit.name == "新城街道"))
        assert s.scalar(select(func.count()).where(Unit.parent_id == zone.id)) == 35
        children = list(s.scalars(select(Unit).where(Unit.parent_id == street.id)))
        assert sum(u.kind == "community" for u in children) == 11
        assert {"希望社区", "辽河社区"} <= {u.name for u in children}
        assert sum(u.kind == "office" for u in children) >= 2
        publicists = set(s.scalars(select(Member.unit_id).where(Member.role == "publicist")))
        assert {u.id for u in children} <= publicists  # a publicist for each
        roles = list(s.scalars(select(Member.role)))
        assert roles.count("leader") == 2 and roles.count("admin") == 1
        xuexi = s.scalar(select(Outlet).where(Outlet.name == "学习强国"))
        assert xuexi.domains == ["xuexi.cn"] and xuexi.level == "国家级"
        liaohe = s.scalar(select(Unit).where(Unit.name == "辽河社区"))
        assert quota_for(s, liaohe.id) == (3, 1)  # own articles, default activities
        assert quota_for(s, s.scalar(select(Unit.id).where(Unit.name == "明仁社区"))) == (2, 1)


def test_importing_twice_changes_nothing(org):
    before = counts(org)
    changes = import_file(org, EXAMPLE_ORG)
    assert describe(changes) == "没有变化（与数据库中一致）" and counts(org) == before


def test_reimport_updates_in_place_and_keeps_others(org, tmp_path):
    path = write(
        tmp_path,
        """
        units:
          - {name: 光明二社区, parent: 新城街道, aliases: [光明二]}
        members:
          - {userid: zhangsan, name: 张三丰, unit: 光明二社区, role: publicist}
        quotas:
          units: {光明二社区: {articles: 5}}
    """,
    )
    before = counts(org)
    changes = import_file(org, path)
    assert changes["unit_added"] == 1 and changes["member_updated"] == 1
    with org.sessions() as s:
        member = s.scalar(select(Member).where(Member.userid == "zhangsan"))
        assert (member.name, member.unit.name, member.unit.parent.name) == (
            "张三丰",
            "光明二社区",
            "新城街道",
        )
        assert s.scalar(select(func.count()).select_from(Member)) == before["Member"]
        # the closure table knows the new unit sits under the street and the zone
        assert s.scalar(select(func.count()).where(UnitLink.descendant_id == member.unit_id)) == 3
        assert quota_for(s, member.unit_id) == (5, 1)


BAD_FILES = {
    "not yaml": ("units: [\n  - {name: 甲", "YAML 格式错误"),
    "not a mapping": ("- 甲\n- 乙", "顶层应是"),
    "no units": ("members: []", "缺少 units"),
    "unknown top key": ("units: [{name: 甲}]\nmember: []", "顶层键「member」无法识别"),
    "duplicate unit": ("units: [{name: 甲, children: [{name: 乙}, {name: 乙}]}]", "单位「乙」重复出现"),
    "unknown parent": ("units: [{name: 甲, parent: 不存在的街道}]", "单位「甲」的上级「不存在的街道」不存在"),
    "parent cycle": ("units: [{name: 甲, parent: 乙}, {name: 乙, parent: 甲}]", "循环"),
    "unit without name": ("units: [{aliases: [甲]}]", "units 第1项缺少 name"),
    "unit typo key": ("units: [{name: 甲, childs: []}]", "单位「甲」：键「childs」无法识别"),
    "alias clash": ("units: [{name: 甲, aliases: [乙]}, {name: 乙}]", "简称「乙」与「乙」冲突"),
    "member unit missing": (
        "units: [{name: 甲}]\nmembers: [{userid: u1, name: 张, unit: 乙}]",
        "成员「u1」的单位「乙」不存在",
    ),
    "unknown role": (
        "units: [{name: 甲}]\nmembers: [{userid: u1, name: 张, unit: 甲, role: 书记}]",
        "成员「u1」的角色「书记」无法识别",
    ),
    "duplicate member": (
        "units: [{name: 甲}]\nmembers: [{userid: u1, name: 张, unit: 甲}, {userid: u1, name: 李, unit: 甲}]",
        "成员「u1」重复出现",
    ),
    "member without userid": (
        "units: [{name: 甲}]\nmembers: [{name: 张, unit: 甲}]",
        "members 第1项缺少 userid",
    ),
    "outlet level": (
        "units: [{name: 甲}]\noutlets: [{name: 报, level: 宇宙级}]",
        "媒体「报」的级别「宇宙级」无法识别",
    ),
    "outlet weight": ("units: [{name: 甲}]\noutlets: [{name: 报, weight: -1}]", "媒体「报」的 weight"),
    "quota unit": (
        "units: [{name: 甲}]\nquotas: {units: {乙: {articles: 1}}}",
        "quotas.units 的单位「乙」不存在",
    ),
    "quota value": ("units: [{name: 甲}]\nquotas: {default: {articles: 两篇}}", "quotas.default.articles"),
    "unquoted time": (
        "units: [{name: 甲}]\nschedule: {nag: {days: [20], time: 9:30}}",
        'time「570」应形如 "09:00"',
    ),
    "bad active": ("units: [{name: 甲, active: 是}]", "active 应是 true 或 false"),
    "shared wechat host": (
        "units: [{name: 甲}]\noutlets: [{name: 公众号, domains: [mp.weixin.qq.com]}]",
        "domains 不能含 mp.weixin.qq.com",
    ),
    "one account, two outlets": (
        "units: [{name: 甲}]\noutlets: [{name: 甲报, wechat: [MzA1]}, {name: 乙报, wechat: [MzA1]}]",
        "公众号 MzA1 同时列在「甲报」和「乙报」下",
    ),
}


@pytest.mark.parametrize(("text", "message"), BAD_FILES.values(), ids=BAD_FILES.keys())
def test_bad_file_is_refused_whole_with_the_entry_named(database, tmp_path, text, message):
    # A good first half must not be half-imported.
    path = write(tmp_path, text)
    with pytest.raises(OrgFileError) as err:
        import_file(database, path)
    assert message in str(err.value)
    assert counts(database) == dict.fromkeys(("Unit", "Member", "Outlet", "Quota", "UnitLink"), 0)


def test_all_problems_are_listed_at_once(database, tmp_path):
    path = write(tmp_path, "units: [{name: 甲}]\nmembers: [{userid: u1, name: 张, unit: 乙, role: 书记}]")
    with pytest.raises(OrgFileError) as err:
        import_file(database, path)
    assert len(err.value.problems) == 2


def test_cli_import_reports_and_fails_cleanly(org, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", str(org.engine.url.render_as_string(hide_password=False)))
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    good = runner.invoke(main, ["org", "import", str(EXAMPLE_ORG)])
    assert good.exit_code == 0 and "没有变化" in good.output
    bad = runner.invoke(main, ["org", "import", str(write(tmp_path, "units: [{name: 甲, parent: 乙}]"))])
    assert bad.exit_code == 1 and "单位「甲」的上级「乙」不存在" in bad.output
    missing = runner.invoke(main, ["org", "import", str(tmp_path / "nope.yaml")])
    assert missing.exit_code == 1 and "无法读取文件" in missing.output


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("units: [{name: 甲}]\nscoring: {placement_factor: 0}", "placement_factor 应是大于 0 的数"),
        ("units: [{name: 甲}]\nscoring: {endorsement_bonus: {省委: 2}}", "endorsement_bonus"),
        ("units: [{name: 甲}]\nscoring: {same_story: some}", "same_story 应是 each 或 highest"),
        ("units: [{name: 甲}]\nactivity_types: []", "activity_types 应是非空列表"),
        ("units: [{name: 甲}]\nactivity_types: [宣讲, 宣讲]", "活动类型「宣讲」重复出现"),
    ],
)
def test_bad_configuration_sections(database, tmp_path, text, message):
    with pytest.raises(OrgFileError) as err:
        import_file(database, write(tmp_path, text))
    assert message in str(err.value)


def test_example_wechat_accounts_are_loaded_and_an_import_overrides_a_learned_one(org, tmp_path):
    from storage.models import WechatAccount

    with org.sessions() as s, s.begin():
        assert s.scalar(select(func.count(WechatAccount.id))) == 3
        row = s.scalar(select(WechatAccount).where(WechatAccount.biz == "MzI1NjAxNTYwMA=="))
        row.outlet_id = s.scalar(select(Outlet.id).where(Outlet.name == "学习强国"))
        row.source = "learned"  # as if someone had answered wrongly
    import_file(org, EXAMPLE_ORG)
    with org.sessions() as s:
        row = s.scalar(select(WechatAccount).where(WechatAccount.biz == "MzI1NjAxNTYwMA=="))
        assert (row.outlet.name, row.source) == ("通辽日报", "org")


def test_example_activity_types_and_scoring_are_loaded(org):
    with org.sessions() as s:
        from storage.activity_types import activity_types
        from storage.scoring import load_rules

        assert activity_types(s)["志愿服务"] == ["志愿", "志愿活动"]
        rules = load_rules(s)
        assert (rules.same_story, rules.placement_factor, rules.bonus("市级")) == ("each", 2.0, 2.0)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'units: [{name: 甲}]\nschedule: {quiet: {start: 9:30, end: "08:00"}}',
            "schedule.quiet.start「570」",
        ),
        ("units: [{name: 甲}]\nschedule: {grace_hours: -1}", "grace_hours 应是不小于 0 的数"),
        ("units: [{name: 甲}]\nschedule: {nagging: {days: [1]}}", "schedule.nagging 无法识别"),
    ],
)
def test_bad_schedule(database, tmp_path, text, message):
    with pytest.raises(OrgFileError) as err:
        import_file(database, write(tmp_path, text))
    assert message in str(err.value)


def test_db_backup_copies_a_live_sqlite_database(org, chat, tmp_path, monkeypatch):
    import sqlite3

    if org.engine.dialect.name != "sqlite":
        monkeypatch.setenv("DATABASE_URL", org.engine.url.render_as_string(hide_password=False))
        result = CliRunner().invoke(main, ["db", "backup", str(tmp_path / "x.db")])
        assert result.exit_code == 2 and "pg_dump" in result.output
        return
    chat("上稿 备份测试 https://www.xuexi.cn/a?id=1")
    monkeypatch.setenv("DATABASE_URL", str(org.engine.url))
    target = tmp_path / "backup" / "nightly" / "copy.db"  # a folder nobody made yet, as in the cron line
    result = CliRunner().invoke(main, ["db", "backup", str(target)])
    assert result.exit_code == 0 and f"备份到 {target}" in result.output
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT title FROM article").fetchall() == [("备份测试",)]


def test_db_backup_of_a_missing_database_says_so_and_creates_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite:///instance/tougao.db")
    monkeypatch.setenv("TOUGAO_HOME", str(tmp_path / "home"))
    result = CliRunner().invoke(main, ["db", "backup", str(tmp_path / "backup" / "copy.db")])
    assert result.exit_code == 1
    assert f"数据库文件不存在：{tmp_path}/home/instance/tougao.db" in result.output
    assert not (tmp_path / "home").exists() and not (tmp_path / "backup").exists()

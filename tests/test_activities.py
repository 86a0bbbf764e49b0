"""活动: one line or a form, Chinese numerals, types, bad input, and photos that follow."""

from datetime import datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from storage.models import Activity, Photo
from tests.helpers import SHANGHAI, count_rows

pytestmark = pytest.mark.usefixtures("march_2023")


def activities(db) -> list[Activity]:
    with db.sessions() as s:
        return list(s.scalars(select(Activity).order_by(Activity.id)))


def test_one_line_activity(chat, org):
    reply = chat("活动 志愿服务 学雷锋志愿服务 3月5日 45人")
    assert (
        "已登记活动" in reply
        and "类型：志愿服务" in reply
        and "日期：2023-03-05" in reply
        and "人数：45" in reply
    )
    assert "辽河社区2023年3月已开展活动1次、参与45人次" in reply
    with org.sessions() as s:
        a = s.scalar(select(Activity))
        assert (a.type, a.title, a.participants, a.unit.name) == (
            "志愿服务",
            "学雷锋志愿服务",
            45,
            "辽河社区",
        )


@pytest.mark.parametrize(
    ("text", "kind", "title", "people"),
    [
        ("活动 志愿服务 学雷锋志愿服务 3月5日 四十五人", "志愿服务", "学雷锋志愿服务", 45),
        ("活动 学雷锋志愿服务 约120人次", "志愿服务", "学雷锋志愿服务", 120),  # type inferred from the title
        ("活动 宣讲 党的二十大精神进社区 30名", "理论宣讲", "党的二十大精神进社区", 30),  # alias
        ("活动 党的二十大精神宣讲会 30人", "理论宣讲", "党的二十大精神宣讲会", 30),
        ("活动 重阳节敬老 20人", "我们的节日", "重阳节敬老", 20),
        ("活动 邻里节 20人", "其他", "邻里节", 20),  # not one of 我们的节日's festivals
        ("活动 社区议事会 12人", "其他", "社区议事会", 12),
    ],
)
def test_types_and_numbers(chat, org, text, kind, title, people):
    assert "已登记活动" in chat(text)
    [a] = activities(org)
    assert (a.type, a.title, a.participants) == (kind, title, people)


def test_form_with_place(chat, org):
    reply = chat(
        "活动\n名称：邻里节文艺汇演\n类型：我们的节日\n日期：2023年3月4日\n人数：两百人\n地点：社区广场"
    )
    assert "地点：社区广场" in reply
    [a] = activities(org)
    assert (a.type, a.participants, a.place, str(a.held_on)) == ("我们的节日", 200, "社区广场", "2023-03-04")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("活动", "活动需要名称"),
        ("活动\n名称：学雷锋\n人数：45\n地点：" + "长" * 201, "地点太长"),
    ],
)
def test_bad_activity_explains_and_stores_nothing(chat, org, text, says):
    reply = chat(text)
    assert says in reply and "例：" in reply
    assert count_rows(org, Activity) == 0


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("活动 党的二十大精神宣讲会", "参加人数大约多少"),  # no count at all: asked, never stored as 0
        ("活动\n类型：志愿服务\n人数：3", "活动名称是什么"),
        ("活动\n名称：甲\n类型：跳舞\n人数：3", "不认识活动类型「跳舞」"),
        ("活动\n名称：甲\n人数：很多", "「很多」大约是多少人"),
        ("活动 志愿服务 甲 3月25日 10人", "是2022年3月25日吗"),
        ("活动 志愿服务 甲 2021年3月1日 10人", "已超过一年"),
    ],
)
def test_doubtful_activity_asks_and_stores_nothing(chat, org, text, asks):
    reply = chat(text)
    assert asks in reply and "取消" in reply
    assert count_rows(org, Activity) == 0


def test_photos_attach_to_the_activity_just_reported(channel, app):
    channel.text("zhangsan", "活动 志愿服务 学雷锋志愿服务 45人")
    photo = (
        "<xml><ToUserName>wwtestcorp0000001</ToUserName><FromUserName>zhangsan</FromUserName>"
        "<CreateTime>1679277600</CreateTime><MsgType>image</MsgType><PicUrl>http://127.0.0.1/p{n}.jpg</PicUrl>"
        "<MediaId>media{n}</MediaId><MsgId>{n}</MsgId><AgentID>1000002</AgentID></xml>"
    )
    assert "共1张" in channel.open_reply(channel.send(photo.format(n=901)))
    assert "共2张" in channel.open_reply(channel.send(photo.format(n=902)))
    db = app.services.db
    with db.sessions() as s:
        media = sorted(s.scalars(select(Photo.media_id)))
    assert media == ["media901", "media902"]
    with time_machine.travel(
        datetime(2023, 3, 20, 10, 31, tzinfo=SHANGHAI) + timedelta(minutes=5), tick=False
    ):
        late = channel.open_reply(channel.send(photo.format(n=903)))
    assert "照片需要跟在上稿或活动登记之后" in late and count_rows(db, Photo) == 2


def test_mine_counts_activities_and_participants(chat):
    chat("活动 志愿服务 甲 45人")
    chat("活动 理论宣讲 乙 30人")
    reply = chat("我的")
    assert "活动2次，参与75人次" in reply and "活动2/1次，已完成" in reply

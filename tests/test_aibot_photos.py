"""Pictures sent to the robot in a single chat: downloaded from a real local server standing in for WeCom's
media store (WECOM_AIBOT_MEDIA_BASE), decrypted with the robot's key, attached like any photo, and kept."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot import create_app
from bot.aibot_media import MediaClient, MediaError
from storage.aibot import forget_unattached_photos
from storage.models import Activity, InboundMessage, MediaFile, Photo
from tests.aibot import AIBOT, Robot, encrypt_media, message
from tests.conftest import WECOM
from tests.helpers import count_rows

pytestmark = pytest.mark.usefixtures("march_2023")
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"
)
PATH = "/BHoPdA3/7571665296904772241"
# The shape of a real one: WeCom's COS bucket, a signed query valid for five minutes.
URL = f"https://ww-aibot-img-1258476243.cos.ap-guangzhou.myqcloud.com{PATH}?sign=q-sign-algorithm%3Dsha1%26q-ak%3Dx"
ACTIVITY = "活动 志愿服务 邻里守望 3月18日 45人"


@pytest.fixture
def robot(org, httpserver) -> Robot:
    config = {"DATABASE_URL": str(org.engine.url), **WECOM, **AIBOT}
    config["WECOM_AIBOT_MEDIA_BASE"] = httpserver.url_for("/")
    return Robot(create_app(config, database=org).test_client())


def picture(user: str, msgid: str | None = None) -> dict:
    return message(user, "image", image={"url": URL}, msgid=msgid)


def test_a_photo_after_an_activity_is_downloaded_decrypted_and_kept(robot, org, httpserver):
    httpserver.expect_request(PATH).respond_with_data(
        encrypt_media(PNG), content_type="application/octet-stream"
    )
    assert "已登记活动" in robot.say("zhangsan", ACTIVITY)
    sent = picture("zhangsan", msgid="CAIQphoto1")
    replies = [robot.finish("zhangsan", robot.send(sent)) for _ in range(2)]  # WeCom's retry too
    assert replies[0].startswith("已将照片附到第1号活动") and replies[1] == replies[0]
    assert len(httpserver.log) == 1  # the retry was answered from the inbound log, without a download
    assert httpserver.log[0][0].args["sign"] == "q-sign-algorithm=sha1&q-ak=x"  # the signed query went along
    digest = hashlib.sha256(PNG).hexdigest()
    with org.sessions() as s:
        assert list(s.scalars(select(Photo.media_id))) == [f"aibot:{digest}"]
        kept = s.scalar(select(MediaFile))
        assert (kept.digest, kept.mime, kept.content) == (digest, "image/png", PNG)


def test_a_photo_sent_while_a_question_is_open_is_kept_for_the_record_it_asks_about(robot, org, httpserver):
    """WeCom's link expires in minutes: the content is kept when the photo is held, not when the answer comes."""
    httpserver.expect_request(PATH).respond_with_data(encrypt_media(PNG))
    asked = robot.say("zhangsan", "今天上午社区组织志愿者开展邻里守望活动")
    assert "人" in asked and count_rows(org, Activity) == 0  # asked how many took part, nothing stored
    held = robot.finish("zhangsan", robot.send(picture("zhangsan")))
    assert held.startswith("照片收到，这一条登记后附上（共1张）")
    assert len(httpserver.log) == 1
    assert "已登记活动" in robot.say("zhangsan", "大概40人")
    digest = hashlib.sha256(PNG).hexdigest()
    with org.sessions() as s:
        assert list(s.scalars(select(Photo.media_id))) == [f"aibot:{digest}"]
        assert s.scalar(select(MediaFile.content).where(MediaFile.digest == digest)) == PNG
    assert len(httpserver.log) == 1  # nothing fetched again


def test_a_held_photo_whose_question_was_cancelled_is_forgotten_at_night(robot, org, httpserver):
    """Kept while the question waits; once nothing can attach it, the nightly sweep deletes it (a photo a
    record kept stays)."""
    httpserver.expect_request(PATH).respond_with_data(encrypt_media(PNG))
    other = PNG + b"another picture"
    httpserver.expect_request("/other").respond_with_data(encrypt_media(other))
    robot.say("zhangsan", ACTIVITY)  # a record, and the first picture attached to it
    robot.finish("zhangsan", robot.send(picture("zhangsan")))
    robot.say("zhangsan", "今天上午社区组织志愿者开展邻里守望活动")  # asked how many; the other picture held
    held = message("zhangsan", "image", image={"url": URL.replace(PATH, "/other")})
    assert robot.finish("zhangsan", robot.send(held)).startswith("照片收到")
    later = datetime.now(UTC) + timedelta(days=2)
    with org.sessions() as s, s.begin():
        assert forget_unattached_photos(s, later) == 0  # held by the open question
    assert "已取消" in robot.say("zhangsan", "取消")
    with org.sessions() as s, s.begin():
        assert forget_unattached_photos(s, datetime.now(UTC) - timedelta(days=1)) == 0  # not a day old yet
        assert forget_unattached_photos(s, later) == 1
    with org.sessions() as s:
        assert list(s.scalars(select(MediaFile.content))) == [PNG]


def test_the_same_picture_twice_is_two_photos_and_one_stored_file(robot, org, httpserver):
    httpserver.expect_request(PATH).respond_with_data(encrypt_media(PNG))
    robot.say("zhangsan", ACTIVITY)
    for _ in range(2):
        assert "已将照片附到" in robot.finish("zhangsan", robot.send(picture("zhangsan")))
    assert count_rows(org, Photo) == 2 and count_rows(org, MediaFile) == 1


def test_a_photo_without_a_recent_record_is_explained_and_not_kept(robot, org, httpserver):
    httpserver.expect_request(PATH).respond_with_data(encrypt_media(PNG))
    assert "照片需要跟在上稿或活动登记之后" in robot.finish("zhangsan", robot.send(picture("zhangsan")))
    assert count_rows(org, Photo) == 0 and count_rows(org, MediaFile) == 0


@pytest.mark.parametrize(
    "served",
    [
        pytest.param({"status": 404}, id="expired-url"),
        pytest.param({"response_data": encrypt_media(b"<html>not a picture</html>")}, id="not-a-picture"),
        pytest.param({"response_data": PNG}, id="not-encrypted"),
        pytest.param({"response_data": encrypt_media(PNG)[:-5]}, id="truncated"),
    ],
)
def test_a_picture_that_cannot_be_had_asks_to_send_again_and_stores_nothing(robot, org, httpserver, served):
    robot.say("zhangsan", ACTIVITY)
    httpserver.expect_oneshot_request(PATH).respond_with_data(**served)
    sent = picture("zhangsan", msgid="CAIQphoto2")
    assert "照片没有收到" in robot.finish("zhangsan", robot.send(sent))
    assert count_rows(org, Photo) == 0 and count_rows(org, MediaFile) == 0
    httpserver.expect_request(PATH).respond_with_data(encrypt_media(PNG))
    assert "已将照片附到" in robot.finish("zhangsan", robot.send(sent))  # the same message sent again


def test_a_strangers_picture_is_not_even_downloaded(robot, org, httpserver):
    assert "管理员" in robot.finish("stranger", robot.send(picture("stranger")))
    assert httpserver.log == [] and count_rows(org, InboundMessage) == 0 and count_rows(org, MediaFile) == 0


def test_the_media_client_fetches_https_only_unless_a_base_is_set(monkeypatch):
    from bot.aibot_crypto import AibotCrypto

    crypto = AibotCrypto(AIBOT["WECOM_AIBOT_TOKEN"], AIBOT["WECOM_AIBOT_AES_KEY"])
    with pytest.raises(MediaError, match="https"):
        MediaClient(crypto).fetch_image("http://127.0.0.1:9/x")
    with pytest.raises(MediaError, match="https"):
        MediaClient(crypto).fetch_image("file:///etc/passwd")
    based = MediaClient(crypto, "http://127.0.0.1:8123/proxy/")
    assert based._target(URL) == f"http://127.0.0.1:8123/proxy{PATH}?sign=q-sign-algorithm%3Dsha1%26q-ak%3Dx"


def test_a_picture_over_the_limit_is_refused(robot, org, httpserver, monkeypatch):
    monkeypatch.setattr("bot.aibot_media.MAX_MEDIA", 1000)
    httpserver.expect_request(PATH).respond_with_data(encrypt_media(PNG + b"\0" * 2000))
    robot.say("zhangsan", ACTIVITY)
    assert "照片没有收到" in robot.finish("zhangsan", robot.send(picture("zhangsan")))
    assert count_rows(org, Photo) == 0


def test_the_scheduler_sweeps_unattached_photos_every_night(org):
    from scheduler import jobs
    from scheduler.runner import build_scheduler
    from tests.helpers import services_with

    with org.sessions() as s, s.begin():
        s.add(
            MediaFile(
                digest="0" * 64, mime="image/png", content=PNG, created_at=datetime(2023, 3, 1, tzinfo=UTC)
            )
        )
    services = services_with(org, {})
    job = build_scheduler(services, background=True).get_job("photos")
    assert job.func is jobs.forget_unattached_photos and str(job.trigger) == "cron[hour='3', minute='27']"
    jobs.forget_unattached_photos(services)
    assert count_rows(org, MediaFile) == 0

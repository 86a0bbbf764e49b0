"""Alembic migrations build exactly the models' schema, on SQLite and on PostgreSQL."""

import json
import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from storage.db import make_engine
from storage.migrate import upgrade
from storage.models import Base

PG_URL = os.environ.get("TEST_DATABASE_URL", "")


def assert_matches_models(engine) -> None:
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_upgrade_on_sqlite_matches_models_and_is_repeatable(tmp_path):
    url = f"sqlite:///{tmp_path}/sub/dir/m.db"  # the folder is created
    upgrade(url)
    upgrade(url)
    engine = make_engine(url)
    assert_matches_models(engine)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


@pytest.mark.skipif(not PG_URL, reason="TEST_DATABASE_URL not set (.ci/run sets it when PostgreSQL answers)")
def test_upgrade_on_postgresql_matches_models():
    schema = f"mig_{uuid.uuid4().hex[:8]}"
    admin = make_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in PG_URL else "?"
    url = f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    try:
        upgrade(url)
        engine = make_engine(url)
        assert_matches_models(engine)
        engine.dispose()
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def test_upgrade_from_0001_keeps_articles_and_fills_new_columns(tmp_path):
    url = f"sqlite:///{tmp_path}/old.db"
    upgrade(url, "0001")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO unit (id, name, aliases, kind, sort_order, active) VALUES (1, '甲', '[]', 'unit', 0, 1)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO member (id, userid, name, unit_id, role, active) VALUES (1, 'a', '张', 1, 'publicist', 1)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO outlet (id, name, level, weight, aliases, domains, sort_order, active) VALUES (1, '报', '区级', 1, '[]', '[]', 0, 1)"
            )
        )
        conn.execute(text("INSERT INTO record_number (id, kind) VALUES (1, 'article')"))
        conn.execute(
            text(
                "INSERT INTO article (no, unit_id, member_id, outlet_id, title, published_on, status, score, created_at) "
                "VALUES (1, 1, 1, 1, '旧稿', '2023-03-01', 'counted', 1, '2023-03-01 00:00:00')"
            )
        )
    engine.dispose()
    upgrade(url)
    engine = make_engine(url)
    with engine.connect() as conn:
        row = conn.execute(text("SELECT title, score, factor, bonus, late, story_key FROM article")).one()
    engine.dispose()
    assert tuple(row) == ("旧稿", 1.0, 1.0, 0.0, 0, "")


def test_upgrade_to_0005_keeps_activity_photos_and_drops_the_shared_wechat_domain(tmp_path):
    """Photos move to the record-number table; an outlet that owned mp.weixin.qq.com loses it (every
    official account shares that host, so it credited every forwarded article to one outlet)."""
    url = f"sqlite:///{tmp_path}/old.db"
    upgrade(url, "0004")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO unit (id, name, aliases, kind, sort_order, active) VALUES (1, '甲', '[]', 'unit', 0, 1)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO member (id, userid, name, unit_id, role, active) VALUES (1, 'a', '张', 1, 'publicist', 1)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO outlet (id, name, level, weight, aliases, domains, sort_order, active) "
                """VALUES (1, '街道公众号', '街道', 0.5, '[]', '["mp.weixin.qq.com", "example.cn"]', 0, 1)"""
            )
        )
        conn.execute(text("INSERT INTO record_number (id, kind) VALUES (7, 'activity')"))
        conn.execute(
            text(
                "INSERT INTO activity (id, no, unit_id, member_id, type, title, held_on, participants, place, note, "
                "status, late, created_at) VALUES (3, 7, 1, 1, '其他', '活动', '2023-03-01', 5, '', '', 'counted', 0, "
                "'2023-03-01 00:00:00')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO activity_photo (activity_id, media_id, pic_url, created_at) "
                "VALUES (3, 'm1', 'http://p/1.jpg', '2023-03-01 00:00:00')"
            )
        )
    engine.dispose()
    upgrade(url)
    engine = make_engine(url)
    with engine.connect() as conn:
        photo = conn.execute(text("SELECT record_no, media_id FROM photo")).one()
        domains = conn.execute(text("SELECT domains FROM outlet")).scalar()
    engine.dispose()
    assert tuple(photo) == (7, "m1")
    assert json.loads(domains) == ["example.cn"]


def test_upgrade_to_0006_masks_secrets_earlier_versions_stored(tmp_path):
    url = f"sqlite:///{tmp_path}/leaky.db"
    upgrade(url, "0004")
    leaked = "WeCom media/get failed: 502 for url: http://h/cgi-bin/gettoken?corpid=ww&corpsecret=S3CRET"
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO outbox (channel, recipients, msg_type, payload, status, attempts, last_error, "
                "next_attempt_at, created_at) VALUES ('wecom', '[\"admin\"]', 'text', :payload, 'failed', 5, "
                ":error, '2023-03-01 00:00:00', '2023-03-01 00:00:00')"
            ),
            {"payload": '{"text": "抱歉，任务没有完成：' + leaked + '"}', "error": leaked},
        )
    engine.dispose()
    upgrade(url)
    engine = make_engine(url)
    with engine.connect() as conn:
        error, payload = conn.execute(text("SELECT last_error, payload FROM outbox")).one()
    engine.dispose()
    assert error.endswith("corpsecret=***") and "S3CRET" not in payload and "corpsecret=***" in payload


def test_upgrade_to_0008_learns_members_channels_and_renames_app_rows(tmp_path):
    """Each member's channel is the one of their latest message; WeCom app rows get the outbound id."""
    url = f"sqlite:///{tmp_path}/before-0008.db"
    upgrade(url, "0007")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO unit (id, name, aliases, kind, sort_order, active) VALUES (1, '甲', '[]', 'unit', 0, 1)"
            )
        )
        for i, userid in enumerate(("app_user", "oa_follower", "moved", "silent", "in_group"), 1):
            conn.execute(
                text(
                    "INSERT INTO member (id, userid, name, unit_id, role, active, session_version) "
                    "VALUES (:i, :u, '某', 1, 'publicist', 1, 0)"
                ),
                {"i": i, "u": userid},
            )
        for i, (userid, channel) in enumerate(
            [
                ("app_user", "wecom"),
                ("oa_follower", "wechat"),
                ("moved", "wechat"),
                ("moved", "wecom"),
                ("silent", "console"),
                ("in_group", "wechat"),
                ("in_group", "aibot"),
            ]
        ):
            conn.execute(
                text(
                    "INSERT INTO inbound_message (channel, msg_key, userid, msg_type, content, received_at) "
                    "VALUES (:c, :k, :u, 'text', '', '2023-03-01 00:00:00')"
                ),
                {"c": channel, "k": f"k{i}", "u": userid},
            )
        conn.execute(
            text(
                "INSERT INTO outbox (channel, recipients, msg_type, payload, status, attempts, next_attempt_at, "
                "created_at) VALUES ('wecom', '[\"a\"]', 'text', '{}', 'sent', 1, '2023-03-01 00:00:00', "
                "'2023-03-01 00:00:00'), ('webhook', '[\"webhook:1\"]', 'text', '{}', 'sent', 1, "
                "'2023-03-01 00:00:00', '2023-03-01 00:00:00')"
            )
        )
    engine.dispose()
    upgrade(url)
    engine = make_engine(url)
    with engine.connect() as conn:
        channels = dict(conn.execute(text("SELECT userid, channel FROM member")).all())
        rows = conn.execute(text("SELECT channel, rejected FROM outbox ORDER BY id")).all()
    engine.dispose()
    assert channels == {
        "app_user": "wecom_app",
        "oa_follower": "wechat_oa",
        "moved": "wecom_app",
        "silent": None,
        "in_group": "wecom_app",  # the intelligent robot's writers are reached through the app
    }
    assert [(c, json.loads(r)) for c, r in rows] == [("wecom_app", {}), ("webhook", {})]


def test_pending_reads_the_newest_revision_as_alembic_does(tmp_path):
    """`tougao` checks the schema on every command without loading Alembic: the same heads, and a database
    one migration behind is pending until it is upgraded."""
    from alembic.script import ScriptDirectory

    from storage.migrate import alembic_config, heads, pending

    assert heads() == set(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())
    url = f"sqlite:///{tmp_path}/behind.db"
    engine = make_engine(url)
    assert pending(engine)  # no schema at all
    upgrade(url, "0008")
    assert pending(engine)
    upgrade(url)
    assert not pending(engine)
    engine.dispose()

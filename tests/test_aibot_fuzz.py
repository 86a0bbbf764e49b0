"""Hypothesis over the robot's callback: whatever arrives, the answer is a 2xx or a 4xx, never a 500, and
no article is stored from noise."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import create_app
from storage.models import Article, InboundMessage
from tests.aibot import AIBOT, Robot, seal_json
from tests.conftest import WECOM
from tests.helpers import count_rows

FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
# Well-formed enough to reach the pipeline (a known robot, a sender, a type), with noise in every part.
MESSAGES = st.fixed_dictionaries(
    {
        "msgtype": st.sampled_from(
            ["text", "mixed", "voice", "event", "stream", "file", "image", "quote", "x"]
        ),
        "from": st.fixed_dictionaries({"userid": st.sampled_from(["zhangsan", "lishuji", "stranger"])}),
        "aibotid": st.just(AIBOT["WECOM_AIBOT_ID"]),
        "msgid": st.text(min_size=1, max_size=40),
    },
    optional={
        "chattype": st.sampled_from(["single", "group"]) | JSON,
        "chatid": JSON,
        "text": st.fixed_dictionaries({"content": st.text(max_size=80)}) | JSON,
        "mixed": st.fixed_dictionaries({"msg_item": st.lists(JSON, max_size=3)}) | JSON,
        "voice": st.fixed_dictionaries({"content": st.text(max_size=80)}) | JSON,
        "image": st.fixed_dictionaries({"url": st.text(max_size=40)}) | JSON,
        "event": st.fixed_dictionaries({"eventtype": st.text(max_size=20)}) | JSON,
        "stream": st.fixed_dictionaries({"id": st.text(max_size=50)}) | JSON,
        "create_time": JSON,
    },
)


@pytest.fixture
def robot(org) -> Robot:
    return Robot(
        create_app({"DATABASE_URL": str(org.engine.url), **WECOM, **AIBOT}, database=org).test_client()
    )


@FUZZ
@given(body=st.binary(max_size=3000))
def test_random_bytes(robot, org, body):
    response = robot.post(body, {"msg_signature": "a" * 40, "timestamp": str(int(time.time())), "nonce": "n"})
    assert response.status_code in (400, 403, 413)
    assert count_rows(org, InboundMessage) == 0


@FUZZ
@given(encrypt=st.text(max_size=400))
def test_signed_garbage_in_the_envelope(robot, org, encrypt):
    response = robot.post(json.dumps({"encrypt": encrypt}).encode(), robot.signed(encrypt))
    assert response.status_code in (400, 403)
    assert count_rows(org, InboundMessage) == 0


@FUZZ
@given(message=MESSAGES | JSON)
def test_well_encrypted_random_messages(robot, org, message):
    """Pictures here point nowhere reachable (no media base, https only, or a refused port): asked again."""
    encrypt = seal_json(json.dumps(message))
    response = robot.post(json.dumps({"encrypt": encrypt}).encode(), robot.signed(encrypt))
    assert response.status_code in (200, 400, 403), response.get_data(as_text=True)
    assert count_rows(org, Article) == 0

"""Hypothesis over the callback body: whatever arrives, the answer is a 2xx or a 4xx, never a 500,
and nothing is stored unless a known member sent a well-formed message."""

import hashlib
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wechatpy.enterprise.crypto import PrpCrypto

from storage.models import Article, InboundMessage
from tests.conftest import WECOM
from tests.helpers import count_rows, fresh_nonce

FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
KEY = __import__("base64").b64decode(WECOM["WECOM_AES_KEY"] + "=")


def signed_query(encrypt: str) -> dict:
    ts, nonce = str(int(time.time())), fresh_nonce()
    sig = hashlib.sha1("".join(sorted([WECOM["WECOM_TOKEN"], ts, nonce, encrypt])).encode()).hexdigest()
    return {"msg_signature": sig, "timestamp": ts, "nonce": nonce}


@pytest.fixture
def stored(app):
    db = app.services.db
    return lambda: (count_rows(db, Article), count_rows(db, InboundMessage))


@FUZZ
@given(body=st.binary(max_size=3000))
def test_random_bytes(wecom, stored, body):
    response = wecom.post(body, {"msg_signature": "a" * 40, "timestamp": str(int(time.time())), "nonce": "n"})
    assert response.status_code in (400, 403, 413)
    assert stored() == (0, 0)


@FUZZ
@given(
    encrypt=st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="<>&]"), max_size=400
    )
)
def test_signed_garbage_in_the_envelope(wecom, stored, encrypt):
    response = wecom.post(
        f"<xml><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>".encode(), signed_query(encrypt.strip())
    )
    assert response.status_code in (400, 403)
    assert stored() == (0, 0)


INNER = st.one_of(
    st.text(max_size=300),
    st.builds(
        lambda tags, user, kind, content: (
            "<xml>"
            + "".join(f"<{t}>x</{t}>" for t in tags)
            + f"<FromUserName>{user}</FromUserName><MsgType>{kind}</MsgType><Content><![CDATA[{content}]]></Content>"
            + "<MsgId>1</MsgId></xml>"
        ),
        st.lists(st.sampled_from(["A", "CreateTime", "AgentID", "Event", "MediaId", "Url"]), max_size=3),
        st.sampled_from(["zhangsan", "stranger", ""]),
        st.sampled_from(["text", "event", "image", "file", "link", "", "unknown"]),
        st.text(
            alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="]"), max_size=80
        ),
    ),
)


@FUZZ
@given(inner=INNER)
def test_well_encrypted_random_messages(wecom, stored, inner):
    encrypt = PrpCrypto(KEY)._encrypt(inner, WECOM["WECOM_CORP_ID"]).decode()
    response = wecom.post(
        f"<xml><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>".encode(), signed_query(encrypt)
    )
    assert response.status_code in (200, 400)
    articles, _inbound = stored()
    assert articles == 0  # none of these is a valid 上稿

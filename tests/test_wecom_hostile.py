"""Hostile and broken callbacks: each gets its 4xx (never a 500), nothing is stored, service goes on."""

import base64
import time
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select
from wechatpy.crypto.cryptography import WeChatCipher
from wechatpy.crypto.pkcs7 import PKCS7Encoder
from wechatpy.enterprise.crypto import PrpCrypto

from bot import create_app
from bot.callback_crypto import MAX_BODY
from storage.models import Article, InboundMessage
from tests.conftest import WECOM
from tests.helpers import WeComSender, fresh_nonce, text_xml

REPORT = "上稿 甲 https://www.xuexi.cn/a?id=1"
KEY = base64.b64decode(WECOM["WECOM_AES_KEY"] + "=")


def stored(app) -> tuple[int, int]:
    with app.services.db.sessions() as s:
        return (
            s.scalar(select(func.count()).select_from(Article)),
            s.scalar(select(func.count()).select_from(InboundMessage)),
        )


def signed(wecom: WeComSender, encrypt: str, ts: str | None = None) -> tuple[str, dict]:
    """A well-signed envelope around an arbitrary Encrypt payload (to reach the decrypt step)."""
    import hashlib

    ts, nonce = ts or str(int(time.time())), fresh_nonce()
    signature = hashlib.sha1("".join(sorted([wecom.token, ts, nonce, encrypt])).encode()).hexdigest()
    return f"<xml><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>", {
        "msg_signature": signature,
        "timestamp": ts,
        "nonce": nonce,
    }


def raw_cipher(plain: bytes) -> str:
    return base64.b64encode(WeChatCipher(KEY).encrypt(PKCS7Encoder.encode(plain))).decode()


BILLION_LAUGHS = b"""<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><xml><Encrypt>&lol3;</Encrypt></xml>"""
XXE = b"""<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><Encrypt>&xxe;</Encrypt></xml>"""
DTD_ONLY = b"""<?xml version="1.0"?><!DOCTYPE xml SYSTEM "http://127.0.0.1:1/x.dtd"><xml><Encrypt>abc</Encrypt></xml>"""


def case_bad_signature(w):
    body, q = w.envelope(text_xml("zhangsan", REPORT))
    return body, {**q, "msg_signature": "f" * 40}


def case_wrong_corp(w):
    return w.envelope(text_xml("zhangsan", REPORT), corp_id="wwSOMEONEELSE")


def case_stale(w):
    return w.envelope(text_xml("zhangsan", REPORT), timestamp=int(time.time()) - 301)


def case_future(w):
    return w.envelope(text_xml("zhangsan", REPORT), timestamp=int(time.time()) + 301)


def case_non_numeric_timestamp(w):
    body, q = w.envelope(text_xml("zhangsan", REPORT))
    return body, {**q, "timestamp": "yesterday"}


def case_missing_params(w):
    body, _ = w.envelope(text_xml("zhangsan", REPORT))
    return body, {}


def case_oversized(w):
    body, q = w.envelope(text_xml("zhangsan", REPORT))
    return body.replace("</xml>", "<Pad>" + "x" * MAX_BODY + "</Pad></xml>"), q


def case_ten_megabytes(w):
    return b"<xml>" + b"A" * (10 * 1024 * 1024) + b"</xml>", {
        "msg_signature": "x",
        "timestamp": "1",
        "nonce": "n",
    }


def case_malformed(w):
    return b"<xml><Encrypt>abc</Encrypt>", {}


def case_truncated(w):
    body, q = w.envelope(text_xml("zhangsan", REPORT))
    return body[: len(body) // 2], q


def case_not_xml(w):
    return b'{"Encrypt": "abc"}', {}


def case_empty(w):
    return b"", {}


def case_non_utf8(w):
    return b"<xml><Encrypt>\xff\xfe\xfa</Encrypt></xml>", {}


def case_billion_laughs(w):
    return BILLION_LAUGHS, {}


def case_external_entity(w):
    return XXE, {}


def case_dtd(w):
    return DTD_ONLY, {}


def case_no_encrypt(w):
    return b"<xml><ToUserName>x</ToUserName></xml>", {}


def case_wrong_root(w):
    return b"<foo><Encrypt>abc</Encrypt></foo>", {}


def case_bad_base64(w):
    return signed(w, "!!!not-base64!!!")


def case_ciphertext_wrong_length(w):
    return signed(w, base64.b64encode(b"0123456789").decode())


def case_plaintext_too_short(w):
    return signed(w, raw_cipher(b"short"))  # struct.error inside wechatpy


def case_plaintext_not_utf8(w):
    return signed(w, PrpCrypto(KEY)._encrypt(b"\xff\xfe<xml>bad</xml>", w.corp_id).decode())


def case_inner_not_xml(w):
    return signed(w, PrpCrypto(KEY)._encrypt("not xml at all", w.corp_id).decode())


def case_inner_without_sender(w):
    return signed(
        w, PrpCrypto(KEY)._encrypt("<xml><MsgType>text</MsgType><MsgId>1</MsgId></xml>", w.corp_id).decode()
    )


def case_inner_with_dtd(w):
    return signed(w, PrpCrypto(KEY)._encrypt(XXE.decode(), w.corp_id).decode())


CASES = {
    case_bad_signature: 403,
    case_wrong_corp: 403,
    case_stale: 403,
    case_future: 403,
    case_non_numeric_timestamp: 400,
    case_missing_params: 400,
    case_oversized: 413,
    case_ten_megabytes: 413,
    case_malformed: 400,
    case_truncated: 400,
    case_not_xml: 400,
    case_empty: 400,
    case_non_utf8: 400,
    case_billion_laughs: 400,
    case_external_entity: 400,
    case_dtd: 400,
    case_no_encrypt: 400,
    case_wrong_root: 400,
    case_bad_base64: 400,
    case_ciphertext_wrong_length: 400,
    case_plaintext_too_short: 400,
    case_plaintext_not_utf8: 400,
    case_inner_not_xml: 400,
    case_inner_without_sender: 400,
    case_inner_with_dtd: 400,
}


@pytest.mark.parametrize(("make", "status"), CASES.items(), ids=[f.__name__[5:] for f in CASES])
def test_hostile_body_is_refused_and_service_goes_on(make, status, wecom, app):
    body, query = make(wecom)
    response = wecom.post(body, query)
    assert response.status_code == status, response.get_data(as_text=True)
    assert stored(app) == (0, 0)
    assert "已登记上稿" in wecom.text("zhangsan", REPORT)  # still answering, and storing
    assert stored(app) == (1, 1)


def test_max_age_zero_turns_the_window_off(org):
    app = create_app(
        {"DATABASE_URL": str(org.engine.url), **WECOM, "TOUGAO_CALLBACK_MAX_AGE": "0"}, database=org
    )
    w = WeComSender(app.test_client(), WECOM["WECOM_TOKEN"], WECOM["WECOM_AES_KEY"], WECOM["WECOM_CORP_ID"])
    response = w.send(text_xml("zhangsan", "帮助"), timestamp=1)
    assert response.status_code == 200 and "投稿通可用命令" in w.open_reply(response)


def test_url_check_refuses_bad_echostr_and_stale_time(client, wecom):
    assert client.get("/wecom/callback").status_code == 400
    _body, q = signed(wecom, "!!!not-base64!!!")
    assert client.get("/wecom/callback?" + urlencode({**q, "echostr": "!!!not-base64!!!"})).status_code == 400
    stale = wecom.url_check_query("e", timestamp=int(time.time()) - 1000)
    assert client.get("/wecom/callback", query_string=stale).status_code == 403


def test_callback_without_wecom_settings_is_404(org):
    app = create_app({"DATABASE_URL": str(org.engine.url)}, database=org)
    assert app.test_client().post("/wecom/callback", data=b"<xml/>").status_code == 404


def test_bad_aes_key_is_refused_at_start(org):
    with pytest.raises(ValueError, match="EncodingAESKey"):
        create_app({"DATABASE_URL": str(org.engine.url), **WECOM, "WECOM_AES_KEY": "short"}, database=org)


def test_script_and_sql_shaped_text_is_stored_verbatim(wecom, app):
    title = "<script>alert(1)</script>'; DROP TABLE article; -- 甲"
    reply = wecom.text("zhangsan", f"上稿 {title} https://www.xuexi.cn/a?id=9")
    assert title in reply
    with app.services.db.sessions() as s:
        assert s.scalar(select(Article.title)) == title


def test_huge_content_under_the_body_limit_is_answered_and_nothing_stored(wecom, app):
    reply = wecom.text(
        "zhangsan", "上稿 " + "长" * 12000 + " https://www.xuexi.cn/a?id=1"
    )  # ~48 KiB encrypted
    assert "标题太长" in reply and "例：" in reply
    assert stored(app) == (0, 1)  # the message is logged (audit), no article


def test_signatures_are_compared_in_constant_time():
    import inspect

    from bot import callback_crypto

    assert "hmac.compare_digest" in inspect.getsource(callback_crypto.check_signature)

"""Callback security in one place: size, timestamp window, signature, safe XML, AES (wechatpy's crypto).

wechatpy 1.8.18 parses the outer XML with xmltodict *before* it checks the signature and lets raw
ExpatError, KeyError, binascii.Error, struct.error … escape, and compares signatures with `!=`. So the
outer envelope is parsed here with defusedxml (no DTDs, no entities), the signature is compared in
constant time, and only then is wechatpy's PrpCrypto asked to decrypt.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import struct
from xml.etree.ElementTree import ParseError as XMLParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from wechatpy.crypto import PrpCrypto as WeChatPrpCrypto
from wechatpy.crypto import WeChatCrypto
from wechatpy.enterprise.crypto import PrpCrypto as WeComPrpCrypto
from wechatpy.enterprise.crypto import WeChatCrypto as WeComCrypto
from wechatpy.enterprise.exceptions import InvalidCorpIdException
from wechatpy.exceptions import InvalidAppIdException

from bot.rejected import Rejected

__all__ = ["MAX_BODY", "CallbackCrypto", "Rejected", "check_signature", "decode_aes_key", "parse_flat_xml"]

MAX_BODY = 64 * 1024


def parse_flat_xml(data: bytes | str) -> dict[str, str]:
    """`<xml><A>..</A><B>..</B></xml>` → {"A": "..", "B": ".."}; DTDs, entities and junk → Rejected(400)."""
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (DefusedXmlException, XMLParseError, ValueError, TypeError) as exc:
        raise Rejected(400, f"bad xml: {type(exc).__name__}") from None
    if root.tag != "xml":
        raise Rejected(400, "bad xml: root is not <xml>")
    return {child.tag: (child.text or "") for child in root}


def check_signature(
    token: str,
    signature: str,
    timestamp: str,
    nonce: str,
    now: float,
    max_age: int,
    payload: str | None = None,
) -> None:
    """sha1 over the sorted (token, timestamp, nonce[, payload]), compared in constant time, and the
    timestamp within `max_age` seconds of now (0: no window). Plain-mode WeChat signs without a payload."""
    if not (signature and timestamp and nonce):
        raise Rejected(400, "missing signature, timestamp or nonce")
    try:
        sent = int(timestamp)
    except ValueError:
        raise Rejected(400, "timestamp is not a number") from None
    if max_age and abs(now - sent) > max_age:
        raise Rejected(403, "timestamp outside the allowed window")
    parts = [token, timestamp, nonce] + ([payload] if payload is not None else [])
    expected = hashlib.sha1(b"".join(sorted(p.encode() for p in parts))).hexdigest()
    if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")):
        raise Rejected(403, "bad signature")


def decode_aes_key(encoding_aes_key: str, name: str = "the EncodingAESKey") -> bytes:
    """The 32-byte AES key behind a 43-character EncodingAESKey (base64 of it + "="); else start-up stops."""
    try:
        key = base64.b64decode(encoding_aes_key + "=", validate=True)
    except binascii.Error:
        key = b""
    if len(key) != 32:
        raise ValueError(f"{name} must be the 43 characters shown in the admin console")
    return key


class CallbackCrypto:
    """Verify and open WeCom (or WeChat safe-mode) callbacks, and seal passive replies."""

    def __init__(self, token: str, aes_key: str, receive_id: str, *, enterprise: bool = True) -> None:
        self.token, self.key, self.receive_id = token, decode_aes_key(aes_key), receive_id
        self._prp = WeComPrpCrypto if enterprise else WeChatPrpCrypto
        self._wrong_id = InvalidCorpIdException if enterprise else InvalidAppIdException
        self._sealer = (WeComCrypto if enterprise else WeChatCrypto)(token, aes_key, receive_id)

    def check(
        self, signature: str, timestamp: str, nonce: str, payload: str, now: float, max_age: int
    ) -> None:
        """Reject a stale or early timestamp (403) and a wrong signature (403), in constant time."""
        check_signature(self.token, signature, timestamp, nonce, now, max_age, payload)

    def decrypt(self, payload: str) -> str:
        """AES-decrypt a signed payload; a different corp/app id is 403, garbage is 400."""
        try:
            return self._prp(self.key).decrypt(payload, self.receive_id)
        except self._wrong_id:
            raise Rejected(403, "payload is for another corp/app id") from None
        except (ValueError, TypeError, IndexError, binascii.Error, struct.error, UnicodeDecodeError) as exc:
            raise Rejected(400, f"cannot decrypt: {type(exc).__name__}") from None

    def open_message(
        self, body: bytes, signature: str, timestamp: str, nonce: str, now: float, max_age: int
    ) -> str:
        """The decrypted inner XML of a POSTed callback body."""
        envelope = parse_flat_xml(body)
        payload = envelope.get("Encrypt", "").strip()
        if not payload:
            raise Rejected(400, "no <Encrypt> element")
        self.check(signature, timestamp, nonce, payload, now, max_age)
        return self.decrypt(payload)

    def seal(self, reply_xml: str, nonce: str, timestamp: str) -> str:
        """Encrypt and sign a passive reply (wechatpy builds the envelope)."""
        return self._sealer.encrypt_message(reply_xml, nonce, timestamp)

"""The intelligent robot's (智能机器人) JSON callback crypto: the app callback's AES layout with an empty
receiveid, a JSON envelope instead of XML, and the robot's media files.

wechatpy 1.8.18 has no JSON variant, and its PrpCrypto neither checks PKCS#7 padding nor the length field,
so the framing is checked here, strictly, over wechatpy's own AES-CBC cipher (key = base64(EncodingAESKey
+ "="), iv = key[:16]); padding is `cryptography`'s PKCS7 with WeCom's 32-byte blocks. The signature and
timestamp checks are the app callback's (bot.callback_crypto.check_signature).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import secrets
import struct

from cryptography.hazmat.primitives.padding import PKCS7
from wechatpy.crypto.cryptography import WeChatCipher

from bot.callback_crypto import Rejected, check_signature, decode_aes_key

RECEIVE_ID = b""  # "企业内部智能机器人场景中，ReceiveId为空字符串" (doc 101033)
BLOCK_BITS = 256  # WeCom pads to multiples of 32 bytes, not AES's 16
# json raises RecursionError for a body that is only deep nesting ([[[[…), within 64 KiB.
JSON_ERRORS = (RecursionError, ValueError, TypeError, UnicodeDecodeError)


def json_object(data: bytes | str, what: str) -> dict:
    """Parse a JSON object; anything else (junk, a list, a nesting deep enough to recurse) is 400."""
    try:
        value = json.loads(data)
    except JSON_ERRORS as exc:
        raise Rejected(400, f"{what} is not JSON: {type(exc).__name__}") from None
    if not isinstance(value, dict):
        raise Rejected(400, f"{what} is not a JSON object")
    try:  # "\\udc00" is valid JSON but no database (or log file) takes a lone surrogate
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise Rejected(400, f"{what} holds a lone surrogate") from None
    return value


class AibotCrypto:
    """Verify and open the robot's callbacks, seal its passive replies, decrypt its media files."""

    def __init__(self, token: str, encoding_aes_key: str) -> None:
        self.token = token
        self.key = decode_aes_key(encoding_aes_key, "WECOM_AIBOT_AES_KEY (the robot's EncodingAESKey)")

    def check(
        self, signature: str, timestamp: str, nonce: str, payload: str, now: float, max_age: int
    ) -> None:
        check_signature(self.token, signature, timestamp, nonce, now, max_age, payload)

    def decrypt(self, payload: str) -> str:
        """`random(16) + len(4, big-endian) + msg + receiveid` → msg; another receiveid is 403."""
        plain = self._open(payload)
        if len(plain) < 20:
            raise Rejected(400, "cannot decrypt: plaintext too short")
        (length,) = struct.unpack(">I", plain[16:20])
        if length > len(plain) - 20:
            raise Rejected(400, "cannot decrypt: length field past the end")
        if plain[20 + length :] != RECEIVE_ID:
            raise Rejected(403, "payload is for another receiver (receiveid is not empty)")
        try:
            return plain[20 : 20 + length].decode("utf-8")
        except UnicodeDecodeError:
            raise Rejected(400, "cannot decrypt: message is not UTF-8") from None

    def encrypt(self, text: str) -> str:
        body = text.encode("utf-8")
        # Tencent's samples use 16 printable characters as the random prefix; any 16 bytes would do.
        plain = secrets.token_hex(8).encode() + struct.pack(">I", len(body)) + body + RECEIVE_ID
        return base64.b64encode(self._cipher(pad(plain), encrypt=True)).decode()

    def open_message(
        self, body: bytes, signature: str, timestamp: str, nonce: str, now: float, max_age: int
    ) -> dict:
        """The decrypted message of a POSTed `{"encrypt": "…"}` body, as a JSON object."""
        envelope = json_object(body, "body")
        payload = envelope.get("encrypt")
        if not isinstance(payload, str) or not payload.strip():
            raise Rejected(400, "no encrypt field")
        self.check(signature, timestamp, nonce, payload, now, max_age)
        return json_object(self.decrypt(payload), "message")

    def seal(self, reply: dict, nonce: str, timestamp: str) -> dict:
        """The passive reply envelope. `msgsignature` has no underscore; the nonce is the callback's own.
        The timestamp is a string of seconds, as in Tencent's official JSON sample (its doc shows a number)."""
        encrypt = self.encrypt(json.dumps(reply, ensure_ascii=False))
        parts = sorted(p.encode() for p in (self.token, timestamp, nonce, encrypt))
        signature = hashlib.sha1(b"".join(parts)).hexdigest()
        return {"encrypt": encrypt, "msgsignature": signature, "timestamp": timestamp, "nonce": nonce}

    def decrypt_media(self, data: bytes) -> bytes:
        """A file the robot's media URL serves: AES-256-CBC with the robot's key, iv = key[:16], PKCS#7.
        Raises ValueError when it is not whole blocks or its padding is wrong."""
        return unpad(self._cipher(data, encrypt=False))

    def _open(self, payload: str) -> bytes:
        try:
            return unpad(self._cipher(base64.b64decode(payload.strip(), validate=True), encrypt=False))
        except binascii.Error:
            raise Rejected(400, "cannot decrypt: bad base64") from None
        except ValueError as exc:
            raise Rejected(400, f"cannot decrypt: {exc}") from None

    def _cipher(self, data: bytes, *, encrypt: bool) -> bytes:
        if not data or len(data) % 16:
            raise ValueError("not whole AES blocks")
        cipher = WeChatCipher(self.key)  # AES-256-CBC, iv = key[:16]
        return cipher.encrypt(data) if encrypt else cipher.decrypt(data)


def pad(data: bytes) -> bytes:
    """PKCS#7 to a multiple of 32 bytes (a whole block of 32 when already aligned)."""
    padder = PKCS7(BLOCK_BITS).padder()
    return padder.update(data) + padder.finalize()


def unpad(data: bytes) -> bytes:
    unpadder = PKCS7(BLOCK_BITS).unpadder()
    try:
        return unpadder.update(data) + unpadder.finalize()
    except ValueError:
        raise ValueError("bad padding") from None

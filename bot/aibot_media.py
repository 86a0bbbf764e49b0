"""The robot's pictures: downloaded from the URL in the message, decrypted with the robot's key, checked to
be an image, and kept in the database when a record keeps the photo (the URL expires within minutes).

Only the download is done here, outside any transaction: a slow media server never holds a database lock.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import requests
from sqlalchemy.orm import Session

from bot.aibot_crypto import AibotCrypto
from storage.aibot import keep_photo_content

log = logging.getLogger(__name__)

MAX_MEDIA = 10 * 1024 * 1024  # WeCom's own limit for a picture
SIGNATURES = (  # the first bytes of the formats WeCom delivers as pictures
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"BM", "image/bmp"),
)


class MediaError(Exception):
    """A picture that could not be fetched or is not a picture (the reason is logged, not shown)."""


@dataclass(frozen=True)
class Picture:
    content: bytes
    mime: str

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @property
    def media_id(self) -> str:
        """What the photo row names: the content's digest, stable across retries of the same picture."""
        return f"aibot:{self.digest}"

    def keep(self, session: Session) -> None:
        """The pipeline's last step: store the content if the handler attached the photo to a record."""
        keep_photo_content(session, self.media_id, self.digest, self.mime, self.content)


class MediaClient:
    """Fetches the robot's encrypted media. `base` (WECOM_AIBOT_MEDIA_BASE) replaces the URL's scheme and
    host, keeping its path and query: tests point it at a local server, and a server that reaches WeCom's
    media store through a proxy can too. Without it only https URLs are fetched."""

    def __init__(self, crypto: AibotCrypto, base: str = "", timeout: float = 10.0) -> None:
        self.crypto, self.base, self.timeout = crypto, base.strip(), timeout

    def fetch_image(self, url: str) -> Picture:
        data = self._download(self._target(url))
        try:
            content = self.crypto.decrypt_media(data)
        except ValueError as exc:
            raise MediaError(f"cannot decrypt the picture: {exc}") from None
        mime = next((m for magic, m in SIGNATURES if content.startswith(magic)), None)
        if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
            mime = "image/webp"
        if mime is None:
            raise MediaError("the decrypted file is not a picture")
        return Picture(content, mime)

    def _target(self, url: str) -> str:
        try:
            parts = urlsplit(url.strip())
        except ValueError:  # e.g. an unclosed IPv6 bracket
            raise MediaError("the picture's URL cannot be read") from None
        if self.base:
            base = urlsplit(self.base)
            path = base.path.rstrip("/") + (parts.path or "/")
            return urlunsplit((base.scheme, base.netloc, path, parts.query, ""))
        if parts.scheme != "https" or not parts.netloc:
            raise MediaError("the picture's URL is not https")
        return url.strip()

    def _download(self, url: str) -> bytes:
        host = urlsplit(url).netloc  # logged without the path and its signed query
        try:
            with requests.get(url, timeout=(3.05, self.timeout), stream=True, allow_redirects=False) as r:
                if r.status_code != 200:
                    raise MediaError(f"{host} answered {r.status_code}")
                chunks, size = [], 0
                for chunk in r.iter_content(64 * 1024):
                    size += len(chunk)
                    if size > MAX_MEDIA:
                        raise MediaError(f"picture from {host} is over {MAX_MEDIA} bytes")
                    chunks.append(chunk)
        except (requests.RequestException, ValueError) as exc:  # ValueError: a URL requests cannot use
            raise MediaError(f"download from {host} failed: {type(exc).__name__}") from None
        return b"".join(chunks)

"""Signed, expiring download links for stored files: `TOUGAO_PUBLIC_URL/files/<token>`, good for 7 days and
for the one member it was made for (the only way to hand a file to an Official Account follower)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

LIFETIME = timedelta(days=7)
SALT = "tougao.file-link"


class LinkExpired(Exception):
    """A genuine link past its 7 days."""


class LinkInvalid(Exception):
    """Not a link we made (or made with another key)."""


class FileLinks:
    """Makes and reads the tokens. The key is TOUGAO_SECRET_KEY, or the app's generated one, read when the
    first link is made or opened (every process reads the same one from the database)."""

    def __init__(self, public_url: str, secret: Callable[[], str]) -> None:
        self.public_url = public_url.rstrip("/")
        self._secret = secret
        self._signer: URLSafeTimedSerializer | None = None

    @property
    def signer(self) -> URLSafeTimedSerializer:
        if self._signer is None:
            self._signer = URLSafeTimedSerializer(self._secret(), salt=SALT)
        return self._signer

    def path(self, file_id: int, userid: str) -> str:
        return f"/files/{self.signer.dumps([file_id, userid])}"

    def url(self, file_id: int, userid: str) -> str | None:
        """The full link, or None when TOUGAO_PUBLIC_URL is not set (nobody outside could open it)."""
        return self.public_url + self.path(file_id, userid) if self.public_url else None

    def read(self, token: str) -> tuple[int, str]:
        """(file id, userid) of a link; LinkExpired or LinkInvalid otherwise."""
        try:
            file_id, userid = self.signer.loads(token, max_age=int(LIFETIME.total_seconds()))
        except SignatureExpired:
            raise LinkExpired from None
        except (BadSignature, ValueError, TypeError):
            raise LinkInvalid from None
        if not isinstance(file_id, int) or not isinstance(userid, str):
            raise LinkInvalid
        return file_id, userid

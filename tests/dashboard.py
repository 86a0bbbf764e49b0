"""A dashboard user for Flask test-client tests: signs in (demo picker) and posts forms with CSRF."""

from __future__ import annotations

import re


class DashboardUser:
    def __init__(self, client) -> None:
        self.client = client

    def csrf(self) -> str:
        page = self.client.get("/admin/login").get_data(as_text=True)
        return re.search(r'name="csrf_token" value="([^"]+)"', page)[1]

    def sign_in(self, userid: str):
        return self.client.post("/admin/login/demo", data={"csrf_token": self.csrf(), "userid": userid})

    def get(self, path: str, **kw):
        return self.client.get(path, **kw)

    def post(self, path: str, follow: bool = False, **data):
        with self.client.session_transaction("/admin/") as session:  # dashboard pages have sessions
            token = session.get("csrf") or ""
        if not token:
            token = self.csrf()
        return self.client.post(path, data={"csrf_token": token, **data}, follow_redirects=follow)

    def flashes(self, path: str) -> str:
        """The text of a page after an action (its flash messages included)."""
        return self.client.get(path).get_data(as_text=True)

"""The site root: `/` leads somewhere useful, and WeCom's / WeChat's domain-ownership files are served.

Before WeCom accepts YOUR-HOST as a trusted domain (可信域名), it asks for a file such as
`WW_verify_AbCd1234.txt` at the root of the site; the Official Account asks the same with `MP_verify_….txt`.
Files of exactly those names are served from the folder TOUGAO_VERIFY_DIR, nothing else is."""

from __future__ import annotations

from flask import Blueprint, Response, abort, redirect, url_for
from werkzeug.routing import BaseConverter

from bot.app import this_app


class VerifyFileName(BaseConverter):
    """Only names such as WW_verify_AbCd1234.txt reach the view; every other path is routed as before."""

    regex = r"(?:WW|MP)_verify_[A-Za-z0-9]{1,64}\.txt"


bp = Blueprint("site_root", __name__)
bp.record_once(lambda state: state.app.url_map.converters.setdefault("verify_file", VerifyFileName))


@bp.get("/")
def index():
    """The demo's chat page in `tougao demo`, the dashboard otherwise."""
    return redirect(url_for("demo.page") if this_app().demo else url_for("admin.overview"))


@bp.get("/<verify_file:name>")
def verify_file(name: str) -> Response:
    folder = this_app().settings.verify_dir
    path = folder / name if folder is not None else None  # the name is a plain file name (the converter)
    if path is None or not path.is_file():
        abort(404)
    return Response(path.read_bytes(), mimetype="text/plain")

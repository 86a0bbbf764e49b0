"""Dashboard sign-in: WeCom OAuth for leaders and admins (inside the WeCom app, or by QR code in a desktop
browser), a member picker in demo mode, the signed session cookie, and the CSRF token every form carries."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps
from urllib.parse import urlencode

from flask import abort, current_app, g, redirect, render_template, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import select
from wechatpy.exceptions import WeChatClientException

from bot.admin import bp
from bot.app import TougaoApp, services, this_app
from handlers.dispatch import UNKNOWN_SENDER
from handlers.roles import ROLE_NAMES
from storage.members import roster
from storage.models import Member, Unit
from storage.org import active_member
from storage.shared_state import generated_secret

OAUTH_URL = "https://open.weixin.qq.com/connect/oauth2/authorize"  # inside the WeCom app
QR_URL = "https://login.work.weixin.qq.com/wwlogin/sso/login"  # a desktop browser: scan with WeCom
ALLOWED_ROLES = ("leader", "admin")
SESSION_LIFETIME = timedelta(hours=8)
PUBLIC = {"admin.login", "admin.login_demo", "admin.login_wecom", "admin.oauth_callback"}
SIGNED_IN_PATHS = ("/admin", "/files/")  # the pages that read the sign-in cookie (files: whose link)
REFUSED = "管理后台仅限领导和管理员登录。宣传员请在企业微信里直接和投稿通对话（发送「帮助」）。"


@dataclass(frozen=True)
class Viewer:
    """The signed-in leader or admin, as the views need them (no live ORM object across sessions)."""

    id: int
    userid: str
    name: str
    role: str
    unit_id: int
    unit_name: str

    @property
    def role_name(self) -> str:
        return ROLE_NAMES[self.role]


class DashboardSessions(SecureCookieSessionInterface):
    """Signed-cookie sessions for the dashboard pages only; callbacks and health checks get none.

    The key is TOUGAO_SECRET_KEY, or else a random one generated once and kept in the database, so every
    worker and restart signs alike. (It used to be derived from WECOM_SECRET: whoever saw that secret
    could forge a sign-in.) It is read on a worker's first dashboard request, not at start-up."""

    def open_session(self, app, request):
        if not request.path.startswith(SIGNED_IN_PATHS):
            return None  # Flask then uses a null session
        return super().open_session(app, request)

    def get_signing_serializer(self, app: TougaoApp):
        if not app.secret_key:
            with app.services.db.sessions() as s, s.begin():
                app.secret_key = generated_secret(s, "session_key")
        return super().get_signing_serializer(app)


def configure(app: TougaoApp) -> None:
    """Cookie settings for the dashboard's session (called by create_app)."""
    settings = app.settings
    app.secret_key = settings.TOUGAO_SECRET_KEY or None
    app.session_interface = DashboardSessions()
    app.config.update(
        SESSION_COOKIE_NAME="tougao_admin",
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.TOUGAO_PUBLIC_URL.startswith("https://"),
        PERMANENT_SESSION_LIFETIME=SESSION_LIFETIME,
    )
    app.jinja_env.globals["csrf_token"] = csrf_token


def csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


@bp.before_request
def require_sign_in():
    """Every dashboard page needs a signed-in leader or admin; every POST needs the form's CSRF token."""
    g.viewer = _load_viewer()
    if g.viewer is None and request.endpoint not in PUBLIC:
        if request.method == "GET":
            return redirect(url_for("admin.login", next=request.full_path))
        abort(401, "请先登录。")
    if request.method == "POST":
        sent = request.form.get("csrf_token", "")
        if not sent or not hmac.compare_digest(sent, session.get("csrf", "")):
            abort(400, "表单已过期或来源不明，请刷新页面后重试。")
    return None


def admin_only(view):
    """Views that change the organisation: admins only (leaders get 403)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if g.viewer.role != "admin":
            abort(403, "此页面仅限管理员。")
        return view(*args, **kwargs)

    return wrapped


def _load_viewer() -> Viewer | None:
    member_id = session.get("member_id")
    if member_id is None:
        return None
    with services().db.readers() as s:
        row = s.execute(
            select(Member, Unit.name).join(Unit, Unit.id == Member.unit_id).where(Member.id == member_id)
        ).first()
    if row is None or not row[0].active or row[0].role not in ALLOWED_ROLES:
        session.clear()  # removed or demoted since signing in: out at once
        return None
    if session.get("version") != row[0].session_version:
        session.clear()  # signed out (anywhere), or the role changed, since this cookie was issued
        return None
    m, unit_name = row
    return Viewer(m.id, m.userid, m.name, m.role, m.unit_id, unit_name)


@bp.get("/login")
def login():
    demo, settings = this_app().demo, this_app().settings
    people = []
    if demo:
        with services().db.readers() as s:
            people = roster(s)
    # Those who may sign in first, the first of them preselected; publicists last, to show they are refused.
    return render_template(
        "admin/login.html",
        demo=demo,
        allowed=[(u, n, ROLE_NAMES[r], unit) for u, n, r, unit in people if r in ALLOWED_ROLES],
        refused=[(u, n, ROLE_NAMES[r], unit) for u, n, r, unit in people if r not in ALLOWED_ROLES],
        wecom=settings.wecom_app_configured,
        next=request.args.get("next", ""),
    )


@bp.post("/login/demo")
def login_demo():
    """Demo mode only: sign in as the member picked from the list."""
    if not this_app().demo:
        abort(404)
    return _sign_in(request.form.get("userid", ""), request.form.get("next", ""))


@bp.get("/login/wecom")
def login_wecom():
    """Send the browser to WeCom: silent OAuth inside the WeCom app, the QR-code page elsewhere."""
    settings = this_app().settings
    if not settings.wecom_app_configured:
        abort(404)
    state = secrets.token_urlsafe(16)
    session["oauth"] = {"state": state, "next": request.args.get("next", "")}
    back = _external(url_for("admin.oauth_callback"))
    if "wxwork" in request.headers.get("User-Agent", "").lower():
        query = {"appid": settings.WECOM_CORP_ID, "redirect_uri": back, "response_type": "code"}
        query |= {"scope": "snsapi_base", "state": state, "agentid": settings.WECOM_AGENT_ID}
        return redirect(f"{OAUTH_URL}?{urlencode(query)}#wechat_redirect")
    query = {"login_type": "CorpApp", "appid": settings.WECOM_CORP_ID, "agentid": settings.WECOM_AGENT_ID}
    return redirect(f"{QR_URL}?{urlencode(query | {'redirect_uri': back, 'state': state})}")


@bp.get("/login/wecom/callback")
def oauth_callback():
    """WeCom sends the browser back with a one-time code; the API tells whose it is."""
    started = session.pop("oauth", None) or {}
    state, code = request.args.get("state", ""), request.args.get("code", "")
    if not code or not started or not hmac.compare_digest(state, started.get("state", "")):
        abort(400, "登录链接已失效，请重新登录。")
    try:
        userid = _wecom_userid(code)
    except (WeChatClientException, OSError) as exc:
        current_app.logger.warning("WeCom sign-in failed: %s", type(exc).__name__)
        abort(502, "企业微信暂时无法确认您的身份，请稍后再试。")
    if not userid:
        abort(403, "只有本企业通讯录里的成员可以登录。")
    return _sign_in(userid, started.get("next", ""))


@bp.post("/logout")
def logout():
    """Sign out here and everywhere: the cookie is signed, not stored, so a copy of it would otherwise
    keep working until it expires (8 hours); bumping the member's session version voids every copy."""
    with services().db.sessions() as s, s.begin():
        member = s.get(Member, g.viewer.id)
        member.session_version += 1
    session.clear()
    return redirect(url_for("admin.login"))


def _wecom_userid(code: str) -> str | None:
    api = services().wecom
    if api is None:
        abort(404)
    return api.userid_for_code(code)


def _sign_in(userid: str, next_url: str):
    with services().db.readers() as s:
        member = active_member(s, userid)
    if member is None:
        abort(403, UNKNOWN_SENDER)
    if member.role not in ALLOWED_ROLES:
        abort(403, REFUSED)
    session.clear()  # a fresh session (and CSRF token) for every sign-in
    session.permanent = True
    session["member_id"], session["version"] = member.id, member.session_version
    current_app.logger.info("dashboard sign-in user=%s role=%s", member.userid, member.role)
    return redirect(_safe_next(next_url))


def _safe_next(next_url: str) -> str:
    """Only back into the dashboard: never an open redirect."""
    if next_url.startswith("/admin") and not next_url.startswith("//"):
        return next_url
    return url_for("admin.overview")


def _external(path: str) -> str:
    base = this_app().settings.TOUGAO_PUBLIC_URL.rstrip("/")
    return base + path if base else request.host_url.rstrip("/") + path

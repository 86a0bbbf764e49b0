"""Who may open which dashboard page: sign-in (demo picker and WeCom OAuth), roles, CSRF, redirects."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
from sqlalchemy import select, update

from bot import create_app
from storage.models import AdminAction, Member, Quota
from tests.conftest import WECOM
from tests.dashboard import DashboardUser

LEADER_PAGES = [
    "/admin/",
    "/admin/articles",
    "/admin/activities",
    "/admin/export.xlsx",
    "/admin/bulletin.docx",
]
ADMIN_PAGES = ["/admin/members", "/admin/quotas", "/admin/exemptions", "/admin/outbox"]
ADMIN_FORMS = {
    "/admin/members": {"userid": "newbie", "name": "新人", "unit": "辽河社区", "role": "宣传员"},
    "/admin/quotas": {"unit_id": "1", "articles": "4", "activities": "1"},
    "/admin/exemptions": {"unit_id": "1", "period": "本月"},
}


@pytest.fixture
def demo_app(org):
    return create_app({"DATABASE_URL": str(org.engine.url)}, database=org, demo=True)


@pytest.fixture
def user(demo_app):
    return DashboardUser(demo_app.test_client())


@pytest.mark.parametrize("path", LEADER_PAGES + ADMIN_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(user, path):
    response = user.get(path)
    assert response.status_code == 302
    assert response.location.startswith("/admin/login?next=" + path.split("?")[0])


@pytest.mark.parametrize("path", ["/admin/withdraw", *ADMIN_FORMS])
def test_anonymous_posts_are_refused(user, path, org):
    assert user.post(path, no="1", **ADMIN_FORMS.get(path, {})).status_code == 401
    assert count_audit(org) == 0


@pytest.mark.parametrize("path", LEADER_PAGES)
def test_leaders_see_rankings_records_and_exports(user, path):
    assert user.sign_in("lishuji").status_code == 302
    assert user.get(path).status_code == 200


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_leaders_may_not_open_admin_pages(user, path):
    user.sign_in("lishuji")
    response = user.get(path)
    assert response.status_code == 403 and "仅限管理员" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", list(ADMIN_FORMS))
def test_leaders_may_not_change_the_organisation(user, path, org):
    user.sign_in("lishuji")
    assert user.post(path, **ADMIN_FORMS[path]).status_code == 403
    assert count_audit(org) == 0


@pytest.mark.parametrize("path", LEADER_PAGES + ADMIN_PAGES)
def test_admins_open_every_page(user, path):
    user.sign_in("admin")
    assert user.get(path).status_code == 200


@pytest.mark.parametrize("path", list(ADMIN_FORMS))
def test_admins_change_the_organisation_and_it_is_audited(user, path, org):
    user.sign_in("admin")
    assert user.post(path, **ADMIN_FORMS[path]).status_code == 302
    assert count_audit(org) == 1


@pytest.mark.parametrize(
    ("userid", "why"), [("zhangsan", "仅限领导和管理员"), ("nobody", "不是投稿通的登记成员")]
)
def test_publicists_and_strangers_cannot_sign_in(user, userid, why):
    response = user.sign_in(userid)
    assert response.status_code == 403 and why in response.get_data(as_text=True)
    assert user.get("/admin/").status_code == 302  # still signed out


def test_a_form_without_the_csrf_token_is_refused(user, org):
    user.sign_in("admin")
    bad = {"unit_id": "1", "articles": "9", "activities": "9"}
    assert user.client.post("/admin/quotas", data=bad).status_code == 400
    assert user.client.post("/admin/quotas", data={**bad, "csrf_token": "forged"}).status_code == 400
    with org.sessions() as s:
        assert s.scalar(select(Quota).where(Quota.unit_id == 1)) is None


def test_a_removed_or_demoted_member_is_signed_out_at_once(user, org):
    user.sign_in("wangzhuren")
    assert user.get("/admin/").status_code == 200
    with org.sessions() as s, s.begin():
        s.execute(update(Member).where(Member.userid == "wangzhuren").values(role="publicist"))
    assert user.get("/admin/").status_code == 302


def test_sign_out(user):
    user.sign_in("lishuji")
    assert user.post("/admin/logout").status_code == 302
    assert user.get("/admin/").status_code == 302


def test_after_sign_in_only_dashboard_addresses_are_followed(user):
    token = user.csrf()
    inside = user.client.post(
        "/admin/login/demo", data={"csrf_token": token, "userid": "admin", "next": "/admin/outbox"}
    )
    assert inside.location == "/admin/outbox"
    user.post("/admin/logout")
    outside = user.client.post(
        "/admin/login/demo", data={"csrf_token": user.csrf(), "userid": "admin", "next": "//evil.example/x"}
    )
    assert outside.location == "/admin/"


def test_the_demo_picker_starts_at_a_leader_and_lists_publicists_last(user):
    page = user.client.get("/admin/login").get_data(as_text=True)
    options = re.findall(r'<option value="([^"]+)"( selected)?>', page)
    assert [userid for userid, selected in options if selected] == ["lishuji"]
    allowed, refused = page.split("宣传员（会被拒绝")
    assert {"lishuji", "wangzhuren", "admin"} <= set(re.findall(r'value="([a-z]+)"', allowed))
    assert "zhangsan" in refused and "zhangsan" not in allowed


def test_the_member_picker_exists_only_in_demo_mode(app):
    client = app.test_client()  # production settings, WeCom callback configured but no app secret
    page = client.get("/admin/login").get_data(as_text=True)
    assert "演示模式" not in page and "尚未配置企业微信应用" in page
    with client.session_transaction("/admin/") as session:
        session["csrf"] = "t0ken"
    assert (
        client.post("/admin/login/demo", data={"csrf_token": "t0ken", "userid": "admin"}).status_code == 404
    )
    assert client.get("/admin/login/wecom").status_code == 404


def count_audit(org) -> int:
    with org.sessions() as s:
        return len(s.scalars(select(AdminAction)).all())


# --- WeCom OAuth, against the fake WeCom API -------------------------------------------------------


@pytest.fixture
def production(org, fake_wecom):
    config = {
        "DATABASE_URL": str(org.engine.url),
        **WECOM,
        "WECOM_SECRET": "s3cr3t-for-tests",
        "WECOM_API_BASE": fake_wecom.api_base,
        "TOUGAO_PUBLIC_URL": "https://tougao.example.gov.cn",
    }
    return create_app(config, database=org).test_client()


def start_login(client, user_agent: str = "Mozilla/5.0 Chrome/120") -> tuple[str, dict]:
    response = client.get("/admin/login/wecom?next=/admin/articles", headers={"User-Agent": user_agent})
    assert response.status_code == 302
    url = urlparse(response.location)
    return f"{url.scheme}://{url.netloc}{url.path}", {k: v[0] for k, v in parse_qs(url.query).items()}


def test_a_desktop_browser_goes_to_the_qr_login_and_comes_back_signed_in(production, fake_wecom):
    where, query = start_login(production)
    assert where == "https://login.work.weixin.qq.com/wwlogin/sso/login"
    assert query["appid"] == WECOM["WECOM_CORP_ID"] and query["agentid"] == WECOM["WECOM_AGENT_ID"]
    assert query["redirect_uri"] == "https://tougao.example.gov.cn/admin/login/wecom/callback"
    fake_wecom.logins["CODE1"] = {"userid": "lishuji"}
    back = production.get(f"/admin/login/wecom/callback?code=CODE1&state={query['state']}")
    assert back.status_code == 302 and back.location == "/admin/articles"
    assert production.get("/admin/articles").status_code == 200
    cookie = back.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=Lax" in cookie


def test_inside_the_wecom_app_the_silent_oauth_is_used(production):
    where, query = start_login(production, "Mozilla/5.0 wxwork/4.1.20 MicroMessenger/7.0.1")
    assert where == "https://open.weixin.qq.com/connect/oauth2/authorize"
    assert query["scope"] == "snsapi_base" and query["agentid"] == WECOM["WECOM_AGENT_ID"]


@pytest.mark.parametrize(
    ("answer", "status"),
    [
        ({"userid": "zhangsan"}, 403),  # a publicist
        ({"openid": "o-outsider"}, 403),  # not in the corp's directory
        ({"userid": "ghost"}, 403),  # in WeCom, not a member of the bot
        ({"errcode": 40029, "errmsg": "invalid code"}, 502),  # WeCom refuses the code
    ],
)
def test_oauth_refusals(production, fake_wecom, answer, status):
    _where, query = start_login(production)
    fake_wecom.logins["C"] = answer
    response = production.get(f"/admin/login/wecom/callback?code=C&state={query['state']}")
    assert response.status_code == status
    assert production.get("/admin/").status_code == 302


def test_a_forged_or_replayed_oauth_state_is_refused(production, fake_wecom):
    fake_wecom.logins["C"] = {"userid": "lishuji"}
    _where, query = start_login(production)
    assert production.get("/admin/login/wecom/callback?code=C&state=forged").status_code == 400
    # the state was used up by the failed attempt: even the right one no longer works
    assert production.get(f"/admin/login/wecom/callback?code=C&state={query['state']}").status_code == 400
    assert production.get("/admin/").status_code == 302

"""Links: find them in text, canonicalise them for de-duplication, match them to outlet domains."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

URL_RE = re.compile(r"https?://[A-Za-z0-9\-._~:/?#\[\]@!$&*+,;=%]+", re.IGNORECASE)

# Parameters added by sharing and analytics; they never identify an article.
TRACKING_PARAMS = {
    "from",
    "isappinstalled",
    "scene",
    "clicktime",
    "enterid",
    "spm",
    "share_token",
    "share_from",
    "timestamp",
    "ts",
    "wxshare_count",
    "ascene",
    "devicetype",
    "nettype",
    "exportkey",
    "pass_ticket",
    "wx_header",
    "chksm",
    "poc_token",
    "xtrack",
    "subscene",
    "source",
}
TRACKING_PREFIXES = ("utm_", "sharer_", "share_")
WECHAT_KEEP = ("__biz", "mid", "idx", "sn")


def find_url(text: str) -> str | None:
    m = URL_RE.search(text)
    return m.group(0).rstrip(".,;:!?") if m else None


def canonical_url(url: str) -> str:
    """Scheme and host folded, fragment and tracking parameters dropped, the rest sorted.

    For mp.weixin.qq.com articles only __biz, mid, idx and sn identify the article.
    """
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    port = f":{_port(url)}" if _port(url) not in (None, 80, 443) else ""
    query = parse_qsl(parts.query, keep_blank_values=False)
    if host == "mp.weixin.qq.com":
        query = [(k, v) for k, v in query if k in WECHAT_KEEP]
    else:
        query = [(k, v) for k, v in query if not _is_tracking(k)]
    path = parts.path or "/"
    if len(path) > 1:
        path = path.rstrip("/")
    return urlunsplit(("https", host + port, path, urlencode(sorted(query)), ""))


def _port(url: str) -> int | None:
    try:
        return urlsplit(url.strip()).port
    except ValueError:  # :99999 and the like
        return None


MAX_URL = 1000


def url_problem(url: str) -> str:
    """Why a link cannot be stored (in Chinese), or "" when it can."""
    if len(url) > MAX_URL:
        return f"链接太长（{len(url)}个字符，最多{MAX_URL}个），请发文章本身的链接"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        return f"链接「{url[:60]}」格式不对，请复制文章的完整链接"
    if not parts.hostname or "." not in parts.hostname:
        return f"链接「{url[:60]}」格式不对，请复制文章的完整链接"
    return ""


def wechat_biz(url: str) -> str | None:
    """The official account (`__biz`) of a WeChat article link; None for other links and short links."""
    parts = urlsplit(url.strip())
    if (parts.hostname or "").lower() != "mp.weixin.qq.com":
        return None
    biz = dict(parse_qsl(parts.query)).get("__biz", "").strip()
    return biz[:64] or None


def is_wechat(url: str) -> bool:
    return (urlsplit(url.strip()).hostname or "").lower() in ("mp.weixin.qq.com", "weixin.qq.com")


def _is_tracking(key: str) -> bool:
    k = key.lower()
    return k in TRACKING_PARAMS or k.startswith(TRACKING_PREFIXES)


def host_matches(url: str, domain: str) -> bool:
    """True when the URL's host is `domain` or a subdomain of it (xuexi.cn matches www.xuexi.cn)."""
    host = (urlsplit(url).hostname or "").lower()
    domain = domain.lower().strip(".")
    return host == domain or host.endswith("." + domain)

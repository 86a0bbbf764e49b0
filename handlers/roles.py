"""Role names as users see and type them."""

ROLE_NAMES = {"publicist": "宣传员", "leader": "领导", "admin": "管理员"}
ROLE_WORDS = {
    "宣传员": "publicist",
    "信息员": "publicist",
    "publicist": "publicist",
    "领导": "leader",
    "leader": "leader",
    "管理员": "admin",
    "admin": "admin",
}

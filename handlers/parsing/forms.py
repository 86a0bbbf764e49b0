"""Multi-line forms of `键：值` lines (上稿 and 活动 both accept them)."""

from __future__ import annotations

FormKeys = dict[str, tuple[str, ...]]


def form_field(line: str, keys: FormKeys) -> tuple[str, str] | None:
    """(field, value) when the line is `键：值` with a known key (colons already normalised)."""
    key, sep, value = line.partition(":")
    if not sep:
        return None
    key = key.strip().lower()
    for field, names in keys.items():
        if key in names:
            return field, value.strip()
    return None


def is_form(body: str, keys: FormKeys) -> bool:
    return any(form_field(line, keys) for line in body.split("\n"))


def read_form(body: str, keys: FormKeys, continues: str | None = None) -> dict[str, str]:
    """The form's values; a line without a key continues field `continues` (a title broken over lines)."""
    values: dict[str, str] = {}
    last = None
    for line in body.split("\n"):
        field = form_field(line, keys)
        if field:
            values[field[0]] = field[1]
            last = field[0]
        elif continues and last == continues:
            values[continues] += line
    return values

"""Counts as work reports write them (140余篇, 1000余人次): rounded down to a round number, never up."""

from __future__ import annotations

RULE = (
    "below 10 exact; 10-99 rounded down to tens; 100 and more rounded down to two significant digits; "
    "余 marks a figure that was cut (146 → 140余, 1080 → 1000余, 3000 stays 3000); never rounded up. "
    "Month-by-month figures stay exact."
)


def about(n: int) -> str:
    """7, 10余 (for 12), 40 (for 40), 140余 (for 146), 1000余 (for 1080): rounded down, never up, and 余
    only where something was cut."""
    if n < 10:
        return str(n)
    step = 10 if n < 100 else 10 ** (len(str(n)) - 2)
    base = n // step * step
    return f"{base}余" if base < n else str(n)

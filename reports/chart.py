"""The bulletin's ranking bar chart: matplotlib off-screen, Chinese labels in Noto Sans CJK SC from the
mplfonts wheel, so no system font is assumed."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path


@cache
def _cjk_font():
    import mplfonts
    from matplotlib import font_manager

    path = Path(mplfonts.__file__).parent / "fonts" / "NotoSansCJKsc-Regular.otf"
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def ranking_chart(title: str, rows: list[tuple[str, int]]) -> bytes:
    """A horizontal bar chart (first place on top) as PNG bytes."""
    figure = ranking_figure(title, rows)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def ranking_figure(title: str, rows: list[tuple[str, int]]):
    """The chart's matplotlib Figure (drawn with the CJK font, so a missing glyph would warn)."""
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    names = [name for name, _ in rows][::-1]
    counts = [count for _, count in rows][::-1]
    with rc_context({"font.family": _cjk_font(), "axes.unicode_minus": False}):
        figure = Figure(figsize=(8, max(3.0, 0.42 * len(rows) + 1.2)), dpi=110)
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        bars = axes.barh(names, counts, color="#c0392b")
        axes.bar_label(bars, labels=[str(c) for c in counts], padding=3, fontsize=9)
        axes.set_title(title, fontsize=13)
        axes.set_xlabel("上稿量（篇）")
        axes.spines[["top", "right"]].set_visible(False)
        axes.set_xlim(0, max([*counts, 1]) * 1.15)
        figure.tight_layout()
        figure.canvas.draw()  # lay the text out now, inside the font context
    return figure

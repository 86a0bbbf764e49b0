"""The 通报 document's cost beside the chat bulletin's: six months of the demo's sample history, last
month's bulletin as text (the baseline: what every 通报 reply costs) and as the Word document (what the
scheduler or the dashboard pays, chart included), each the median of several runs.

    .venv/bin/python bench/document.py [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.demo_data import demo_database
from reports.bulletin import compose_bulletin
from reports.bulletin_document import build_bulletin_document
from reports.periods import month
from storage.org import unit_by_name

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def median_seconds(work, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        db = demo_database(f"sqlite:///{folder}/bench.db", NOW.date())
        with db.readers() as session:
            street, october = unit_by_name(session, "新城街道"), month(2026, 10)
            build_bulletin_document(session, street, october, NOW)  # imports and fonts warmed up
            text = median_seconds(lambda: compose_bulletin(session, street, october, NOW), runs)
            document = median_seconds(lambda: build_bulletin_document(session, street, october, NOW), runs)
            size = len(build_bulletin_document(session, street, october, NOW))
    print(f"bulletin text (baseline): {text * 1000:.1f} ms")
    print(
        f"bulletin document (.docx, chart included): {document * 1000:.0f} ms (×{document / text:.0f}), {size // 1024} KiB"
    )


if __name__ == "__main__":
    main()

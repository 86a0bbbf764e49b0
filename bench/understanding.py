"""Understanding benchmark: the corpus of messages written the way users type (tests/corpus/*.yaml) run
through the real pipeline, each case on a fresh SQLite database holding examples/org.yaml, judged on the
rows stored (format and judging rules: tests/corpus/README.md).

    .venv/bin/python bench/understanding.py [--corpus FILE …] [--failures] [--jobs N]

Prints `understood X/N, misrecords M` per category and in total. Target (issue 10): ≥ 98 % understood and
0 misrecords. A misrecord — a stored row with a wrong field, or a row that should not exist — is the worst
outcome: it corrupts the figures a leader reads aloud.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.corpus_runner import Scratch, build_template, load_cases, run_case


def judge_all(cases: list[dict]) -> list[tuple[str, bool, bool, list[str], str]]:
    """(category, understood, misrecord, problems, last reply) for each case, in one process."""
    logging.disable(logging.CRITICAL)
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Scratch(build_template(Path(tmp)), Path(tmp))
        out = []
        for case in cases:
            v = run_case(case, scratch.fresh())
            out.append(
                (
                    case.get("category", "other"),
                    v.understood,
                    v.misrecord,
                    v.problems,
                    (v.replies or [""])[-1],
                )
            )
        scratch.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", nargs="*", type=Path, help="YAML files (default: tests/corpus/*.yaml)")
    parser.add_argument("--failures", action="store_true", help="print each case not understood")
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="processes (default: one a core)"
    )
    args = parser.parse_args()
    cases = load_cases(args.corpus)
    shares = [cases[i :: args.jobs] for i in range(args.jobs)]
    with ProcessPoolExecutor(args.jobs) as pool:
        parts = list(pool.map(judge_all, shares))
    results = [None] * len(cases)
    for i, part in enumerate(parts):
        results[i :: args.jobs] = part
    total, understood, misrecords = Counter(), Counter(), Counter()
    for category, ok, bad, _problems, _reply in results:
        total[category] += 1
        understood[category] += ok
        misrecords[category] += bad
    for category in sorted(total):
        print(
            f"{category:<11} understood {understood[category]}/{total[category]}, misrecords {misrecords[category]}"
        )
    n, ok, bad = sum(total.values()), sum(understood.values()), sum(misrecords.values())
    print(f"{'total':<11} understood {ok}/{n} ({100 * ok / max(n, 1):.1f} %), misrecords {bad}")
    if args.failures:
        for case, (_category, ok, bad, problems, reply) in zip(cases, results, strict=True):
            if not ok:
                print(f"\n{'MISRECORD ' if bad else ''}{case['id']}: {'; '.join(problems)}")
                print(f"  say: {case['say']!r}\n  reply: {reply[:300]!r}")


if __name__ == "__main__":
    main()

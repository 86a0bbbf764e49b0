"""Understanding benchmark: the corpus of messages written the way users type (tests/corpus/*.yaml) run
through the real pipeline, each case on a fresh SQLite database holding examples/org.yaml, judged on the
rows stored (format and judging rules: tests/corpus/README.md).

    .venv/bin/python bench/understanding.py [--corpus FILE …] [--failures]

Prints `understood X/N, misrecords M` per category and in total. Target (issue 10): ≥ 98 % understood and
0 misrecords. A misrecord — a stored row with a wrong field, or a row that should not exist — is the worst
outcome: it corrupts the figures a leader reads aloud.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.corpus_runner import Scratch, build_template, load_cases, run_case


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", nargs="*", type=Path, help="YAML files (default: tests/corpus/*.yaml)")
    parser.add_argument("--failures", action="store_true", help="print each case not understood")
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)
    cases = load_cases(args.corpus)
    total, understood, misrecords = Counter(), Counter(), Counter()
    failed = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        scratch = Scratch(build_template(folder), folder)
        for case in cases:
            verdict = run_case(case, scratch.fresh())
            category = case.get("category", "other")
            total[category] += 1
            understood[category] += verdict.understood
            misrecords[category] += verdict.misrecord
            if not verdict.understood:
                failed.append(verdict)
        scratch.close()
    for category in sorted(total):
        print(
            f"{category:<11} understood {understood[category]}/{total[category]}, misrecords {misrecords[category]}"
        )
    n, ok, bad = sum(total.values()), sum(understood.values()), sum(misrecords.values())
    print(f"{'total':<11} understood {ok}/{n} ({100 * ok / max(n, 1):.1f} %), misrecords {bad}")
    if args.failures:
        for v in failed:
            print(f"\n{'MISRECORD ' if v.misrecord else ''}{v.case['id']}: {'; '.join(v.problems)}")
            print(f"  say: {v.case['say']!r}")
            print(f"  reply: {v.replies[-1][:300]!r}" if v.replies else "")


if __name__ == "__main__":
    main()

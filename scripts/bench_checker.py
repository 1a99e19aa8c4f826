"""How long the pure red-flag checker takes for one long episode.

    .venv/bin/python scripts/bench_checker.py [entries]

Prints the median of 20 timed calls of check_episode() over N entries (default 1,000).
The checker is pure Python, so no database or settings are needed.
"""

import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from safety.red_flags import check_episode  # noqa: E402
from safety.signs import Signs  # noqa: E402

ONSET = date(2026, 3, 1)


def entries(n: int) -> list[Signs]:
    return [
        Signs(
            on=ONSET + timedelta(days=i % 400),
            pain=i % 11,
            leg_symptoms="one" if i % 97 == 0 else "none",
            after_fall=i % 50 == 0,
            bladder_bowel=False,
        )
        for i in range(n)
    ]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    rows = entries(n)
    times = []
    for _ in range(20):
        start = time.perf_counter()
        check_episode(onset=ONSET, resolved_on=None, entries=rows)
        times.append((time.perf_counter() - start) * 1000)
    print(f"check_episode over {n:,} entries: median {statistics.median(times):.2f} ms")


if __name__ == "__main__":
    main()

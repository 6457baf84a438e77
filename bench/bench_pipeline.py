"""Benchmark the whole member pipeline: log inbound → match → decide → log reply, on SQLite.

Usage: python bench/bench_pipeline.py [--queries TSV] [--rounds N] [--concurrency C]

The matcher benchmark (bench_matcher.py) times matching alone; this one times what a member
waits for before Telegram sends the reply: every query goes through ``Pipeline.handle_text`` with
a real Store (one writer thread, WAL, synchronous=FULL) on a temporary database. Prints median
and p99 milliseconds per message, and throughput with C members writing at once.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from config import BUNDLED_FAQ, BUNDLED_VOCABULARY  # noqa: E402
from conversation.pipeline import Member, Pipeline  # noqa: E402
from faq.evaluation import read_queries  # noqa: E402
from faq.matcher import DEFAULT_THRESHOLDS  # noqa: E402
from faq.service import FaqService  # noqa: E402
from storage.store import Store  # noqa: E402


async def run(queries: list[str], rounds: int, concurrency: int) -> None:
    faqs = FaqService(BUNDLED_FAQ, BUNDLED_VOCABULARY, DEFAULT_THRESHOLDS)
    faqs.load()
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.db") as store:
        pipeline = Pipeline(store, faqs)
        # Sequential: the latency one member sees.
        times: list[float] = []
        for _round in range(rounds):
            for i, q in enumerate(queries):
                member = Member(id=1000 + i, chat_id=1000 + i, first_name="Bench", language_code="es")
                t0 = time.perf_counter()
                await pipeline.handle_text(member, q)
                times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
        print(
            f"pipeline, one member at a time: {len(times)} messages, "
            f"median {statistics.median(times):.2f} ms, p99 {p99:.2f} ms per message"
        )

        # Concurrent: many members at once share the one database thread.
        async def member_loop(k: int) -> None:
            member = Member(id=50_000 + k, chat_id=50_000 + k, first_name="Bench", language_code="en")
            for q in queries:
                await pipeline.handle_text(member, q)

        t0 = time.perf_counter()
        await asyncio.gather(*(member_loop(k) for k in range(concurrency)))
        elapsed = time.perf_counter() - t0
        total = concurrency * len(queries)
        print(
            f"pipeline, {concurrency} members at once: {total} messages in {elapsed:.2f} s "
            f"= {total / elapsed:.0f} messages/s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=Path, default=ROOT / "tests" / "data" / "dev-queries.tsv")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=20)
    args = parser.parse_args()
    queries = [row.query for row in read_queries(args.queries)]
    asyncio.run(run(queries, args.rounds, args.concurrency))


if __name__ == "__main__":
    main()

"""Benchmark the matcher: accuracy on a query set, latency, and memory.

Usage: python bench/bench_matcher.py [--faq PATH] [--queries TSV] [--vocabulary PATH]
       [--synthetic N] [--holdout]

Prints the four product metrics (see tests/test_accuracy.py), median and p99 latency per query on
the given FAQ and on a deterministic synthetic FAQ of N entries (default 10,000) built by
recombining the real phrasings with random words and ids, and peak memory (tracemalloc for the
matcher build, ru_maxrss for the process). ``--holdout`` also prints the metrics on the two halves
of the query set used while tuning (split by expected id, so an entry's queries sit in one half).
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import time
import tracemalloc
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from faq.csvio import read_csv  # noqa: E402
from faq.evaluation import evaluate, read_queries  # noqa: E402
from faq.matcher import Matcher  # noqa: E402
from faq.model import Faq, FaqEntry  # noqa: E402
from faq.normalize import clean  # noqa: E402
from faq.vocabulary import load_vocabulary  # noqa: E402


def synthetic_faq(base: Faq, size: int, seed: int = 1543) -> Faq:
    """``size`` entries whose phrasings recombine real ones with random extra words (deterministic)."""
    rng = random.Random(seed)
    phrasings = [(lang, text) for e in base for lang, text in e.phrasings()]
    words = sorted({w for _, t in phrasings for w in t.split()})
    entries = []
    for i in range(size):
        picks = rng.sample(phrasings, 4)
        questions = {"es": "", "en": ""}
        alternates: dict[str, list[str]] = {"es": [], "en": []}
        for lang, text in picks:
            mixed = f"{text} {' '.join(rng.sample(words, 2))} zz{i:05d}"
            if not questions[lang]:
                questions[lang] = mixed
            else:
                alternates[lang].append(mixed)
        entries.append(FaqEntry(id=f"syn-{i:05d}", category="synthetic", question=questions,
                                answer={"es": "respuesta", "en": "answer"},
                                alternates={k: tuple(v) for k, v in alternates.items()}))
    return Faq(entries=tuple(entries), path=f"<synthetic {size}>")


def latency(matcher: Matcher, queries: list[str], repeat: int = 3) -> tuple[float, float]:
    """Median and p99 milliseconds per ``match`` call. The cache of cleaned messages is emptied
    before each call: a member's message is new to it (only the steps of one match share it)."""
    times = []
    for _ in range(repeat):
        for q in queries:
            clean.cache_clear()
            start = time.perf_counter()
            matcher.match(q)
            times.append((time.perf_counter() - start) * 1000.0)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))]


def build(faq: Faq, vocab) -> tuple[Matcher, float, float]:
    """Matcher, build seconds and peak traced MiB during the build."""
    tracemalloc.start()
    start = time.perf_counter()
    matcher = Matcher(faq, vocab)
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return matcher, seconds, peak / 2**20


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faq", default=str(ROOT / "tests" / "data" / "faq-sample.csv"))
    parser.add_argument("--queries", default=str(ROOT / "tests" / "data" / "dev-queries.tsv"))
    parser.add_argument("--vocabulary", default=str(ROOT / "faq" / "data" / "vocabulary.yaml"))
    parser.add_argument("--synthetic", type=int, default=10_000)
    parser.add_argument("--holdout", action="store_true")
    args = parser.parse_args(argv)

    vocab = load_vocabulary(args.vocabulary)
    faq = read_csv(args.faq)
    rows = read_queries(Path(args.queries))
    queries = [r.query for r in rows]

    matcher, build_s, peak = build(faq, vocab)
    m = evaluate(matcher, rows)
    print(f"FAQ {args.faq}: {len(faq)} entries; {len(rows)} queries from {args.queries}")
    print(f"  answered-right {m.answered_right:5.1f}%  (target >= 75)")
    print(f"  one-tap        {m.one_tap:5.1f}%  (target >= 92)")
    print(f"  wrong          {m.wrong:5.1f}%  (target <= 3)")
    print(f"  escalated      {m.escalated:5.1f}%  (target >= 75)")
    if args.holdout:
        halves: tuple[list, list] = ([], [])
        for i, r in enumerate(rows):
            key = r.expected if r.expected != "ESCALATE" else str(i)
            halves[zlib.crc32(key.encode()) % 2].append(r)
        for name, half in zip(("tune half", "held-out half"), halves, strict=True):
            h = evaluate(matcher, half)
            print(f"  {name:14} right {h.answered_right:5.1f}  one-tap {h.one_tap:5.1f}  "
                  f"wrong {h.wrong:4.1f}  escalated {h.escalated:5.1f}  ({len(half)} queries)")
    med, p99 = latency(matcher, queries)
    print(f"  latency median {med:.3f} ms, p99 {p99:.3f} ms; build {build_s * 1000:.0f} ms, "
          f"peak {peak:.1f} MiB traced")

    if args.synthetic:
        big = synthetic_faq(faq, args.synthetic)
        big_matcher, build_s, peak = build(big, vocab)
        med, p99 = latency(big_matcher, queries, repeat=1)
        print(f"Synthetic FAQ: {len(big)} entries")
        print(f"  latency median {med:.3f} ms, p99 {p99:.3f} ms; build {build_s:.1f} s, "
              f"peak {peak:.1f} MiB traced")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Process peak RSS {rss:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

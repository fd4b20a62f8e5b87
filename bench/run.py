"""Benchmark postcheck against spaCy's bare tokenizer, in the same run, on the same posts.

    python bench/run.py [--posts 5000] [--queue FILE] [--skip-memory]

Prints: throughput with the full rulebook vs the bare `nlp.tokenizer` (posts/s and ratio);
CLI cold start on one draft vs `python -c "import spacy; spacy.blank('en')"` (seconds and
ratio); peak RSS of the CLI checking generated JSONL queues of 10,000 and 100,000 posts.
The last line holds the ratios. Posts are generated deterministically (seeded) unless
--queue gives a JSONL file.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

PLACES = ["Middlesbrough", "Stockton", "Hartlepool", "Redcar", "Thornaby", "Eston", "Billingham", "Yarm", "Guisborough"]
ROADS = ["Linthorpe Road", "the High Street", "Church Lane", "Borough Road", "the A19", "Acklam Road"]
TEMPLATES = [
    "We're appealing for witnesses after a collision on {road} in {place} on Tuesday. Please call 101 quoting {n}.",
    "Officers in {place} arrested a {age}-year-old man this morning on suspicion of burglary. He remains in custody.",
    "Keep your home safe this winter: lock doors and windows, and keep keys away from the letterbox. #{place}",
    "Our neighbourhood team will be at {place} library on Wednesday from 10am. Come and say hello!",
    "Eid Mubarak to everyone celebrating across {place} and beyond. Have a peaceful and joyful day.",
    "A {age}-year-old from {place} has been jailed for {n2} years for robbery at Teesside Crown Court.",
    "Fraudsters are phoning residents in {place} pretending to be from the bank. Hang up and call 101.",
    "Cracking morning walk round {place} with the kids and the dog. Legs like jelly now!",
    "Boro won 2-1 at the Riverside today, absolutely buzzing. UTB!",
    "Happy 10th anniversary to my best friend. Dinner in {place} tonight.",
    # breaching drafts, so the rules have work to do
    "We love the new doorbell from Currys, best on the market and £30 off this week! Grab one in {place}.",
    "Only one party backs the police in {place}, so vote Labour on Thursday!",
    "Our drugs team will be executing warrants on {road} in {place} at 6am tomorrow. Watch this space!",
    "Another phone 'lost' in {place} at 3am 😂 If you get that drunk, what did you expect?",
    "To the absolute genius who parked on the zigzags in {place}: learn to read, you muppet.",
    "Had your shed broken into in {place}? Reply to this post with your address and we'll be in touch.",
    "Last night shift done ☕\n[photo: me and my crewmate in uniform in the back of the police van]",
    "Fifteen years a copper and I'm telling you, the courts are too soft. Bring back proper punishment.",
    "Gr8 2 c so many ppl at the {place} beat surgery 2day!! thx 4 comin",
    "RT @TeessideNews: Cash machine ripped from shop wall in {place} 🎥",
]


def generate(count: int, seed: int = 386) -> list[dict]:
    rng = random.Random(seed)
    posts = []
    for i in range(count):
        text = rng.choice(TEMPLATES).format(
            place=rng.choice(PLACES), road=rng.choice(ROADS), n=rng.randint(10000, 99999),
            age=rng.randint(18, 80), n2=rng.randint(2, 9),
        )
        posts.append({"id": f"b{i}", "profile": "personal" if rng.random() < 0.3 else "corporate", "text": text})
    return posts


def write_queue(posts: list[dict], path: Path) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for post in posts:
            handle.write(json.dumps(post) + "\n")
    return path


def throughput(posts: list[dict], rounds: int = 3, chunk: int = 250) -> tuple[float, float]:
    """Posts per second: the full linter, and spaCy's bare tokenizer, on the same texts.

    The two take turns every `chunk` posts, for several rounds, and each rate is taken over all
    its turns, so both see the same moments of a shared machine and a busy spell cannot tilt the
    ratio. The linter runs as the CLI runs it: `check_posts` over `Post`s, in batches.
    """
    from postcheck import Linter, Post

    linter = Linter()
    linter.check(posts[0]["text"])  # warm up: the first use of each regex compiles it
    for _ in linter.check_posts(Post("bench", p["id"], p["text"], p["profile"]) for p in posts):
        pass
    import spacy

    tokenizer = spacy.blank("en").tokenizer  # spaCy's own, not the linter's guarded one
    lint_seconds = tokenizer_seconds = 0.0
    for _ in range(rounds):
        for start in range(0, len(posts), chunk):
            part = posts[start:start + chunk]
            started = time.perf_counter()
            for _ in linter.check_posts(Post("bench", p["id"], p["text"], p["profile"]) for p in part):
                pass
            lint_seconds += time.perf_counter() - started
            started = time.perf_counter()
            for p in part:
                tokenizer(p["text"])
            tokenizer_seconds += time.perf_counter() - started
    checked = rounds * len(posts)
    return checked / lint_seconds, checked / tokenizer_seconds


def median_seconds(command: list[str], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=False)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def peak_rss_mb(command: list[str]) -> float:
    """Peak resident memory of one child process, measured by a wrapper so runs do not mix."""
    wrapper = (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", wrapper, *command], capture_output=True, text=True, check=True)
    return int(out.stdout.strip()) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=5000, help="posts for the throughput comparison")
    parser.add_argument("--queue", type=Path, help="a JSONL queue to use instead of generated posts")
    parser.add_argument("--skip-memory", action="store_true", help="skip the 10k/100k peak-RSS runs")
    args = parser.parse_args()
    postcheck = shutil.which("postcheck") or str(Path(sys.executable).with_name("postcheck"))

    posts = [json.loads(line) for line in args.queue.open(encoding="utf-8")] if args.queue else generate(args.posts)
    lint_rate, tokenizer_rate = throughput(posts)
    print(f"throughput: postcheck {lint_rate:,.0f} posts/s, bare tokenizer {tokenizer_rate:,.0f} posts/s "
          f"({len(posts):,} posts, {len(posts[0]['text'])}+ chars each)")

    draft = REPO / "examples" / "compliant-corporate.txt"
    cli_runs, bare_runs = [], []
    for _ in range(5):  # alternate, so both see the same machine
        cli_runs.append(median_seconds([postcheck, str(draft)], runs=1))
        bare_runs.append(median_seconds([sys.executable, "-c", "import spacy; spacy.blank('en')"], runs=1))
    cli, bare = statistics.median(cli_runs), statistics.median(bare_runs)
    print(f"cold start: postcheck {cli:.2f}s, bare spaCy {bare:.2f}s (median of 5, alternating)")

    memory = ""
    if not args.skip_memory:
        with tempfile.TemporaryDirectory() as tmp:
            rss = {}
            for size in (10_000, 100_000):
                queue = write_queue(generate(size), Path(tmp) / f"queue-{size}.jsonl")
                rss[size] = peak_rss_mb([postcheck, "--format", "json", str(queue)])
            print(f"peak RSS: {rss[10_000]:.0f} MB at 10k posts, {rss[100_000]:.0f} MB at 100k posts")
            memory = f" rss-100k/10k {rss[100_000] / rss[10_000]:.2f}"
    print(f"ratios: throughput {lint_rate / tokenizer_rate:.1%} of bare tokenizer, cold start {cli / bare:.2f}x bare spaCy{memory}")


if __name__ == "__main__":
    os.environ.setdefault("NO_COLOR", "1")
    main()

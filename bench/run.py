"""Benchmark postcheck against spaCy's bare tokenizer, in the same run, on the same posts.

    python bench/run.py [--posts 5000] [--queue FILE] [--queue-posts 50000] [--skip-queue] [--skip-memory] [--no-model]
                        [--memory-posts 10000,100000]

Prints: throughput with the full rulebook vs the bare `nlp.tokenizer` (posts/s and ratio) on
two mixes, short template posts (~70 characters) and long queue posts (~230 characters, with
handles, links, numbers and hashtags), and the long posts again naming no account, so checked for
both kinds of account as the CLI does by default (`long-both`, last in the ratios); the command line end to end on a JSONL queue of long
posts (reading, checking and writing the report) vs the bare tokenizer on the same texts;
CLI cold start on one draft vs `python -c "import spacy; spacy.blank('en')"` (seconds and
ratio, alternating, median); peak RSS of the CLI checking generated JSONL queues of 10,000
and 100,000 posts (`--memory-posts 10000,1000000` for the million-post run, which takes minutes),
each post ending in a hashtag of its own and one in seven breaching, since memory grows with
unique strings, not with repeats. The last line holds the ratios. Posts are generated
deterministically (seeded) unless --queue gives a JSONL file.

The line before it gives ratios to read beside them, not as the targets are measured: the
throughputs against a first-sight tokenizer (see `throughput`), and the cold start with postcheck
compiled as a pip install has it (`coldstart.py`), when the postcheck under test has no bytecode.
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

from coldstart import cold_start, installed_copy

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

# Queue posts as Corporate Comms write them: around 230 characters, with @handles, links, reference
# numbers, times and hashtags (written for this benchmark; no real post is copied).
LONG_TEMPLATES = [
    "UPDATE: Officers from our {place} neighbourhood team arrested two men, aged {age} and {age2}, on {road} last "
    "night after reports of a burglary. Anyone with information can call 101 quoting log {n}. "
    "https://www.cleveland.police.uk/tell-us #{place} #Burglary #KnowYourNeighbourhood",
    "Do you recognise this man? We'd like to speak to him about a theft from a shop on {road}, {place}, on "
    "{day} {date} at around {hour}pm. Message us via @CrimestoppersUK or call 0800 555 111, ref {n}. Please share! #Appeal #{place}",
    "Our officers and @ClevelandFire were at {place} Community Centre today talking to {age} local residents about "
    "fire safety, doorstep crime and phone scams. Thanks to everyone who came along and asked questions! More events: https://bit.ly/{code} #Community #{place}",
    "\U0001f6a8 ROAD CLOSED: {road} in {place} is closed in both directions after a collision involving {age2} "
    "vehicles at {hour}:{minute}. Please avoid the area, expect delays and follow @ClevelandPolice for updates. Ref {n}. #Traffic",
    "A {age}-year-old man from {place} has been charged with assault following an incident on {road} and will appear at Teesside Magistrates' Court "
    "on {day} {date}. Thank you to the witnesses who came forward. https://orlo.uk/{code} #{place} #Justice",
    "Missing: {name}, {age}, from {place}, was last seen on {road} at {hour}pm on {day} wearing a black coat and "
    "white trainers. If you see him call 999 quoting log {n}. Please share this appeal. #Missing #{place}",
    "Congratulations to PC {name} and the {place} team, who raised \u00a3{money} for @TeessideHospice on the {age}-mile "
    "charity walk this weekend! Brilliant effort all round, and thank you to everyone who donated. #TeamCleveland #{place} https://bit.ly/{code}",
    # breaching drafts, so the rules have work to do
    "Massive thanks to @TeesValleyMotors for sorting our van in {place} - best garage on Teesside, get yourselves "
    "down there! Use code COPS{age} for \u00a3{money2} off your next MOT \U0001f44d https://tvmotors.co.uk/{code} #ad",
    "Briefing at {hour}am tomorrow, then we're putting the door in at {house} {road}, {place}. Drugs team, dogs, the "
    "lot. Watch this space \U0001f440 @ClevelandPolice #OpNightjar #{place} ref {n}",
    "Absolute state of the idiots on {road} in {place} tonight \U0001f602 {age2} of them arrested, all off their "
    "heads. If you get that drunk, what did you expect? #Saturday #{place} @TeessideLive @BBCTees ref {n}",
    "Only one party has ever backed the police in {place}, so vote Labour on {day} {date} and keep our "
    "streets safe and our officers on the beat! Details: https://www.labour.org.uk/{code} #{place} #GE2029 @UKLabour ({n})",
    "Night shift done in {place}, {age} calls and {age2} arrests \u2615 Off to bed, back at it tomorrow.\n[photo: me and my crewmate "
    "in uniform in the back of the van on {road}] #NightShift #CopLife @PoliceLife ref {n}",
]
NAMES = ["Daniel", "Priya", "Connor", "Aisha", "Liam", "Megan", "Tomasz", "Chloe"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _fill(rng: random.Random, template: str) -> str:
    # The short templates' fields first, drawn as they always were, so the short mix stays the same posts.
    fields = dict(place=rng.choice(PLACES), road=rng.choice(ROADS), n=rng.randint(10000, 99999),
                  age=rng.randint(18, 80), n2=rng.randint(2, 9))
    if template in LONG_TEMPLATES:
        fields.update(
            age2=rng.randint(2, 9), house=rng.randint(1, 120), day=rng.choice(DAYS),
            date=f"{rng.randint(1, 28)} {rng.choice(['May', 'June', 'July'])}", hour=rng.randint(1, 11),
            minute=f"{rng.randint(0, 59):02d}", name=rng.choice(NAMES), money=f"{rng.randint(200, 9000):,}",
            money2=rng.randint(5, 40), code="".join(rng.choice("abcdefghkmnpqrstuvwxyz23456789") for _ in range(7)),
        )
    return template.format(**fields)


def generate(count: int, seed: int = 386, templates: list[str] = TEMPLATES) -> list[dict]:
    rng = random.Random(seed)
    posts = []
    for i in range(count):
        text = _fill(rng, rng.choice(templates))
        posts.append({"id": f"b{i}", "profile": "personal" if rng.random() < 0.3 else "corporate", "text": text})
    return posts


def write_memory_queue(count: int, path: Path, seed: int = 388) -> Path:
    """A queue for the memory runs, written as it is generated: one post in seven breaching, and each
    post with a hashtag of its own, as a queue of real posts has unique words that repeats do not."""
    rng = random.Random(seed)
    compliant, breaching = TEMPLATES[:10], TEMPLATES[10:]
    with path.open("w", encoding="utf-8") as handle:
        for i in range(count):
            text = _fill(rng, rng.choice(breaching if i % 7 == 0 else compliant))
            handle.write(json.dumps({"id": f"m{i}", "profile": "corporate", "text": f"{text} #{i}"}) + "\n")
    return path


def write_queue(posts: list[dict], path: Path) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for post in posts:
            handle.write(json.dumps(post) + "\n")
    return path


def throughput(posts: list[dict], model: bool, rounds: int = 3, chunk: int = 250) -> tuple[float, float, float]:
    """Posts per second: the full linter, spaCy's bare tokenizer, and a first-sight tokenizer, on the same texts.

    The three take turns every `chunk` posts, for several rounds, and each rate is taken over all
    its turns, so all see the same moments of a shared machine and a busy spell cannot tilt the
    ratios. The linter runs as the CLI runs it: `check_posts` over `Post`s, in batches. The bare
    tokenizer (the baseline the targets are set against) has met every text before its timed turns,
    so it finds even each post's unique pieces (links, reference numbers) split already; the
    first-sight tokenizer is a fresh one each round, which meets each post once, as the linter does.
    """
    from postcheck import Linter, Post, load_rulebook
    from postcheck.governance.config import Config, configure

    config = Config()
    config.values["model"] = model
    linter = Linter(configure(load_rulebook(), config))
    linter.check(posts[0]["text"])  # warm up: the first use of each regex compiles it
    for _ in linter.check_posts(Post("bench", p["id"], p["text"], p["profile"]) for p in posts):
        pass
    import spacy

    tokenizer = spacy.blank("en").tokenizer  # spaCy's own, not the linter's guarded one
    lint_seconds = tokenizer_seconds = first_sight_seconds = 0.0
    for _ in range(rounds):
        first_sight = spacy.blank("en").tokenizer
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
            started = time.perf_counter()
            for p in part:
                first_sight(p["text"])
            first_sight_seconds += time.perf_counter() - started
    checked = rounds * len(posts)
    return checked / lint_seconds, checked / tokenizer_seconds, checked / first_sight_seconds


def peak_rss_mb(command: list[str]) -> float:
    """Peak resident memory of one child process, measured by a wrapper so runs do not mix."""
    wrapper = (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", wrapper, *command], capture_output=True, text=True, check=True)
    return int(out.stdout.strip()) / 1024


def end_to_end(postcheck: list[str], posts: list[dict], rounds: int = 3) -> tuple[float, float]:
    """Posts per second through the command line on a JSONL queue (reading, checking, writing
    the report, and start-up), and spaCy's bare tokenizer on the same texts, taking turns."""
    import spacy

    tokenizer = spacy.blank("en").tokenizer
    cli_seconds = tokenizer_seconds = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        queue = write_queue(posts, Path(tmp) / "queue.jsonl")
        for _ in range(rounds):
            started = time.perf_counter()
            subprocess.run([*postcheck, "--format", "jsonl", str(queue)], stdout=subprocess.DEVNULL, check=False)
            cli_seconds += time.perf_counter() - started
            started = time.perf_counter()
            for p in posts:
                tokenizer(p["text"])
            tokenizer_seconds += time.perf_counter() - started
    return rounds * len(posts) / cli_seconds, rounds * len(posts) / tokenizer_seconds


def _mix(posts: list[dict]) -> str:
    lengths = [len(p["text"]) for p in posts]
    return f"{len(posts):,} posts, {statistics.mean(lengths):.0f} chars on average"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=5000, help="posts for each throughput comparison")
    parser.add_argument("--queue", type=Path, help="a JSONL queue to use instead of generated posts")
    parser.add_argument("--queue-posts", type=int, default=50_000, help="long posts in the end-to-end queue")
    parser.add_argument("--skip-queue", action="store_true", help="skip the end-to-end run on a queue file")
    parser.add_argument("--start-runs", type=int, default=9, help="cold starts of each kind, alternating")
    parser.add_argument("--skip-memory", action="store_true", help="skip the peak-RSS runs")
    parser.add_argument("--no-model", action="store_true", help="rules only: the learned second opinion off")
    parser.add_argument(
        "--memory-posts", default="10000,100000", help="queue sizes of the peak-RSS runs (the first is the baseline)"
    )
    args = parser.parse_args()
    found = shutil.which("postcheck") or str(Path(sys.executable).with_name("postcheck"))
    postcheck = [found, "--no-model"] if args.no_model else [found]

    if args.queue:
        mixes = {"queue": [json.loads(line) for line in args.queue.open(encoding="utf-8")]}
    else:
        mixes = {"short": generate(args.posts), "long": generate(args.posts, templates=LONG_TEMPLATES)}
    ratios = []
    beside = []  # ratios to read beside the targets', not as they are measured (see the docstring)
    for name, posts in mixes.items():
        lint_rate, tokenizer_rate, first_rate = throughput(posts, not args.no_model)
        print(f"throughput ({name}): postcheck {lint_rate:,.0f} posts/s, bare tokenizer {tokenizer_rate:,.0f} posts/s, "
              f"first-sight tokenizer {first_rate:,.0f} posts/s ({_mix(posts)})")
        ratios.append(f"throughput {name} {lint_rate / tokenizer_rate:.1%}")
        beside.append(f"first-sight throughput {name} {lint_rate / first_rate:.1%}")
    both = []  # an extra ratio, last, so that the others keep their places in the line
    if not args.queue:  # the long posts naming no account: checked for both kinds, the CLI's default
        posts = [{**post, "profile": "both"} for post in mixes["long"]]
        lint_rate, tokenizer_rate, first_rate = throughput(posts, not args.no_model)
        print(f"throughput (long, both accounts): postcheck {lint_rate:,.0f} posts/s, bare tokenizer "
              f"{tokenizer_rate:,.0f} posts/s, first-sight tokenizer {first_rate:,.0f} posts/s ({_mix(posts)})")
        both.append(f"throughput long-both {lint_rate / tokenizer_rate:.1%}")
        beside.append(f"first-sight throughput long-both {lint_rate / first_rate:.1%}")
    if not args.skip_queue and not args.queue:
        queue = generate(args.queue_posts, seed=387, templates=LONG_TEMPLATES)
        cli_rate, tokenizer_rate = end_to_end(postcheck, queue)
        print(f"end to end (long): postcheck --format jsonl {cli_rate:,.0f} posts/s, bare tokenizer "
              f"{tokenizer_rate:,.0f} posts/s ({_mix(queue)}, 3 runs)")
        ratios.append(f"end-to-end long {cli_rate / tokenizer_rate:.1%}")

    draft = [*postcheck, str(REPO / "examples" / "compliant-corporate.txt")]
    cli, bare, cli_cpu, bare_cpu = cold_start(draft, args.start_runs)
    print(f"cold start: postcheck {cli:.2f}s, bare spaCy {bare:.2f}s (median of {args.start_runs}, alternating); "
          f"CPU time {cli_cpu:.2f}s and {bare_cpu:.2f}s")
    ratios.append(f"cold start {cli / bare:.2f}x bare spaCy (CPU time {cli_cpu / bare_cpu:.2f}x)")
    with tempfile.TemporaryDirectory() as tmp:
        env = installed_copy(Path(tmp))
        if env is not None:  # the same again, with postcheck compiled as a pip install has it
            cli, bare, cli_cpu, bare_cpu = cold_start(draft, args.start_runs, env)
            print(f"cold start, postcheck compiled as a pip install has it (here it has no bytecode): postcheck "
                  f"{cli:.2f}s, bare spaCy {bare:.2f}s; CPU time {cli_cpu:.2f}s and {bare_cpu:.2f}s")
            beside.append(f"cold start compiled {cli / bare:.2f}x (CPU time {cli_cpu / bare_cpu:.2f}x)")

    if not args.skip_memory:
        sizes = [int(size) for size in args.memory_posts.split(",")]
        with tempfile.TemporaryDirectory() as tmp:
            rss = {}
            for size in sizes:
                queue_file = write_memory_queue(size, Path(tmp) / f"queue-{size}.jsonl")
                rss[size] = peak_rss_mb([*postcheck, "--format", "jsonl", str(queue_file)])
                queue_file.unlink()
            shown = ", ".join(f"{rss[size]:.0f} MB at {_count(size)} posts" for size in sizes)
            print(f"peak RSS: {shown} (each post with its own hashtag, one in seven breaching)")
            first, last = sizes[0], sizes[-1]
            ratios.append(f"rss-{_count(last)}/{_count(first)} {rss[last] / rss[first]:.2f}")
    print("beside the targets (not how they are measured): " + ", ".join(beside)
          + " (throughput as a share of a tokenizer that meets each post once, as postcheck does)")
    print("ratios: " + ", ".join(ratios + both) + " (throughput as a share of the bare tokenizer)")


def _count(size: int) -> str:
    return f"{size // 1_000_000}M" if size % 1_000_000 == 0 else f"{size // 1_000}k"


if __name__ == "__main__":
    os.environ.setdefault("NO_COLOR", "1")
    main()

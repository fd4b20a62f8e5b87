"""Time per post on hostile content: the slowest post of each class, against a 1 s bound.

    python bench/hostile.py [--chars 100000] [--repeat 3] [--class NAME ...]

Each class is a family of posts built to make some step of a check slow: long runs of
one punctuation mark, joined emoji, huge words, deep nesting, many lines, many hits of
one rule, and so on. Every post is as long as the default length limit allows. A post
is checked as the CLI checks it (`Linter.check_posts`), `--repeat` times, and the
slowest time of each class is printed with the post that took it; the last line says
whether every class stayed within the bound. Times are CPU seconds of this process,
since the machine is shared and its wall-clock times vary with the load (the wall
time of the slowest post is printed too). A post still running after `--stop`
seconds is reported as over it.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import sys
import time
from collections.abc import Callable

BOUND_SECONDS = 1.0


def fill(unit: str, chars: int) -> str:
    """`unit` repeated to exactly `chars` characters."""
    return (unit * (chars // len(unit) + 1))[:chars]


def shuffled(alphabet: str, chars: int, seed: int) -> str:
    rng = random.Random(seed)
    return "".join(rng.choice(alphabet) for _ in range(chars))


PUNCTUATION = "!?'\"()[]{}#@.,:;-_*&%$£/\\|<>~^`+="
EMOJI = "😂👍🏽🇬🇧❤️\u200d🔥👨\u200d👩\u200d👧"

# class -> variants, each a function of the length in characters.
CLASSES: dict[str, dict[str, Callable[[int], str]]] = {
    "one punctuation mark": {mark: (lambda n, m=mark: fill(m, n)) for mark in "!'#(.?-*"},
    "punctuation mixed": {
        "random": lambda n: shuffled(PUNCTUATION, n, 1),
        "with letters": lambda n: shuffled(PUNCTUATION + "ab", n, 2),
        "emoticons": lambda n: fill(":);)", n),
    },
    "joined emoji": {
        "family (ZWJ)": lambda n: fill("👨\u200d👩\u200d👧", n),
        "one emoji": lambda n: fill("😂", n),
        "flags": lambda n: fill("🇬🇧", n),
        "skin tones": lambda n: fill("👍🏽", n),
        "mixed": lambda n: shuffled(EMOJI, n, 3),
    },
    "huge words": {
        "letters": lambda n: shuffled("abcdefghijklmnopqrstuvwxyz", n, 4),
        "one letter": lambda n: fill("a", n),
        "digits": lambda n: shuffled("0123456789", n, 5),
        "CamelCase hashtag": lambda n: "#" + fill("VoteLabour", n - 1),
        "web address": lambda n: "https://example.com/" + shuffled("abc/?=&%.", n - 20, 6),
        "combining marks": lambda n: "a" + fill("\u0301", n - 1),
    },
    "deep nesting": {
        "parentheses": lambda n: fill("(", n // 2) + fill(")", n - n // 2),
        "brackets": lambda n: fill("[", n // 2) + fill("]", n - n // 2),
        "quotes": lambda n: fill('"', n),
        "nested words": lambda n: fill("(vote ", n // 2) + fill(")", n - n // 2),
    },
    "many lines": {
        "blank lines": lambda n: fill("\n", n),
        "one word a line": lambda n: fill("vote\n", n),
        "carriage returns": lambda n: fill("a\r\n", n),
        "spaces": lambda n: fill(" ", n),
        "tabs": lambda n: fill("\t ", n),
    },
    "many sentences": {
        "short": lambda n: fill("Vote Labour. ", n),
        "questions": lambda n: fill("Who should I vote for? ", n),
        "exclamations": lambda n: fill("a! ", n),
    },
    "many hits in one sentence": {
        "voting advice": lambda n: fill("vote Labour and ", n),
        "insults": lambda n: fill("you muppet, ", n),
        "negations": lambda n: fill("we do not endorse Greggs ", n),
        "quoted": lambda n: fill('"vote Labour" ', n),
        "brands": lambda n: fill("Greggs Tesco Currys best ", n),
    },
    "evasions": {
        "spaced letters": lambda n: fill("v o t e ", n),
        "leetspeak": lambda n: fill("v0t3 L@b0ur ", n),
        "stretched": lambda n: fill("sooooo ", n),
        "homoglyphs": lambda n: fill("v\u043et\u0435 L\u0430b\u043eur ", n),  # Cyrillic o, e, a
        "zero-width": lambda n: fill("v\u200bo\u200bt\u200be ", n),
    },
    "numbers and personal data": {
        "phone numbers": lambda n: fill("07700 900123 ", n),
        "postcodes": lambda n: fill("TS1 2AB ", n),
        "emails": lambda n: fill("a.b@example.com ", n),
        "digit runs": lambda n: fill("1 ", n),
        "registrations": lambda n: fill("AB12 CDE ", n),
    },
    "random text": {
        "printable ASCII": lambda n: shuffled("".join(map(chr, range(32, 127))), n, 7),
        "any BMP character": lambda n: "".join(chr(c) for c in random.Random(8).choices(range(0x20, 0xD800), k=n)),
        "words": lambda n: shuffled("etaoin shrdlu ", n, 9),
    },
}


class Overrun(BaseException):
    """Not an Exception: the linter turns an Exception raised while checking a post into that post's error."""


def _alarm(signum: int, frame: object) -> None:
    raise Overrun


def time_post(linter: object, text: str, repeat: int, stop: int) -> tuple[float, float]:
    """CPU and wall seconds of the slowest of `repeat` checks of one post, as the CLI checks it;
    inf when it overran `stop` seconds."""
    from postcheck import Post

    times = []
    for _ in range(repeat):
        signal.alarm(stop)
        started, cpu = time.perf_counter(), time.process_time()
        try:
            for _ in linter.check_posts([Post("bench", "hostile", text)]):  # type: ignore[attr-defined]
                pass
        except Overrun:
            return float("inf"), float("inf")
        finally:
            signal.alarm(0)
        times.append((time.process_time() - cpu, time.perf_counter() - started))
    return max(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chars", type=int, default=100_000, help="length of each post (the default limit)")
    parser.add_argument("--repeat", type=int, default=3, help="checks of each post; the slowest counts")
    parser.add_argument("--stop", type=int, default=60, help="seconds after which a post counts as hung")
    parser.add_argument("--class", dest="classes", action="append", help="only this class (repeatable)")
    args = parser.parse_args()
    signal.signal(signal.SIGALRM, _alarm)

    from postcheck import Linter

    linter = Linter()
    linter.check("warm up: vote Labour, you muppet")
    worst_overall = 0.0
    for name, variants in CLASSES.items():
        if args.classes and name not in args.classes:
            continue
        results = {
            variant: time_post(linter, make(args.chars), args.repeat, args.stop) for variant, make in variants.items()
        }
        variant, (worst, wall) = max(results.items(), key=lambda item: item[1])
        worst_overall = max(worst_overall, worst)
        typical = statistics.median(cpu for cpu, _ in results.values())
        shown = "over the stop" if worst == float("inf") else f"{worst:.3f}s"
        print(
            f"{name:27} slowest {shown:>8} CPU ({wall:.3f}s wall, {variant}); "
            f"median of {len(results)} variants {typical:.3f}s"
        )
        sys.stdout.flush()
    verdict = "within" if worst_overall <= BOUND_SECONDS else "OVER"
    bound = f"{verdict} the {BOUND_SECONDS:.0f} s bound ({args.chars:,} characters each)"
    print(f"slowest post: {worst_overall:.3f}s CPU, {bound}")


if __name__ == "__main__":
    os.environ.setdefault("NO_COLOR", "1")
    main()

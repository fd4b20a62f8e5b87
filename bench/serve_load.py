"""Load test of `postcheck serve` on loopback: latency and throughput under concurrent requests, and memory.

    python bench/serve_load.py [--concurrency 200] [--drafts 2000] [--queues 100] [--checks 10000]

Starts `postcheck serve` on a free loopback port with the rate limit off (this measures capacity,
not the limit), then, with at most --concurrency requests in flight:

1. one draft per request (POST /v1/check), 200 requests one at a time, then --drafts requests;
2. a 100-post queue per request (POST /v1/check with 100 posts), --queues requests;
3. one draft per request until the service has checked --checks single drafts in all (phase 1
   included), then reads the service's resident memory.

Prints p50/p95 latency and requests per second for phases 1 and 2, and the memory after start-up
and after phase 3. Posts come from bench/run.py's deterministic generator (half of them breach the
policy). Every phase is bounded in count and the whole run by --timeout seconds; the service is
stopped at the end whatever happens. Nothing but 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import generate  # the benchmark's post generator, shared

QUEUE_SIZE = 100


def start_service() -> tuple[subprocess.Popen, str]:
    command = shutil.which("postcheck") or "postcheck"
    process = subprocess.Popen(
        [command, "serve", "--port", "0", "--rate-limit", "0", "--max-body-mb", "50"],
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    line = process.stderr.readline()
    if " at http://" not in line:
        process.kill()
        raise SystemExit(f"postcheck serve did not start: {line.strip()}")
    return process, line.split(" at ", 1)[1].split("/ ", 1)[0]


def cpu_seconds(pid: int) -> float:
    """User and system CPU time the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc")


class Phase:
    """Latencies and failures of one phase."""

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.failures: dict[str, int] = {}

    def fail(self, reason: str) -> None:
        self.failures[reason] = self.failures.get(reason, 0) + 1


async def _connection(address: tuple[str, int], jobs: list[bytes], result: Phase, deadline: float) -> None:
    """One keep-alive connection sending POST /v1/check for jobs taken from the shared list until it is empty.

    A plain HTTP/1.1 client on asyncio streams: a general-purpose client library spent more CPU per
    request than the service does, and on a 2-core machine it would measure itself."""
    reader, writer = await asyncio.open_connection(*address)
    try:
        while jobs:
            body = jobs.pop()
            if time.monotonic() > deadline:
                result.fail("not sent: out of time")
                continue
            head = f"POST /v1/check HTTP/1.1\r\nHost: {address[0]}\r\nContent-Type: application/json\r\n"
            began = time.perf_counter()
            writer.write(head.encode() + b"Content-Length: %d\r\n\r\n" % len(body) + body)
            await writer.drain()
            status = int((await reader.readline()).split()[1])
            length = 0
            while (header := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = header.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            await reader.readexactly(length)
            result.latencies.append(time.perf_counter() - began)
            if status != 200:
                result.fail(f"HTTP {status}")
    except (OSError, asyncio.IncompleteReadError, ValueError, IndexError) as exc:
        result.fail(type(exc).__name__)
    finally:
        writer.close()


async def phase(address: tuple[str, int], bodies: list, concurrency: int, deadline: float, pid: int) -> dict:
    """Send every body to /v1/check over `concurrency` connections; latency per request, the rate, the CPU."""
    jobs = [json.dumps(body).encode() for body in reversed(bodies)]
    result = Phase()
    began, cpu = time.perf_counter(), cpu_seconds(pid)
    await asyncio.gather(*(_connection(address, jobs, result, deadline) for _ in range(min(concurrency, len(jobs)))))
    wall = time.perf_counter() - began
    cpu = cpu_seconds(pid) - cpu
    ordered = sorted(result.latencies)
    count = len(ordered)
    return {
        "requests": count,
        "p50_ms": 1000 * statistics.median(ordered) if ordered else float("nan"),
        "p95_ms": 1000 * ordered[int(0.95 * (count - 1))] if ordered else float("nan"),
        "per_s": count / wall if wall else float("nan"),
        "cpu_ms": 1000 * cpu / count if count else float("nan"),
        "failures": result.failures,
    }


def line(name: str, result: dict) -> str:
    failed = sum(result["failures"].values())
    text = (
        f"{name}: {result['requests']:,} requests, p50 {result['p50_ms']:.0f} ms, p95 {result['p95_ms']:.0f} ms, "
        f"{result['per_s']:.1f} requests/s, service CPU {result['cpu_ms']:.1f} ms a request"
    )
    return text + (f", {failed} failed {result['failures']}" if failed else ", 0 failed")


async def main(args: argparse.Namespace) -> None:
    posts = [{"id": p["id"], "text": p["text"], "profile": p["profile"]} for p in generate(args.checks)]
    queues = [posts[i * QUEUE_SIZE % len(posts) :][:QUEUE_SIZE] for i in range(args.queues)]
    process, url = start_service()
    address = ("127.0.0.1", int(url.rsplit(":", 1)[1]))
    deadline = time.monotonic() + args.timeout
    pid = process.pid
    try:
        await phase(address, posts[:20], 4, deadline, pid)  # warm up: caches, first allocations
        start_rss = rss_mb(pid)
        alone = await phase(address, posts[:200], 1, deadline, pid)
        drafts = await phase(address, posts[: args.drafts], args.concurrency, deadline, pid)
        queue = await phase(address, queues, args.concurrency, deadline, pid)
        rest = await phase(address, posts[args.drafts : args.checks], args.concurrency, deadline, pid)
        end_rss = rss_mb(pid)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
    checked = 20 + alone["requests"] + drafts["requests"] + rest["requests"]  # the warm-up sends 20
    load = os.getloadavg()[0]
    print(f"postcheck serve on loopback, {os.cpu_count()} cores, load average {load:.1f}")
    print(line("one draft, one request at a time", alone))
    print(line(f"one draft, {args.concurrency} concurrent", drafts))
    print(line(f"{QUEUE_SIZE}-post queue, {args.concurrency} concurrent", queue))
    print(f"memory: {start_rss:.0f} MB after start-up, {end_rss:.0f} MB after {checked:,} single-draft checks")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--drafts", type=int, default=2000, help="single-draft requests in phase 1")
    parser.add_argument("--queues", type=int, default=100, help="100-post requests in phase 2")
    parser.add_argument("--checks", type=int, default=10_000, help="single drafts checked in all")
    parser.add_argument("--timeout", type=float, default=900, help="seconds before the run stops sending")
    asyncio.run(main(parser.parse_args()))

"""Scaling benchmark for archive audits: the local engine and Spark local mode against the single-process CLI.

    python bench/archive.py [--sizes 100000 1000000] [--cores 1 2] [--engines local spark] [--repeat 1]
                            [--cli-rate POSTS_PER_CPU_SECOND]

For each size, generated posts (bench/run.py's generator, with accounts and dates) are written
as JSONL and Parquet. In the same run, on the same posts, it measures the CLI in one process
(`postcheck --format jsonl posts.jsonl`, the reference), then `postcheck audit-archive
posts.parquet` with each engine on each number of cores (`--jobs N`, `--master local[N]`),
and a 1,000-post audit per engine and core count for the fixed start-up cost. On a busy machine
`--cli-rate` skips the CLI and compares with its posts per CPU second from an earlier run: that
rate does not depend on the number of posts, since the CLI streams them.

For every run it prints wall time and posts/s, the CPU time of the whole process tree (the
JVM and every Python worker included) and posts per CPU second, that rate as a share of the
CLI's, the peak memory of the tree and of its largest process, and the load average. Posts
per CPU second is the throughput of one core nobody else uses: on a shared machine the wall
time says more about the other users than about postcheck, while the CPU time a post costs
does not depend on them, so it is what a projection to a cluster rests on.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import generate  # the benchmark's shared post generator

STARTUP_POSTS = 1_000
ACCOUNTS = [f"@account{n:03d}" for n in range(200)]


def archive_posts(count: int) -> list[dict]:
    posts = generate(count)
    for number, post in enumerate(posts):
        post["account"] = ACCOUNTS[number % len(ACCOUNTS)]
        post["created_at"] = f"20{19 + number % 4}-{number % 12 + 1:02d}-{number % 28 + 1:02d}T12:00:00Z"
    return posts


def write_inputs(posts: list[dict], directory: Path) -> tuple[Path, Path]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    jsonl, parquet = directory / "posts.jsonl", directory / "posts.parquet"
    with jsonl.open("w", encoding="utf-8") as handle:
        for post in posts:
            handle.write(json.dumps(post) + "\n")
    pq.write_table(pa.Table.from_pylist(posts), parquet, row_group_size=50_000)
    return jsonl, parquet


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _tree(root: int) -> list[tuple[int, str, int, float]]:
    """(pid, command name, resident KB, CPU seconds) of `root` and every descendant, read from /proc."""
    parents, names = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            head, rest = stat.read_text().rsplit(")", 1)
        except OSError:
            continue
        pid = int(stat.parent.name)
        parents[pid], names[pid] = int(rest.split()[1]), head.split("(", 1)[1]
    tree, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, parent in parents.items() if parent in frontier]
        tree += frontier
    result = []
    for pid in tree:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        rss = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
        cpu = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime of this process alone
        result.append((pid, names.get(pid, "?"), rss, cpu))
    return result


def timed(command: list[str]) -> dict:
    """Wall time; CPU time of the whole process tree (JVM and Python workers included); peak memory of the
    tree (sum) and of its largest process. Sampled every 0.2 s: a process's last 0.2 s of CPU may be missed."""
    peak = {"tree": 0, "largest": 0, "largest_name": ""}
    cpu: dict[int, float] = {}
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def sample() -> None:
        while process.poll() is None:
            rows = _tree(process.pid)
            peak["tree"] = max(peak["tree"], sum(rss for _, _, rss, _ in rows))
            for pid, name, rss, seconds in rows:
                cpu[pid] = max(cpu.get(pid, 0.0), seconds)
                if rss > peak["largest"]:
                    peak["largest"], peak["largest_name"] = rss, name
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    seconds = time.perf_counter() - started
    sampler.join()
    if process.returncode not in (0, 1, 2) or b"Traceback" in stderr:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{stderr.decode()[-2000:]}")
    return {"seconds": seconds, "cpu": sum(cpu.values()), **peak, "load": os.getloadavg()[0]}


def audit_command(postcheck: str, source: Path, output: Path, engine: str, cores: int) -> list[str]:
    shutil.rmtree(output, ignore_errors=True)
    where = ["--jobs", str(cores)] if engine == "local" else ["--engine", "spark", "--master", f"local[{cores}]"]
    return [postcheck, "audit-archive", str(source), str(output), *where]


def report(label: str, posts: int, cores: int, run: dict, cli_rate: float | None) -> float:
    """One table row; returns posts per CPU second, the throughput of one core that is not shared."""
    per_cpu = posts / run["cpu"]
    share = f"{per_cpu / cli_rate:6.0%}" if cli_rate else "   ref"
    print(
        f"{label:<22} {posts:>9,} {cores:>5} {run['seconds']:>8.1f} {posts / run['seconds']:>8,.0f} "
        f"{run['cpu']:>8.1f} {per_cpu:>8,.0f} {share:>7} {run['tree'] / 1024:>7.0f} {run['largest'] / 1024:>7.0f} "
        f"{run['largest_name']:<10} {run['load']:>5.1f}",
        flush=True,
    )
    return per_cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--cores", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--engines", nargs="+", default=["local", "spark"], choices=["local", "spark"])
    parser.add_argument("--repeat", type=int, default=1, help="runs of each configuration (the fastest is kept)")
    parser.add_argument("--cli-rate", type=float, help="the CLI's posts per CPU second from an earlier run")
    args = parser.parse_args()
    postcheck = shutil.which("postcheck") or str(Path(sys.executable).with_name("postcheck"))
    print(f"{os.cpu_count()} cores; load average at start {os.getloadavg()[0]:.1f}")
    print(
        f"{'run':<22} {'posts':>9} {'cores':>5} {'wall s':>8} {'posts/s':>8} {'CPU s':>8} {'/CPU s':>8} "
        f"{'vs CLI':>7} {'tree MB':>7} {'top MB':>7} {'top':<10} {'load':>5}"
    )
    with tempfile.TemporaryDirectory(prefix="postcheck-bench-") as tmp:
        work = Path(tmp)
        (work / "small").mkdir()
        small = write_inputs(archive_posts(STARTUP_POSTS), work / "small")
        for engine in args.engines:
            for cores in args.cores:
                run = timed(audit_command(postcheck, small[1], work / "out", engine, cores))
                report(f"start-up {engine}", STARTUP_POSTS, cores, run, None)
        for size in args.sizes:
            directory = work / str(size)
            directory.mkdir()
            jsonl, parquet = write_inputs(archive_posts(size), directory)
            cli_rate = args.cli_rate
            if cli_rate is None:
                cli_runs = [timed([postcheck, "--format", "jsonl", str(jsonl)]) for _ in range(args.repeat)]
                cli_rate = report("CLI, one process", size, 1, min(cli_runs, key=lambda r: r["cpu"]), None)
            for cores in args.cores:
                for engine in args.engines:
                    runs = [
                        timed(audit_command(postcheck, parquet, work / "out", engine, cores))
                        for _ in range(args.repeat)
                    ]
                    report(f"audit-archive {engine}", size, cores, min(runs, key=lambda r: r["cpu"]), cli_rate)
            shutil.rmtree(directory)


if __name__ == "__main__":
    os.environ.setdefault("NO_COLOR", "1")
    main()

"""Archives for the archive-audit tests, and the rows the command line gives for them.

Posts come from the development corpus (when ../shared is beside the checkout), the
paraphrase corpus that ships with the tests, and posts generated from the rules' own
examples: one to three examples of random rules joined, so every category appears, with
accounts, dates and some suppressions (good and bad), on both kinds of account. The archive
the engines are compared on is a sample of them: each comparison runs whole audits, and on
Spark each worker builds its own linter, so a few hundred posts cost minutes on a busy machine.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import yaml
from tests.conftest import REPO
from typer.testing import CliRunner

from postcheck.cli.app import app
from postcheck.spark.tables import error_rows, finding_rows

DEV_CORPUS = REPO.parent / "shared" / "corpus" / "dev.yaml"
PER_POST = ("account", "month", "rulebook")  # finding columns `--format jsonl` does not carry
ACCOUNTS = ("@ClevelandPolice", "@pc_jones", "@StocktonNPT", "@sgt_ali")


def corpus_posts() -> list[dict]:
    """The development corpus (if present) and the paraphrase corpus as queue records."""
    records = []
    for path in (DEV_CORPUS, REPO / "tests" / "corpus" / "paraphrase.yaml"):
        if path.is_file():
            items = yaml.safe_load(path.read_text(encoding="utf-8"))
            records += [
                {"id": f"{path.stem}-{item['id']}", "text": item["text"], "profile": item["profile"]} for item in items
            ]
    return records


def generated_posts(rulebook, count: int, seed: int = 19) -> list[dict]:
    rng = random.Random(seed)
    examples = [(rule, example.text) for rule in rulebook.rules for example in rule.flag_examples + rule.pass_examples]
    flags = [(rule, example) for rule in rulebook.rules for example in rule.flag_examples]
    records = []
    for number in range(count):
        picked = rng.sample(examples, rng.randint(1, 3))
        record = {
            "id": f"gen-{number}",
            "text": " ".join(text for _, text in picked),
            "profile": rng.choice(("corporate", "personal")),
            "account": rng.choice(ACCOUNTS),
        }
        if number % 5:
            record["created_at" if number % 3 else "scheduled_at"] = (
                f"20{rng.randint(19, 22)}-{rng.randint(1, 12):02d}-17"
            )
        if number % 23 == 0:  # a flag example alone on its own account fires, so its suppression has work to do
            rule, example = rng.choice(flags)
            record.update(text=example.text, profile=example.profile)
            record["suppress"] = [f"{rule.category} -- agreed by Corporate Comms"]
        if number % 41 == 0:
            record["suppress"] = ["tone.no-such-rule -- a rule that does not exist"]
        records.append(record)
    return records


def archive_records(rulebook) -> list[dict]:
    """Every third post of the corpora and 90 generated posts: every category, both accounts, bad suppressions."""
    return corpus_posts()[::3] + generated_posts(rulebook, 90)


def write_jsonl(records: list[dict], path: Path) -> Path:
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    return path


def write_parquet(records: list[dict], path: Path) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [{**record, "suppress": record.get("suppress")} for record in records]
    pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=97)
    return path


def write_damaged_parquet(path: Path) -> Path:
    """A Parquet file whose footer reads but whose second row group's text pages are overwritten."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [{"id": f"d{number}", "text": f"Post number {number} from the archive."} for number in range(300)]
    pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=100)
    start = pq.read_metadata(path).row_group(1).column(1).data_page_offset
    data = bytearray(path.read_bytes())
    data[start + 4 : start + 120] = b"A" * 116
    path.write_bytes(bytes(data))
    return path


def cli_rows(*paths: Path) -> tuple[list[dict], list[dict]]:
    """Finding and error rows from `postcheck --format jsonl PATH...`, without the columns its post objects do
    not carry (PER_POST), so compare them with `table_rows(..., *PER_POST)`."""
    result = CliRunner().invoke(app, ["--format", "jsonl", *map(str, paths)])
    assert result.exit_code in (0, 1, 2), result.output
    findings, errors = [], []
    for line in result.stdout.splitlines():
        post = json.loads(line)
        if "findings" not in post:  # the closing line: the run's summary
            continue
        findings += [without(row, *PER_POST) for row in finding_rows(post, "", None, None)]
        errors += error_rows(post)
    return sorted_rows(findings), sorted_rows(errors)


def assert_same_as_cli(output: Path, cli: tuple[list[dict], list[dict]], *drop: str, tables=("findings", "errors")):
    """An audit's `tables` hold the rows `cli_rows` gave for the same records, but for posts a work limit
    stopped in either run; `drop` names columns that differ by design (such as `source`)."""
    limited = time_limited(cli[1], table_rows(output, "errors"))
    assert_mostly_compared(output, limited)
    for table, expected in zip(("findings", "errors"), cli, strict=True):
        if table in tables:
            found = excluding(table_rows(output, table, *PER_POST, *drop), limited)
            assert found == sorted_rows([without(row, *drop) for row in excluding(expected, limited)])


def table_rows(output: Path, table: str, *drop: str) -> list[dict]:
    import pyarrow.parquet as pq

    return sorted_rows([without(row, *drop) for row in pq.read_table(output / table).to_pylist()])


def without(row: dict, *keys: str) -> dict:
    return {key: value for key, value in row.items() if key not in keys}


def time_limited(*error_tables: list[dict]) -> set[str]:
    """Posts a work limit stopped in any of the runs. The time for a post's rule patterns is processor time,
    but a search starved of the processor for seconds on end still stops at the wall-clock cap, so on an
    overloaded machine one run may stop a post that another finishes: their rows may differ."""
    return {row["post_id"] for rows in error_tables for row in rows if row["reason"].startswith("not fully checked")}


def assert_mostly_compared(output: Path, limited: set[str]) -> None:
    """An overloaded machine may stop a post at the work limit now and then, never one in twenty."""
    total = next(row["posts"] for row in table_rows(output, "summary") if row["by"] == "all")
    assert 20 * len(limited) < total, f"{len(limited)} of {total} posts stopped by the work limit"


def excluding(rows: list[dict], post_ids: set[str]) -> list[dict]:
    return [row for row in rows if row["post_id"] not in post_ids]


def sorted_rows(rows: list[dict]) -> list[dict]:
    return sorted(rows, key=lambda row: json.dumps(row, sort_keys=True))


def assert_same_tables(output: Path, expected: Path) -> None:
    """Two audits of the same archive wrote the same rows, but for posts a work limit stopped in either run;
    the summary is compared whole when no post was stopped."""
    limited = time_limited(table_rows(output, "errors"), table_rows(expected, "errors"))
    assert_mostly_compared(output, limited)
    for table in ("findings", "errors"):
        assert excluding(table_rows(output, table), limited) == excluding(table_rows(expected, table), limited)
    if not limited:
        assert table_rows(output, "summary") == table_rows(expected, "summary")

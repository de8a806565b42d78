#!/usr/bin/env python3
"""Reads the same order CSV with haat-metrics and with DuckDB, builds the district x month GMV
rollup with each (2 threads), and prints both times and their ratio.

    pip install duckdb
    python3 benches/duckdb/compare.py            # 10 million rows in /tmp, generated once
    python3 benches/duckdb/compare.py --rows 1000000 --runs 3

The Rust side is `examples/orders_rollup.rs` (built in release mode); it generates the file
deterministically (and a PIN code -> district table beside it) and times its own rollup, every
field of every row parsed and checked. DuckDB reads the same file with `read_csv`, joins the PIN
codes to the same districts, and groups by district and IST month (UTC + 5:30). Not run by CI.
"""

import argparse
import os
import re
import subprocess
import sys
import time

import duckdb

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def cargo_example(target_dir, *args):
    env = dict(os.environ, CARGO_TARGET_DIR=target_dir)
    cmd = ["cargo", "run", "--quiet", "--release", "--example", "orders_rollup", "--", *args]
    return subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout


def duckdb_rollup(path, threads):
    con = duckdb.connect()
    con.execute(f"SET threads = {threads}")
    started = time.perf_counter()
    rows = con.execute(
        f"""
        SELECT d.district,
               strftime(o.placed_at + INTERVAL 330 MINUTE, '%Y-%m') AS month,
               count(*) AS orders,
               sum(o.amount) AS gmv
        FROM read_csv('{path}', header = true, timestampformat = '%Y-%m-%dT%H:%M:%SZ',
                      types = {{'amount': 'DECIMAL(18,2)', 'placed_at': 'TIMESTAMP',
                               'destination_pin': 'INTEGER'}}) AS o
        JOIN read_csv('{path}.districts.csv', header = true,
                      types = {{'destination_pin': 'INTEGER', 'district': 'VARCHAR'}}) AS d
          USING (destination_pin)
        GROUP BY ALL
        """
    ).fetchall()
    elapsed = time.perf_counter() - started
    total_orders = sum(r[2] for r in rows)
    total_gmv = sum(r[3] for r in rows)
    return elapsed, len(rows), total_orders, total_gmv


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3, help="best of this many runs each")
    parser.add_argument("--target-dir", default=os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")))
    args = parser.parse_args()
    label = f"{args.rows // 1_000_000}m" if args.rows % 1_000_000 == 0 else str(args.rows)
    path = f"/tmp/haat-orders-{label}.csv"
    if not os.path.exists(path) or not os.path.exists(path + ".districts.csv"):
        print(f"generating {path} ...", file=sys.stderr)
        cargo_example(args.target_dir, "generate", path, str(args.rows))
    size = os.path.getsize(path)
    print(f"file: {path}, {args.rows:,} rows, {size / 1e6:,.0f} MB; {args.threads} threads; best of {args.runs}")

    rust_times, duck_times = [], []
    for _ in range(args.runs):
        out = cargo_example(args.target_dir, "rollup", path, "--threads", str(args.threads))
        rust_times.append(float(re.search(r"seconds=([0-9.]+)", out).group(1)))
        rust_line = out.splitlines()[0]
        elapsed, cells, orders, gmv = duckdb_rollup(path, args.threads)
        duck_times.append(elapsed)
    print(rust_line)
    print(f"duckdb: {orders} rows into {cells} district-month cells, GMV {gmv}, in {min(duck_times):.3f} s")
    rust, duck = min(rust_times), min(duck_times)
    print(f"haat-metrics {rust:.3f} s, DuckDB {duck:.3f} s: haat-metrics takes {rust / duck:.2f}x DuckDB's time")


if __name__ == "__main__":
    main()

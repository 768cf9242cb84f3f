"""Turns bench/compare's raw results into the table, results.json and the latency-versus-
throughput plot.

    python report.py RESULTS.jsonl OUTDIR --duration SECONDS
"""

import argparse
import json
import platform
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def rows_of(path: Path) -> list[dict]:
    rows = []
    for line in path.read_text().splitlines():
        entry = json.loads(line)
        result = entry["result"]
        if entry["system"] == "predict":
            rows.append(dict(
                system="predict", model=entry["model"], concurrency=entry["concurrency"],
                rps=result["calls_per_second"], p50_ms=result["latency_us"]["p50"] / 1000,
                p99_ms=result["latency_us"]["p99"] / 1000, errors=result["errors"],
                calls=result["calls"],
                # The server's CPU was read around warm-up and measurement both.
                server_cpu_us_per_call=(1e6 * result["server_cpu_seconds"] / max(1, result["calls"]
                                        * (result["warmup_seconds"] + result["duration_seconds"])
                                        / result["duration_seconds"])),
            ))
        else:
            seconds = result["duration_us"] / 1e6
            rows.append(dict(
                system=entry["system"], model=entry["model"], concurrency=entry["concurrency"],
                rps=result["requests"] / seconds, p50_ms=result["p50_us"] / 1000,
                p99_ms=result["p99_us"] / 1000, errors=result["errors"],
                calls=result["requests"],
            ))
    return rows


def add_ratios(rows: list[dict]) -> None:
    """predict's req/s over each peer's (1 and 2 uvicorn workers) at the same model and
    concurrency; each model's over the identity model's (the transport ceiling)."""
    for row in rows:
        if row["system"] != "predict":
            continue
        for peer in ("fastapi-1", "fastapi-2"):
            match = [r["rps"] for r in rows if r["system"] == peer and r["model"] == row["model"]
                     and r["concurrency"] == row["concurrency"]]
            if match:
                row[f"ratio_to_{peer.replace('-', '_')}"] = row["rps"] / match[0]
        ceiling = [r["rps"] for r in rows if r["system"] == "predict" and r["model"] == "identity"
                   and r["concurrency"] == row["concurrency"]]
        if ceiling and row["model"] != "identity":
            row["share_of_ceiling"] = row["rps"] / ceiling[0]


def table(rows: list[dict]) -> str:
    lines = ["| system | model | concurrency | req/s | p50 ms | p99 ms | errors | ÷ FastAPI 1 worker | ÷ FastAPI 2 workers | of ceiling |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    order = {"iris": 0, "forest": 1, "mlp": 2, "identity": 3}
    for row in sorted(rows, key=lambda r: (order.get(r["model"], 9), r["concurrency"], r["system"])):
        ratio1 = f"{row['ratio_to_fastapi_1']:.0f}×" if "ratio_to_fastapi_1" in row else ""
        ratio2 = f"{row['ratio_to_fastapi_2']:.0f}×" if "ratio_to_fastapi_2" in row else ""
        share = f"{row['share_of_ceiling']:.0%}" if "share_of_ceiling" in row else ""
        system = {"fastapi-1": "FastAPI, 1 worker", "fastapi-2": "FastAPI, 2 workers"}.get(row["system"], row["system"])
        lines.append(f"| {system} | {row['model']} | {row['concurrency']} | {row['rps']:,.0f} | "
                     f"{row['p50_ms']:.2f} | {row['p99_ms']:.2f} | {row['errors']} | {ratio1} | {ratio2} | {share} |")
    return "\n".join(lines)


def plot(rows: list[dict], path: Path) -> None:
    plt.rcParams["svg.hashsalt"] = "predict"
    figure, axes = plt.subplots(figsize=(8, 5))
    styles = {"predict": "-o", "fastapi-1": "--s", "fastapi-2": ":^"}
    colors = {"iris": "tab:blue", "forest": "tab:green", "mlp": "tab:orange", "identity": "tab:gray"}
    for system in ("predict", "fastapi-1", "fastapi-2"):
        for model in ("iris", "forest", "mlp", "identity"):
            points = sorted((r["rps"], r["p99_ms"]) for r in rows if r["system"] == system and r["model"] == model)
            if not points:
                continue
            label = {"predict": "predict", "fastapi-1": "FastAPI 1 worker", "fastapi-2": "FastAPI 2 workers"}[system]
            axes.plot([p[0] for p in points], [p[1] for p in points], styles[system], color=colors[model],
                      label=f"{label}, {model}")
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("throughput (requests/s, log)")
    axes.set_ylabel("p99 latency (ms, log)")
    axes.set_title("Latency versus throughput, 2 cores, load generator on the same machine")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize=7, ncol=2)
    figure.tight_layout()
    figure.savefig(path, metadata={"Date": None})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("results", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--duration", type=float, required=True)
    args = parser.parse_args()
    rows = rows_of(args.results)
    add_ratios(rows)
    args.out.mkdir(parents=True, exist_ok=True)
    machine = dict(cpus=len(__import__("os").sched_getaffinity(0)), platform=platform.platform(),
                   python=platform.python_version(), duration_seconds=args.duration)
    (args.out / "results.json").write_text(json.dumps(dict(machine=machine, rows=rows), indent=2) + "\n")
    plot(rows, args.out / "latency-throughput.svg")
    print(table(rows))
    print(f"\nwrote {args.out / 'results.json'} and {args.out / 'latency-throughput.svg'}")


if __name__ == "__main__":
    main()

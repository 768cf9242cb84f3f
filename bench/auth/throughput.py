#!/usr/bin/env python3
"""End-to-end calls/s with authentication on and off, alternating, on the same machine.
Each round starts predict-server --dev (authentication on: the dev token in Hello) and
predict-server --dev --allow-unauthenticated, and drives each with two predict-client
processes sending iris rows one per call, 256 calls in flight each. Standard library only."""
import argparse, os, random, signal, socket, statistics, subprocess, tempfile, time

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

def start(binary, state, extra):
    port = free_port()
    proc = subprocess.Popen([binary, "--dev", "--port", str(port), "--state-dir", state, "--log-level", "error", *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return proc, port
        except OSError:
            time.sleep(0.005)
    raise RuntimeError("server did not start")

def load(client, state, port, rows, token):
    args = [client, "--server", f"localhost:{port}", "--ca", os.path.join(state, "ca.pem")]
    if token:
        args += ["--token", token]
    args += ["infer", "iris", "--input", rows, "--batch-size", "1", "--concurrency", "256"]
    t0 = time.perf_counter()
    procs = [subprocess.Popen(args, stdout=subprocess.DEVNULL) for _ in range(2)]
    for p in procs:
        if p.wait() != 0:
            raise RuntimeError("a load client failed")
    return time.perf_counter() - t0

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True)
    ap.add_argument("--client", required=True)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--rows", type=int, default=20_000)
    a = ap.parse_args()
    state = tempfile.mkdtemp(prefix="predict-auth-bench-")
    rows = os.path.join(state, "rows.csv")
    rng = random.Random(3)
    with open(rows, "w") as f:
        for _ in range(a.rows):
            f.write(",".join(f"{rng.uniform(0.1, 7.9):.2f}" for _ in range(4)) + "\n")
    on, off = [], []
    for _ in range(a.rounds):
        for mode in ("on", "off"):
            proc, port = start(a.server, state, [] if mode == "on" else ["--allow-unauthenticated"])
            token = open(os.path.join(state, "dev-token")).read().strip() if mode == "on" else None
            load(a.client, state, port, rows, token)  # warm-up: connections, caches
            elapsed = load(a.client, state, port, rows, token)
            (on if mode == "on" else off).append(2 * a.rows / elapsed)
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
    m_on, m_off = statistics.median(on), statistics.median(off)
    print(f"end-to-end calls/s (2 clients x {a.rows} iris rows, 1 row per call, 256 in flight each), "
          f"median of {a.rounds} alternating rounds: authentication on {m_on:,.0f}, "
          f"--allow-unauthenticated {m_off:,.0f}; on/off = {m_on / m_off:.3f} "
          f"({(1 - m_on / m_off) * 100:+.1f}% loss)")
    print("rounds on: " + ", ".join(f"{x:,.0f}" for x in on))
    print("rounds off: " + ", ".join(f"{x:,.0f}" for x in off))

if __name__ == "__main__":
    main()

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

def cpu_seconds(pid):
    """User plus system CPU time of a process so far (/proc/PID/stat fields 14 and 15)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

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
    on, off, cpu_on, cpu_off = [], [], [], []
    for _ in range(a.rounds):
        for mode in ("on", "off"):
            proc, port = start(a.server, state, [] if mode == "on" else ["--allow-unauthenticated"])
            token = open(os.path.join(state, "dev-token")).read().strip() if mode == "on" else None
            load(a.client, state, port, rows, token)  # warm-up: connections, caches
            cpu0 = cpu_seconds(proc.pid)
            elapsed = load(a.client, state, port, rows, token)
            cpu = (cpu_seconds(proc.pid) - cpu0) / (2 * a.rows) * 1e6
            (on if mode == "on" else off).append(2 * a.rows / elapsed)
            (cpu_on if mode == "on" else cpu_off).append(cpu)
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
    m_on, m_off = statistics.median(on), statistics.median(off)
    print(f"end-to-end calls/s (2 clients x {a.rows} iris rows, 1 row per call, 256 in flight each), "
          f"median of {a.rounds} alternating rounds: authentication on {m_on:,.0f}, "
          f"--allow-unauthenticated {m_off:,.0f}; on/off = {m_on / m_off:.3f} "
          f"({(1 - m_on / m_off) * 100:+.1f}% loss)")
    c_on, c_off = statistics.median(cpu_on), statistics.median(cpu_off)
    print(f"server CPU per call (µs, the steadier figure): authentication on {c_on:.1f}, off {c_off:.1f}; "
          f"on/off = {c_on / c_off:.3f}")
    print("rounds on: " + ", ".join(f"{x:,.0f}" for x in on))
    print("rounds off: " + ", ".join(f"{x:,.0f}" for x in off))

if __name__ == "__main__":
    main()

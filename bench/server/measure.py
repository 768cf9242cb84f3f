#!/usr/bin/env python3
"""Measures predict-server's time from process start to serving and its resident memory when
idle and under load, and the same for the Python stack a FastAPI + scikit-learn server imports.
Standard library only; called by run.sh."""
import argparse, os, random, signal, socket, statistics, subprocess, sys, tempfile, time

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")

def wait_accepting(port, proc, timeout=30.0):
    """Polls a TCP connect every 0.5 ms; the listener binds only after every model is loaded."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.05):
                return time.perf_counter()
        except OSError:
            time.sleep(0.0005)
    raise RuntimeError("server did not start")

class Server:
    def __init__(self, binary, state):
        self.port = free_port()
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            [binary, "--dev", "--port", str(self.port), "--state-dir", state, "--log-level", "error"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.serving = wait_accepting(self.port, self.proc)

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=30)

def client(args, state, port, *rest):
    return [args.client, "--server", f"localhost:{port}", "--ca", os.path.join(state, "ca.pem"), *rest]

def main():
    p = argparse.ArgumentParser()
    p.add_argument("--server", required=True)
    p.add_argument("--client", required=True)
    p.add_argument("--python", required=True)
    p.add_argument("--starts", type=int, default=15)
    args = p.parse_args()
    state = tempfile.mkdtemp(prefix="predict-bench-")

    # Warm-up: creates the dev CA, fills the page cache with the binary and the models.
    s = Server(args.server, state)
    subprocess.run(client(args, state, s.port, "live"), check=True, stdout=subprocess.DEVNULL)
    s.stop()

    # Start-up, alternating with the baseline so both see the same machine.
    ours, theirs = [], []
    imports = "import numpy, sklearn.linear_model, sklearn.ensemble, sklearn.neural_network, fastapi, uvicorn"
    for _ in range(args.starts):
        s = Server(args.server, state)
        ours.append((s.serving - s.started) * 1000)
        s.stop()
        t0 = time.perf_counter()
        subprocess.run([args.python, "-c", imports], check=True)
        theirs.append((time.perf_counter() - t0) * 1000)
    py_rss = float(subprocess.run(
        [args.python, "-c", imports + "\nprint([l.split()[1] for l in open('/proc/self/status') if l.startswith('VmRSS')][0])"],
        check=True, capture_output=True, text=True).stdout) / 1024

    # Resident memory: idle after start, then under load from three client processes.
    s = Server(args.server, state)
    subprocess.run(client(args, state, s.port, "live"), check=True, stdout=subprocess.DEVNULL)
    time.sleep(1.0)
    idle = rss_mib(s.proc.pid)
    rows = os.path.join(state, "rows.csv")
    rng = random.Random(7)
    with open(rows, "w") as f:
        for _ in range(20_000):
            f.write(",".join(f"{rng.gauss(0, 1.5):.4f}" for _ in range(30)) + "\n")
    load = [subprocess.Popen(client(args, state, s.port, "infer", "forest", "--input", rows,
                                    "--batch-size", "8", "--concurrency", "128"),
                             stdout=subprocess.DEVNULL) for _ in range(3)]
    peak, t0 = idle, time.perf_counter()
    while any(l.poll() is None for l in load):
        peak = max(peak, rss_mib(s.proc.pid))
        time.sleep(0.01)
    elapsed = time.perf_counter() - t0
    if any(l.returncode != 0 for l in load):
        sys.exit("a load client failed")
    after = rss_mib(s.proc.pid)
    s.stop()

    med = statistics.median
    print(f"start-up to accepting connections, {args.starts} starts (ms): "
          f"predict-server median {med(ours):.1f} (min {min(ours):.1f}, max {max(ours):.1f}); "
          f"python imports of a FastAPI+scikit-learn server median {med(theirs):.1f} "
          f"(min {min(theirs):.1f}); ratio {med(theirs) / med(ours):.1f}x")
    print(f"resident memory (MiB): predict-server idle {idle:.1f}, peak under load {peak:.1f}, "
          f"after load {after:.1f}; python after those imports alone {py_rss:.1f} "
          f"(ratio to our idle {py_rss / idle:.1f}x)")
    print(f"load: 3 predict-client processes x 20,000 forest rows, batches of 8, 128 calls in "
          f"flight each: {60_000 / elapsed:,.0f} rows/s over {elapsed:.2f} s (informational)")

if __name__ == "__main__":
    main()

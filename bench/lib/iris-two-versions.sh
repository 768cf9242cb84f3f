# Sourced by the routing benchmarks: builds the release binaries, starts `predict-server --dev`
# on a scratch repository holding iris versions 1 and 2 (the same model) with version 1 taking
# every call, and waits until it is ready. Sets: bin, work, pid, port, client (predict-client
# with server and CA), token. Needs `root` and `port` set; removes everything on exit.
cd "$root"
for product in predict-server predict-bench predict-client; do swift build -c release --product $product > /dev/null; done
bin=$root/.build/release
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/repo/iris/1" "$work/repo/iris/2"
cp examples/models/iris/1/model.onnx "$work/repo/iris/1/"
cp examples/models/iris/1/model.onnx "$work/repo/iris/2/"
printf 'traffic: [{version: 1, percent: 100}]\n' > "$work/repo/iris/config.yaml"
"$bin/predict-server" --dev --models "$work/repo" --state-dir "$work/state" --port "$port" --log-level warning > "$work/server.log" 2>&1 &
pid=$!
client=("$bin/predict-client" --server "localhost:$port" --ca "$work/state/ca.pem")
for _ in $(seq 1 60); do
    [ -f "$work/state/dev-token" ] && "${client[@]}" --token "$(cat "$work/state/dev-token")" ready > /dev/null 2>&1 && break
    sleep 0.5
done
token=$(cat "$work/state/dev-token")

# Shared by bench/*/run.sh: `bench_venv` sets $venv to a Python with the fixture packages
# ($FIXTURE_VENV if set, else a venv made once under .build-fixture-venv), and
# `bench_models DIR` writes the benchmark models and rows of bench/runtime/make-bench-models.py.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

bench_venv() {
  venv=${FIXTURE_VENV:-$root/.build-fixture-venv}
  if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check -r "$root/scripts/fixtures-requirements.txt"
  fi
}

bench_models() {
  "$venv/bin/python" "$root/bench/runtime/make-bench-models.py" "$1" >&2
}

#!/usr/bin/env python3
"""One command: ``python benchmarks/run.py --db sqlite --duration 10`` (see README.md).

Creates ``benchmarks/.venv`` on first use (djgateway editable + requirements.txt), then runs
the benchmark inside it. Needs ``wrk`` and ``taskset`` on the PATH.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENV = HERE / ".venv"
REQUIREMENTS = HERE / "requirements.txt"
STAMP = VENV / "bench-requirements.sha256"


def ensure_venv() -> Path:
    """The benchmark's own virtualenv, (re)installed when requirements.txt changes."""
    python = VENV / "bin" / "python"
    wanted = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    if python.exists() and STAMP.exists() and STAMP.read_text() == wanted:
        return python
    print(f"setting up {VENV} ...", flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    pip = [str(python), "-m", "pip", "install", "-q"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "-e", str(HERE.parent), "-r", str(REQUIREMENTS)], check=True)
    STAMP.write_text(wanted)
    return python


def main() -> None:
    missing = [tool for tool in ("wrk", "taskset") if shutil.which(tool) is None]
    if missing:
        sys.exit(f"missing: {', '.join(missing)} (Debian: apt-get install wrk util-linux)")
    if Path(sys.prefix).resolve() != VENV.resolve():
        python = ensure_venv()
        os.execv(python, [str(python), __file__, *sys.argv[1:]])
    sys.path.insert(0, str(HERE))
    from bench.main import main as run

    sys.exit(run(sys.argv[1:]))


if __name__ == "__main__":
    main()

"""A management command's output is its own: no library noise such as django-axes' start banner."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_management_command_prints_no_axes_banner():
    env = {**os.environ, "DEBUG": "1"}
    env.pop("REDIS_URL", None)
    done = subprocess.run(
        [sys.executable, "manage.py", "load_demo", "--help"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert "AXES" not in done.stdout
    assert "AXES" not in done.stderr

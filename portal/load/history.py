"""When content files entered the git history: which of two files is the newer one (the copy a
pull request adds, not the original it duplicates). Asked only when there is such a pair."""

from __future__ import annotations

import subprocess
from pathlib import Path

NOT_COMMITTED = float("inf")  # a file not in the history yet is the newest of all


def added_at(path: str) -> float:
    """Seconds since the epoch of the commit that added `path`; `NOT_COMMITTED` for a file git
    does not know yet, or when git or the repository is not there (the order is then by name)."""
    file = Path(path)
    try:
        done = subprocess.run(["git", "log", "--diff-filter=A", "--follow", "--format=%ct", "--", file.name],
                              cwd=file.parent if str(file.parent) else ".", capture_output=True, text=True,
                              timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return NOT_COMMITTED
    stamps = done.stdout.split()
    return float(stamps[-1]) if done.returncode == 0 and stamps else NOT_COMMITTED

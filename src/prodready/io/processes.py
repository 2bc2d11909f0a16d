"""Run another program with a time limit that holds for everything it starts.

git starts ssh, gpg starts its helpers: killing only the direct child at a timeout
leaves them running. Each program runs in a session of its own (no terminal to prompt
on) and, at the limit, its whole process group is killed.
"""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path


def run_bounded(
    command: list[str],
    *,
    timeout: float,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    stdin: str | None = None,
) -> tuple[int, str, str]:
    """(exit status, standard output, standard error) of ``command``, given ``stdin`` or nothing.

    Raises ``subprocess.TimeoutExpired`` once the group is killed, and ``OSError`` when
    the program cannot be started; output is decoded with replacement characters.
    """
    with subprocess.Popen(
        command,
        cwd=cwd,
        stdin=subprocess.DEVNULL if stdin is None else subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
        env=env,
        start_new_session=True,
    ) as proc:
        try:
            stdout, stderr = proc.communicate(stdin, timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise
    return proc.returncode, stdout, stderr

"""Write reports so that a failure never leaves a half-written file behind.

A report replaces a regular file or creates one; it never replaces a symbolic link
(which would silently stop pointing where someone meant it to), a FIFO or a device.
To write to standard output, commands take ``-``.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import InputError


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file in the same directory and a rename."""
    directory = path.parent if str(path.parent) else Path(".")
    if path.is_symlink() or (path.exists() and not path.is_file()):
        kind = "a symbolic link" if path.is_symlink() else "not a regular file (a directory, FIFO or device)"
        raise InputError(path, f"the output is {kind}", "name a regular file, or - for standard output")
    if not directory.is_dir():
        raise InputError(
            path, "the output directory does not exist", f"create {directory} first or choose another path"
        )
    try:
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text)
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)  # a report, not a secret: mkstemp's 0600 is too strict
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise InputError(
            path, f"cannot write the output ({error.strerror})", "check the path and its permissions"
        ) from error

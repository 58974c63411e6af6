"""Provides safe report writes: atomic (temporary file and rename), never through a link.

A repository under audit may plant `mlaudit.sarif -> ~/.bashrc`; writing through that link
would overwrite a file outside it. `write_output` refuses a destination that is a symbolic
link or not a regular file, writes a temporary file in the destination's folder and renames
it over the destination, so readers never see a half-written report.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


class OutputError(OSError):
    """A report could not be written (a link, a folder, a device, or an OS error); the message is one line."""


def write_output(path: str | Path, text: str) -> Path:
    """Write `text` (UTF-8) to `path` atomically; raise OutputError instead of following a link."""
    target = Path(path)
    mode = check_destination(target)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as err:
        raise OutputError(f"cannot write {target}: {err.strerror or err}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp_name, mode)
        check_destination(target)
        os.replace(temp_name, target)
    except OutputError:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    except (OSError, UnicodeEncodeError) as err:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        detail = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
        raise OutputError(f"cannot write {target}: {detail}") from None
    return target


def check_destination(target: Path) -> int:
    """Return the file mode to write with; raise OutputError for links, folders and devices."""
    try:
        info = target.lstat()
    except FileNotFoundError:
        return _default_mode()
    except OSError as err:
        raise OutputError(f"cannot write {target}: {err.strerror or err}") from None
    if stat.S_ISLNK(info.st_mode):
        raise OutputError(f"refusing to write {target}: it is a symbolic link (remove it or choose another path)")
    if not stat.S_ISREG(info.st_mode):
        raise OutputError(f"refusing to write {target}: not a regular file")
    return stat.S_IMODE(info.st_mode)


def _default_mode() -> int:
    """Return the mode a new file gets under the current umask (0o666 minus umask)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask

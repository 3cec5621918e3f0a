"""Writing files safely: a temporary file beside the target, then an atomic rename.

A failed write leaves the target as it was and no partial file behind; a case file is never
overwritten by its own output. A write that is killed (power cut, ``kill -9``) cannot clean up:
its temporary file carries the writer's process id, and the next write into that folder removes
the temporaries of processes that are gone. Files that belong together (``--csv``) are written
as a set: every file is written first, then each is renamed into place, then a manifest with
their SHA-256 digests; a set interrupted halfway shows as files that do not match the manifest.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from .errors import OutputError

__all__ = [
    "MANIFEST",
    "atomic_write",
    "atomic_write_bytes",
    "atomic_write_set",
    "clean_stale",
    "reproducible_zip",
]

MANIFEST = "bpo-cost-manifest.json"
# Temporaries: ".<target>.<pid>.<random>.tmp" (files, or a folder for a set). Those of release
# 0.1.0 had no process id: removed once older than a day, when no write can still be running.
_TEMP = re.compile(r"\.(?P<name>.+?)\.(?:(?P<pid>\d+)\.)?[A-Za-z0-9_]{8}\.tmp")
_OLD_TEMP_SECONDS = 86_400


def _temp_prefix(name: str) -> str:
    return f".{name}.{os.getpid()}."


def clean_stale(folder: str | Path) -> list[Path]:
    """Remove the temporaries that killed writes left in ``folder``; return what was removed.

    A temporary whose process is still running is kept (it is being written); without a process
    id, or where a process cannot be asked (Windows), one older than a day is removed.
    """
    removed: list[Path] = []
    try:
        entries = [e for e in os.scandir(folder) if e.name.endswith(".tmp")]
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        match = _TEMP.fullmatch(entry.name)
        if match is None:
            continue
        try:
            pid = match["pid"]
            if pid is not None and _can_ask_processes():
                stale = not _running(int(pid))
            else:
                stale = now - entry.stat(follow_symlinks=False).st_mtime > _OLD_TEMP_SECONDS
            if not stale:
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
            removed.append(Path(entry.path))
        except OSError:  # another process removed it first, or it is not ours to remove
            continue
    return removed


def _can_ask_processes() -> bool:
    # os.kill(pid, 0) only asks on POSIX; on Windows any signal ends the process
    return sys.platform != "win32" and hasattr(os, "kill")


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # someone else's process: leave its files alone
    return True


def atomic_write(
    target: str | Path, write: Callable[[Path], None], *, protect: Iterable[str | Path] = ()
) -> Path:
    """Call ``write(tmp_path)``, then rename the temporary file onto ``target``.

    ``protect`` lists files that must not be overwritten (the case the output was made from).
    """
    target = Path(target)
    resolved = target.resolve()
    if any(resolved == Path(p).resolve() for p in protect):
        raise OutputError(f"refusing to overwrite the input file {target}: choose another name")
    if not target.parent.is_dir():
        raise OutputError(f"cannot write {target}: folder {target.parent} does not exist")
    if target.is_dir():
        raise OutputError(f"cannot write {target}: it is a folder")
    clean_stale(target.parent)
    try:
        fd, tmp_name = tempfile.mkstemp(
            dir=target.parent, prefix=_temp_prefix(target.name), suffix=".tmp"
        )
    except OSError as exc:
        raise OutputError(f"cannot write in {target.parent}: {exc.strerror}") from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        # mkstemp makes the file private (0600): give it the mode the target has, or would get
        os.chmod(tmp, target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_umask())
        os.replace(tmp, target)
    except PermissionError:
        raise OutputError(
            f"cannot write {target}: permission denied (is it open in Excel, or read-only?)"
        ) from None
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
    finally:
        tmp.unlink(missing_ok=True)
    return target


def atomic_write_set(
    folder: str | Path,
    writers: Mapping[str, Callable[[Path], None]],
    *,
    protect: Iterable[str | Path] = (),
) -> list[Path]:
    """Write files that belong together into ``folder`` (made if missing), as a set.

    Every ``writers[name](path)`` writes into a hidden temporary folder first, so a failure
    changes nothing; then the files are renamed into place and ``MANIFEST`` (name -> SHA-256)
    is written last. After a kill between the renames, the files that do not match the manifest
    are the ones to distrust. Returns the paths written, the manifest last.
    """
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise OutputError(
            f"cannot write in {folder}: not a folder (a file is in the way)"
        ) from None
    except OSError as exc:
        raise OutputError(f"cannot write in {folder}: {exc.strerror or exc}") from None
    targets = [folder / name for name in [*writers, MANIFEST]]
    protected = {Path(p).resolve() for p in protect}
    for target in targets:
        if target.resolve() in protected:
            raise OutputError(f"refusing to overwrite the input file {target}: choose another name")
    clean_stale(folder)
    try:
        stage = Path(tempfile.mkdtemp(dir=folder, prefix=_temp_prefix(MANIFEST), suffix=".tmp"))
    except OSError as exc:
        raise OutputError(f"cannot write in {folder}: {exc.strerror or exc}") from None
    try:
        digests = {}
        for name, write in writers.items():
            write(stage / name)
            digests[name] = hashlib.sha256((stage / name).read_bytes()).hexdigest()
        manifest = {"written_by": "bpo-cost", "sha256": digests}
        (stage / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        mode = 0o666 & ~_umask()
        for target in targets:
            os.chmod(stage / target.name, mode)  # mkdtemp's folder is private, its files need not
            os.replace(stage / target.name, target)
    except PermissionError:
        raise OutputError(
            f"cannot write in {folder}: permission denied (is a file open in Excel, or read-only?)"
        ) from None
    except OSError as exc:
        raise OutputError(f"cannot write in {folder}: {exc.strerror or exc}") from None
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return targets


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_bytes(
    target: str | Path, data: bytes, *, protect: Iterable[str | Path] = ()
) -> Path:
    """Write bytes atomically (see ``atomic_write``)."""

    def write(path: Path) -> None:
        path.write_bytes(data)

    return atomic_write(target, write, protect=protect)


def reproducible_zip(package: bytes, *, modified: str, application: str) -> bytes:
    """An Office file (a zip) whose bytes depend on its content only.

    Member times are fixed, the ``modified`` document property (a W3CDTF timestamp such as
    ``2027-01-01T00:00:00Z``) replaces the time of saving and ``application`` the name and version
    of the library that saved it, so that a file generated twice, on any machine and with any
    version of that library, is the same file.
    """
    out = io.BytesIO()
    stamp = modified.encode("ascii")
    app = application.encode("ascii")
    with zipfile.ZipFile(io.BytesIO(package)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            elif info.filename == "docProps/app.xml":
                data = re.sub(rb"(<Application>)[^<]*", rb"\g<1>" + app, data)
                data = re.sub(rb"(<AppVersion>)[^<]*", rb"\g<1>" + _APP_VERSION, data)
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, data)
    return out.getvalue()


_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip member can carry
_APP_VERSION = b"1.0"  # Office reads "major.minor"; the library's own version would vary

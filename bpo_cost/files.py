"""Writing files safely: a temporary file beside the target, then an atomic rename.

A failed write leaves the target as it was and no partial file behind; a case file is never
overwritten by its own output.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

from .errors import OutputError

__all__ = ["atomic_write", "atomic_write_bytes", "reproducible_zip"]


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
    try:
        fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
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

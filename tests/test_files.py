"""Files are written atomically: all or nothing, never over the input, clear when blocked."""

from __future__ import annotations

import os
import stat

import pytest

from bpo_cost import OutputError
from bpo_cost.files import atomic_write, atomic_write_bytes


def test_writes_the_whole_file(tmp_path):
    target = tmp_path / "out.txt"
    atomic_write_bytes(target, b"hello")
    assert target.read_bytes() == b"hello"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_failure_midway_leaves_the_old_file_and_no_partial(tmp_path):
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"previous version")

    def crash(path):
        path.write_bytes(b"half a work")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        atomic_write(target, crash)
    assert target.read_bytes() == b"previous version"
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]


def test_refuses_to_overwrite_the_input(tmp_path):
    case = tmp_path / "case.yaml"
    case.write_text("name: x\n")
    with pytest.raises(OutputError, match="input file"):
        atomic_write_bytes(tmp_path / "." / "case.yaml", b"oops", protect=[case])
    assert case.read_text() == "name: x\n"


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(OutputError, match="does not exist"):
        atomic_write_bytes(tmp_path / "nope" / "out.txt", b"x")


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_folder_is_a_clear_error(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        with pytest.raises(OutputError, match="locked"):
            atomic_write_bytes(folder / "out.txt", b"x")
    finally:
        folder.chmod(stat.S_IRWXU)


def test_target_that_is_a_folder_is_refused(tmp_path):
    with pytest.raises(OutputError, match="folder"):
        atomic_write_bytes(tmp_path, b"x")


def test_permission_error_on_replace_names_excel(tmp_path, monkeypatch):
    # Windows refuses to replace a file Excel holds open: os.replace raises PermissionError.
    def locked(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(OutputError, match="open in Excel"):
        atomic_write_bytes(tmp_path / "out.xlsx", b"x")
    assert list(tmp_path.iterdir()) == []


def test_folder_without_write_permission_is_a_clear_error(tmp_path, monkeypatch):
    # As root (CI) permissions cannot be denied for real: make creating the temporary file fail.
    import tempfile

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    with pytest.raises(OutputError, match=r"cannot write in .*Permission denied"):
        atomic_write_bytes(tmp_path / "out.txt", b"x")


def test_new_file_gets_ordinary_permissions_and_existing_keeps_its_own(tmp_path):
    mask = os.umask(0o022)
    try:
        fresh = atomic_write_bytes(tmp_path / "new.txt", b"x")
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
        kept = tmp_path / "kept.txt"
        kept.write_bytes(b"old")
        kept.chmod(0o640)
        atomic_write_bytes(kept, b"new")
        assert stat.S_IMODE(kept.stat().st_mode) == 0o640
    finally:
        os.umask(mask)

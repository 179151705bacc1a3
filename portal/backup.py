"""Backups of the database and the uploaded files, and restoring them.

A backup is a folder holding `database.sqlite3` (SQLite, taken with SQLite's online backup API, so the
site may keep running) or `database.pgdump` (PostgreSQL, `pg_dump --format=custom`), `media.tar.gz` with
every uploaded file, and `manifest.json` saying what was taken and when.

Uploaded files are included only when they are local files (MEDIA_ROOT). When they live in an S3-compatible
bucket (MEDIA_S3_BUCKET), a backup holds the database only and says so (manifest "media": "object-storage",
and the commands print it): the bucket is backed up with the object store's own means (versioning,
replication to a second bucket, or a scheduled `rclone sync` / `aws s3 sync`), see docs/deploy.md.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import connection

MEDIA_LOCAL = "local"
MEDIA_OBJECT_STORAGE = "object-storage"


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class BackupResult:
    folder: Path
    database_file: Path
    media_files: int | None  # None: the uploaded files are in object storage, not in this backup


def media_is_local() -> bool:
    """Whether uploaded files are local files under MEDIA_ROOT (and so part of a backup)."""
    return isinstance(storages["default"], FileSystemStorage)


def _vendor() -> str:
    return connection.vendor


def _pg_env() -> tuple[list[str], dict[str, str]]:
    params = connection.settings_dict
    args = [
        "--host",
        params.get("HOST") or "localhost",
        "--port",
        str(params.get("PORT") or 5432),
        "--username",
        params.get("USER") or "postgres",
        "--dbname",
        params["NAME"],
    ]
    env = dict(os.environ)
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = params["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed; install the PostgreSQL client tools.")
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[:2000]}")


def backup_database(target_dir: Path) -> Path:
    connection.ensure_connection()
    if _vendor() == "sqlite":
        target = target_dir / "database.sqlite3"
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
        return target
    if _vendor() == "postgresql":
        target = target_dir / "database.pgdump"
        args, env = _pg_env()
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target), *args], env)
        return target
    raise BackupError(f"Backups of {_vendor()} databases are not supported.")


def restore_database(source_dir: Path) -> None:
    connection.ensure_connection()
    if _vendor() == "sqlite":
        source_file = source_dir / "database.sqlite3"
        if not source_file.exists():
            raise BackupError(f"{source_file} not found: this backup was not taken from SQLite.")
        source = sqlite3.connect(source_file)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        return
    if _vendor() == "postgresql":
        source_file = source_dir / "database.pgdump"
        if not source_file.exists():
            raise BackupError(f"{source_file} not found: this backup was not taken from PostgreSQL.")
        connection.close()
        args, env = _pg_env()
        _run(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", *args, str(source_file)], env
        )
        return
    raise BackupError(f"Restoring {_vendor()} databases is not supported.")


def backup_media(target_dir: Path) -> tuple[Path, int]:
    target = target_dir / "media.tar.gz"
    media_root = Path(settings.MEDIA_ROOT)
    count = 0
    with tarfile.open(target, "w:gz") as archive:
        if media_root.exists():
            for path in sorted(media_root.rglob("*")):
                if path.is_file():
                    archive.add(path, arcname=str(path.relative_to(media_root)))
                    count += 1
    return target, count


def restore_media(source_dir: Path) -> int:
    source = source_dir / "media.tar.gz"
    if not source.exists():
        raise BackupError(f"{source} not found.")
    media_root = Path(settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    count = 0
    with tarfile.open(source, "r:gz") as archive:
        members = [m for m in archive.getmembers() if m.isfile()]
        archive.extractall(media_root, members=members, filter="data")
        count = len(members)
    return count


def backup_create(*, root: Path, now: datetime.datetime | None = None) -> BackupResult:
    stamp = (now or datetime.datetime.now()).strftime("%Y%m%d-%H%M%S")
    folder = root / stamp
    folder.mkdir(parents=True, exist_ok=False)
    local_media = media_is_local()
    try:
        database_file = backup_database(folder)
        media_count = backup_media(folder)[1] if local_media else None
    except Exception:
        shutil.rmtree(folder, ignore_errors=True)  # never leave a half backup that looks whole
        raise
    manifest = {
        "taken_at": stamp,
        "database": _vendor(),
        "database_file": database_file.name,
        "media": MEDIA_LOCAL if local_media else MEDIA_OBJECT_STORAGE,
        "media_files": media_count,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return BackupResult(folder, database_file, media_count)


def backup_restore(*, folder: Path) -> dict:
    """Restore the database, and the uploaded files when both the backup and the site keep them locally.

    The manifest returned has "media_restored" set to whether the uploaded files were restored."""
    manifest_file = folder / "manifest.json"
    if not manifest_file.exists():
        raise BackupError(f"{folder} is not a complete backup (no manifest.json).")
    manifest = json.loads(manifest_file.read_text())
    if manifest.get("database") != _vendor():
        raise BackupError(
            f"This backup holds a {manifest.get('database')} database; the site is configured for {_vendor()}."
        )
    has_media = manifest.get("media", MEDIA_LOCAL) == MEDIA_LOCAL
    if has_media and not (folder / "media.tar.gz").exists():
        raise BackupError(f"{folder} is not a complete backup (no media.tar.gz).")
    restore_database(folder)
    manifest["media_restored"] = has_media and media_is_local()
    if manifest["media_restored"]:
        restore_media(folder)
    return manifest

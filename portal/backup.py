"""Backups of the database and the uploaded files, and restoring them.

A backup is a folder holding `database.sqlite3` (SQLite, taken with SQLite's online backup API, so the
site may keep running) or `database.pgdump` (PostgreSQL, `pg_dump --format=custom`), `media.tar.gz` with
every uploaded file, and `manifest.json` saying what was taken and when.

Uploaded files are included only when they are local files (MEDIA_ROOT). When they live in an S3-compatible
bucket (MEDIA_S3_BUCKET), a backup holds the database only and says so (manifest "media": "object-storage",
and the commands print it): the bucket is backed up with the object store's own means (versioning,
replication to a second bucket, or a scheduled `rclone sync` / `aws s3 sync`), see docs/deploy.md.

Backups hold applicants' ID numbers and ID scans, so the database and the files are encrypted
(`database.sqlite3.enc` / `database.pgdump.enc`, `media.tar.gz.enc`): AES-256-GCM in 1 MiB chunks, each
authenticated with its number and whether it is the last (a reordered, altered or cut file is refused). The key is
kept outside the backup: the `BACKUP_KEY` setting (environment variable, 32 bytes in URL-safe base64) or the key
file `BACKUP_KEY_FILE` (default `var/backup.key`, created with mode 600 by the first backup). Keep a copy of the
key somewhere safe and apart from the backups: without it they cannot be restored. The manifest (no personal data)
names the key by a fingerprint, so a restore with another key says so. Backups taken before encryption (no
"encryption" in the manifest) are still restored.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import json
import os
import secrets
import shutil
import sqlite3
import struct
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import connection

MEDIA_LOCAL = "local"
MEDIA_OBJECT_STORAGE = "object-storage"


class BackupError(Exception):
    pass


# --- encryption ---------------------------------------------------------------------------------------------

ENCRYPTION = "aes-256-gcm-chunked-v1"
MAGIC = b"PORTAL-BACKUP-1\n"
CHUNK = 1024 * 1024
ENCRYPTED = ".enc"


def _key_from_text(text: str, where: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(text.strip().encode() + b"==")
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != 32:
        raise BackupError(f"{where} is not a backup key (32 bytes in URL-safe base64).")
    return key


def backup_key(*, create: bool = False) -> bytes:
    """The backup key: the BACKUP_KEY setting, else the key file (created, mode 600, when ``create`` is set)."""
    if settings.BACKUP_KEY:
        return _key_from_text(settings.BACKUP_KEY, "BACKUP_KEY")
    path = Path(settings.BACKUP_KEY_FILE)
    if path.exists():
        return _key_from_text(path.read_text(), str(path))
    if not create:
        raise BackupError(f"No backup key: set BACKUP_KEY or put the key file at {path} (BACKUP_KEY_FILE).")
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=") + "\n")
    return _key_from_text(path.read_text(), str(path))


def key_fingerprint(key: bytes) -> str:
    return hashlib.sha256(b"portal-backup-key:" + key).hexdigest()[:16]


def _check_key_outside(root: Path) -> None:
    if settings.BACKUP_KEY:
        return
    key_file = Path(settings.BACKUP_KEY_FILE).resolve()
    if key_file.is_relative_to(root.resolve()):
        raise BackupError(f"The backup key file {key_file} is inside the backup folder {root}: keep it elsewhere.")


def encrypt_stream(source, target, key: bytes) -> None:
    """Encrypt the binary stream ``source`` into ``target`` (the format of the module's note)."""
    prefix = secrets.token_bytes(8)
    target.write(MAGIC + prefix)
    cipher = AESGCM(key)
    number = 0
    chunk = source.read(CHUNK)
    while True:
        following = source.read(CHUNK)
        last = not following
        nonce = prefix + struct.pack(">I", number)
        sealed = cipher.encrypt(nonce, chunk, MAGIC + prefix + struct.pack(">I?", number, last))
        target.write(struct.pack(">I", len(sealed)) + sealed)
        if last:
            return
        number += 1
        chunk = following


def decrypt_stream(source, target, key: bytes) -> None:
    header = source.read(len(MAGIC) + 8)
    if not header.startswith(MAGIC):
        raise BackupError("Not an encrypted backup file.")
    prefix = header[len(MAGIC) :]
    cipher = AESGCM(key)
    number = 0
    while True:
        size = source.read(4)
        if len(size) != 4:
            raise BackupError("The encrypted backup file is cut short.")
        sealed = source.read(struct.unpack(">I", size)[0])
        nonce = prefix + struct.pack(">I", number)
        for last in (False, True):
            try:
                chunk = cipher.decrypt(nonce, sealed, MAGIC + prefix + struct.pack(">I?", number, last))
            except InvalidTag:
                continue
            break
        else:
            raise BackupError("The backup cannot be decrypted: wrong key, or the file was altered.")
        target.write(chunk)
        if last:
            if source.read(1):
                raise BackupError("The encrypted backup file has data after its end.")
            return
        number += 1


def _encrypt_file(plain: Path, key: bytes) -> Path:
    target = plain.with_name(plain.name + ENCRYPTED)
    with plain.open("rb") as source, target.open("wb") as out:
        encrypt_stream(source, out, key)
    plain.unlink()
    return target


def _decrypt_file(encrypted: Path, into: Path, key: bytes) -> Path:
    target = into / encrypted.name.removesuffix(ENCRYPTED)
    with encrypted.open("rb") as source, target.open("wb") as out:
        decrypt_stream(source, out, key)
    return target


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
    """Take an encrypted backup into a new time-stamped folder under ``root`` (see the module's note)."""
    _check_key_outside(root)
    key = backup_key(create=True)
    stamp = (now or datetime.datetime.now()).strftime("%Y%m%d-%H%M%S")
    folder = root / stamp
    folder.mkdir(parents=True, exist_ok=False)
    os.chmod(folder, 0o700)
    local_media = media_is_local()
    try:
        # The plain files exist only in a private folder inside the backup, and only until they are encrypted.
        with tempfile.TemporaryDirectory(dir=folder, prefix=".plain-") as plain:
            database_file = _encrypt_file(backup_database(Path(plain)), key).rename(
                folder / (backup_database_name() + ENCRYPTED)
            )
            media_count = None
            if local_media:
                media_file, media_count = backup_media(Path(plain))
                _encrypt_file(media_file, key).rename(folder / (media_file.name + ENCRYPTED))
    except Exception:
        shutil.rmtree(folder, ignore_errors=True)  # never leave a half backup that looks whole
        raise
    manifest = {
        "taken_at": stamp,
        "database": _vendor(),
        "database_file": database_file.name,
        "media": MEDIA_LOCAL if local_media else MEDIA_OBJECT_STORAGE,
        "media_files": media_count,
        "encryption": ENCRYPTION,
        "key_fingerprint": key_fingerprint(key),
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return BackupResult(folder, database_file, media_count)


def backup_database_name() -> str:
    return "database.sqlite3" if _vendor() == "sqlite" else "database.pgdump"


def backup_restore(*, folder: Path) -> dict:
    """Restore the database, and the uploaded files when both the backup and the site keep them locally; an
    encrypted backup is decrypted with the backup key first.

    The manifest returned has "media_restored" set to whether the uploaded files were restored."""
    manifest_file = folder / "manifest.json"
    if not manifest_file.exists():
        raise BackupError(f"{folder} is not a complete backup (no manifest.json).")
    manifest = json.loads(manifest_file.read_text())
    if manifest.get("database") != _vendor():
        raise BackupError(
            f"This backup holds a {manifest.get('database')} database; the site is configured for {_vendor()}."
        )
    encrypted = manifest.get("encryption")
    if encrypted not in (None, ENCRYPTION):
        raise BackupError(f"This backup is encrypted with {encrypted}, which this version cannot read.")
    suffix = ENCRYPTED if encrypted else ""
    has_media = manifest.get("media", MEDIA_LOCAL) == MEDIA_LOCAL
    if has_media and not (folder / f"media.tar.gz{suffix}").exists():
        raise BackupError(f"{folder} is not a complete backup (no media.tar.gz{suffix}).")
    manifest["media_restored"] = has_media and media_is_local()
    if not encrypted:
        restore_database(folder)
        if manifest["media_restored"]:
            restore_media(folder)
        return manifest
    key = backup_key()
    if manifest.get("key_fingerprint") not in (None, key_fingerprint(key)):
        raise BackupError("This backup was encrypted with another key than BACKUP_KEY / BACKUP_KEY_FILE.")
    with tempfile.TemporaryDirectory(dir=folder, prefix=".plain-") as plain:
        _decrypt_file(folder / (backup_database_name() + ENCRYPTED), Path(plain), key)
        if manifest["media_restored"]:
            _decrypt_file(folder / "media.tar.gz.enc", Path(plain), key)
        restore_database(Path(plain))
        if manifest["media_restored"]:
            restore_media(Path(plain))
    return manifest

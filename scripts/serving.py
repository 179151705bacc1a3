"""What `make bench` and `make loadtest` share: a PostgreSQL server to create their database on, and a
gunicorn started in the background, waited for on /healthz and stopped with its workers."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.request


def postgres_answers(server_url: str) -> bool:
    """Whether a PostgreSQL server answers at ``server_url`` (``postgres://user@host:port``)."""
    try:
        import psycopg2

        psycopg2.connect(f"{server_url}/postgres", connect_timeout=3).close()
        return True
    except Exception:  # noqa: BLE001 - any failure means "no PostgreSQL here"
        return False


def pg_admin(server_url: str, *statements: str) -> None:
    """Run statements such as CREATE/DROP DATABASE, which need a connection outside a transaction."""
    import psycopg2

    conn = psycopg2.connect(f"{server_url}/postgres")
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    finally:
        conn.close()


def recreate_pg_database(server_url: str, name: str) -> None:
    pg_admin(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')


def drop_pg_database(server_url: str, name: str) -> None:
    pg_admin(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def start_server(command: list[str], *, port: int, timeout: float = 60, **popen) -> subprocess.Popen:
    """Start ``command`` (a gunicorn) in its own process group and return once /healthz answers on ``port``."""
    process = subprocess.Popen(command, start_new_session=True, **popen)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped at start-up (exit status {process.returncode})")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return process
        except OSError:
            time.sleep(0.3)
    stop_server(process)
    raise RuntimeError(f"the server did not answer within {timeout:.0f} s")


def stop_server(process: subprocess.Popen) -> None:
    """Stop the server and its workers: SIGTERM to the group, SIGKILL if it lingers."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

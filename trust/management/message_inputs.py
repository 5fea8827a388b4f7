"""The messages named on the command line: files, directories, mbox files, Maildirs and '-'.

Each message is read only up to the size limit (one byte more tells that it is over), one at a
time, so that memory stays bounded whatever the inputs; an input that cannot be read becomes an
error item in its place and the rest are still read.
"""

from __future__ import annotations

import mailbox
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

MBOX_START = b"From "


@dataclass
class MessageInput:
    """One message to check, or the reason it could not be read (error: unreadable, too_large)."""

    source: str  # the input's name, with #n (mbox) or #key (Maildir) for one message in it
    data: bytes = b""
    is_email: bool = False  # a message from a mailbox is always an email
    error: str = ""
    detail: str = ""


def _bounded(source: str, handle: BinaryIO, limit: int, *, is_email: bool) -> MessageInput:
    data = handle.read(limit + 1)
    if len(data) > limit:
        return MessageInput(source, error="too_large", detail=str(limit))
    return MessageInput(source, data, is_email=is_email)


def _unreadable(source: str, error: OSError) -> MessageInput:
    return MessageInput(source, error="unreadable", detail=str(error.strerror or error))


def _is_maildir(path: Path) -> bool:
    return all((path / name).is_dir() for name in ("cur", "new", "tmp"))


def _maildir(path: Path, limit: int) -> Iterator[MessageInput]:
    box = mailbox.Maildir(str(path), factory=None, create=False)
    for key in sorted(box.keys()):
        source = f"{path}#{key}"
        try:
            with box.get_file(key) as handle:
                yield _bounded(source, handle, limit, is_email=True)
        except OSError as error:  # removed or unreadable since it was listed
            yield _unreadable(source, error)


def _mbox(path: Path, limit: int) -> Iterator[MessageInput]:
    box = mailbox.mbox(str(path), factory=None, create=False)
    try:
        for number, key in enumerate(box.iterkeys(), start=1):
            with box.get_file(key) as handle:
                yield _bounded(f"{path}#{number}", handle, limit, is_email=True)
    finally:
        box.close()


def _file(path: Path, limit: int) -> Iterator[MessageInput]:
    try:
        with path.open("rb") as handle:
            start = handle.read(len(MBOX_START))
            if start != MBOX_START:
                handle.seek(0)
                yield _bounded(str(path), handle, limit, is_email=False)
                return
    except OSError as error:
        yield _unreadable(str(path), error)
        return
    try:
        yield from _mbox(path, limit)
    except OSError as error:
        yield _unreadable(str(path), error)


def message_inputs(arguments: list[str], limit: int, stdin: BinaryIO) -> Iterator[MessageInput]:
    """The messages of every argument, in order; a directory's files sorted by name."""
    for argument in arguments:
        if argument == "-":
            yield _bounded("-", stdin, limit, is_email=False)
            continue
        path = Path(argument)
        try:
            if not path.is_dir():
                yield from _file(path, limit)
            elif _is_maildir(path):
                yield from _maildir(path, limit)
            else:
                for child in sorted(child for child in path.iterdir() if child.is_file()):
                    yield from _file(child, limit)
        except OSError as error:
            yield _unreadable(argument, error)

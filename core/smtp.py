"""Helpers shared by the SMTP receivers (aiosmtpd handlers): the client's address, a refusal that
closes the connection, and quiet library logging."""

from __future__ import annotations

import asyncio
import logging


def session_peer(session) -> str:
    """The client's IP address of an aiosmtpd session (its key for rate limits)."""
    peer = session.peer
    return str(peer[0]) if isinstance(peer, tuple | list) else str(peer)


def close_after_reply(server) -> None:
    """Close the connection once the hook's reply has gone out (for a 421 refusal)."""
    # aiosmtpd writes the hook's reply before its next await; closing on the next turn of the
    # loop lets the client read the 421 first (a transport flushes its buffer before closing).
    transport = getattr(server, "transport", None)
    if transport is not None:
        asyncio.get_running_loop().call_soon(transport.close)


def quiet_smtp_library_log() -> None:
    """aiosmtpd logs every SMTP command at INFO (senders' and recipients' addresses included) and
    every line of DATA at DEBUG (the content): keep its logger at WARNING."""
    logging.getLogger("mail.log").setLevel(logging.WARNING)

"""The chunked AEAD format: round trips, fixed test vectors, and every kind of tampering."""

from __future__ import annotations

import hashlib
import io
import itertools
import os

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from hypothesis import given, settings
from hypothesis import strategies as st

from core.crypto import DecryptionError
from documents.encryption import (
    CHUNK_SIZE,
    HEADER_BYTES,
    TAG_BYTES,
    PlaintextTooLarge,
    StreamEncryptor,
    decrypt_stream,
    encrypted_size,
)


def encrypt_bytes(
    plaintext: bytes,
    *,
    data_key: bytes,
    associated_data: bytes,
    nonce_prefix: bytes | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> bytes:
    """The streaming encryptor over a whole buffer (production only streams)."""
    encryptor = StreamEncryptor(
        data_key, associated_data=associated_data, nonce_prefix=nonce_prefix, chunk_size=chunk_size
    )
    return b"".join(encryptor.encrypt(io.BytesIO(plaintext)))


def decrypt_bytes(ciphertext: bytes, *, data_key: bytes, associated_data: bytes) -> bytes:
    return b"".join(
        decrypt_stream(io.BytesIO(ciphertext), data_key=data_key, associated_data=associated_data)
    )


KEY = bytes(range(32))
PREFIX = bytes.fromhex("a0a1a2a3a4a5a6")
OWNER = b"documents.Document:00000000-0000-0000-0000-000000000001"
OTHER_OWNER = b"documents.Document:00000000-0000-0000-0000-000000000002"

VECTOR_SHORT = bytes.fromhex(
    "5053444f430100010000a0a1a2a3a4a5a627043b73d172b3a16500f85baafdcf78716e489dad90ca09b361957b"
    "1cec91c2329cab2ca2a1"
)
VECTOR_THREE_CHUNKS_OF_16 = bytes.fromhex(
    "5053444f430100000010a0a1a2a3a4a5a60ad01eaa9251433a642ace8b950d58641266de564151829e3c6094d2"
    "b0b14e9941f305d49929e098f894a46fd13fb02f14c405b0afe902dd0c5917d4db6c09a1c18ca3cdd2cb396339"
    "df511ccff166cbe10fe6d6afabd7df"
)
VECTOR_EMPTY = bytes.fromhex("5053444f430100010000a0a1a2a3a4a5a6efcab58eab81077dac1543249f7005f9")
VECTOR_TWO_FULL_CHUNKS_SHA256 = "8b7bb29799c0cf680c13a710e2448191f2a9703054739cdd48fd2cc3bda11b2d"


def _encrypt(plaintext: bytes, *, chunk_size: int = CHUNK_SIZE, associated_data: bytes = OWNER):
    return encrypt_bytes(
        plaintext,
        data_key=KEY,
        associated_data=associated_data,
        nonce_prefix=PREFIX,
        chunk_size=chunk_size,
    )


def _segments(ciphertext: bytes, chunk_size: int) -> tuple[bytes, list[bytes]]:
    body = ciphertext[HEADER_BYTES:]
    size = chunk_size + TAG_BYTES
    return ciphertext[:HEADER_BYTES], [body[i : i + size] for i in range(0, len(body), size)]


def test_a_short_plaintext_encrypts_to_the_committed_test_vector():
    assert _encrypt(b"PermitSafe test vector") == VECTOR_SHORT
    assert decrypt_bytes(VECTOR_SHORT, data_key=KEY, associated_data=OWNER) == (
        b"PermitSafe test vector"
    )


def test_a_three_chunk_plaintext_encrypts_to_the_committed_test_vector():
    assert _encrypt(bytes(range(40)), chunk_size=16) == VECTOR_THREE_CHUNKS_OF_16


def test_an_empty_plaintext_is_one_flagged_empty_chunk():
    assert _encrypt(b"") == VECTOR_EMPTY
    assert decrypt_bytes(VECTOR_EMPTY, data_key=KEY, associated_data=OWNER) == b""


def test_a_plaintext_just_over_one_chunk_matches_its_committed_digest():
    plaintext = bytes(i % 251 for i in range(CHUNK_SIZE + 1))
    ciphertext = _encrypt(plaintext)
    assert len(ciphertext) == encrypted_size(len(plaintext)) == HEADER_BYTES + len(plaintext) + 32
    assert hashlib.sha256(ciphertext).hexdigest() == VECTOR_TWO_FULL_CHUNKS_SHA256


def test_the_vector_follows_the_documented_layout_with_plain_aes_gcm():
    """Rebuild the three-chunk vector from the written layout, independently of the module."""
    header = b"PSDOC" + bytes([1]) + (16).to_bytes(4, "big") + PREFIX
    aead = AESGCM(KEY)
    plaintext = bytes(range(40))
    expected = header
    for counter, start in enumerate(range(0, 40, 16)):
        last = start + 16 >= 40
        nonce = PREFIX + counter.to_bytes(4, "big") + (b"\x01" if last else b"\x00")
        expected += aead.encrypt(nonce, plaintext[start : start + 16], header + OWNER)
    assert expected == VECTOR_THREE_CHUNKS_OF_16


@settings(max_examples=40, deadline=None)
@given(plaintext=st.binary(max_size=200), chunk_size=st.integers(min_value=1, max_value=64))
def test_any_plaintext_round_trips_at_any_chunk_size(plaintext, chunk_size):
    ciphertext = encrypt_bytes(
        plaintext, data_key=KEY, associated_data=OWNER, chunk_size=chunk_size
    )
    assert len(ciphertext) == encrypted_size(len(plaintext), chunk_size)
    assert decrypt_bytes(ciphertext, data_key=KEY, associated_data=OWNER) == plaintext


def test_a_multi_chunk_file_streams_back_one_chunk_at_a_time():
    plaintext = b"x" * (3 * CHUNK_SIZE + 123)
    encryptor = StreamEncryptor(KEY, associated_data=OWNER)
    ciphertext = b"".join(encryptor.encrypt(io.BytesIO(plaintext)))
    assert encryptor.plaintext_size == len(plaintext)
    chunks = list(decrypt_stream(io.BytesIO(ciphertext), data_key=KEY, associated_data=OWNER))
    assert [len(chunk) for chunk in chunks] == [CHUNK_SIZE, CHUNK_SIZE, CHUNK_SIZE, 123]
    assert b"".join(chunks) == plaintext


def test_two_encryptions_of_the_same_file_differ_by_their_random_nonce_prefix():
    first = encrypt_bytes(b"same", data_key=KEY, associated_data=OWNER)
    second = encrypt_bytes(b"same", data_key=KEY, associated_data=OWNER)
    assert first != second


def _refused(ciphertext: bytes, associated_data: bytes = OWNER):
    with pytest.raises(DecryptionError):
        decrypt_bytes(ciphertext, data_key=KEY, associated_data=associated_data)


def test_a_flipped_byte_anywhere_is_detected():
    ciphertext = _encrypt(bytes(range(40)), chunk_size=16)
    for position in range(len(ciphertext)):
        damaged = bytearray(ciphertext)
        damaged[position] ^= 0x01
        _refused(bytes(damaged))


def test_a_file_cut_at_a_chunk_boundary_is_detected():
    header, segments = _segments(_encrypt(bytes(range(40)), chunk_size=16), 16)
    _refused(header + segments[0] + segments[1])
    _refused(header + segments[0])
    _refused(header)


def test_a_file_cut_inside_a_chunk_is_detected():
    ciphertext = _encrypt(bytes(range(40)), chunk_size=16)
    for length in range(len(ciphertext)):
        _refused(ciphertext[:length])


def test_reordered_chunks_are_detected():
    header, segments = _segments(_encrypt(bytes(range(48)), chunk_size=16), 16)
    _refused(header + segments[1] + segments[0] + segments[2])


def test_a_duplicated_chunk_is_detected():
    header, segments = _segments(_encrypt(bytes(range(48)), chunk_size=16), 16)
    _refused(header + segments[0] + segments[0] + segments[1] + segments[2])
    _refused(header + segments[0] + segments[1] + segments[2] + segments[2])


def test_a_chunk_swapped_in_from_another_file_under_the_same_key_is_detected():
    header, segments = _segments(_encrypt(bytes(range(48)), chunk_size=16), 16)
    other = encrypt_bytes(bytes(48), data_key=KEY, associated_data=OWNER, chunk_size=16)
    _other_header, other_segments = _segments(other, 16)
    _refused(header + segments[0] + other_segments[1] + segments[2])


def test_a_blob_swapped_to_another_owner_does_not_open():
    _refused(_encrypt(b"belongs to the first owner"), associated_data=OTHER_OWNER)


def test_an_edited_header_is_detected():
    ciphertext = bytearray(_encrypt(bytes(range(40)), chunk_size=16))
    ciphertext[5] = 2  # version
    _refused(bytes(ciphertext))
    ciphertext = bytearray(_encrypt(bytes(range(40)), chunk_size=16))
    ciphertext[6:10] = (8).to_bytes(4, "big")  # chunk size
    _refused(bytes(ciphertext))
    _refused(b"NOTPS" + bytes(_encrypt(b"x")[5:]))


def test_a_header_claiming_a_huge_chunk_size_is_refused_before_reading_it():
    ciphertext = bytearray(_encrypt(b"x"))
    ciphertext[6:10] = (2**31).to_bytes(4, "big")
    _refused(bytes(ciphertext))


@pytest.mark.parametrize("size", [0, 1, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 3 * CHUNK_SIZE])
def test_bytes_pushed_as_they_arrive_encrypt_exactly_as_a_file_pulled_through(size):
    # An upload handler pushes pieces of any size; the blob must be the same bytes, chunk for chunk.
    plaintext = os.urandom(size)
    prefix = os.urandom(7)
    pulled = encrypt_bytes(plaintext, data_key=KEY, associated_data=OWNER, nonce_prefix=prefix)
    pusher = StreamEncryptor(KEY, associated_data=OWNER, nonce_prefix=prefix)
    pieces = [pusher.header]
    offset = 0
    for step in itertools.cycle([1, 7000, CHUNK_SIZE, 100_000]):
        if offset >= size:
            break
        pieces += pusher.update(plaintext[offset : offset + step])
        offset += step
    pieces.append(pusher.finish())
    assert b"".join(pieces) == pulled
    assert pusher.plaintext_size == size


def test_pushed_bytes_past_the_limit_are_refused_before_they_are_sealed():
    pusher = StreamEncryptor(KEY, associated_data=OWNER, max_plaintext_bytes=CHUNK_SIZE)
    assert pusher.update(b"x" * CHUNK_SIZE) == []
    with pytest.raises(PlaintextTooLarge):
        pusher.update(b"x")

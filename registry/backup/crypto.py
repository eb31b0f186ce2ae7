"""Passphrase encryption of a backup file, streamed in chunks so a large dump never sits in memory.

Layout: MAGIC, a 16-byte salt, a 7-byte nonce prefix, then chunks of [4-byte length][AES-256-GCM
ciphertext]. Each chunk's nonce is the prefix and the chunk's index; its associated data says
whether it is the last one, so a truncated, reordered or edited file fails to decrypt. The key
comes from the passphrase through scrypt.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"KINGA-BACKUP-AESGCM-1\n"
CHUNK = 1 << 20
_LAST, _MORE = b"last", b"more"


class BackupDecryptError(Exception):
    """Wrong passphrase, or the file was changed or cut short."""


def _key(passphrase: str, salt: bytes) -> bytes:
    return Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(passphrase.encode())


def is_encrypted(head: bytes) -> bool:
    return head.startswith(MAGIC)


def _chunks(source: BinaryIO) -> Iterator[tuple[bytes, bool]]:
    current = source.read(CHUNK)
    while True:
        following = source.read(CHUNK)
        yield current, not following
        if not following:
            return
        current = following


def encrypt_stream(source: BinaryIO, out: BinaryIO, passphrase: str) -> None:
    salt, prefix = os.urandom(16), os.urandom(7)
    aead = AESGCM(_key(passphrase, salt))
    out.write(MAGIC + salt + prefix)
    for index, (chunk, last) in enumerate(_chunks(source)):
        nonce = prefix + struct.pack(">IB", index, 0)
        sealed = aead.encrypt(nonce, chunk, _LAST if last else _MORE)
        out.write(struct.pack(">I", len(sealed)) + sealed)


def decrypt_stream(source: BinaryIO, out: BinaryIO, passphrase: str) -> None:
    if source.read(len(MAGIC)) != MAGIC:
        raise BackupDecryptError("not an encrypted Kinga backup")
    salt, prefix = source.read(16), source.read(7)
    aead = AESGCM(_key(passphrase, salt))
    index, finished = 0, False
    while header := source.read(4):
        if finished or len(header) < 4:
            raise BackupDecryptError("the backup file is damaged (data after its end)")
        (size,) = struct.unpack(">I", header)
        sealed = source.read(size)
        nonce = prefix + struct.pack(">IB", index, 0)
        try:
            chunk = aead.decrypt(nonce, sealed, _MORE)
        except InvalidTag:
            try:
                chunk = aead.decrypt(nonce, sealed, _LAST)
            except InvalidTag:
                raise BackupDecryptError(
                    "wrong passphrase, or the backup file was changed"
                ) from None
            finished = True
        out.write(chunk)
        index += 1
    if not finished:
        raise BackupDecryptError("the backup file is cut short")

"""Where attachment bytes live, behind one interface: a local folder (the default, nothing to set up) or an
S3-compatible service (AWS S3, MinIO, ...) with `CRM_STORAGE_URL=s3://bucket/prefix`.

Bytes are streamed in and out in chunks, hashed (SHA-256) and counted as they arrive: an upload over the size limit is
stopped there, and nothing is kept of it. Keys are made by the core (never from a file's name)."""

from __future__ import annotations

import asyncio
import hashlib
import os
import tempfile
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

CHUNK = 1 << 16


class TooLarge(Exception):
    pass


def new_key() -> str:
    key = uuid.uuid4().hex
    return f"{key[:2]}/{key}"


async def _spool(chunks: AsyncIterator[bytes], limit: int, handle) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    async for chunk in chunks:
        size += len(chunk)
        if size > limit:
            raise TooLarge()
        digest.update(chunk)
        await asyncio.to_thread(handle.write, chunk)
    return size, digest.hexdigest()


class LocalStorage:
    def __init__(self, folder: str):
        self.folder = Path(folder)

    async def save(self, key: str, chunks: AsyncIterator[bytes], limit: int) -> tuple[int, str]:
        target = self.folder / key
        target.parent.mkdir(parents=True, exist_ok=True)
        handle = tempfile.NamedTemporaryFile(dir=target.parent, delete=False)  # renamed into place only when whole
        try:
            with handle:
                size, digest = await _spool(chunks, limit, handle)
            os.replace(handle.name, target)
            return size, digest
        except BaseException:
            Path(handle.name).unlink(missing_ok=True)
            raise

    async def open(self, key: str) -> AsyncIterator[bytes]:
        handle = await asyncio.to_thread(open, self.folder / key, "rb")
        try:
            while chunk := await asyncio.to_thread(handle.read, CHUNK):
                yield chunk
        finally:
            handle.close()

    async def delete(self, key: str) -> None:
        (self.folder / key).unlink(missing_ok=True)


class S3Storage:
    """boto3 in a thread (it is blocking); the upload is spooled to a temporary file first, so that its size and hash
    are known and a too-large upload never reaches the bucket."""

    def __init__(self, bucket: str, prefix: str, endpoint: str | None):
        import boto3

        self.bucket, self.prefix = bucket, prefix.strip("/")
        self.client = boto3.client("s3", endpoint_url=endpoint)

    def _key(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    async def save(self, key: str, chunks: AsyncIterator[bytes], limit: int) -> tuple[int, str]:
        with tempfile.SpooledTemporaryFile(max_size=8 << 20) as spool:
            size, digest = await _spool(chunks, limit, spool)
            spool.seek(0)
            await asyncio.to_thread(self.client.upload_fileobj, spool, self.bucket, self._key(key))
        return size, digest

    async def open(self, key: str) -> AsyncIterator[bytes]:
        body = (await asyncio.to_thread(self.client.get_object, Bucket=self.bucket, Key=self._key(key)))["Body"]
        try:
            while chunk := await asyncio.to_thread(body.read, CHUNK):
                yield chunk
        finally:
            body.close()

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self.client.delete_object, Bucket=self.bucket, Key=self._key(key))


def storage_for(settings):
    url = settings.storage_url
    if url.startswith("s3://"):
        parts = urlsplit(url)
        return S3Storage(parts.netloc, parts.path, settings.storage_s3_endpoint)
    return LocalStorage(url.removeprefix("file:"))

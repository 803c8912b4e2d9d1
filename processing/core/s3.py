"""All S3 access, through boto3: embedded SeaweedFS by default, AWS or any S3 store when configured.

``open_store(settings)`` is the one way in. With ``NEWSLOOM_S3_ENDPOINT`` unset it starts (or
reuses) the embedded server; with it set, the standard AWS credential chain applies. It never
creates the bucket unless asked (``create_bucket=True``: the write paths).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TypedDict

import boto3
from botocore.client import BaseClient
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from processing.core.config import EMBEDDED_ACCESS_KEY, EMBEDDED_SECRET_KEY, Settings
from processing.core.errors import BucketMissing, StoreUnavailable
from processing.core.jsontypes import JSONValue

logger = logging.getLogger(__name__)


class ObjectInfo(TypedDict):
    """One object of a listing (S3 ``ListObjectsV2``'s ``Contents``): the fields read here;
    the entries boto3 returns hold more (``ETag``, ``StorageClass``...)."""

    Key: str
    Size: int
    LastModified: datetime


@dataclass
class ObjectStore:
    """A bucket, with the handful of operations the pipeline needs."""

    client: BaseClient  # boto3's S3 client
    bucket: str
    endpoint: str | None

    def uri(self, key: str) -> str:
        return f"s3://{self.bucket}/{key}"

    # ---- writes ------------------------------------------------------------------------
    def put_bytes(
        self,
        key: str,
        data: bytes,
        content_type: str = "application/octet-stream",
        metadata: dict[str, str] | None = None,
    ) -> None:
        self.client.put_object(
            Bucket=self.bucket,
            Key=key,
            Body=data,
            ContentType=content_type,
            Metadata=metadata or {},
        )

    def put_json(self, key: str, obj: object) -> None:
        """``obj`` as JSON; what JSON has no type for (dates) is written as its ``str``."""
        data = json.dumps(obj, ensure_ascii=False, indent=1, sort_keys=True, default=str)
        self.put_bytes(key, data.encode("utf-8"), "application/json")

    def put_if_absent(
        self, key: str, data: bytes, content_type: str = "application/octet-stream"
    ) -> bool:
        """Create ``key`` only if it does not exist (S3 conditional write); False if it did."""
        try:
            self.client.put_object(
                Bucket=self.bucket, Key=key, Body=data, ContentType=content_type, IfNoneMatch="*"
            )
            return True
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code in ("PreconditionFailed", "ConditionalRequestConflict", "412"):
                return False
            raise

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=key)

    def delete_prefix(self, prefix: str) -> int:
        keys = list(self.list_keys(prefix))
        for i in range(0, len(keys), 1000):
            chunk = keys[i : i + 1000]
            self.client.delete_objects(
                Bucket=self.bucket, Delete={"Objects": [{"Key": k} for k in chunk], "Quiet": True}
            )
        return len(keys)

    # ---- reads -------------------------------------------------------------------------
    def get_bytes(self, key: str) -> bytes:
        return bytes(self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read())

    def get_range(self, key: str, offset: int, length: int) -> bytes:
        rng = f"bytes={offset}-{offset + length - 1}"
        return bytes(self.client.get_object(Bucket=self.bucket, Key=key, Range=rng)["Body"].read())

    def get_json(self, key: str) -> JSONValue:
        return json.loads(self.get_bytes(key))

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=key)
            return True
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise

    def get_json_or_none(self, key: str) -> JSONValue:
        """The object's JSON, or None when there is no such object."""
        try:
            return self.get_json(key)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise

    def list_keys(self, prefix: str) -> Iterator[str]:
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
            for obj in page.get("Contents", []):
                yield obj["Key"]

    def list_objects(self, prefix: str) -> Iterator[ObjectInfo]:
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
            yield from page.get("Contents", [])

    def bucket_exists(self) -> bool:
        try:
            self.client.head_bucket(Bucket=self.bucket)
            return True
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code")
            if code not in ("404", "NoSuchBucket", "NotFound"):
                raise
            return False

    def ensure_bucket(self) -> None:
        if not self.bucket_exists():
            self.client.create_bucket(Bucket=self.bucket)
            logger.info("created bucket %s", self.bucket)


def storage_error(exc: BaseException) -> str | None:
    """A one-line description of an S3 failure (botocore, or pyarrow's S3 file system), or
    None when ``exc`` is not one: what the command line prints instead of a traceback."""
    if isinstance(exc, ClientError):
        err = exc.response.get("Error", {})
        return f"S3 refused {exc.operation_name}: {err.get('Code')} {err.get('Message', '')}"
    if isinstance(exc, BotoCoreError):
        return f"S3 unreachable: {exc}"
    text = str(exc)
    if isinstance(exc, OSError) and ("AWS Error" in text or "curlCode" in text):
        return f"S3 unreachable: {text.splitlines()[0][:300]}"
    return None


def _client(settings: Settings, endpoint: str | None) -> BaseClient:
    config = Config(
        retries={"max_attempts": 5, "mode": "standard"},
        max_pool_connections=32,  # the translation cache reads with 16 threads
        connect_timeout=5,
        read_timeout=60,
        s3={"addressing_style": "path"} if endpoint else {},
    )
    # A fresh session per store: boto3's default session caches the credentials it first
    # resolved, which would ignore rotated or re-configured ones in a long-lived worker.
    session = boto3.session.Session()
    if settings.embedded:
        return session.client(
            "s3",
            endpoint_url=endpoint,
            region_name=settings.s3_region,
            config=config,
            aws_access_key_id=EMBEDDED_ACCESS_KEY,
            aws_secret_access_key=EMBEDDED_SECRET_KEY,
        )
    return session.client(
        "s3", endpoint_url=endpoint, region_name=settings.s3_region, config=config
    )


def open_store(
    settings: Settings | None = None, start_embedded: bool = True, create_bucket: bool = False
) -> ObjectStore:
    """Connect to the configured S3 (starting the embedded server if needed) and check that
    the bucket is there. Only the write paths that may be a deployment's first (a pipeline run,
    a backfill, ``newsloom s3 up``, the demo) pass ``create_bucket``; anything else raises
    :class:`BucketMissing`, so a mistyped bucket never becomes a new, empty corpus."""
    settings = settings or Settings.from_env()
    endpoint = settings.s3_endpoint
    if settings.embedded:
        from processing.core.embedded_s3 import EmbeddedS3
        from processing.core.errors import EmbeddedS3Error

        server = EmbeddedS3(settings.state_dir, settings.embedded_s3_port)
        try:
            status = server.up() if start_embedded else server.status()
        except EmbeddedS3Error as exc:
            raise StoreUnavailable(f"embedded S3: {exc}") from exc
        if not status.running:
            raise StoreUnavailable(f"embedded S3 is not running ({status.describe()})")
        endpoint = status.endpoint
    store = ObjectStore(_client(settings, endpoint), settings.s3_bucket, endpoint)
    try:
        if create_bucket:
            store.ensure_bucket()
        elif not store.bucket_exists():
            raise BucketMissing(settings.s3_bucket, endpoint or "AWS S3")
    except (BotoCoreError, ClientError) as exc:
        where = endpoint or "AWS S3"
        raise StoreUnavailable(
            f"cannot use bucket {settings.s3_bucket!r} at {where}: {exc}"
        ) from exc
    return store

"""Create the corpus bucket on the docker-compose stack's SeaweedFS server if it is missing.

Used by the ``seaweedfs-init`` service. It talks to the SeaweedFS endpoint it is given (never to
``NEWSLOOM_S3_ENDPOINT``), so pointing the stack's pipeline at AWS does not make it create
buckets there: on AWS the bucket comes from infra/terraform.

    python infra/scripts/ensure_bucket.py --endpoint http://seaweedfs:8333 --bucket newsloom

Credentials: ``--access-key``/``--secret-key`` or ``SEAWEEDFS_ACCESS_KEY``/``SEAWEEDFS_SECRET_KEY``.
Waits up to ``--wait`` seconds for the server to answer.
"""

from __future__ import annotations

import argparse
import os
import sys
import time


def ensure_bucket(
    endpoint: str,
    bucket: str,
    access_key: str,
    secret_key: str,
    region: str = "us-east-1",
    wait: float = 60.0,
) -> bool:
    """Create ``bucket`` if needed; True when it was created, False when it existed."""
    import boto3
    from botocore.config import Config
    from botocore.exceptions import BotoCoreError, ClientError

    client = boto3.session.Session().client(
        "s3",
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id=access_key,
        aws_secret_access_key=secret_key,
        config=Config(
            s3={"addressing_style": "path"},
            retries={"max_attempts": 2},
            connect_timeout=3,
            read_timeout=10,
        ),
    )
    deadline = time.monotonic() + wait
    while True:
        try:
            client.head_bucket(Bucket=bucket)
            return False
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code", ""))
            if code in ("404", "NoSuchBucket", "NotFound"):
                client.create_bucket(Bucket=bucket)
                return True
            if time.monotonic() > deadline:
                raise
        except BotoCoreError:
            if time.monotonic() > deadline:
                raise
        time.sleep(1.0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--endpoint", default=os.environ.get("SEAWEEDFS_S3_URL", "http://seaweedfs:8333")
    )
    parser.add_argument("--bucket", default=os.environ.get("NEWSLOOM_S3_BUCKET") or "newsloom")
    parser.add_argument("--access-key", default=os.environ.get("SEAWEEDFS_ACCESS_KEY", ""))
    parser.add_argument("--secret-key", default=os.environ.get("SEAWEEDFS_SECRET_KEY", ""))
    parser.add_argument("--region", default=os.environ.get("AWS_REGION") or "us-east-1")
    parser.add_argument("--wait", type=float, default=60.0)
    args = parser.parse_args(argv)
    created = ensure_bucket(
        args.endpoint, args.bucket, args.access_key, args.secret_key, args.region, args.wait
    )
    print(f"bucket {args.bucket} at {args.endpoint}: {'created' if created else 'exists'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Runtime settings, read from environment variables at call time (never at import).

Every tunable has one environment variable; a deployment overlays them (Airflow worker env,
Kubernetes secrets, a shell). ``Settings.from_env()`` is the single place they are read.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_TRANSLATION_MODEL = "Helsinki-NLP/opus-mt-ar-en"
USER_AGENT = "newsloom/0.1 (+https://github.com/newsloom/newsloom; news research crawler)"

# Credentials the embedded SeaweedFS server enforces. They protect nothing but a loopback
# server; real deployments use the standard AWS variables and NEWSLOOM_S3_ENDPOINT.
EMBEDDED_ACCESS_KEY = "newsloom-local"
EMBEDDED_SECRET_KEY = "newsloom-local-secret"


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _env_int(name: str, default: int) -> int:
    value = _env(name)
    return int(value) if value is not None else default


def _env_float(name: str, default: float) -> float:
    value = _env(name)
    return float(value) if value is not None else default


@dataclass(frozen=True)
class Settings:
    """Everything newsloom reads from the environment."""

    state_dir: Path
    s3_endpoint: str | None  # None: start/use the embedded SeaweedFS server
    s3_bucket: str
    s3_region: str
    embedded_s3_port: int
    mirror_url: str | None  # route every outlet request to this local mirror
    # The Iceberg catalog: "sql" (SQLite in the state dir by default, or any SQLAlchemy URL
    # such as postgresql+psycopg2://…), "glue" (AWS Glue) or "rest" (an Iceberg REST catalog).
    catalog: str = "sql"
    catalog_uri: str | None = None  # sql: SQLAlchemy URL; rest: the service URL
    catalog_warehouse: str | None = None  # default s3://<bucket>/warehouse
    catalog_namespace: str = "newsloom"
    outlets_dirs: tuple[Path, ...] = field(default_factory=tuple)  # extra registry folders
    translation_model: str = DEFAULT_TRANSLATION_MODEL
    translation_backend: str = "auto"  # auto | transformers | ctranslate2
    translation_device: str = "auto"  # auto | cpu | cuda
    # Other languages: "fa=Helsinki-NLP/opus-mt-fa-en,ru=...,*=Helsinki-NLP/opus-mt-mul-en"
    # (Arabic always uses translation_model).
    translation_models: str = ""
    translation_ct2_quantization: str = "auto"  # auto (int8 on CPU, float16 on GPU) | int8 | ...
    translation_beams: int = 4  # beam size, both backends (1: greedy, fastest)
    translation_batch_tokens: int = 4096  # padded source tokens per batch
    translation_max_tokens: int = 256  # longest segment, in tokens (capped by the model's own)
    translation_threads: int = 0  # CPU threads for the model; 0: every available core
    # CTranslate2 scores only the target language's pieces (Marian's target.spm); see backends
    translation_target_vocabulary: bool = True
    max_response_bytes: int = 5 * 1024 * 1024
    min_body_chars: int = 200
    window_overlap_hours: float = 6.0
    user_agent: str = USER_AGENT
    log_level: str = "INFO"

    @property
    def embedded(self) -> bool:
        return self.s3_endpoint is None

    @property
    def warehouse(self) -> str:
        return self.catalog_warehouse or f"s3://{self.s3_bucket}/warehouse"

    @property
    def sqlite_catalog_path(self) -> Path:
        return self.state_dir / "catalog" / f"{self.s3_bucket}.db"

    @classmethod
    def from_env(cls) -> Settings:
        state = Path(_env("NEWSLOOM_STATE_DIR", str(Path.cwd() / ".newsloom")) or ".newsloom")
        extra = _env("NEWSLOOM_OUTLETS_DIR")
        return cls(
            state_dir=state.resolve(),
            s3_endpoint=_env("NEWSLOOM_S3_ENDPOINT"),
            s3_bucket=_env("NEWSLOOM_S3_BUCKET", "newsloom") or "newsloom",
            s3_region=_env("AWS_REGION", _env("AWS_DEFAULT_REGION", "us-east-1")) or "us-east-1",
            embedded_s3_port=_env_int("NEWSLOOM_S3_PORT", 8333),
            mirror_url=_env("NEWSLOOM_MIRROR_URL"),
            catalog=(_env("NEWSLOOM_CATALOG", "sql") or "sql").lower(),
            catalog_uri=_env("NEWSLOOM_CATALOG_URI"),
            catalog_warehouse=_env("NEWSLOOM_CATALOG_WAREHOUSE"),
            catalog_namespace=_env("NEWSLOOM_CATALOG_NAMESPACE", "newsloom") or "newsloom",
            outlets_dirs=tuple(Path(p) for p in extra.split(os.pathsep) if p) if extra else (),
            translation_model=_env("NEWSLOOM_TRANSLATION_MODEL", DEFAULT_TRANSLATION_MODEL)
            or DEFAULT_TRANSLATION_MODEL,
            translation_backend=_env("NEWSLOOM_TRANSLATION_BACKEND", "auto") or "auto",
            translation_device=_env("NEWSLOOM_TRANSLATION_DEVICE", "auto") or "auto",
            translation_models=_env("NEWSLOOM_TRANSLATION_MODELS", "") or "",
            translation_ct2_quantization=_env("NEWSLOOM_TRANSLATION_CT2_QUANTIZATION", "auto")
            or "auto",
            translation_beams=_env_int("NEWSLOOM_TRANSLATION_BEAMS", 4),
            translation_batch_tokens=_env_int("NEWSLOOM_TRANSLATION_BATCH_TOKENS", 4096),
            translation_max_tokens=_env_int("NEWSLOOM_TRANSLATION_MAX_TOKENS", 256),
            translation_threads=_env_int("NEWSLOOM_TRANSLATION_THREADS", 0),
            translation_target_vocabulary=_env_int("NEWSLOOM_TRANSLATION_TARGET_VOCABULARY", 1)
            != 0,
            max_response_bytes=_env_int("NEWSLOOM_MAX_RESPONSE_BYTES", 5 * 1024 * 1024),
            min_body_chars=_env_int("NEWSLOOM_MIN_BODY_CHARS", 200),
            window_overlap_hours=_env_float("NEWSLOOM_WINDOW_OVERLAP_HOURS", 6.0),
            user_agent=_env("NEWSLOOM_USER_AGENT", USER_AGENT) or USER_AGENT,
            log_level=_env("NEWSLOOM_LOG_LEVEL", "INFO") or "INFO",
        )

"""Runtime settings, read from environment variables at call time (never at import).

Every tunable has one environment variable; a deployment overlays them (Airflow worker env,
Kubernetes secrets, a shell). ``Settings.from_env()`` is the single place they are read: the
variables are validated together by a settings model (:class:`_Environment`, pydantic-settings)
and a bad value raises :class:`ConfigError`, one line naming every bad variable and its value,
before any work starts. ``Settings`` itself stays a plain frozen dataclass (tests and commands
build variants with ``dataclasses.replace``).

A new setting: a field on ``Settings`` (with its default) and the same field on
``_Environment`` with its variable's name as ``validation_alias`` (a test checks that the two
agree).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from processing.core.errors import ConfigError

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

DEFAULT_TRANSLATION_MODEL = "Helsinki-NLP/opus-mt-ar-en"
USER_AGENT = "newsloom/0.1 (+https://github.com/newsloom/newsloom; news research crawler)"

# Credentials the embedded SeaweedFS server enforces. They protect nothing but a loopback
# server; real deployments use the standard AWS variables and NEWSLOOM_S3_ENDPOINT.
EMBEDDED_ACCESS_KEY = "newsloom-local"
EMBEDDED_SECRET_KEY = "newsloom-local-secret"


@dataclass(frozen=True)
class Settings:
    """Everything newsloom reads from the environment."""

    state_dir: Path
    s3_endpoint: str | None  # None: start/use the embedded SeaweedFS server
    s3_bucket: str
    s3_region: str
    embedded_s3_port: int
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
    # crawl overlays (tests and the mirror demo shrink delays; operators can raise them)
    crawl_delay: float | None = None  # seconds between requests, every outlet
    backoff_base: float | None = None  # first back-off pause after a refusal, seconds
    retry_after_max: float | None = None  # cap on a server's Retry-After, seconds
    # story links (processing.stories, docs/stories.md): how far apart linked articles may be,
    # and the similarity thresholds (near-identical text; the same story within a language;
    # the same story through a translation)
    story_window_days: float = 7.0
    story_duplicate_threshold: float = 0.5
    story_threshold: float = 0.25
    story_translation_threshold: float = 0.25

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
        """The settings of this process's environment; :class:`ConfigError` names every bad
        variable."""
        try:
            env = _Environment()  # type: ignore[call-arg]  # every field has a default
        except ValidationError as exc:
            raise _config_error(exc) from None
        values = env.model_dump()
        values["state_dir"] = Path(values["state_dir"] or Path.cwd() / ".newsloom").resolve()
        return cls(**values)


def _config_error(exc: ValidationError) -> ConfigError:
    """One :class:`ConfigError` naming every bad variable, its value and what is wrong."""
    problems: list[str] = []
    names: list[str] = []
    for error in exc.errors():
        name = str(error["loc"][0]) if error["loc"] else "?"
        value = os.environ.get(name, error.get("input"))
        problems.append(f"{name}={value!r}: {_explain(error)}")
        names.append(name)
    return ConfigError("; ".join(problems), names)


_EXPLAINED = {
    "int_parsing": "not a whole number",
    "int_from_float": "not a whole number",
    "float_parsing": "not a number",
    "bool_parsing": "not a boolean (1/0, true/false)",
}


def _explain(error: ErrorDetails) -> str:
    kind = str(error.get("type", ""))
    if kind in _EXPLAINED:
        return _EXPLAINED[kind]
    if kind == "literal_error":
        expected = (error.get("ctx") or {}).get("expected", "")
        return f"expected one of {expected}"
    return str(error.get("msg", kind)).removeprefix("Value error, ")


def _url(value: str | None, example: str) -> str | None:
    """An http(s) URL with a host, or None; the error says what a good value looks like."""
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not a URL with http:// or https:// and a host (e.g. {example})")
    try:
        parts.port  # noqa: B018 - a malformed port raises here
    except ValueError as exc:
        raise ValueError(f"bad port: {exc}") from None
    return value


def _var(name: str, *more: str) -> str | AliasChoices:
    return AliasChoices(name, *more) if more else name


LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
CT2_TYPES = Literal[
    "auto", "int8", "int8_float32", "int8_float16", "int8_bfloat16", "int16", "float16",
    "bfloat16", "float32",
]  # fmt: skip


class _Environment(BaseSettings):
    """The environment variables behind :class:`Settings` (same field names), validated
    together. An empty variable counts as unset."""

    model_config = SettingsConfigDict(env_ignore_empty=True, extra="ignore", frozen=True)

    state_dir: str | None = Field(None, validation_alias=_var("NEWSLOOM_STATE_DIR"))
    s3_endpoint: str | None = Field(None, validation_alias=_var("NEWSLOOM_S3_ENDPOINT"))
    s3_bucket: str = Field(
        "newsloom",
        validation_alias=_var("NEWSLOOM_S3_BUCKET"),
        pattern=r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$",  # S3 bucket naming rules
    )
    s3_region: str = Field("us-east-1", validation_alias=_var("AWS_REGION", "AWS_DEFAULT_REGION"))
    embedded_s3_port: int = Field(
        8333,
        ge=1,
        le=65535 - 11007,  # the embedded server also binds port + 1007 and each + 10000
        validation_alias=_var("NEWSLOOM_S3_PORT"),
    )
    catalog: Literal["sql", "glue", "rest"] = Field(
        "sql", validation_alias=_var("NEWSLOOM_CATALOG")
    )
    catalog_uri: str | None = Field(None, validation_alias=_var("NEWSLOOM_CATALOG_URI"))
    catalog_warehouse: str | None = Field(None, validation_alias=_var("NEWSLOOM_CATALOG_WAREHOUSE"))
    catalog_namespace: str = Field(
        "newsloom", validation_alias=_var("NEWSLOOM_CATALOG_NAMESPACE"), min_length=1
    )
    outlets_dirs: Annotated[tuple[Path, ...], NoDecode] = Field(
        (), validation_alias=_var("NEWSLOOM_OUTLETS_DIR")
    )
    translation_model: str = Field(
        DEFAULT_TRANSLATION_MODEL, validation_alias=_var("NEWSLOOM_TRANSLATION_MODEL")
    )
    translation_backend: Literal["auto", "transformers", "ctranslate2"] = Field(
        "auto", validation_alias=_var("NEWSLOOM_TRANSLATION_BACKEND")
    )
    translation_device: Literal["auto", "cpu", "cuda"] = Field(
        "auto", validation_alias=_var("NEWSLOOM_TRANSLATION_DEVICE")
    )
    translation_models: str = Field("", validation_alias=_var("NEWSLOOM_TRANSLATION_MODELS"))
    translation_ct2_quantization: CT2_TYPES = Field(
        "auto", validation_alias=_var("NEWSLOOM_TRANSLATION_CT2_QUANTIZATION")
    )
    translation_beams: int = Field(4, ge=1, validation_alias=_var("NEWSLOOM_TRANSLATION_BEAMS"))
    translation_batch_tokens: int = Field(
        4096, ge=1, validation_alias=_var("NEWSLOOM_TRANSLATION_BATCH_TOKENS")
    )
    translation_max_tokens: int = Field(
        256, ge=1, validation_alias=_var("NEWSLOOM_TRANSLATION_MAX_TOKENS")
    )
    translation_threads: int = Field(0, ge=0, validation_alias=_var("NEWSLOOM_TRANSLATION_THREADS"))
    translation_target_vocabulary: bool = Field(
        True, validation_alias=_var("NEWSLOOM_TRANSLATION_TARGET_VOCABULARY")
    )
    max_response_bytes: int = Field(
        5 * 1024 * 1024, ge=1, validation_alias=_var("NEWSLOOM_MAX_RESPONSE_BYTES")
    )
    min_body_chars: int = Field(200, ge=0, validation_alias=_var("NEWSLOOM_MIN_BODY_CHARS"))
    window_overlap_hours: float = Field(
        6.0, ge=0, le=72, validation_alias=_var("NEWSLOOM_WINDOW_OVERLAP_HOURS")
    )
    user_agent: str = Field(USER_AGENT, min_length=1, validation_alias=_var("NEWSLOOM_USER_AGENT"))
    log_level: LogLevel = Field("INFO", validation_alias=_var("NEWSLOOM_LOG_LEVEL"))
    crawl_delay: float | None = Field(
        None, ge=0, le=600, validation_alias=_var("NEWSLOOM_CRAWL_DELAY")
    )
    backoff_base: float | None = Field(
        None, ge=0, le=600, validation_alias=_var("NEWSLOOM_BACKOFF_BASE")
    )
    retry_after_max: float | None = Field(
        None, ge=0, le=86400, validation_alias=_var("NEWSLOOM_RETRY_AFTER_MAX")
    )
    story_window_days: float = Field(
        7.0, gt=0, le=366, validation_alias=_var("NEWSLOOM_STORY_WINDOW_DAYS")
    )
    story_duplicate_threshold: float = Field(
        0.5, gt=0, le=1, validation_alias=_var("NEWSLOOM_STORY_DUPLICATE_THRESHOLD")
    )
    story_threshold: float = Field(
        0.25, gt=0, le=1, validation_alias=_var("NEWSLOOM_STORY_THRESHOLD")
    )
    story_translation_threshold: float = Field(
        0.25, gt=0, le=1, validation_alias=_var("NEWSLOOM_STORY_TRANSLATION_THRESHOLD")
    )

    @field_validator("s3_endpoint")
    @classmethod
    def _endpoint(cls, v: str | None) -> str | None:
        return _url(v, "http://localhost:8433 or https://s3.eu-west-1.amazonaws.com")

    @field_validator("catalog", "log_level", mode="before")
    @classmethod
    def _case(cls, v: object) -> object:
        if not isinstance(v, str):
            return v
        return v.lower() if v.lower() in ("sql", "glue", "rest") else v.upper()

    @field_validator("story_threshold")
    @classmethod
    def _story_below_duplicate(cls, v: float, info: ValidationInfo) -> float:
        duplicate = info.data.get("story_duplicate_threshold")
        if isinstance(duplicate, float) and v > duplicate:
            raise ValueError(f"above NEWSLOOM_STORY_DUPLICATE_THRESHOLD ({duplicate})")
        return v

    @field_validator("outlets_dirs", mode="before")
    @classmethod
    def _folders(cls, v: object) -> object:
        if isinstance(v, str):
            return tuple(Path(p) for p in v.split(os.pathsep) if p)
        return v


def _check_fields_agree() -> None:  # pragma: no cover - an import-time guard for developers
    ours = {f.name for f in fields(Settings)}
    theirs = set(_Environment.model_fields)
    if ours != theirs:
        raise RuntimeError(f"Settings and _Environment disagree: {sorted(ours ^ theirs)}")


_check_fields_agree()

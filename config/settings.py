"""Typed settings from the environment (prefix ARSHJUL_, nested with __) or a .env file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, IPvAnyNetwork, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET = "development-secret-change-me"
PACKAGED_AARSHJUL = Path(__file__).with_name("aarshjul.yaml")
MIN_SECRET_LENGTH = 32
MIN_DISTINCT_CHARACTERS = 10  # 32 × "a" or 32 spaces is long, but no secret
# A validation error must never echo what was typed: pydantic puts the input (with every password) in its message.
QUIET: ConfigDict = {"hide_input_in_errors": True}


class InsecureSettings(Exception):
    """Settings refused for production; the message names the setting, never its value.

    Not a ValueError on purpose: pydantic would wrap that in a ValidationError whose `errors()` carry the whole
    input, every password included.
    """


class SmtpSettings(BaseModel):
    model_config = QUIET

    host: str = "127.0.0.1"
    port: int = 1025
    security: Literal["none", "starttls", "tls"] = "none"
    username: str | None = None
    password: SecretStr | None = None
    from_address: str = "arshjul@kommune.example"
    from_name: str = "Årshjul"
    reply_to: str | None = None
    timeout_seconds: float = 30.0
    concurrency: int = Field(default=2, ge=1, le=32)
    # A message that keeps failing temporarily (the relay down, a 4xx) is retried for this long, counted from its
    # first failure, before it is dead; mail servers keep trying for days (Postfix: 5).
    max_age_hours: float = Field(default=72.0, gt=0)
    max_attempts: int | None = Field(default=None, ge=1)  # an optional cap on attempts besides the lifetime
    backoff_base_seconds: float = Field(default=60.0, ge=0)
    backoff_max_seconds: float = Field(default=3600.0, ge=0)


class AuthSettings(BaseModel):
    """Console sign-in: session lifetimes, the failed sign-in limits, and which proxies may name the client."""

    session_idle_minutes: int = Field(default=60, ge=1)
    session_max_hours: int = Field(default=10, ge=1)
    failures_per_account: int = Field(default=5, ge=1)
    failures_per_address: int = Field(default=20, ge=1)
    failure_window_minutes: int = Field(default=15, ge=1)
    reset_link_minutes: int = Field(default=60, ge=5)
    trusted_proxies: list[IPvAnyNetwork] = Field(default_factory=list)  # reverse proxies: 10.0.0.5, 10.0.0.0/8


class OidcSettings(BaseModel):
    """Single sign-on with OpenID Connect (Entra ID, Ansattporten): off until issuer and client id are set."""

    issuer: str | None = None  # e.g. https://login.microsoftonline.com/<tenant id>/v2.0
    client_id: str = ""
    client_secret: SecretStr = SecretStr("")
    scopes: str = "openid email profile"
    email_claim: str = "email"  # Entra ID without the optional email claim: preferred_username
    role_claim: str = "roles"  # Entra ID app roles: roles; groups: groups
    role_map: dict[str, str] = Field(default_factory=dict)  # claim value -> hr | leser | kommunalsjef:<sector id>
    button: str = "Logg inn med kommunens konto"

    @property
    def enabled(self) -> bool:
        return bool(self.issuer and self.client_id)


class PublicPlanSettings(BaseModel):
    """What the public plan page (/plan/<year>) and its downloads show."""

    # Union membership is special-category personal data (GDPR art. 9): by default the public plan shows a
    # tillitsvalgt's comments by union only. True names them, once the municipality has a basis for publishing it.
    name_tillitsvalgte: bool = False


class DbSettings(BaseModel):
    model_config = QUIET

    url: str | None = Field(default=None, repr=False)  # may hold the database password
    echo: bool = False


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="ARSHJUL_", env_nested_delimiter="__", env_file=".env", extra="ignore", hide_input_in_errors=True
    )

    env: Literal["development", "test", "production"] = "development"
    municipality: str = "Eksempel kommune"
    municipality_logo: Path | None = None  # PNG, JPEG, GIF or SVG for the plan's cover (SVG only in HTML and PDF)
    data_dir: Path = Path("data")
    aarshjul_file: Path = PACKAGED_AARSHJUL
    base_url: str = "http://127.0.0.1:8000"
    secret_key: SecretStr = SecretStr(DEFAULT_SECRET)
    link_grace_days: int = Field(default=14, ge=0)
    default_language: Literal["nb", "nn", "en"] = "nb"
    hr_email: str = "hr@kommune.example"
    scheduler_enabled: bool = True
    dispatcher_interval_minutes: int = Field(default=5, ge=1)
    mail_catcher: bool = True
    prefect_events: bool = False
    prefect_heartbeats: bool = False
    smtp: SmtpSettings = SmtpSettings()
    db: DbSettings = DbSettings()
    auth: AuthSettings = AuthSettings()
    oidc: OidcSettings = OidcSettings()
    public_plan: PublicPlanSettings = PublicPlanSettings()

    @model_validator(mode="after")
    def _refuse_weak_secrets_in_production(self) -> Settings:
        # Signed answer links are the only thing between the public and a unit's answer. The sentences name the
        # setting, never its value.
        if self.env == "production" and (problem := secret_key_problem(self.secret_key.get_secret_value())):
            raise InsecureSettings(problem)
        return self

    @property
    def https(self) -> bool:
        """The app is reached over HTTPS: cookies are then sent only over HTTPS (Secure)."""
        return self.base_url.strip().lower().startswith("https://")

    @property
    def database_url(self) -> str:
        return self.db.url or f"sqlite:///{(self.data_dir / 'arshjul.db').resolve()}"


def secret_key_problem(secret: str) -> str | None:
    """Why this secret key is not good enough for production, or None; never the key itself."""
    if secret in ("", DEFAULT_SECRET) or len(secret) < MIN_SECRET_LENGTH:
        return f"ARSHJUL_SECRET_KEY må settes til en hemmelig verdi på minst {MIN_SECRET_LENGTH} tegn i produksjon"
    if not secret.strip() or len(set(secret)) < MIN_DISTINCT_CHARACTERS:
        return (
            f"ARSHJUL_SECRET_KEY er for enkel: bruk minst {MIN_DISTINCT_CHARACTERS} forskjellige tegn, "
            "for eksempel fra «python -c 'import secrets; print(secrets.token_urlsafe(48))'»"
        )
    return None


@lru_cache
def get_settings() -> Settings:
    return Settings()

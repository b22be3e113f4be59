"""Settings: one frozen object read from the environment; no other module reads os.environ."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_core import ErrorDetails
from pydantic_settings import BaseSettings, SettingsConfigDict
from radsbot.data.errors import DomainError
from radsbot.data.words import DEFAULT_LANGUAGE, LANGUAGES, Either, Message, join, msg, words

SLACK_DEFAULT_API_URL = "https://slack.com/api/"
# The Agents SDK's configuration names for the bot's own Entra app (Microsoft's standard variables).
TEAMS_PREFIX = "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__"


@dataclass(frozen=True)
class WebLimits:
    """What the web server of `radsbot serve` allows its clients (README, "The Slack app")."""

    # Open client connections; at the limit the longest-idle ones are closed to make room.
    connections: int = 1000
    # Seconds a connection may stay silent (idle keep-alive, or a request sent too slowly).
    idle_timeout: int = 15
    # Bodies of this size or more get 413 unread; Slack's largest payloads are a few hundred KB.
    body_bytes: int = 2 * 1024 * 1024


def default_database_url() -> str:
    """The embedded SQLite database in the user's data directory."""
    from platformdirs import user_data_dir

    return f"sqlite:///{Path(user_data_dir('radsbot', appauthor=False)) / 'radsbot.sqlite3'}"


def default_chart_cache() -> str:
    """Charts are kept in the user's cache directory (reports/chart_cache.py)."""
    from platformdirs import user_cache_dir

    return str(Path(user_cache_dir("radsbot", appauthor=False)) / "charts")


class Settings(BaseSettings):
    """Everything Rådsbot can be configured with; secrets are masked when shown."""

    model_config = SettingsConfigDict(frozen=True, extra="ignore", populate_by_name=True)

    database_url: str = Field(default_factory=default_database_url, alias="DATABASE_URL")
    timezone: str = Field("Europe/Oslo", alias="RADSBOT_TIMEZONE")
    language: Literal["nb", "en"] = Field("nb", alias="RADSBOT_LANGUAGE")
    slack_bot_token: SecretStr | None = Field(None, alias="SLACK_BOT_TOKEN")
    slack_signing_secret: SecretStr | None = Field(None, alias="SLACK_SIGNING_SECRET")
    slack_app_token: SecretStr | None = Field(None, alias="SLACK_APP_TOKEN")
    slack_api_url: str = Field(SLACK_DEFAULT_API_URL, alias="SLACK_API_URL")
    port: int = Field(3000, ge=1, le=65535, alias="PORT")
    host: str = Field("0.0.0.0", alias="RADSBOT_HOST")
    web_threads: int = Field(16, ge=1, alias="RADSBOT_WEB_THREADS")
    max_connections: int = Field(WebLimits.connections, ge=10, alias="RADSBOT_MAX_CONNECTIONS")
    idle_timeout: int = Field(WebLimits.idle_timeout, ge=1, alias="RADSBOT_IDLE_TIMEOUT")
    max_body_bytes: int = Field(WebLimits.body_bytes, ge=64 * 1024, alias="RADSBOT_MAX_BODY_BYTES")
    # Scheduler: how often the worker looks at the meeting calendar, in seconds.
    schedule_interval: int = Field(60, ge=1, alias="RADSBOT_SCHEDULE_INTERVAL")
    # Seconds between a digest's messages in one channel (Slack allows about one per second).
    post_interval: float = Field(1.1, ge=0, alias="RADSBOT_POST_INTERVAL")
    # Seconds to wait for an answer from the Slack Web API before the call counts as lost.
    slack_timeout: float = Field(30.0, gt=0, alias="RADSBOT_SLACK_TIMEOUT")
    admin_users: str = Field("", alias="RADSBOT_ADMINS")
    # The public dashboard of `radsbot serve` at / (on unless RADSBOT_DASHBOARD=off).
    dashboard: bool = Field(True, alias="RADSBOT_DASHBOARD")
    # A folder where charts are kept between processes and runs, or "off" (memory only).
    chart_cache: str = Field(default_factory=default_chart_cache, alias="RADSBOT_CHART_CACHE")
    # Processes that draw several charts at once (the digest); 0: one per core, 1: none.
    chart_workers: int = Field(0, ge=0, alias="RADSBOT_CHART_WORKERS")
    # Microsoft Teams (`radsbot teams`): the Agents SDK's own variable names, read here once.
    teams_client_id: str = Field("", alias=TEAMS_PREFIX + "CLIENTID")
    teams_client_secret: SecretStr | None = Field(None, alias=TEAMS_PREFIX + "CLIENTSECRET")
    teams_tenant_id: str = Field("", alias=TEAMS_PREFIX + "TENANTID")
    teams_auth_type: str = Field("", alias=TEAMS_PREFIX + "AUTHTYPE")
    # Kept as written: the SDK counts only "true" and "1" (bot/teams/config.py does the same).
    teams_anonymous_allowed: str = Field("", alias=TEAMS_PREFIX + "ANONYMOUS_ALLOWED")
    teams_tenants: str = Field("", alias="RADSBOT_TEAMS_TENANTS")
    # The SDK's outbound host check (serviceUrl must be a Microsoft host); off only for local tests.
    teams_check_service_url: bool = Field(True, alias="RADSBOT_TEAMS_CHECK_SERVICE_URL")

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("timezone") from None
        return value

    @property
    def api_url(self) -> str:
        """The Slack Web API base URL with the trailing slash slack_sdk expects."""
        return self.slack_api_url if self.slack_api_url.endswith("/") else self.slack_api_url + "/"

    @property
    def web_limits(self) -> WebLimits:
        """The web server's limits."""
        return WebLimits(self.max_connections, self.idle_timeout, self.max_body_bytes)

    @property
    def admins(self) -> tuple[str, ...]:
        """Chat user ids that are always admins (bootstrap before anyone has granted roles)."""
        ids = (u.strip() for u in self.admin_users.split(","))
        # Teams ids (aad:<Entra object id>) are compared in lower case, as the Teams bot gives them.
        return tuple(u.lower() if u[:4].lower() == "aad:" else u for u in ids if u)

    @property
    def chart_directory(self) -> Path | None:
        """Where charts are kept on disk; None when switched off."""
        value = self.chart_cache.strip()
        return None if value.casefold() in ("off", "") else Path(value).expanduser()

    def describe(self, lang: str = DEFAULT_LANGUAGE) -> dict[str, str]:
        """What is configured, with secrets masked, for `radsbot info`."""
        from radsbot.data.db import describe_url

        w = words(lang)

        def secret(value: SecretStr | None) -> str:
            if value is None:
                return w._("not set")
            raw = value.get_secret_value()
            return w._("set (…{end})", end=raw[-4:]) if len(raw) > 12 else w._("set")

        return {
            "DATABASE_URL": describe_url(self.database_url),
            "RADSBOT_TIMEZONE": self.timezone,
            "RADSBOT_LANGUAGE": self.language,
            "SLACK_BOT_TOKEN": secret(self.slack_bot_token),
            "SLACK_SIGNING_SECRET": secret(self.slack_signing_secret),
            "SLACK_APP_TOKEN": secret(self.slack_app_token),
            "SLACK_API_URL": self.slack_api_url,
            "PORT": str(self.port),
            "RADSBOT_DASHBOARD": w._("on") if self.dashboard else w._("off"),
            "RADSBOT_CHART_CACHE": str(self.chart_directory) if self.chart_directory else w._("off"),
            "RADSBOT_ADMINS": ", ".join(self.admins) or w._("none"),
            TEAMS_PREFIX + "CLIENTID": self.teams_client_id or w._("not set"),
            TEAMS_PREFIX + "CLIENTSECRET": secret(self.teams_client_secret),
            TEAMS_PREFIX + "TENANTID": self.teams_tenant_id or w._("not set"),
            "RADSBOT_TEAMS_TENANTS": self.teams_tenants or w._("none"),
        }


class SettingsProblem(DomainError, ValueError):
    """Settings that cannot be used; the message names each variable. `lang` is the language the
    environment asks for (bokmål when that is what cannot be used)."""

    def __init__(self, problem: Message, lang: str = DEFAULT_LANGUAGE) -> None:
        super().__init__(problem)
        self.lang = lang


def read_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """The settings from the environment (or from `environ`, by variable name).

    Raises:
        SettingsProblem: a variable has a value Rådsbot cannot use.
    """
    try:
        if environ is None:
            return Settings()
        # The variables go in by name (the fields' aliases), which the pydantic plugin cannot check.
        named: dict[str, Any] = dict(environ)
        return Settings(**named)
    except ValidationError as exc:
        lines = [join("", _problem(error), sep="  ") for error in exc.errors()]
        asked = (os.environ if environ is None else environ).get("RADSBOT_LANGUAGE", DEFAULT_LANGUAGE)
        problem = join(msg("Error in the settings (the environment variables):"), *lines, sep="\n")
        raise SettingsProblem(problem, asked if asked in LANGUAGES else DEFAULT_LANGUAGE) from None


@lru_cache(maxsize=1)
def load_settings() -> Settings:
    """Read the settings from the environment once per process."""
    return read_settings()


def _problem(error: ErrorDetails) -> Message:
    """One variable's problem: "PORT=«abc» må være et helt tall."."""
    name = str(error["loc"][0]) if error.get("loc") else "?"
    value = error.get("input")
    ctx = error.get("ctx") or {}
    kind = error.get("type", "")
    if name == "PORT" and kind in ("greater_than_equal", "less_than_equal"):
        said = msg("must be between 1 and 65535")
    elif kind in ("int_parsing", "int_from_float", "int_type"):
        said = msg("must be a whole number")
    elif kind in ("float_parsing", "float_type"):
        said = msg("must be a number (with a point as the decimal sign)")
    elif kind in ("greater_than_equal", "greater_than"):
        said = (
            msg("must be at least {least}", least=ctx["ge"])
            if "ge" in ctx
            else msg("must be greater than {least}", least=ctx.get("gt"))
        )
    elif kind == "less_than_equal":
        said = msg("can be at most {most}", most=ctx.get("le"))
    elif kind == "literal_error":
        options = [o.strip().strip("'") for o in str(ctx.get("expected", "")).replace(" or ", ",").split(",")]
        said = msg("must be {options}", options=Either(f"«{o}»" for o in options if o))
    elif kind == "bool_parsing":
        said = msg("must be on or off") if name == "RADSBOT_DASHBOARD" else msg("must be true or false")
    elif kind == "value_error" and "timezone" in str(ctx.get("error", "")):
        said = msg("is not a time zone; write for example Europe/Oslo")
    else:
        said = msg("has a value Rådsbot cannot use")
    shown = "" if value is None or isinstance(value, dict) else f"=«{str(value)[:80]}»"
    return msg("{name}{value} {problem}.", name=name, value=shown, problem=said)

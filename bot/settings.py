"""Settings: one frozen object read from the environment; no other module reads os.environ."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

SLACK_DEFAULT_API_URL = "https://slack.com/api/"


def default_database_url() -> str:
    """The embedded SQLite database in the user's data directory."""
    from platformdirs import user_data_dir

    return f"sqlite:///{Path(user_data_dir('radsbot', appauthor=False)) / 'radsbot.sqlite3'}"


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
    port: int = Field(3000, alias="PORT")
    host: str = Field("0.0.0.0", alias="RADSBOT_HOST")
    web_threads: int = Field(16, alias="RADSBOT_WEB_THREADS")
    # Scheduler: how often the worker looks at the meeting calendar, in seconds.
    schedule_interval: int = Field(60, alias="RADSBOT_SCHEDULE_INTERVAL")
    # Seconds between a digest's messages in one channel (Slack allows about one per second).
    post_interval: float = Field(1.1, alias="RADSBOT_POST_INTERVAL")
    # Seconds to wait for an answer from the Slack Web API before the call counts as lost.
    slack_timeout: float = Field(30.0, gt=0, alias="RADSBOT_SLACK_TIMEOUT")
    admin_users: str = Field("", alias="RADSBOT_ADMINS")

    @property
    def api_url(self) -> str:
        """The Slack Web API base URL with the trailing slash slack_sdk expects."""
        return self.slack_api_url if self.slack_api_url.endswith("/") else self.slack_api_url + "/"

    @property
    def admins(self) -> tuple[str, ...]:
        """Chat user ids that are always admins (bootstrap before anyone has granted roles)."""
        return tuple(u.strip() for u in self.admin_users.split(",") if u.strip())

    def describe(self) -> dict[str, str]:
        """What is configured, with secrets masked, for `radsbot info`."""
        from data.db import describe_url

        def secret(value: SecretStr | None) -> str:
            if value is None:
                return "ikke satt"
            raw = value.get_secret_value()
            return f"satt (…{raw[-4:]})" if len(raw) > 12 else "satt"

        return {
            "DATABASE_URL": describe_url(self.database_url),
            "RADSBOT_TIMEZONE": self.timezone,
            "RADSBOT_LANGUAGE": self.language,
            "SLACK_BOT_TOKEN": secret(self.slack_bot_token),
            "SLACK_SIGNING_SECRET": secret(self.slack_signing_secret),
            "SLACK_APP_TOKEN": secret(self.slack_app_token),
            "SLACK_API_URL": self.slack_api_url,
            "PORT": str(self.port),
            "RADSBOT_ADMINS": ", ".join(self.admins) or "ingen",
        }


@lru_cache(maxsize=1)
def load_settings() -> Settings:
    """Read the settings from the environment once per process."""
    return Settings()

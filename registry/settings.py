"""Settings read from the environment (and `.env` when present), per the public contract."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LANGUAGES = ("en", "fr", "sw", "pt", "ar")


def instance_dir() -> Path:
    path = Path(os.environ.get("KINGA_INSTANCE_DIR", ROOT / "instance"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _generated_secret(name: str) -> str:
    """A secret generated once into `instance/` and reused on every later start."""
    path = instance_dir() / name
    if not path.exists():
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _load_dotenv() -> None:
    env_file = Path(os.environ.get("KINGA_ENV_FILE", ROOT / ".env"))
    if env_file.exists():
        from dotenv import load_dotenv

        load_dotenv(env_file, override=False)


def _default_database_url() -> str:
    return f"sqlite:///{instance_dir() / 'kinga.db'}"


@dataclass(frozen=True)
class Settings:
    database_url: str
    redis_url: str | None
    secret_key: str
    public_url: str
    languages: tuple[str, ...]
    sms_provider: str
    demo: bool
    demo_password: str | None
    at_callback_token: str
    at_allowed_ips: tuple[str, ...] = ()
    twilio_account_sid: str | None = None
    twilio_auth_token: str | None = None
    twilio_from: str | None = None
    at_username: str | None = None
    at_api_key: str | None = None
    at_sender_id: str | None = None
    at_payment_product: str | None = None  # Africa's Talking payment product for mobile B2C
    default_country: str = "KE"
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def default_language(self) -> str:
        return self.languages[0]

    @classmethod
    def from_env(cls) -> Settings:
        _load_dotenv()
        env = os.environ
        languages = tuple(
            code.strip()
            for code in env.get("KINGA_LANGUAGES", ",".join(DEFAULT_LANGUAGES)).split(",")
            if code.strip()
        )
        unknown = [code for code in languages if code not in DEFAULT_LANGUAGES]
        if unknown or not languages:
            raise ValueError(
                f"KINGA_LANGUAGES: unsupported language(s) {unknown}; "
                f"choose from {','.join(DEFAULT_LANGUAGES)}"
            )
        provider = env.get("KINGA_SMS_PROVIDER", "console")
        if provider not in {"console", "twilio", "africastalking", "memory"}:
            raise ValueError(f"KINGA_SMS_PROVIDER: unknown provider {provider!r}")
        return cls(
            database_url=env.get("KINGA_DATABASE_URL") or _default_database_url(),
            redis_url=env.get("KINGA_REDIS_URL") or None,
            secret_key=env.get("KINGA_SECRET_KEY") or _generated_secret("secret_key"),
            public_url=(env.get("KINGA_PUBLIC_URL") or "http://127.0.0.1:8000").rstrip("/"),
            languages=languages,
            sms_provider=provider,
            demo=env.get("KINGA_DEMO", "0") == "1",
            demo_password=env.get("KINGA_DEMO_PASSWORD") or None,
            at_callback_token=env.get("KINGA_AT_CALLBACK_TOKEN")
            or _generated_secret("at_callback_token"),
            at_allowed_ips=tuple(
                ip.strip() for ip in env.get("KINGA_AT_ALLOWED_IPS", "").split(",") if ip.strip()
            ),
            twilio_account_sid=env.get("TWILIO_ACCOUNT_SID") or None,
            twilio_auth_token=env.get("TWILIO_AUTH_TOKEN") or None,
            twilio_from=env.get("TWILIO_FROM") or None,
            at_username=env.get("AT_USERNAME") or None,
            at_api_key=env.get("AT_API_KEY") or None,
            at_sender_id=env.get("AT_SENDER_ID") or None,
            at_payment_product=env.get("AT_PAYMENT_PRODUCT") or None,
            default_country=env.get("KINGA_DEFAULT_COUNTRY", "KE"),
        )

"""Users and roles."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import JSON, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from auth.passwords import hash_password, verify_password
from core.collation import keep_sort_key
from core.enums import Choice, check_in
from core.types import UTCDateTime
from extensions import db


class Role(Choice):
    """The three roles (docs/glossary.md#bodies-and-people): inspector (thanh tra viên),
    supervisor (Chánh Thanh tra / lãnh đạo Sở), administrator."""

    inspector = "inspector", _l("Inspector")
    supervisor = "supervisor", _l("Supervisor")
    admin = "admin", _l("Administrator")


class ReminderMode(Choice):
    """How a user gets reminders: one e-mail per reminder, or one digest each morning."""

    single = "single"
    digest = "digest"


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        check_in("role", Role),
        check_in("reminder_mode", ReminderMode),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    # Vietnamese alphabetical order of full_name (core.collation), kept when it is set
    name_key: Mapped[bytes | None] = mapped_column(LargeBinary)
    # Title printed on documents, e.g. "Chánh Thanh tra Sở".
    title: Mapped[str] = mapped_column(String(200), default="")
    # Sanctioning competence of the title (legal/data/competence.yaml), e.g. chief_inspector;
    # None: this user does not sign sanction decisions.
    competence_title: Mapped[str | None] = mapped_column(String(40))
    # A deputy signs "KT. <head's title>" above their own title (Decree 30/2020).
    signs_on_behalf: Mapped[bool] = mapped_column(default=False)
    # The delegation of sanctioning power (giao quyền) cited in the decisions they sign,
    # e.g. "Quyết định số 15/QĐ-STTTT ngày 02/01/2014 về việc giao quyền xử phạt".
    delegation_basis: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped on logout-everywhere, password change, deactivation: ends every session.
    session_version: Mapped[int] = mapped_column(default=1)
    locale: Mapped[str | None] = mapped_column(String(5))
    # Reminders: "single" e-mails, or one "digest" a day; offsets in working days before a
    # deadline. Escalations to supervisors are always sent.
    reminder_mode: Mapped[str] = mapped_column(String(10), default=ReminderMode.single)
    reminder_offsets: Mapped[list] = mapped_column(JSON, default=lambda: [3, 1])
    # Secret of the user's iCalendar feed URL (None: no feed).
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    def set_password(self, password: str) -> None:
        """Store an argon2id hash of `password` (no policy check: see
        `auth.passwords.password_problems` for passwords users choose)."""
        self.password_hash = hash_password(password)

    def check_password(self, password: str) -> bool:
        """True when `password` matches; an outdated hash is replaced (caller commits)."""
        ok, new_hash = verify_password(self.password_hash, password)
        if ok and new_hash:
            self.password_hash = new_hash
        return ok

    def end_all_sessions(self) -> None:
        """Invalidate every session and remember-me cookie of this user."""
        self.session_version = (self.session_version or 0) + 1

    # Flask-Login: the id carries the session version, so old sessions stop matching.
    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.active

    @property
    def offsets(self) -> list[int]:
        """Working days before a deadline at which this user is reminded (default 3 and 1)."""
        return sorted({int(n) for n in (self.reminder_offsets or [3, 1]) if 0 < int(n) <= 20},
                      reverse=True)

    @property
    def is_inspector(self) -> bool:
        return self.role == Role.inspector

    @property
    def is_supervisor(self) -> bool:
        return self.role == Role.supervisor

    @property
    def is_admin(self) -> bool:
        return self.role == Role.admin

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"


keep_sort_key(User.full_name, "name_key")

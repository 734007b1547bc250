"""The body of a reminder e-mail, plain text and HTML (Vietnamese: e-mails always are).

Built with plain string formatting rather than a template: the planner may write tens of
thousands of them in one catch-up cycle (see `make bench-reminders`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from html import escape as _escape

from legal.dates import format_date_vn
from legal.money import format_vnd_with_unit

# the same names, dates and legal bases come back in thousands of e-mails of one cycle
escape = lru_cache(maxsize=8192)(_escape)

FOOTER = "Thư này được gửi tự động từ hệ thống quản lý vụ việc của Thanh tra Sở."


def _lead(kind: str, code: str, inspector: str, html: bool) -> str:
    b = (lambda s: f"<b>{s}</b>") if html else (lambda s: s)
    if kind == "escalation":
        return (f"Thời hạn sau của vụ việc {b(code)} (thanh tra viên: {inspector}) đã "
                f"{b('quá hạn')} từ 02 ngày làm việc trở lên:")
    if kind == "overdue":
        return f"Thời hạn sau của vụ việc {b(code)} đã {b('quá hạn')}:"
    if kind == "due":
        return f"Thời hạn sau của vụ việc {b(code)} đến hạn hôm nay:"
    return f"Nhắc việc: thời hạn sau của vụ việc {b(code)} sắp đến:"


@dataclass(frozen=True)
class Money:
    """What a case owes on the day a reminder is written, for the deadlines about its money
    (the time to comply, an instalment): the fine still unpaid and the late-payment surcharge
    if it is paid on `on` (Law 15/2012/QH13 Art. 78(1): `rate` a day of the fine unpaid,
    the days counted up to the day before payment), both integer VND."""

    unpaid: int
    surcharge: int
    on: date
    rate: str  # "0,05 %" a day; "" when no text applies yet (nothing late)
    basis: str

    @property
    def total(self) -> int:
        return self.unpaid + self.surcharge

    def lines(self) -> list[tuple[str, str]]:
        """[(label, value)] in Vietnamese, amounts as 1.234.567 đ."""
        on = format_date_vn(self.on)
        return [
            ("Số tiền phạt chưa nộp", format_vnd_with_unit(self.unpaid)),
            (f"Tiền chậm nộp phạt{f' ({self.rate}/ngày)' if self.rate else ''} tính đến "
             f"ngày {on}",
             format_vnd_with_unit(self.surcharge)),
            (f"Tổng số tiền phải nộp nếu nộp trong ngày {on}", format_vnd_with_unit(self.total)),
        ]


def reminder_bodies(*, kind: str, recipient: str, code: str, subject_name: str,
                    inspector: str, rule_name: str, due: str, left: str, basis: str,
                    url: str, money: Money | None = None) -> tuple[str, str]:
    """(plain text, HTML) of a reminder. `kind`: before_N, due, overdue or escalation;
    `due` is dd/mm/yyyy and `left` e.g. "còn 3 ngày"; `money`: what the case owes today,
    printed for the deadlines about its money (None: nothing printed). The same as
    ``ReminderText(...).bodies(kind, recipient)``."""
    return ReminderText(code=code, subject_name=subject_name, inspector=inspector,
                        rule_name=rule_name, due=due, left=left, basis=basis, url=url,
                        money=money).bodies(kind, recipient)


class ReminderText:
    """What the reminders of one deadline on one day have in common, written once: all of
    the text and HTML but the greeting and the lead sentence, which depend on the recipient
    and the kind (a catch-up cycle writes tens of thousands of e-mails, see
    `make bench-reminders`). Arguments as `reminder_bodies`."""

    __slots__ = ("_code", "_code_html", "_inspector", "_inspector_html", "_text_tail",
                 "_html_tail")

    def __init__(self, *, code: str, subject_name: str, inspector: str, rule_name: str,
                 due: str, left: str, basis: str, url: str, money: Money | None = None):
        owed = "".join(f"  {label}: {value}\n" for label, value in money.lines()) if money else ""
        if money and money.basis:
            owed += f"  Căn cứ tính tiền chậm nộp: {money.basis}\n"
        self._code, self._inspector = code, inspector
        self._text_tail = (
            f"\n\n  {rule_name}\n  Hạn cuối: {due} ({left})\n  Căn cứ: {basis}\n"
            + (f"\n{owed}" if owed else "") +
            f"\nVụ việc: {code} — {subject_name}\nXem hồ sơ: {url}\n\n{FOOTER}\n")
        money_rows = "".join(
            f'<tr><th align="left">{escape(label)}</th><td><b>{escape(value)}</b></td></tr>\n'
            for label, value in (money.lines() if money else ()))
        if money and money.basis:
            money_rows += (f'<tr><th align="left">Căn cứ tính tiền chậm nộp</th>'
                           f'<td>{escape(money.basis)}</td></tr>\n')
        e = {k: escape(v) for k, v in dict(code=code, inspector=inspector,
                                           subject_name=subject_name, rule_name=rule_name,
                                           due=due, left=left, basis=basis, url=url).items()}
        self._code_html, self._inspector_html = e["code"], e["inspector"]
        self._html_tail = (
            '</p>\n<table cellpadding="4" style="border-collapse: collapse">\n'
            f'<tr><th align="left">Thời hạn</th><td>{e["rule_name"]}</td></tr>\n'
            f'<tr><th align="left">Hạn cuối</th><td><b>{e["due"]}</b> ({e["left"]})</td></tr>\n'
            f'<tr><th align="left">Căn cứ</th><td>{e["basis"]}</td></tr>\n'
            f'{money_rows}'
            f'<tr><th align="left">Vụ việc</th><td>{e["code"]} — {e["subject_name"]}</td></tr>\n'
            f'</table>\n<p><a href="{e["url"]}">Mở hồ sơ vụ việc</a></p>\n'
            f'<p style="color: #666">{FOOTER}</p>\n</body></html>\n')

    def bodies(self, kind: str, recipient: str) -> tuple[str, str]:
        """(plain text, HTML) of the reminder of `kind` (before_N, due, overdue,
        escalation) to `recipient` (a name)."""
        text = (f"Kính gửi {recipient},\n\n{_lead(kind, self._code, self._inspector, False)}"
                + self._text_tail)
        html = (_HTML_HEAD + escape(recipient) + ",</p>\n<p>"
                + _lead(kind, self._code_html, self._inspector_html, True) + self._html_tail)
        return text, html


_HTML_HEAD = ('<!doctype html>\n<html lang="vi"><body style="font-family: Arial, sans-serif; '
              'font-size: 14px">\n<p>Kính gửi ')

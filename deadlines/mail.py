"""The body of a reminder e-mail, plain text and HTML (Vietnamese: e-mails always are).

Built with plain string formatting rather than a template: the planner may write tens of
thousands of them in one catch-up cycle (see `make bench-reminders`)."""

from __future__ import annotations

from functools import lru_cache
from html import escape as _escape

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


def reminder_bodies(*, kind: str, recipient: str, code: str, subject_name: str,
                    inspector: str, rule_name: str, due: str, left: str, basis: str,
                    url: str) -> tuple[str, str]:
    """(plain text, HTML) of a reminder. `kind`: before_N, due, overdue or escalation;
    `due` is dd/mm/yyyy and `left` e.g. "còn 3 ngày"."""
    text = (f"Kính gửi {recipient},\n\n{_lead(kind, code, inspector, False)}\n\n"
            f"  {rule_name}\n  Hạn cuối: {due} ({left})\n  Căn cứ: {basis}\n\n"
            f"Vụ việc: {code} — {subject_name}\nXem hồ sơ: {url}\n\n{FOOTER}\n")
    e = {k: escape(v) for k, v in dict(recipient=recipient, code=code, inspector=inspector,
                                       subject_name=subject_name, rule_name=rule_name,
                                       due=due, left=left, basis=basis, url=url).items()}
    html = (
        '<!doctype html>\n<html lang="vi"><body style="font-family: Arial, sans-serif; '
        f'font-size: 14px">\n<p>Kính gửi {e["recipient"]},</p>\n'
        f'<p>{_lead(kind, e["code"], e["inspector"], True)}</p>\n'
        '<table cellpadding="4" style="border-collapse: collapse">\n'
        f'<tr><th align="left">Thời hạn</th><td>{e["rule_name"]}</td></tr>\n'
        f'<tr><th align="left">Hạn cuối</th><td><b>{e["due"]}</b> ({e["left"]})</td></tr>\n'
        f'<tr><th align="left">Căn cứ</th><td>{e["basis"]}</td></tr>\n'
        f'<tr><th align="left">Vụ việc</th><td>{e["code"]} — {e["subject_name"]}</td></tr>\n'
        f'</table>\n<p><a href="{e["url"]}">Mở hồ sơ vụ việc</a></p>\n'
        f'<p style="color: #666">{FOOTER}</p>\n</body></html>\n')
    return text, html

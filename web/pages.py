"""Where a form's answer lives: the page above a POST-only address.

A form posts to an address of its own (``/cases/5/record``); when it fails, the page is
shown again with the errors, under that address. Two things keep the address usable:

- with JavaScript, the page carries the address of the page it shows (``data-page-url``)
  and app.js puts it in the address bar (`history.replaceState`), with the panel of the
  first error as its fragment: a reload shows the page, never a re-sent form;
- without it, a GET on a POST-only address (the address bar, a bookmark, a reload after
  Enter) is redirected to that page, scrolled to the panel named by the address
  (``/cases/5/record`` → ``/cases/5#record``) — never a 405.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, current_app, has_request_context, redirect, request
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect

from core.forms import failed_fields


def page_for(path: str) -> tuple[str, str]:
    """(the nearest address at or above `path` that answers GET, the first path segment
    below it — the panel's name, or "") for a path of this application. ``/`` at worst."""
    adapter = current_app.create_url_adapter(request)
    parts = path.rstrip("/").split("/")
    below = ""
    while len(parts) > 1:
        candidate = "/".join(parts)
        try:
            adapter.match(candidate, method="GET")
            return candidate, below
        except RequestRedirect as exc:  # /cases → /cases/
            return urlsplit(exc.new_url).path.removeprefix(request.script_root), below
        except (MethodNotAllowed, NotFound):
            segment = parts.pop()
            below = segment if not segment.isdigit() else below
    return "/", below


def redirect_post_only(error):
    """For a GET on a POST-only address: the redirect (303) to its page, scrolled to the
    panel the address names; None for anything else (the usual error page)."""
    if (error.code != 405 or request.method not in ("GET", "HEAD")
            or request.path.startswith("/static/")):
        return None
    page, panel = page_for(request.path)
    if page == request.path:
        return None
    anchor = f"#{panel}" if panel and page != "/" else ""
    return redirect(request.script_root + page + anchor, 303)


def init_pages(app: Flask) -> None:
    app.add_template_global(failed_fields, "failed_fields")

    @app.context_processor
    def _page_url():
        """The page a failed POST shows again, when it is not the address posted to."""
        if not has_request_context() or request.method != "POST" or request.url_rule is None:
            return {"page_url": None}
        page, _panel = page_for(request.path)
        return {"page_url": request.script_root + page if page != request.path else None}

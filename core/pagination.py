"""Pagination of the long lists in one query: the page's rows carry the total of the filtered
list (``count(*) OVER ()``), so a search is scanned once, not once for the rows and again
for the count."""

from __future__ import annotations

import typing as t

from flask import request
from flask_sqlalchemy.pagination import SelectPagination
from sqlalchemy import func, select
from sqlalchemy.sql import Select

from core.input import int_arg
from extensions import db


class WindowPagination(SelectPagination):
    """`SelectPagination` whose total comes with the items (``count(*) OVER ()``); a count
    query runs only when the page is past the end (no row to carry the total)."""

    _total: int | None = None

    def _total_column(self):
        """The column that carries the list's total on each of the page's rows."""
        return func.count().over()

    def _query_items(self) -> list[t.Any]:
        stmt = self._query_args["select"]
        rows = self._query_args["session"].execute(
            stmt.add_columns(self._total_column().label("list_total"))
            .limit(self.per_page).offset(self._query_offset)).all()
        self._total = rows[0][-1] if rows else None
        return [row[0] for row in rows]

    def _query_count(self) -> int:
        return self._total if self._total is not None else super()._query_count()


class CappedPagination(SelectPagination):
    """A search's page: its rows without counting every match (read in the list's order, the
    database stops at the page), then a count that stops past `cap`: the total is `cap` + 1
    when more match, which the page shows as "more than `cap`". Its cost stays flat however
    many cases match."""

    def _query_items(self) -> list[t.Any]:
        stmt = self._query_args["select"]
        return list(self._query_args["session"].scalars(
            stmt.limit(self.per_page).offset(self._query_offset)))

    def _query_count(self) -> int:
        cap = self._query_args["cap"]
        first = self._query_args["select"].order_by(None).limit(cap + 1).subquery()
        return self._query_args["session"].scalar(select(func.count()).select_from(first))


class KnownTotalPagination(WindowPagination):
    """A page of a list whose total is known without counting its rows — `total`, a select
    of one number (the case counts kept beside the cases, `cases.tallies`), asked in the
    same query as the page's rows, which are read in the list's order (the database stops
    at the page). Its cost stays flat however long the list."""

    def _total_column(self):
        return self._query_args["total"].scalar_subquery()

    def _query_count(self) -> int:
        if self._total is None:  # past the end: no row carried it
            self._total = self._query_args["session"].scalar(self._query_args["total"])
        return int(self._total or 0)


MAX_PAGE = 1_000_000  # beyond any list here; keeps the OFFSET within a 64-bit integer


def requested_page() -> int:
    """The request's ``page`` argument: 1 when missing, not a number, below 1 or absurdly
    large (``?page=99999999999999999999`` must not reach the database as an offset)."""
    return int_arg(request.args, "page", maximum=MAX_PAGE) or 1


def paginate(stmt: Select, per_page: int, *, cap: int | None = None,
             total: Select | None = None) -> SelectPagination:
    """The page of `stmt` named by the request's ``page`` argument (see `requested_page`;
    never a 404), `per_page` rows of its single ORM entity. `total`: a select of the list's
    length known without counting it (`KnownTotalPagination`); `cap`: count at most `cap` + 1 rows
    (`CappedPagination`, for a search); else every row is counted with the page's rows."""
    if total is not None:
        return KnownTotalPagination(select=stmt, session=db.session, page=requested_page(),
                                    per_page=per_page, error_out=False, total=total)
    if cap is not None:
        return CappedPagination(select=stmt, session=db.session, page=requested_page(),
                                per_page=per_page, error_out=False, cap=cap)
    return WindowPagination(select=stmt, session=db.session, page=requested_page(),
                            per_page=per_page, error_out=False)

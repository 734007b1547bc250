"""Who answers for a deadline: each package that owns deadlines (cases, registry) describes
its owner once, and `app.create_app` registers it. The planner reads these descriptions
instead of importing the owners' models, so deadlines sit below cases and registry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Owner:
    """One kind of deadline owner (a case, a site, a report owed).

    `fk`: the Deadline column pointing at it (Deadline.case_id); `relation`: the Deadline
    relationship to it ("case"); `model`: its model;
    `inspector` / `supervisor`: its columns naming the people responsible, or None;
    `open`: a condition on the model while its deadlines are reminded, or None (always);
    `escalates`: an overdue deadline goes to the supervisor after two working days, and no
    one else is reminded when the owner has no active inspector (otherwise every supervisor
    is); `digest`: listed in the morning digest; `money(rows, today)` → {deadline id:
    deadlines.mail.Money} for those of `rows` [(deadline id, rule code, owner id)] about
    money the owner owes (the reminder prints the amount unpaid, the late-payment surcharge
    to `today` and the total), or None.

    What the e-mails show, as SQL expressions over `model` (and `joins`), read as plain
    rows for thousands of deadlines at once: `label` names the owner in the subject line (a
    case code, a domain, a report's title), `about` says what it is about (the subject's
    name, the site's name), `inspector_name` the inspector's name (or None: none shown);
    `joins()` → the extra (target, on clause) outer joins these need; `path(owner id)` →
    the owner's page, after the base URL."""

    fk: Any
    relation: str
    model: Any
    label: Any
    about: Any
    path: Callable[[int], str]
    inspector_name: Any = None
    joins: Callable[[], list[tuple[Any, Any]]] = list
    inspector: Any = None
    supervisor: Any = None
    open: Any = None
    escalates: bool = False
    digest: bool = False
    money: Callable[[list, Any], dict] | None = None


_OWNERS: list[Owner] = []


def register(owner: Owner) -> None:
    """Add `owner` (once; registering the same owner again is a no-op)."""
    if all(o.fk is not owner.fk for o in _OWNERS):
        _OWNERS.append(owner)


def owners() -> list[Owner]:
    """The registered owners, in registration order."""
    return list(_OWNERS)


def owner_of(deadline) -> Owner | None:
    """The owner kind of a deadline (or of a row with the owners' foreign keys)."""
    return next((o for o in _OWNERS if getattr(deadline, o.fk.key) is not None), None)

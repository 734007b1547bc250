"""Deadlines: the stored legal time limits of cases, sites and reports, and the reminders.

How a deadline becomes an e-mail. An operation records an act that starts a time limit (a
violation record, a decision, a licence, a report owed); the owner's rules (`cases.deadlines`
for a case, `deadlines.rules` for a site or a report) compute its last day with
`legal.deadlines` on the working calendar in force, and `deadlines.store` writes it as a
`Deadline` row — cancelling the pending reminders of one that moved or closed. Every 15
minutes the scheduler's plan job (`jobs.py`) runs `deadlines.planner.plan_reminders`: for each
open deadline it works out from *today* which reminder is due (before, on the day, overdue,
escalation to the supervisor) and adds one outbox row per (deadline, kind, date, recipient),
the unique key making a second plan a no-op. The send job delivers committed outbox rows
(`core.mail.send_pending`). See docs/architecture.md#how-a-deadline-becomes-an-e-mail.
"""

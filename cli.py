"""Command-line interface: ``flask --app app <command>``."""

from __future__ import annotations

import logging
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from flask_migrate import upgrade
from sqlalchemy import func, select
from sqlalchemy.orm import undefer

import jobs
from auth.models import Role, User
from auth.passwords import password_problems
from auth.validation import normalise_username, user_problems
from cases.capture_worker import run_queued
from cases.models import CaptureState, Case, Decision
from cases.operations.captures import failure_message, request_capture, verify_case
from cases.operations.enforcement import adopt_legacy_measures
from cases.tallies import fresh_counts, kept_counts, recount
from catalogue.loader import describe, load_catalogue
from catalogue.models import LoadChange
from core import audit
from core.audit import (
    RekeyRefused,
    head_hash,
    rekey,
    verify_chain,
    verify_documents,
    verify_seals,
)
from core.backup import backup
from core.capture.manifest import FileState
from core.clock import clock, to_local
from core.documents import check as check_document
from core.errors import OperationError
from core.models import AuditEvent
from core.scheduler import run
from core.test_certificates import make_test_pki
from demo import load_demo
from extensions import db
from inspections.models import Campaign
from inspections.report import progress as campaign_progress
from legal.catalogue import CatalogueError, shipped
from legal.catalogue.doc import render
from legal.enforcement import EnforcementError
from legal.money import format_vnd
from legal.text import single_line
from registry.reachability import check_all


def register(app: Flask) -> None:
    app.cli.add_command(init_db)
    app.cli.add_command(demo_data)
    app.cli.add_command(users)
    app.cli.add_command(reminders)
    app.cli.add_command(decisions)
    app.cli.add_command(cases_group)
    app.cli.add_command(legal)
    app.cli.add_command(scheduler)
    app.cli.add_command(audit_group)
    app.cli.add_command(backup_command)
    app.cli.add_command(evidence)
    app.cli.add_command(registry_group)
    app.cli.add_command(inspections_group)
    app.cli.add_command(documents_group)


@click.command("init-db")
@with_appcontext
def init_db():
    """Create or upgrade the database schema (Alembic) and load the legal catalogue."""
    upgrade()
    result = load_catalogue()
    legacy = adopt_legacy_measures()
    db.session.commit()
    click.echo(f"Database ready; {_load_summary(result)}")
    if legacy:
        click.echo(f"  {len(legacy)} remedial measures of earlier decisions recorded before "
                   f"tracking (flask decisions legacy-measures)")
    for line in _load_lines(result):
        click.echo(f"  {line}")


@click.command("demo-data")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Do nothing when users already exist.")
def demo_data(if_empty: bool):
    """Load the demo province of the November 2014 campaign (users, sites, cases)."""
    if db.session.scalar(select(User.id).limit(1)) is not None:
        if if_empty:
            click.echo("Demo data: the database already has users; nothing loaded.")
            return
        raise click.ClickException("the database already has users; demo data needs an empty one")
    summary = load_demo()
    click.echo(f"Demo data loaded: {summary}")


users = AppGroup("users", help="Manage users.")


def _password() -> str:
    """The new password: typed twice at a prompt, or read once from standard input when it
    is not a terminal (``echo "$PW" | flask users create …``)."""
    if sys.stdin is not None and sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    line = sys.stdin.readline()
    return line.rstrip("\r\n")


@users.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(["inspector", "supervisor", "admin"]), required=True)
@click.option("--email", required=True)
@click.option("--name", "full_name", default=None, help="Full name (default: the username).")
@click.option("--title", default="", help="Title printed on documents.")
@click.option("--competence", "competence_title", default=None,
              type=click.Choice(["inspector_on_duty", "chief_inspector", "district_chairman",
                                 "police_director", "provincial_chairman"]),
              help="Sanctioning competence of a signer (default chief_inspector for a "
                   "supervisor).")
def users_create(username, role, email, full_name, title, competence_title):
    """Create a user; the password comes from a prompt (or stdin). The same rules as the
    web form (auth.validation) apply to the user name (trimmed, in lower case), e-mail and
    name."""
    username = normalise_username(username)
    full_name = single_line(full_name or username)
    title = single_line(title) or ""
    problems = user_problems(username, email, full_name, title)
    if problems:
        raise click.ClickException(" ".join(problems))
    if db.session.scalar(select(User.id).where(
            func.lower(User.username) == username)) is not None:
        raise click.ClickException(f"user {username!r} already exists")
    password = _password()
    problems = password_problems(password, username)
    if problems:
        raise click.ClickException(" ".join(problems))
    user = User(username=username, role=role, email=email.strip(),
                full_name=full_name, title=title,
                created_at=clock().now(), active=True, session_version=1,
                competence_title=competence_title
                or ("chief_inspector" if role == Role.supervisor else None))
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record(None, "user.created", user, after={"username": username, "role": role})
    db.session.commit()
    click.echo(f"User {username} ({role}) created.")


reminders = AppGroup("reminders", help="Reminder e-mails.")


@reminders.command("run-once")
def reminders_run_once():
    """Plan today's reminders and send the outbox now."""
    counts = jobs.run_once()
    click.echo(f"queued {counts['queued']}, sent {counts['sent']}, retry {counts['retry']}, "
               f"failed {counts['failed']}")


decisions = AppGroup("decisions", help="Issued decisions.")


@decisions.command("legacy-measures")
def decisions_legacy_measures():
    """Give the remedial measures that decisions issued before measures were tracked wrote
    only as text an obligation each, with no time limit, to be recorded done, enforced or
    impossible on the case page (run by init-db; a second run changes nothing)."""
    made = adopt_legacy_measures()
    db.session.commit()
    click.echo(f"{len(made)} measures recorded before tracking")
    for o in made:
        click.echo(f"  {o.case.code}: {o.text}")


@decisions.command("list")
def decisions_list():
    """Number, case code, subject, total (VND) of every issued decision."""
    rows = db.session.scalars(select(Decision).order_by(Decision.year, Decision.number))
    for d in rows:
        click.echo(f"{d.full_number}\t{d.case.code}\t{d.case.subject_name}\t"
                   f"{format_vnd(d.total_fine)}")


@decisions.command("pdf")
@click.argument("number")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True)
@click.option("--year", type=int, default=None, help="Year (default: the latest with NUMBER).")
def decisions_pdf(number: str, output: str, year: int | None):
    """Write the frozen PDF of decision NUMBER ("12" or "12/QĐ-XPVPHC") to a file."""
    try:
        n = int(number.split("/", 1)[0])
    except ValueError:
        raise click.ClickException(f"not a decision number: {number!r}") from None
    stmt = select(Decision).where(Decision.number == n)
    if year:
        stmt = stmt.where(Decision.year == year)
    decision = db.session.scalars(stmt.order_by(Decision.year.desc())).first()
    if decision is None:
        raise click.ClickException(f"no decision number {number}")
    with open(output, "wb") as fh:
        fh.write(decision.pdf)
    click.echo(f"{decision.full_number} → {output} (SHA-256 {decision.sha256})")


cases_group = AppGroup("cases", help="Violation cases.")


@cases_group.command("recount")
@click.option("--check", is_flag=True, help="Only compare; exit 1 when the counts differ.")
def cases_recount(check: bool):
    """Compare the case counts kept for the dashboard and the case list (cases.tallies) with
    a fresh count of the cases table and, unless --check, write the fresh ones (after a
    write to the cases table that bypassed the application)."""
    kept, fresh = kept_counts(), fresh_counts()
    if kept == fresh:
        click.echo(f"the kept counts are right ({sum(fresh[0].values())} cases)")
        return
    for state in sorted(set(kept[0]) | set(fresh[0])):
        if kept[0].get(state, 0) != fresh[0].get(state, 0):
            click.echo(f"  {state}: kept {kept[0].get(state, 0)}, counted "
                       f"{fresh[0].get(state, 0)}")
    days = sorted(day for day in set(kept[1]) | set(fresh[1])
                  if kept[1].get(day) != fresh[1].get(day))
    if days:
        click.echo(f"  {len(days)} days differ in cases detected or closed, from "
                   f"{days[0]:%d/%m/%Y} to {days[-1]:%d/%m/%Y}")
    if check:
        raise SystemExit(1)
    recount()
    db.session.commit()
    click.echo("the kept counts were wrong and are counted again")


legal = AppGroup("legal", help="The legal catalogue.")


@legal.command("load")
def legal_load():
    """Load legal/data/catalogue (and the deadline rules, competence limits and the dated
    texts of enforcement.yaml) into the database. Adds and amends entries; keeps the
    administrator's corrections; prints what changed. A second run changes nothing."""
    try:
        result = load_catalogue()
    except (CatalogueError, EnforcementError) as exc:
        db.session.rollback()
        raise click.ClickException(f"catalogue data not loaded: {exc}") from exc
    db.session.commit()
    click.echo(_load_summary(result))
    for line in _load_lines(result):
        click.echo(f"  {line}")


@legal.command("doc")
@click.option("-o", "--output", default="docs/legal/catalogue-entries.md", show_default=True)
def legal_doc(output: str):
    """Write the catalogue's entries as a Markdown page (every version, range, status and
    source) from legal/data/catalogue."""
    with open(output, "w", encoding="utf-8") as fh:
        fh.write(render(shipped()))
    click.echo(f"{output} written")


def _load_summary(result: dict) -> str:
    return (f"catalogue release {result['release']}: {result['instruments']} instruments, "
            f"{result['clauses']} entries in {result['versions']} versions, "
            f"{result['prohibitions']} prohibitions, {result['aliases']} aliases, "
            f"{result['rules']} rule texts, {result['limits']} competence limits, "
            f"{result['enforcement']} enforcement texts; "
            f"{result['added']} added, {result['changed']} changed, kept {result['kept']} "
            f"corrected locally.")


def _load_lines(result: dict) -> list[str]:
    """One line per change; additions summed by kind when there are many (a first load)."""
    changes = result["changes"]
    added = [c for c in changes if c["what"] == LoadChange.added]
    if len(added) <= 30:
        return [describe(change) for change in changes]
    kinds = Counter(c["kind"] for c in added)
    lines = [f"added {n} {kind} rows" for kind, n in sorted(kinds.items())]
    return lines + [describe(change) for change in changes if change["what"] != LoadChange.added]


scheduler = AppGroup("scheduler", help="The reminder scheduler.")


@scheduler.command("run")
def scheduler_run():
    """Run the reminder scheduler in the foreground (one process per deployment)."""
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    click.echo(f"scheduler starting at {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    run(current_app._get_current_object(), jobs.jobs(), catch_up=jobs.catch_up())


audit_group = AppGroup("audit", help="The audit trail.")


@audit_group.command("verify")
def audit_verify():
    """Check the audit trail's keyed chain, the seals of frozen documents and fines, and the
    stored documents' bytes; exit status 1 when anything was tampered with. Prints the head
    of the trail: write it down outside the database (`audit rekey --expect-head`)."""
    problems = verify_chain() + verify_seals() + verify_documents()
    total = db.session.scalar(select(func.count()).select_from(AuditEvent))
    if problems:
        for problem in problems:
            click.echo(problem, err=True)
        raise SystemExit(1)
    click.echo(f"Audit trail intact: {total} events; seals and stored documents intact.")
    click.echo(f"Head: {head_hash()}")


@audit_group.command("rekey")
@click.option("--expect-head", default=None,
              help="The head printed by `audit verify` before the upgrade: refuse unless the "
                   "trail still ends there.")
def audit_rekey(expect_head):
    """Once, after upgrading from a version whose audit trail was not keyed: check the trail
    as it was hashed, then re-hash it with AUDIT_KEY and seal the documents and fines stored
    before sealing. Refuses (exit status 1, nothing changed) when the trail is broken."""
    try:
        count = rekey(expect_head)
    except RekeyRefused as refused:
        db.session.rollback()
        click.echo(f"Refused: {refused}", err=True)
        raise SystemExit(1) from None
    db.session.commit()
    click.echo(f"Audit trail keyed: {count} events re-hashed; head {head_hash()}.")


@click.command("backup")
@click.option("-o", "--output", "target", type=click.Path(file_okay=False), default=None,
              help="Directory to write into (default: instance/backups).")
@with_appcontext
def backup_command(target):
    """Back up the database and the evidence files (see README, "Backup and restore")."""
    path = backup(Path(target) if target else None)
    click.echo(f"Backup written to {path}")


evidence = AppGroup("evidence", help="Web captures and evidence files.")


@evidence.command("capture")
@click.argument("case_code")
@click.argument("url")
@click.option("--user", "username", default=None,
              help="Who asks (default: the case's inspector).")
def evidence_capture(case_code: str, url: str, username: str | None):
    """Capture URL for case CASE_CODE now and print the manifest's SHA-256."""
    case = _case_by_code(case_code)
    user = (db.session.scalar(select(User).where(User.username == username))
            if username else case.inspector)
    if user is None:
        raise click.ClickException(f"no user {username!r}")
    try:
        capture = request_capture(user, url, case=case)
    except OperationError as exc:
        raise click.ClickException(exc.message) from None
    db.session.commit()
    run_queued(only=capture.id)
    db.session.refresh(capture)
    if capture.state != CaptureState.done:
        reason = failure_message(capture.failure, capture.failure_detail)
        raise click.ClickException(f"capture {capture.id} failed: {reason}")
    click.echo(f"capture {capture.id}: {capture.final_url} (HTTP {capture.http_status})")
    click.echo(capture.manifest_sha256)


@evidence.command("verify")
@click.argument("case_code")
def evidence_verify(case_code: str):
    """Re-hash every stored file of CASE_CODE; exit status 1 when one changed or is missing."""
    results = verify_case(_case_by_code(case_code))
    bad = [(what, check) for what, check in results if check.state != FileState.ok]
    for what, check in bad:
        click.echo(f"{check.state.upper()}: {what}: {check.name} (expected {check.expected}, "
                   f"found {check.found or '-'})")
    if bad:
        raise SystemExit(1)
    click.echo(f"All {len(results)} files intact.")


@evidence.command("run-queued")
def evidence_run_queued():
    """Run the queued web captures now (the scheduler does it every 10 s)."""
    click.echo(f"{run_queued()} captures run")


def _case_by_code(code: str):
    case = db.session.scalar(select(Case).where(Case.code == code.strip().upper()))
    if case is None:
        raise click.ClickException(f"no case {code!r}")
    return case


registry_group = AppGroup("registry", help="The site registry.")


@registry_group.command("check")
def registry_check():
    """Check now whether every registry site answers (the scheduler does it at 02:00)."""
    counts = check_all()
    db.session.commit()
    click.echo(f"online {counts['online']}, offline {counts['offline']}")


inspections_group = AppGroup("inspections", help="Inspection campaigns.")


@inspections_group.command("list")
def inspections_list():
    """Code, period, sites planned / checked / with violations, cases opened, status of
    every campaign, latest first."""
    campaigns = db.session.scalars(select(Campaign).order_by(Campaign.period_start.desc(),
                                                             Campaign.code))
    for campaign in campaigns:
        total = campaign_progress(campaign)["total"]
        click.echo(f"{campaign.code}\t{campaign.period_start:%d/%m/%Y}–"
                   f"{campaign.period_end:%d/%m/%Y}\tplanned {total['planned']}\t"
                   f"checked {total['checked']}\tviolations {total['violations']}\t"
                   f"cases {total['cases']}\t{campaign.status}")


@inspections_group.command("pdf")
@click.argument("code")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True)
def inspections_pdf(code: str, output: str):
    """Write the frozen PDF of campaign CODE's team decision to a file."""
    campaign = db.session.scalar(select(Campaign).where(Campaign.code == code)
                                 .options(undefer(Campaign.decision_pdf)))
    if campaign is None:
        raise click.ClickException(f"no campaign {code!r}")
    if campaign.decision_pdf is None:
        raise click.ClickException(f"the team decision of {code} is not issued yet")
    with open(output, "wb") as fh:
        fh.write(campaign.decision_pdf)
    click.echo(f"{campaign.decision_full_number} → {output} "
               f"(SHA-256 {campaign.decision_sha256})")


documents_group = AppGroup("documents", help="Issued documents and their digital signatures.")


def _when(moment) -> str:
    return to_local(moment).strftime("%d/%m/%Y %H:%M:%S (Asia/Ho_Chi_Minh)") if moment else "-"


@documents_group.command("verify")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def documents_verify(file: str):
    """Say whether FILE is a document the agency issued (its SHA-256 in the register), who
    signed it, when, and whether it is intact; exit status 1 unless it is genuine."""
    result = check_document(Path(file).read_bytes())
    entry, sig = result.entry, result.signature
    click.echo(f"SHA-256: {result.sha256}")
    if entry is not None:
        click.echo(f"Issued by the agency: {entry.kind} {entry.reference}, "
                   f"{_when(entry.issued_at)}, signature {entry.signature_level}")
    else:
        click.echo("Not in the register of issued documents (not ours, or changed since).")
    if sig.signed:
        click.echo(f"Signed by: {sig.signer}")
        click.echo(f"Certificate issued by: {sig.issuer} (serial {sig.serial})")
        click.echo(f"Signing time: {_when(sig.signed_at)}; time stamp: {_when(sig.timestamp)}")
        click.echo(f"Intact: {'yes' if sig.intact else 'NO'}; trusted: "
                   f"{'yes' if sig.trusted else 'no'}; covers the whole file: "
                   f"{'yes' if sig.whole_file else 'NO'}")
    for problem in sig.problems:
        click.echo(f"- {problem}")
    if not result.genuine:
        click.echo("NOT GENUINE")
        raise SystemExit(1)
    click.echo("GENUINE")


@documents_group.command("make-test-cert")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--password", default="test", show_default=True,
              help="The PKCS#12 file's password.")
def documents_make_test_cert(directory: str, password: str):
    """Write a throw-away CA, an agency certificate (agency.p12) and a time-stamping
    certificate into DIRECTORY, for trying signing out. Never for real documents."""
    pki = make_test_pki(Path(directory), organisation=current_app.config["AGENCY_FULL_NAME"],
                        signer=current_app.config["AGENCY_HEAD_TITLE"], password=password)
    click.echo(f"SIGNING_P12={pki.agency_p12}")
    click.echo(f"SIGNING_P12_PASSWORD_FILE=  # a file holding the password ({password!r} here)")
    click.echo(f"SIGNING_TRUST_ROOTS={pki.root_cert}")

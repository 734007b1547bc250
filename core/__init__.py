"""Cross-cutting pieces every feature uses: clock, column types, audit trail, mail outbox,
document numbering. Kept apart from the feature packages (auth, cases, registry)."""

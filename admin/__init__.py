"""Administration: the agency as printed on documents and the e-mail outbox (pages for
supervisors and administrators)."""

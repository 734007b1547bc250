"""The legal catalogue in the database: instruments, clauses, prohibitions, deadline rule
texts, competence limits and calendar overrides — loaded from legal/data, corrected by an
administrator, every change audited. The computations themselves are in `legal/`."""

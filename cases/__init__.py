"""Violation cases: models, forms, views, operations (the workflow), documents, reminders."""

"""Pure-Python legal engine of the case tracker: amounts, dates, text folding, the working-day
calendar, the sanction catalogue, fines and statutory deadlines (see docs/legal/README.md).

Nothing in this package imports Flask or SQLAlchemy.
"""

"""Inspection campaigns (đợt thanh tra, kiểm tra): the joint inspection a directive asks for,
its team and the decision establishing it, the plan of checks, each check's record and
outcome, the progress and the result report (docs/inspections.md)."""

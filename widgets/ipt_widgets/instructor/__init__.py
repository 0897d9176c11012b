"""Instructor tools: synthetic cohorts, the grading cycle, parallel grading and the competency report.

Nothing here is imported by a trainee notebook or by a graded kernel."""

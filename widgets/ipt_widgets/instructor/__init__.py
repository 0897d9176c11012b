"""Instructor tools: synthetic cohorts, the grading cycle, grading on Dask and the competency report.

Nothing here is imported by a trainee notebook or by a graded kernel."""

"""Organization assessments (DOMAIN.md §10): the annual assessment of primary organizations, branch
standardization, star ratings and the rectification of weak and lax organizations, on the scoring engine."""

"""County dashboards (issue 9): figures for county admins and committee reviewers, drawn as charts with the
table behind each, exported to Excel, and served by the API at /api/dashboard/."""

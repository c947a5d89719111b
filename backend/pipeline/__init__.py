"""Pipeline, goals and performance: opportunities, quotas, P.A.C.E. ratings and the reports."""

"""Pipeline services: opportunities, quotas, ratings, reports and the summary email."""

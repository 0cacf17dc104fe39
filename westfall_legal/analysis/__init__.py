"""Analysis: structure -> candidate clauses -> labelled clauses, facts and findings."""

"""The HTTP service (FastAPI) and the `policykg` command line."""

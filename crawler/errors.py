"""The project's exceptions: one root, children named for what the caller should do."""

from __future__ import annotations


class IngestError(Exception):
    """Root of every error this project raises on purpose."""

    error_class = "ingest_error"
    retryable = False

    def __init__(self, message: str, *, error_class: str | None = None, retryable: bool | None = None,
                 http_status: int | None = None) -> None:
        super().__init__(message)
        if error_class:
            self.error_class = error_class
        if retryable is not None:
            self.retryable = retryable
        self.http_status = http_status


class SiteNotConfigured(IngestError):
    """A site definition is missing or invalid."""

    error_class = "site_not_configured"


class FetchFailed(IngestError):
    """An HTTP fetch did not deliver a usable page; `error_class` says why (http_500, timeout …)."""

    error_class = "fetch_failed"
    retry_after: float | None = None  # seconds the server asked us to wait (429/503 Retry-After)


class ParseFailed(IngestError):
    """A fetched page could not be turned into a notice record."""

    error_class = "parse_error"

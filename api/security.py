"""Who may write: bearer keys (POLICYKG_API_KEY), the loopback-only anonymous opt-in, and the CORS policy.

Reads are open to everyone, from any origin. Writes (uploads, removals, any future write endpoint) need
`Authorization: Bearer <key>` with one of the configured keys, compared in constant time. With no key configured,
writes are off and answered 403 with a message that says how to turn them on.
"""

from __future__ import annotations

import hmac
import ipaddress
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.middleware.cors import CORSMiddleware

READ_METHODS = ["GET", "HEAD", "OPTIONS"]
WRITE_METHODS = ["POST", "DELETE", "PUT", "PATCH"]
HOW_TO_ENABLE = (
    "writes are off on this server: set POLICYKG_API_KEY to one or more comma-separated keys and send "
    "`Authorization: Bearer <key>` (or, on a single user's machine bound to 127.0.0.1 only, "
    "POLICYKG_ALLOW_ANONYMOUS_WRITES=1); loading with `policykg load` needs no key"
)

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="apiKey",
    description="One of the keys in POLICYKG_API_KEY, sent as `Authorization: Bearer <key>`.",
)


def is_loopback(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(settings, host: str) -> str | None:
    """A configuration error for this bind address, or None. Anonymous writes exist only on loopback."""
    if settings.allow_anonymous_writes and not settings.api_keys and not is_loopback(host):
        return (
            f"POLICYKG_ALLOW_ANONYMOUS_WRITES=1 is refused on a non-loopback address ({host}): anyone who can reach "
            "it could change the data; bind to 127.0.0.1 or set POLICYKG_API_KEY instead"
        )
    return None


def write_status(settings) -> str:
    """One line for `serve` to print at start: whether and how writes are possible."""
    if settings.read_only:
        return "writes: off (POLICYKG_READ_ONLY=1)"
    if settings.api_keys:
        n = len(settings.api_keys)
        return f"writes: need `Authorization: Bearer <key>` ({n} key{'s' if n > 1 else ''} in POLICYKG_API_KEY)"
    if settings.allow_anonymous_writes:
        return "writes: open to anyone on this machine (POLICYKG_ALLOW_ANONYMOUS_WRITES=1, loopback only)"
    return "writes: off — " + HOW_TO_ENABLE


def key_matches(given: str, keys: list[str]) -> bool:
    """Constant time per key, and every key is compared (no early exit that tells which one was close)."""
    given_bytes = given.encode()
    found = False
    for key in keys:
        found |= hmac.compare_digest(given_bytes, key.encode())
    return found


def _origin_allowed(settings, request: Request, origin: str) -> bool:
    same_origin = origin.split("://", 1)[-1] == request.headers.get("host", "")  # e.g. the /docs page itself
    return same_origin or "*" in settings.cors_origins or origin in settings.cors_origins


def require_write_key(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> None:
    """The dependency every write endpoint declares (and through it, the OpenAPI security scheme)."""
    settings = request.app.state.settings
    if settings.read_only:
        raise HTTPException(403, "this server is read-only (POLICYKG_READ_ONLY=1)")
    origin = request.headers.get("origin")
    if origin and not _origin_allowed(settings, request, origin):
        # a browser page elsewhere: multipart POSTs need no preflight, so refuse them here as well
        raise HTTPException(403, f"writes from origin {origin!r} are not allowed (POLICYKG_CORS_ORIGINS)")
    if settings.api_keys:
        if credentials is None or credentials.scheme.lower() != "bearer":
            raise HTTPException(401, "this write needs `Authorization: Bearer <key>` with a key from POLICYKG_API_KEY")
        if not key_matches(credentials.credentials, settings.api_keys):
            raise HTTPException(403, "the bearer key is not one of the keys in POLICYKG_API_KEY")
        return
    if settings.allow_anonymous_writes and is_loopback(request.client.host if request.client else ""):
        return
    raise HTTPException(403, HOW_TO_ENABLE)


WriteKey = Annotated[None, Depends(require_write_key)]


def add_cors(app, settings) -> None:
    """Reads from any origin; writes from none, unless POLICYKG_CORS_ORIGINS lists origins (then for both)."""
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=READ_METHODS + WRITE_METHODS,
            allow_headers=["*"],
        )
    else:
        app.add_middleware(
            CORSMiddleware, allow_origins=["*"], allow_methods=READ_METHODS, allow_headers=["Accept", "Content-Type"]
        )


def upload_name_refusal(name: str | None) -> str | None:
    """Why an upload's file name is refused: path separators, '..', control characters or an overlong name."""
    if name is None or name == "":
        return None
    if "/" in name or "\\" in name or name in (".", "..") or name.startswith(".."):
        return f"the file name {name!r} holds a path; send a plain file name"
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        return f"the file name {name!r} holds control characters"
    if len(name) > 255:
        return "the file name is longer than 255 characters"
    return None

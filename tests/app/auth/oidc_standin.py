"""A small OpenID Connect provider for the tests: discovery, keys, an authorize endpoint that signs in the one
configured person at once, and a token endpoint issuing an RS256 ID token (joserfc)."""

from __future__ import annotations

import secrets
import time
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse
from joserfc import jwt
from joserfc.jwk import RSAKey


def oidc_standin(*, client_id: str, client_secret: str, person: dict[str, Any]) -> FastAPI:
    """``person``: the claims of whoever signs in (``sub``, ``preferred_username``, ``name``, ``roles``)."""
    app = FastAPI()
    key = RSAKey.generate_key(2048, parameters={"kid": "standin-1", "use": "sig", "alg": "RS256"})
    codes: dict[str, dict[str, Any]] = {}

    def issuer(request: Request) -> str:
        return str(request.base_url).rstrip("/")

    @app.get("/.well-known/openid-configuration")
    def discovery(request: Request) -> dict[str, Any]:
        base = issuer(request)
        return {"issuer": base, "authorization_endpoint": f"{base}/authorize", "token_endpoint": f"{base}/token",
                "jwks_uri": f"{base}/jwks", "response_types_supported": ["code"], "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"]}

    @app.get("/jwks")
    def jwks() -> dict[str, Any]:
        return {"keys": [key.as_dict(private=False)]}

    @app.get("/authorize")
    def authorize(request: Request, client_id: str, redirect_uri: str, state: str, nonce: str = "") -> Any:
        if client_id != app.state.client_id:
            return JSONResponse({"error": "unauthorized_client"}, status_code=400)
        code = secrets.token_urlsafe(16)
        codes[code] = {"nonce": nonce, "redirect_uri": redirect_uri, "issuer": issuer(request)}
        return RedirectResponse(f"{redirect_uri}?{urlencode({'code': code, 'state': state})}", status_code=302)

    @app.post("/token")
    def token(request: Request, code: str = Form(...), redirect_uri: str = Form(...),
              client_id: str | None = Form(None), client_secret: str | None = Form(None)) -> Any:
        import base64

        basic = request.headers.get("authorization", "")
        if basic.lower().startswith("basic "):
            client_id, _, client_secret = base64.b64decode(basic[6:]).decode().partition(":")
        grant = codes.pop(code, None)
        if grant is None or client_id != app.state.client_id or client_secret != app.state.client_secret:
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        now = int(time.time())
        claims = {"iss": grant["issuer"], "aud": client_id, "iat": now, "exp": now + 300, "nonce": grant["nonce"],
                  **app.state.person}
        id_token = jwt.encode({"alg": "RS256", "kid": "standin-1"}, claims, key)
        return {"access_token": secrets.token_urlsafe(16), "token_type": "Bearer", "expires_in": 300,
                "id_token": id_token}

    app.state.client_id, app.state.client_secret, app.state.person = client_id, client_secret, person
    return app

"""Staff sign-in: local accounts (argon2), the bank's SSO (OpenID Connect), signed sessions with CSRF tokens
for the review UI, personal access tokens for the task API, and the role each route needs."""

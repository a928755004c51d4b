"""``idp staff``: accounts made, listed, given tokens and new passwords from the command line."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from idp.app.cli import app
from idp.storage import staff
from idp.storage.db import session_scope

runner = CliRunner()


def test_staff_add_list_token_passwd_disable(db_settings):
    added = runner.invoke(app, ["staff", "add", "Alice", "--role", "team_lead", "--skills", "vat_invoice"])
    assert added.exit_code == 0, added.output
    shown = json.loads(added.output)
    assert shown["role"] == "team_lead" and len(shown["password"]) >= 10  # generated, printed once
    assert runner.invoke(app, ["staff", "add", "ALICE"]).exit_code != 0  # the same person by another spelling
    assert "Alice" in runner.invoke(app, ["staff", "list"]).output
    token = json.loads(runner.invoke(app, ["staff", "token", "alice"]).output)["token"]
    assert token.startswith("idp_pat_")
    assert runner.invoke(app, ["staff", "passwd", "alice", "--password", "a-new-password-9"]).exit_code == 0
    assert runner.invoke(app, ["staff", "add", "bob", "--role", "root"]).exit_code != 0
    assert runner.invoke(app, ["staff", "disable", "alice"]).exit_code == 0
    with session_scope(db_settings.effective_database_url) as s:
        row = staff.require(s, "alice")
        assert not row.active and row.auth_epoch == 2 and row.skills == ["vat_invoice"]

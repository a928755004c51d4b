"""``idp demo`` serves on the port it printed: the port is held from the moment it is chosen, a port the
user asked for that is taken is named in a clear error, and a taken default gives way to a free port."""

from __future__ import annotations

import io

import httpx
from rich.console import Console

from idp.app.demo import _api_server
from idp.standins.runner import hold_port


def _console() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, width=200), out


def test_a_taken_port_the_user_asked_for_is_named_and_nothing_starts(db_settings):
    taken = hold_port()
    port = taken.getsockname()[1]
    console, out = _console()
    try:
        assert _api_server(db_settings, port, console) is None
    finally:
        taken.close()
    assert f"端口 {port} 已被其他程序占用" in out.getvalue() and "--port" in out.getvalue()


def test_a_taken_default_port_gives_way_to_a_free_one_that_is_then_served(db_settings):
    taken = hold_port()
    settings = db_settings.model_copy(update={"port": taken.getsockname()[1]})
    console, out = _console()
    try:
        server = _api_server(settings, None, console)
        assert server is not None and server.port != settings.port
        assert f"改用端口 (using port) {server.port}" in out.getvalue()
        with server:
            assert httpx.get(f"{server.url}/healthz").status_code == 200
    finally:
        taken.close()


def test_the_chosen_port_is_held_until_the_server_serves_on_it(db_settings):
    console, _ = _console()
    server = _api_server(db_settings, None, console)
    assert server is not None
    try:
        # another program trying to take the printed port in the meantime cannot
        try:
            hold_port(port=server.port).close()
            raise AssertionError("the demo's port could be taken before it served")
        except RuntimeError as exc:
            assert str(server.port) in str(exc)
        server.start()
        assert httpx.get(f"{server.url}/healthz").status_code == 200
    finally:
        server.stop()

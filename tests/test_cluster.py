"""Bot games on a Dask cluster (`wargame simulate --cluster ADDRESS`): the same tables as
on local processes, and a clear refusal when the cluster cannot be reached or cannot play."""

from __future__ import annotations

import sys

import distributed  # in the test extra: these tests always run
import pytest

from wargame.analysis import balance
from wargame.cli import main


def tables(text: str) -> list[str]:
    """The report without the lines that say how and how long it ran."""
    return [ln for ln in text.splitlines()
            if not ln.startswith(("wargame simulate", "- games:", "- wall time:"))]


@pytest.fixture(scope="module")
def cluster():
    # in-process workers: quick to start, and they see this process's modules
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, protocol="tcp",
                                  dashboard_address=None) as c:
        yield c.scheduler_address


def test_a_cluster_gives_the_tables_local_workers_give(cluster, tmp_path, capsys):
    there, here = tmp_path / "cluster.md", tmp_path / "local.md"
    assert main(["simulate", "--games", "45", "--seed", "4", "--cluster", cluster, "--out", str(there)]) == 0
    assert f"on the Dask cluster at {cluster}" in capsys.readouterr().err
    assert main(["simulate", "--games", "45", "--seed", "4", "--workers", "1", "--out", str(here), "--quiet"]) == 0
    a, b = there.read_text(encoding="utf-8"), here.read_text(encoding="utf-8")
    assert tables(a) == tables(b)
    assert f"--cluster {cluster}" in a and f"workers: a Dask cluster ({cluster})" in a
    assert balance.CLUSTER_CHUNK < 45  # more than one task went to the cluster


def test_an_address_that_is_not_one_is_refused_at_once(capsys):
    assert main(["simulate", "--games", "2", "--cluster", "not an address", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "expected a Dask scheduler's address such as tcp://" in err and "Traceback" not in err
    assert main(["simulate", "--games", "2", "--cluster", " ", "--quiet"]) == 2
    assert main(["simulate", "--games", "2", "--cluster", "inproc://x:1", "--quiet"]) == 2


def test_a_scheduler_that_does_not_answer_is_named(monkeypatch, capsys):
    monkeypatch.setattr(balance, "CLUSTER_SECONDS", 1.0)
    assert main(["simulate", "--games", "2", "--cluster", "tcp://127.0.0.1:1", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "--cluster tcp://127.0.0.1:1: cannot reach a Dask scheduler there" in err
    assert "Traceback" not in err


def test_workers_that_cannot_play_say_so(cluster, monkeypatch, capsys):
    def broken(content, games):
        raise ModuleNotFoundError("No module named 'wargame'")

    monkeypatch.setattr(balance, "_play_chunk", broken)
    assert main(["simulate", "--games", "3", "--cluster", cluster, "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "the cluster could not play the games" in err and "need wargame installed" in err
    assert "Traceback" not in err


def test_without_dask_the_option_says_what_to_install(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if it were not installed
    assert main(["simulate", "--games", "2", "--cluster", "tcp://127.0.0.1:8786", "--quiet"]) == 2
    assert "pip install 'wargame[cluster]'" in capsys.readouterr().err


def test_only_plain_tcp_is_offered(capsys):
    for address in ("tls://127.0.0.1:1", "ucx://127.0.0.1:1", "ws://127.0.0.1:1"):
        assert main(["simulate", "--games", "2", "--cluster", address, "--quiet"]) == 2
        err = capsys.readouterr().err
        assert "protocol is not supported; use tcp" in err and "Traceback" not in err
    assert main(["simulate", "--games", "2", "--cluster", "tcp://a\nb:1", "--quiet"]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1  # one line, whatever the address holds


@pytest.fixture
def impostor():
    """A port that takes connections and either says nothing or answers as a web server
    does (what a scheduler's dashboard, one port up, answers)."""
    import socket
    import threading

    servers = []

    def serve(mode: str) -> str:
        sock = socket.create_server(("127.0.0.1", 0))
        servers.append(sock)

        def loop():
            while True:
                try:
                    conn, _ = sock.accept()
                except OSError:
                    return
                if mode == "http":
                    conn.recv(65536)  # the client's greeting, read as a bad request
                    conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
                servers.append(conn)  # kept open, silent

        threading.Thread(target=loop, daemon=True).start()
        return f"tcp://127.0.0.1:{sock.getsockname()[1]}"

    yield serve
    for s in servers:
        s.close()


@pytest.mark.parametrize("mode, why", [("silent", "sent no greeting within 1 s"),
                                       ("http", "sent no greeting within 1 s")])
def test_a_port_that_is_not_a_scheduler_is_refused_within_the_timeout(impostor, monkeypatch, capsys, mode, why):
    """Dask's client would wait for ever on a port that accepts and says nothing, and read a
    web server's answer as a frame of exabytes; the greeting is heard first."""
    import time

    monkeypatch.setattr(balance, "CLUSTER_SECONDS", 1.0)
    address = impostor(mode)
    start = time.monotonic()
    assert main(["simulate", "--games", "2", "--cluster", address, "--quiet"]) == 2
    assert time.monotonic() - start < 5.0
    err = capsys.readouterr().err
    assert f"--cluster {address}: cannot reach a Dask scheduler there (" in err and why in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_a_peer_that_speaks_first_but_not_as_a_scheduler_is_named(monkeypatch):
    import socket
    import threading

    sock = socket.create_server(("127.0.0.1", 0))

    def greet():
        conn, _ = sock.accept()
        conn.sendall(b"HTTP/1.1 200 OK\r\n\r\n")
        conn.close()

    threading.Thread(target=greet, daemon=True).start()
    why = balance._not_a_scheduler("127.0.0.1", sock.getsockname()[1], 2.0)
    sock.close()
    assert why is not None and "not a Dask scheduler" in why and "dashboard" in why


def test_a_real_scheduler_greets_at_once(cluster):
    from distributed.comm.addressing import parse_address, parse_host_port

    host, port = parse_host_port(parse_address(cluster)[1])
    assert balance._not_a_scheduler(host, port, 5.0) is None

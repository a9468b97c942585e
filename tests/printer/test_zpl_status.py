"""A Zebra-style printer's ~HS answer, read over a real loopback socket."""

import socket
import threading

import pytest

from printer.zpl_status import HostStatus, ask_host_status, parse_host_status


def host_status(paper_out=False, paused=False, head_open=False) -> bytes:
    """A ~HS answer as a Zebra printer writes it (ZPL II Programming Guide, ~HS)."""
    first = f"030,{int(paper_out)},{int(paused)},1245,000,0,0,0,000,0,0,0"
    second = f"001,0,{int(head_open)},0,0,2,4,0,00000000,1,000"
    return b"".join(b"\x02" + s.encode() + b"\x03\r\n" for s in (first, second, "1234,0"))


@pytest.mark.parametrize("flags, problem", [
    ({}, None),
    ({"paper_out": True}, "ラベルがありません"),
    ({"paused": True}, "一時停止"),
    ({"head_open": True}, "開いています"),
])
def test_the_answer_says_what_stops_printing(flags, problem):
    status = parse_host_status(host_status(**flags))
    assert status == HostStatus(**{"paper_out": False, "paused": False, "head_open": False, **flags})
    if problem is None:
        assert status.problem() is None
    else:
        assert problem in status.problem()[1]


@pytest.mark.parametrize("garbage", [b"", b"hello", b"\x02030\x03", b"\x02a,b\x03\x02c\x03"])
def test_something_else_is_not_a_status(garbage):
    with pytest.raises(ValueError):
        parse_host_status(garbage)


def _peer(answer: bytes | None):
    """A loopback peer that answers ~HS with ``answer`` (None: keeps silent) and keeps the rest."""
    server = socket.create_server(("127.0.0.1", 0))
    received = []

    def serve():
        connection, _ = server.accept()
        with connection:
            asked = connection.recv(3)
            received.append(asked)
            if answer is not None:
                connection.sendall(answer[:20])  # in two pieces, as a slow printer may
                connection.sendall(answer[20:])
            connection.settimeout(3)
            received.append(connection.recv(100))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return server.getsockname()[1], received, thread


def test_asked_on_the_open_connection_and_the_job_follows():
    port, received, thread = _peer(host_status(paper_out=True))
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        status = ask_host_status(connection)
        assert connection.gettimeout() == 5  # left as it was for the job
        connection.sendall(b"^XA^XZ")
    thread.join(5)
    assert status.paper_out and received == [b"~HS", b"^XA^XZ"]


def test_a_printer_that_does_not_answer_gets_the_job_anyway():
    port, received, thread = _peer(None)
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        assert ask_host_status(connection, wait=0.3) is None
        connection.sendall(b"^XA^XZ")
    thread.join(5)
    assert received == [b"~HS", b"^XA^XZ"]

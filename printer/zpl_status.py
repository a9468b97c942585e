"""A Zebra-style printer's host status (ZPL ``~HS``), asked before a job is sent.

A printer that is out of labels, paused or has its print head open still takes a job over
port 9100 and holds it: the kiosk would count the labels printed while none came out. The
answer is three strings, each between STX and ETX (ZPL II Programming Guide, ~HS):

    string 1: aaa,b,c,dddd,eee,f,g,h,iii,j,k,l   b paper out, c paused, f buffer full, …
    string 2: mmm,n,o,p,q,r,s,t,uuuuuuuu,v,www   o head up, p ribbon out, …
    string 3: xxxx,y

Ribbon out is not read: a direct-thermal printer (the usual label printer) has no ribbon.
"""

import socket
import time
from dataclasses import dataclass

QUERY = b"~HS"
STX, ETX = b"\x02", b"\x03"


@dataclass(frozen=True)
class HostStatus:
    paper_out: bool
    paused: bool
    head_open: bool

    def problem(self) -> tuple[str, str] | None:
        """(English, Japanese) for the first thing staff must fix, or None when it can print."""
        if self.paper_out:
            return "out of labels (paper out)", "ラベルがありません。ロールを入れてください"
        if self.head_open:
            return "the print head is open", "プリンターのカバー（ヘッド）が開いています。閉じてください"
        if self.paused:
            return "paused", "プリンターが一時停止しています。プリンターの一時停止を解除してください"
        return None


def parse_host_status(data: bytes) -> HostStatus:
    """The status in a ~HS answer; ValueError if it is not one."""
    strings = [part.split(ETX, 1)[0] for part in data.split(STX)[1:]]
    if len(strings) < 2:
        raise ValueError(f"not a ~HS answer: {data[:60]!r}")
    first, second = (s.decode("ascii", "replace").split(",") for s in strings[:2])
    if len(first) < 3 or len(second) < 3:
        raise ValueError(f"not a ~HS answer: {data[:60]!r}")
    return HostStatus(paper_out=first[1].strip() == "1", paused=first[2].strip() == "1",
                      head_open=second[2].strip() == "1")


def ask_host_status(connection: socket.socket, wait: float = 1.5) -> HostStatus | None:
    """Send ~HS on an open connection and read the answer; None when the printer does not
    answer within ``wait`` seconds (some ZPL emulations do not), so the job goes as before."""
    connection.sendall(QUERY)
    data, deadline, previous = b"", time.monotonic() + wait, connection.gettimeout()
    try:
        while data.count(ETX) < 3 and (remaining := deadline - time.monotonic()) > 0:
            connection.settimeout(remaining)
            chunk = connection.recv(1024)
            if not chunk:
                break
            data += chunk
    except socket.timeout:
        pass
    finally:
        connection.settimeout(previous)
    try:
        return parse_host_status(data)
    except ValueError:
        return None

"""Serving the kiosk beyond this PC only on purpose.

On 127.0.0.1 only the person at the screen reaches the kiosk. On any other address the whole
school LAN does, so staff actions (withdrawal, corrections, settings, printers) must already be
behind a staff PIN: `kiosk serve --host` with such an address refuses to start until one exists.
"""

import ipaddress

from kiosk.errors import KioskError
from kiosk.library import find_library
from kiosk.staff import has_staff
from kiosk.db.storage import Database

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def is_loopback(host: str) -> bool:
    """Whether ``host`` keeps the kiosk on this PC (127.0.0.0/8, ::1, localhost)."""
    host = host.strip().strip("[]").lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name or an address of a network card: reachable from the LAN


def check_lan_serving(db: Database, host: str, library_ref: str | None) -> None:
    """Refuse to serve on ``host`` beyond this PC while the library has no staff PIN."""
    if is_loopback(host):
        return
    with db.read() as session:
        try:
            library_id = find_library(session, library_ref).id
        except KioskError:
            library_id = None
        if library_id is not None and has_staff(session, library_id):
            return
    raise KioskError(
        f"refusing to serve on {host}: the kiosk would be reachable from the LAN while staff actions "
        "have no PIN; add one first (kiosk staff add NAME --pin PIN --admin), or serve on 127.0.0.1",
        f"{host} では起動しません。職員の暗証番号がないまま校内LANから除籍・訂正・設定ができてしまうためです。"
        "先に暗証番号を登録してください（kiosk staff add 名前 --pin 番号 --admin）。"
        "このPCだけで使うなら --host 127.0.0.1 で起動してください",
    )

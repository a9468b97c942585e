"""One clock for every kiosk of a library: the date that goes in the ledger.

On PostgreSQL many kiosks (a whole city's schools) share one server, and its clock dates
registrations, withdrawals and the rest: a kiosk whose own clock runs ahead cannot open next
fiscal year's ledger sheets for everyone. A kiosk whose clock disagrees with the server's by
more than ``MAX_SKEW`` says so and refuses to write dated rows until its clock is set. On SQLite
the database is a file on this PC, so this PC's clock is the one clock.
"""

from datetime import date, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.orm import Session

from kiosk.errors import KioskError

MAX_SKEW = timedelta(minutes=5)


class ClockSkew(KioskError):
    """This kiosk's clock disagrees with the database server's."""

    def __init__(self, local: datetime, server: datetime):
        minutes = round(abs((local - server).total_seconds()) / 60)
        way, way_ja = ("ahead", "進んで") if local > server else ("behind", "遅れて")
        super().__init__(
            f"this kiosk's clock ({local:%Y-%m-%d %H:%M}) is {minutes} minutes {way} of the database server's "
            f"({server.astimezone(local.tzinfo):%Y-%m-%d %H:%M}): set the clock before registering",
            f"このキオスクの時計（{local:%Y-%m-%d %H:%M}）がデータベースの時計より約{minutes}分{way_ja}います。"
            "時計を合わせるまで登録・除籍はできません（記録は何も変わっていません）",
        )
        self.skew = local - server


def ledger_today(session: Session) -> date:
    """Today for the ledger: the database server's date where there is a server (in this
    kiosk's time zone), after checking this kiosk's clock agrees with it; else this PC's."""
    local = datetime.now().astimezone()
    if session.get_bind().dialect.name != "postgresql":
        return local.date()
    server = session.scalar(text("SELECT clock_timestamp()"))
    if abs(local - server) > MAX_SKEW:
        raise ClockSkew(local, server)
    return server.astimezone(local.tzinfo).date()

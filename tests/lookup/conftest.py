"""Fixtures for the lookup tests: a fake NDL/openBD server on 127.0.0.1 and settings with
short limits, so fault tests finish in about a second each."""

import pytest

from kiosk.lookup.sources import LookupSettings
from kiosk.lookup.transport import Limits

from tests.lookup.fake_service import FakeService

NDL_PATH = "/api/sru"
OPENBD_PATH = "/v1/get"


@pytest.fixture
def service():
    fake = FakeService().start()
    yield fake
    fake.stop()


@pytest.fixture
def settings(service) -> LookupSettings:
    return LookupSettings(
        ndl_sru_url=service.base + NDL_PATH,
        openbd_url=service.base,
        limits=Limits(connect_timeout=0.5, read_timeout=0.6, total_timeout=1.0, retries=2,
                      backoff=0.05),
        ndl_min_interval=0.0,
        openbd_min_interval=0.0,
        failure_threshold=3,
        cooldown=60.0,
    )

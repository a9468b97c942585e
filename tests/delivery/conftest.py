from tests.lookup.conftest import service, settings  # noqa: F401  (the fake NDL/openBD server)

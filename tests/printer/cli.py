"""The command line on a new library (first number 1001) holding some copies of ぐりとぐら."""

from click.testing import CliRunner

from kiosk_app.cli import main


def cli_with_copies(database_url: str, copies: int):
    """A function that runs `kiosk ARGS…` on that database and returns click's result."""
    runner, env = CliRunner(), {"KIOSK_DATABASE_URL": database_url}

    def run(*args):
        return runner.invoke(main, list(args), env=env)

    assert run("init", "--name", "ひまわり小学校図書館", "--first-number", "1001").exit_code == 0
    assert run("register", "--title", "ぐりとぐら", "--source", "ひまわり書店", "--price", "1100",
               "--copies", str(copies)).exit_code == 0
    return run

"""`kiosk labels` and copies whose spine label waits (請求記号待ち): the command says which it
left out, and on one sheet each copy's barcode label stays beside its own spine label."""

import subprocess

from click.testing import CliRunner

from kiosk_app.cli import main


def test_labels_say_which_spines_wait_and_keep_each_pair_together(tmp_path, monkeypatch, database_url):
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KIOSK_DATABASE_URL", database_url)
    monkeypatch.setenv("KIOSK_STAFF", "テスト司書")
    monkeypatch.delenv("KIOSK_LIBRARY", raising=False)
    runner = CliRunner()

    def kiosk(*args):
        result = runner.invoke(main, list(args), catch_exceptions=False)
        assert result.exit_code == 0, (result.stdout, result.stderr)
        return result.stdout

    kiosk("init", "--name", "ひまわり小学校図書館", "--first-number", "1")
    registered = kiosk("register", "--title", "ぐりとぐら", "--source", "ひまわり書店", "--price", "1000", "--copies", "3")
    assert "請求記号が決まっていない本: 3冊。背ラベルは請求記号待ちです" in registered
    kiosk("set-callnumber", "2", "--top", "913", "--bottom", "ナ")  # 1 and 3 still have none
    said = kiosk("labels", "1-3", "--kind", "both", "--same-sheet", "--output", str(tmp_path / "labels.pdf"))
    assert "背ラベルを入れていない本（請求記号待ち）: 2冊（1, 3）" in said
    text = subprocess.run(["pdftotext", str(tmp_path / "labels.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    codes = [line for line in text.split() if line.startswith("A") and line.endswith("A") and len(line) > 5]
    assert len(codes) == 3 and text.count("913") == 1  # three barcodes, one spine label
    # in reading order: 1's barcode, then 2's spine label beside 2's barcode, then 3's barcode
    assert text.index(codes[0]) < text.index("913") < text.index(codes[1]) < text.index(codes[2])
    assert kiosk("labels", "2", "--kind", "both", "--output", str(tmp_path / "two.pdf")).count("請求記号待ち") == 0

"""The English of the domain's Japanese labels (kiosk/: FUND_LABELS_JA, REASON_LABELS_JA…), as
the screens show them through ``_(label)``. tests/web/test_english.py checks every label has one."""

ENGLISH = {
    # withdrawal reasons (kiosk.ledger.withdrawal.REASON_LABELS_JA)
    "紛失": "Lost", "破損・汚損": "Damaged or soiled", "廃棄": "Discarded", "その他": "Other",
    "合本": "Bound", "分本": "Split",
    # correctable fields (CORRECTABLE_LABELS_JA)
    "分類記号": "Class", "図書記号": "Author mark", "巻次": "Volume", "叢書名": "Series",
    "財源の内訳": "Fund detail",
    # funds, kinds, series (kiosk.ledger.funds)
    "市費（図書費）": "City (book budget)", "資源回収費": "Recycling money", "児童・生徒会費": "Pupils' council",
    "PTA会費": "PTA", "図書カード": "Book token", "寄贈（無償）": "Gift (free)",
    "購入": "Purchase", "寄贈": "Donation",
    "購入 計": "Purchases, total", "寄贈 計": "Donations, total", "その他 計": "Other, total",
    # lost numbers (kiosk.ledger.lost_numbers.REASON_LABELS_JA)
    "復元時に失われた番号": "Lost at a restore", "取り込んだ台帳になかった番号": "Missing from an imported ledger",
    # print jobs (kiosk.printing.queue.JOB_STATUS_LABELS_JA)
    "印刷待ち": "Waiting", "請求記号待ち": "Waiting for a call number", "送信中（確認が必要）": "Sending (check it)", "印刷済み": "Printed", "失敗": "Failed",
    # item barcodes (kiosk.codes.itemcode)
    "NW-7（Codabar）": "NW-7 (Codabar)", "Code 39": "Code 39", "Code 128": "Code 128",
    "モジュラス10 ウェイト3（JAN・EANと同じ）": "Modulus 10 weight 3 (as JAN/EAN)",
    "モジュラス10 ウェイト2・1分割（M10W21、公共図書館に最も多い）":
        "Modulus 10 weights 2-1, digits split (M10W21, most public libraries)",
    "モジュラス11 ウェイト2〜7（図書館システムの仕様に多い、既定）":
        "Modulus 11 weights 2–7 (common in library systems; default)",
    "セブンチェック 7DR（宅配伝票、古いNW-7）": "Seven check 7DR (parcel slips, older NW-7)",
    "7DSR（7−余り）": "7DSR (7 minus remainder)", "モジュラス16（NW-7専用）": "Modulus 16 (NW-7 only)",
    # call numbers, printing, lookup (the settings sections)
    "カタカナ": "Katakana", "ひらがな": "Hiragana", "ローマ字": "Latin letters",
    "上に色の帯": "A colour band on top", "背景を薄い色に": "A pale background", "色なし": "No colour",
    "A4に3枚（切り取り線つき）": "Three on A4 (with cutting lines)", "カード用紙（125×75mm）に1枚ずつ": "One per card (125×75 mm)",
    "国立国会図書館 → openBD": "National Diet Library → openBD", "openBD → 国立国会図書館": "openBD → National Diet Library",
    "国立国会図書館のみ": "National Diet Library only", "openBDのみ": "openBD only",
    "検索しない（キャッシュとサンプルのみ）": "No lookups (cache and sample only)",
    "切り捨て": "Round down", "四捨五入": "Round half up", "切り上げ": "Round up",
    # slip columns (kiosk.intake.slip.FIELD_LABELS_JA)
    "納品日": "Delivery date", "書店名": "Bookseller", "伝票番号": "Slip number", "行": "Line", "著者": "Authors",
    "出版社": "Publisher", "ISBN": "ISBN", "本体価格": "List price", "税込単価": "Unit price (tax incl.)",
    "数量": "Quantity", "Cコード": "C-code",
}

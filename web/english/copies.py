"""本をさがす, the copy page, withdrawal (one copy and the weeding list) and its confirmation."""

ENGLISH = {
    "本のバーコードをスキャンするか、登録番号を入力してください。": "Scan the copy's barcode or type its number.",
    "除籍・合本（まとめて）": "Withdraw or bind many",
    "除籍": "Withdrawn",
    "（{reason}）": " ({reason})",
    "{on}に除籍しました。理由: {reason}": "Withdrawn on {on}. Reason: {reason}",
    "再受入": "Re-accessioned",
    "旧登録番号": "Old number",
    "ラベルを印刷し直す": "Reprint labels",
    "職員ログイン（除籍・再受入）": "Staff sign-in (withdraw, re-accession)",
    "除籍する…（確認へ）": "Withdraw… (confirm next)",
    "分ける巻次（「、」で区切る。例 上、下）": "Volumes to split into (separated by commas, e.g. 1, 2)",
    "分本する（巻ごとに新しい登録番号）": "Split (a new number for each volume)",
    "見つかった本を再受入する（新しい登録番号）": "Re-accession the found copy (a new number)",
    "台帳の訂正": "Correct the ledger",
    "訂正の理由": "Reason for the correction",
    "訂正する": "Correct",
    "除籍する本のバーコードを続けてスキャンするか、登録番号を入力してください（範囲は 1001-1010）。一覧を確かめて、理由を選んでから除籍します。":
        "Scan the barcodes of the copies to withdraw one after another, or type their numbers (a range as "
        "1001-1010). Check the list, choose the reason, then withdraw.",
    "（除籍できない本 {count}冊: 外してください）": " ({count} cannot be withdrawn: take them off)",
    "メモ（理由が「その他」のときは必ず）": "Note (required when the reason is Other)",
    "{count}冊を除籍する…（確認へ）": "Withdraw {count} copies… (confirm next)",
    "この{count}冊を合本する（1冊にまとめて新しい登録番号に）": "Bind these {count} copies (into one, with a new number)",
    "合本の書名（空欄なら最初の本の書名）": "Title of the bound volume (blank: the first copy's)",
    "巻次（例 2026年度）": "Volume (e.g. 2026)",
    "合本する": "Bind",
    "除籍できます": "Can be withdrawn",
    "外す": "Take off",
    "「{added}」: {problem}": "“{added}”: {problem}",
    "除籍しました: {count}冊": "Withdrawn: {count} copies",
    "除籍リスト ／ 印刷 {today}": "withdrawal list / printed {today}",
    "除籍日": "Withdrawn on",
    "合計 {amount}円 ／ 本に除籍印を押し、台帳の行に除籍の印をつけます。":
        "Total ¥{amount} / stamp each book as withdrawn and mark its ledger row.",
    "除籍リストを印刷": "Print the withdrawal list",
    "続けて除籍する": "Withdraw more",
    # the confirmation (copies/confirm_withdrawal.html)
    "除籍の確認": "Confirm the withdrawal",
    "次の{count}冊を除籍します。除籍した本の登録番号は二度と使われず、除籍は取り消せません。よろしいですか。":
        "These {count} copies will be withdrawn. Their numbers are never used again and a withdrawal cannot be "
        "undone. Withdraw them?",
    "除籍の理由": "Reason",
    "やめる（除籍しない）": "Go back (withdraw nothing)",
    "{count}冊の除籍を確定する": "Withdraw {count} copies now",
}

"""図書台帳 and the year's figures (年度の集計)."""

ENGLISH = {
    "次の登録番号": "next number",
    "{year}年度の集計（監査用）": "FY {year} figures (for the audit)",
    "CSVで保存（Excel）": "Save as CSV (Excel)",
    "CSV（Shift_JIS）": "CSV (Shift_JIS)",
    "台帳PDF": "Ledger PDF",
    "監査資料PDF": "Audit PDF",
    "Excel（xlsx）": "Excel (xlsx)",
    "蔵書 MARC 21": "Holdings MARC 21",
    "蔵書 TSV": "Holdings TSV",
    "除籍リストPDF": "Withdrawal list PDF",
    "いままでの台帳を取り込む": "Import an existing ledger",
    "付けた番号（受入した本）": "Numbers given (copies accessioned)",
    "欠番（どの本にも付いていない、二度と使わない番号）": "Lost numbers (on no book, never used again)",
    "欠番": "Lost numbers",
    "印刷（1葉を1ページに）": "Print (one sheet a page)",
    "年度": "Fiscal years",
    "全年度": "All years",
    "{year}年度に登録された本はありません。": "No copies were registered in FY {year}.",
    "まだ登録された本はありません。": "No copies registered yet.",
    "{year}年度 第{sheet}葉": "FY {year}, sheet {sheet}",
    "{count}冊 {amount}円": "{count} copies, ¥{amount}",
    "再受入（旧 {number}）": "re-accessioned (was {number})",
    "欠番（どの本にも付いていない、二度と使わない登録番号）": "Lost numbers (on no book, never used again)",
    "番号の数": "Numbers",
    "記録した日": "Recorded on",
    "{year}年度の集計": "FY {year} figures",
    "{start}〜{end} ／ 寄贈で登録した本は0円でも冊数に入ります":
        "{start} to {end} / donations registered at ¥0 are counted all the same",
    "受入": "Accessions",
    "区分・財源": "Kind and fund",
    "冊数": "Copies",
    "うち0円": "of which ¥0",
    "この年度に受入した本はありません": "Nothing accessioned this year",
    "受入 合計": "Accessions, total",
    "この年度に除籍した本はありません": "Nothing withdrawn this year",
    "除籍 合計": "Withdrawals, total",
    "蔵書冊数": "Holdings",
    "年度初め（{day}）": "Start of the year ({day})",
    "＋ 受入": "+ accessions",
    "− 除籍": "− withdrawals",
    "年度末（{day}）": "End of the year ({day})",
    "この年度の登録番号": "Numbers given this year",
    # the ledger-import screen (ledger_import.html)
    "台帳の取り込み": "Ledger import",
    "{rows}行を取り込みました（登録番号 {first}〜{last}）。次の登録番号は {next} です。":
        "Imported {rows} rows (numbers {first}–{last}). The next registration number is {next}.",
    "「{file}」に{count}件の問題があるため、1行も取り込んでいません。ファイルを直して、もう一度選んでください。":
        "“{file}” has {count} problems, so not one row was imported. Correct the file and choose it again.",
    "まだ何も取り込んでいません。下の内容を確かめてから取り込んでください。":
        "Nothing is imported yet. Check what is below, then import.",
    "紙の台帳をExcelに入力したものや、ほかのシステムから出力した台帳（CSV：UTF-8 または Shift_JIS、Excel：xlsx）を取り込みます。":
        "Imports a ledger typed into Excel from the paper one, or exported from another system (CSV in UTF-8 "
        "or Shift_JIS, or Excel xlsx).",
    "登録番号はそのまま、除籍した本は除籍のまま（番号は永久欠番）、本のバーコードもそのまま使います。次の登録番号は、取り込んだ最大の番号の次からです。":
        "Registration numbers are kept, withdrawn copies stay withdrawn (their numbers are never used again) "
        "and the copies' barcodes are kept. Numbering goes on after the highest number imported.",
    "見出しの行に 受入年月日・受入先・登録番号・書名・価格・財源 の列が必要です（請求記号・著者名・除籍・除籍日・除籍理由・バーコードなどもあれば読みます）。":
        "The header row needs the Japanese column names of acceptance date, source, registration number, "
        "title, price and fund; call number, author, withdrawal with its date and reason, and barcode are read "
        "when present (README: importing a ledger).",
    "まず中身を確かめ（まだ何も書きません）、すべての行に問題がないときだけ、まとめて取り込めます。":
        "First the file is checked (nothing is written yet); only when every row is fine can it be imported, "
        "all at once.",
    "場所": "Where",
    "列": "Column",
    "ほかに {count}件の問題があります。": "{count} more problems.",
    "行（本）": "Rows (copies)",
    "うち除籍（番号は永久欠番）": "of them withdrawn (numbers never used again)",
    "本のバーコード": "Copy barcodes",
    "欠番（ファイルにない番号）": "Lost numbers (not in the file)",
    "読まなかった列:": "Columns not read:",
    "上の内容で {rows}行を台帳に取り込みます（取り込んだ行は消せません。訂正は1冊ずつ記録に残ります）":
        "Import these {rows} rows into the ledger (imported rows cannot be deleted; each correction is recorded)",
    "{rows}行を取り込む": "Import {rows} rows",
    "台帳のファイル（CSV・xlsx）": "The ledger file (CSV or xlsx)",
    "別のファイルを確かめる": "Check another file",
    "中身を確かめる（まだ取り込みません）": "Check the file (nothing is imported yet)",
    "図書台帳": "Ledger",
}

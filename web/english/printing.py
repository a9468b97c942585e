"""印刷: the print jobs and the labels kept for a sheet."""

ENGLISH = {
    "既定のプリンター": "Default printer",
    "未設定（PDFで印刷）": "none (PDF sheets)",
    "あとでシートに印刷": "Kept for a sheet",
    "{count}冊分（ジョブ {jobs}）": "{count} copies (jobs {jobs})",
    "1枚目の開始位置": "Start at label",
    "シートのPDFを開く": "Open the sheet PDF",
    "シートを印刷した（済みにする）": "The sheet is printed (mark done)",
    "印刷待ちのジョブはありません": "Nothing waiting to print",
    "ジョブ {id}": "Job {id}",
    "〜{last}（{count}冊）": "–{last} ({count} copies)",
    "印刷されていた": "It printed",
    "印刷されていない": "It did not print",
    "同じプリンター": "Same printer",
    "プリンターを選ぶ": "Choose a printer",
    "もう一度印刷": "Print again",
}

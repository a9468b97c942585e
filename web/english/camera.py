"""The camera scanner's panel (templates/camera/_panel.html, static/js/camera.js through data-*)."""

ENGLISH = {
    "カメラ": "Camera",
    "カメラで読み取り": "Reading with the camera",
    "バーコードが見つかりません": "No barcode found",
    "ピントが合っていません": "Out of focus",
    "読み取り中…": "Reading…",
    "読み取りました": "Read",
    "この本のISBN（上のバーコード）も写してください": "Show this book's ISBN too (the upper barcode)",
    "カメラを準備しています…": "Starting the camera…",
    "カメラを使えません（カメラがないか、使うことが許可されていません）":
        "The camera cannot be used (there is none, or it is not allowed)",
    "このページではカメラを使えません。タブレットからはHTTPSで開いてください（README）":
        "The camera cannot be used on this page: from a tablet, open the kiosk over HTTPS (README)",
    "バーコードの読み取り部品を読み込めませんでした": "The barcode decoder could not be loaded",
    "送信できませんでした。もう一度写してください": "Not sent. Show the barcode again",
    "前後のカメラを切り替え": "Front / back camera",
    "閉じる": "Close",
}

"""A scanned copy that could not be registered as it is says why on its row (kiosk.intake.delivery
ItemView.problem), before 登録 is pressed."""

import re


def test_a_copy_without_a_title_says_so_on_its_row(client):
    response = client.post("/deliveries/", data={"source": "寄贈者", "received_on": "2026-11-20", "kind": "donation"})
    intake = int(re.search(r"/deliveries/(\d+)", response.headers["Location"]).group(1))
    answer = client.post(f"/deliveries/{intake}/scans", json={"code": "9784834000825"})  # offline: no record
    assert answer.status_code == 200, answer.get_data(as_text=True)
    page = client.get(f"/deliveries/{intake}").get_data(as_text=True)
    assert '<div class="problem warn">ISBN 9784834000825 の本の書名がありません。書名を入力してください</div>' in page
    assert "書名がありません" in answer.get_json()["row"]

"""The camera's double-read rule (web/static/js/camera-looks.js), frame by frame, in Chromium:
which codes of a decoded frame count, and when a code counts again."""

import pytest

ISBN = {"text": "9784033280103", "format": "ean_13"}
PRICE = {"text": "1928797012008", "format": "ean_13"}
LABEL = {"text": "A000010054A", "format": "codabar"}


def counted(page, frames, absent_ms=1000, remember=None):
    """What each frame posts ([] for nothing), frames 100 ms apart; and whether a 192 waits."""
    return page.evaluate("""([frames, absentMs, remember]) => {
        const looks = new window.kioskCameraLooks({absentFrames: 3, absentMs});
        if (remember) looks.remember(remember, 0);
        return frames.map((codes, n) => {
          const look = looks.see(codes, 100 * (n + 1));
          return look.waiting ? 'waiting' : look.codes.map(c => c.text).join('+');
        });
    }""", [frames, absent_ms, remember])


@pytest.fixture
def looks_page(page, live_kiosk):
    page.goto(live_kiosk.url + "/copies/")  # loads camera-looks.js
    return page


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_code_counts_on_its_second_read_and_once_while_in_view(looks_page):
    assert counted(looks_page, [[LABEL], [LABEL], [LABEL], [LABEL]]) == ["", LABEL["text"], "", ""]
    assert counted(looks_page, [[LABEL], [], [LABEL], []]) == ["", "", "", ""]  # never twice in a row: no read


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_code_counts_again_only_after_leaving_the_frame_long_enough(looks_page):
    gone_briefly = [[LABEL], [LABEL], [], [], [LABEL], [LABEL]]  # two frames out: a missed read
    assert counted(looks_page, gone_briefly) == ["", LABEL["text"], "", "", "", ""]
    gone_too_short = [[LABEL], [LABEL]] + [[]] * 4 + [[LABEL], [LABEL]]  # 4 frames but 500 ms < 1 s
    assert counted(looks_page, gone_too_short)[-2:] == ["", ""]
    left_and_came_back = [[LABEL], [LABEL]] + [[]] * 12 + [[LABEL], [LABEL]]
    assert counted(looks_page, left_and_came_back)[-2:] == ["", LABEL["text"]]


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_books_two_codes_count_together_isbn_first(looks_page):
    assert counted(looks_page, [[PRICE, ISBN], [ISBN, PRICE]]) == ["", f"{ISBN['text']}+{PRICE['text']}"]
    # its 192 code read once when the ISBN is confirmed: the ISBN waits one frame for it
    assert counted(looks_page, [[ISBN], [ISBN, PRICE], [ISBN, PRICE]]) == [
        "", "", f"{ISBN['text']}+{PRICE['text']}"]
    # …but not longer: the ISBN goes alone, its 192 code after it while the book is in view
    assert counted(looks_page, [[ISBN], [ISBN, PRICE], [ISBN], [ISBN, PRICE], [ISBN, PRICE]]) == [
        "", "", ISBN["text"], "", PRICE["text"]]


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_192_code_alone_waits_for_its_isbn(looks_page):
    assert counted(looks_page, [[PRICE], [PRICE], [PRICE, ISBN], [PRICE, ISBN]]) == [
        "waiting", "waiting", "", f"{ISBN['text']}+{PRICE['text']}"]


@pytest.mark.parametrize("backend", ["sqlite"])
def test_the_code_that_opened_the_page_counts_only_after_leaving(looks_page):
    frames = [[LABEL]] * 5 + [[]] * 12 + [[LABEL], [LABEL]]
    assert counted(looks_page, frames, remember=LABEL) == [""] * 18 + [LABEL["text"]]

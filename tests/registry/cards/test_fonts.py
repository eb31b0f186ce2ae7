from registry.cards.fonts import visual


def test_arabic_is_shaped_and_reordered_for_drawing() -> None:
    text = "بطاقة المستفيد"
    drawn = visual(text)
    assert drawn != text
    assert all("\ufe70" <= ch <= "\ufeff" or ch == " " for ch in drawn)  # presentation forms
    assert drawn.split(" ")[0] != text.split(" ")[0]  # right-to-left words in display order


def test_other_text_is_untouched() -> None:
    assert visual("Beneficiary card, 1234") == "Beneficiary card, 1234"

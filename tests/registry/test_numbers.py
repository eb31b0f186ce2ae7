from hypothesis import given
from hypothesis import strategies as st

from registry.numbers import group, is_valid, luhn_check_digit, normalize, random_number


def test_known_luhn_value() -> None:
    assert luhn_check_digit("7992739871") == "3"
    assert is_valid("79927398713")
    assert not is_valid("79927398710")


@given(st.text(alphabet="0123456789", min_size=1, max_size=15))
def test_every_single_digit_typo_is_caught(body: str) -> None:
    number = body + luhn_check_digit(body)
    assert is_valid(number)
    for position in range(len(number)):
        for digit in "0123456789":
            if digit != number[position]:
                typo = number[:position] + digit + number[position + 1 :]
                assert not is_valid(typo)


def test_random_numbers_have_the_length_and_check_digit() -> None:
    for _ in range(200):
        number = random_number(12)
        assert len(number) == 12 and number[0] != "0" and is_valid(number, 12)


def test_people_may_type_spaces_and_dashes() -> None:
    number = random_number(12)
    typed = group(number).replace(" ", "-")
    assert normalize(typed) == number
    assert is_valid(typed)


def test_garbage_is_not_valid() -> None:
    for value in ["", "1", "abc", "12a4", "\x00123", "١٢٣٤"]:
        assert not is_valid(value)

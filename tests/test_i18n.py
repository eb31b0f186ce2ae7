from registry.i18n import LOCALES_DIR, is_rtl, translate
from webapp.cli.i18n import catalog_problems


def test_catalogs_are_complete_and_current() -> None:
    assert catalog_problems() == []


def test_every_language_has_a_catalog() -> None:
    for language in ("en", "fr", "sw", "pt", "ar"):
        assert (LOCALES_DIR / language / "LC_MESSAGES" / "messages.po").exists()


def test_translation_without_flask() -> None:
    assert translate("sw", "Log in") == "Ingia"
    assert translate("xx", "Log in") == "Log in"
    assert is_rtl("ar") and not is_rtl("fr")

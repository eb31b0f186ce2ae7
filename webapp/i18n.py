"""Language choice for the web: the user's pick, then the browser's, then the default."""

from __future__ import annotations

from flask import Flask, g, request, session
from flask_babel import Babel

from registry.i18n import LANGUAGE_NAMES, LOCALES_DIR, compile_all, is_rtl
from webapp.state import state

babel = Babel()


def current_language() -> str:
    languages = state().settings.languages
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    user = getattr(g, "kinga_user", None)
    if user is not None and user.language in languages:
        return user.language
    return request.accept_languages.best_match(languages) or languages[0]


def init_app(app: Flask) -> None:
    compile_all()
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(LOCALES_DIR)
    babel.init_app(app, locale_selector=current_language)

    @app.context_processor
    def language_context() -> dict[str, object]:
        lang = current_language()
        return {
            "lang": lang,
            "text_dir": "rtl" if is_rtl(lang) else "ltr",
            "languages": [(code, LANGUAGE_NAMES[code]) for code in state().settings.languages],
        }

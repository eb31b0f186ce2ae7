"""Every USSD screen, by name."""

from __future__ import annotations

from ussd.dialog import Menu
from ussd.menus import register, report, start, status, track

MENUS: dict[str, Menu] = {
    menu.name: menu
    for menu in (
        start.LanguageMenu(),
        start.MainMenu(),
        start.ResumeMenu(),
        register.RegisterMenu(),
        register.ConfirmMenu(),
        status.NumberMenu(),
        status.YearMenu(),
        status.StatusMenu(),
        report.CategoryMenu(),
        report.TextMenu(),
        report.AnonymousMenu(),
        report.ConfirmMenu(),
        track.NumberMenu(),
        track.ResultMenu(),
    )
}

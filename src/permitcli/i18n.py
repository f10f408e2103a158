"""Human-readable labels in English, Russian and Kazakh; JSON keys and slugs never change with the language."""

from __future__ import annotations

LANGS = ("en", "ru", "kk")

_LABELS: dict[str, tuple[str, str, str]] = {
    # statuses
    "permit-required": ("permit required", "нужно разрешение", "рұқсат қажет"),
    "refusal-risk": ("refusal risk", "риск отказа", "бас тарту қаупі"),
    "review": ("review", "проверить", "тексеру қажет"),
    "exempt": ("exempt", "освобождено", "босатылған"),
    "not-listed": ("not listed", "не в перечне", "тізбеде жоқ"),
    "out-of-scope": ("out of scope", "вне режима", "режимнен тыс"),
    # headings
    "row": ("Row", "Стр.", "Жол"),
    "code": ("Code", "Код", "Код"),
    "input": ("Input", "Ввод", "Енгізілгені"),
    "description": ("Description", "Наименование", "Атауы"),
    "origin": ("Origin", "Происх.", "Шығ. елі"),
    "status": ("Status", "Статус", "Мәртебе"),
    "committee": ("Committee", "Комитет", "Комитет"),
    "documents": ("Documents", "Документы", "Құжаттар"),
    "docs": ("Docs", "Док.", "Құжат"),
    "more": ("more", "ещё", "тағы"),
    "findings": ("Findings", "Замечания", "Ескертулер"),
    "annex": ("Annex", "Прил.", "Қосымша"),
    "entry": ("No.", "№", "№"),
    "listed": ("listed", "в перечне", "тізбеде"),
    "may-be-listed": ("may be listed", "возможно в перечне", "тізбеде болуы мүмкін"),
    "not-a-code": ("not a code", "не код", "код емес"),
    "near-misses": ("Near misses", "Близкие коды", "Ұқсас кодтар"),
    "refusal-grounds": ("Refusal grounds", "Основания для отказа", "Бас тарту негіздері"),
    "exemptions": ("Exemptions (order p.3)", "Исключения (п.3 приказа)", "Қолданылмайтын жағдайлар (бұйрықтың 3-т.)"),
    "time-limits": ("Time limits", "Сроки", "Мерзімдер"),
    "summary": ("Summary", "Итого", "Қорытынды"),
    "lines": ("lines", "строк", "жол"),
    "applications": ("applications", "заявлений", "өтініш"),
    "applications-to": ("applications to the", "заявлений в", "өтініштер:"),
    "industry": ("Industry", "Промышл.", "Өнеркәсіп"),
    "telecom": ("Telecom", "Телеком", "Телеком"),
    "aviation": ("Aviation", "Авиация", "Авиация"),
    "sheet": ("sheet", "лист", "парақ"),
    "header-row": ("header row", "строка заголовка", "тақырып жолы"),
    "action-only": (
        "only lines that need action are shown; --all shows every line",
        "показаны только строки, требующие действий; --all покажет все",
        "тек әрекет қажет жолдар көрсетілген; --all барлығын көрсетеді",
    ),
    # the clock
    "filed": ("Filed", "Подано", "Берілді"),
    "received": ("Received (not counted)", "Поступило (не считается)", "Түсті (есептелмейді)"),
    "registration_due": ("Registration due (1 working day)", "Регистрация до (1 раб. день)",
                         "Тіркеу мерзімі (1 жұмыс күні)"),
    "review_due": ("Completeness review due (+2)", "Проверка полноты до (+2)", "Толықтығын қарау мерзімі (+2)"),
    "decision_due": ("Decision due (5 working days)", "Решение до (5 раб. дней)", "Шешім мерзімі (5 жұмыс күні)"),
    "issued": ("Issued", "Выдано", "Берілген күні"),
    "valid_until": ("Valid until", "Действует до", "Қолданылу мерзімі"),
    "report_due": ("Report on use due (15 calendar days)", "Отчёт об исполнении до (15 кал. дней)",
                   "Орындалуы туралы есеп (15 күнтізбелік күн)"),
    "days-off": ("Days off in between", "Нерабочие дни в этот срок", "Осы мерзімдегі демалыс күндері"),
    "nothing-to-do": ("no line needs a permit or review", "ни одна строка не требует разрешения или проверки",
                      "рұқсатты немесе тексеруді қажет ететін жол жоқ"),
}


def label(key: str, lang: str = "en") -> str:
    """The label for a key in a language; the key itself when there is none."""
    texts = _LABELS.get(key)
    if texts is None:
        return key
    return texts[LANGS.index(lang)] if lang in LANGS else texts[0]

"""Human-readable labels in English, Russian and Kazakh; JSON keys and slugs never change with the language."""

from __future__ import annotations

import re
from collections.abc import Iterable

LANGS = ("en", "ru", "kk")

_LABELS: dict[str, tuple[str, str, str]] = {
    # statuses
    "permit-required": ("permit required", "нужно разрешение", "рұқсат қажет"),
    "refusal-risk": ("refusal risk", "риск отказа", "бас тарту қаупі"),
    "review": ("review", "проверить", "тексеру қажет"),
    "exempt": ("exempt", "освобождено", "босатылған"),
    "not-listed": ("not listed", "не в перечне", "тізбеде жоқ"),
    "out-of-scope": ("out of scope", "вывоз не в СНГ", "ТМД-ға әкетілмейді"),
    "covered": ("covered by a permit", "есть разрешение", "рұқсат бар"),
    # headings
    "row": ("Row", "Стр.", "Жол"),
    "rows": ("Rows", "Стр.", "Жолдар"),
    "code": ("Code", "Код", "Код"),
    "input": ("Input", "Ввод", "Енгізілгені"),
    "description": ("Description", "Наименование", "Атауы"),
    "origin": ("Origin", "Происх.", "Шығ. елі"),
    "status": ("Status", "Статус", "Мәртебе"),
    "committee": ("Committee", "Комитет", "Комитет"),
    "committees": ("Committees", "Комитеты", "Комитеттер"),
    "documents": ("Documents", "Документы", "Құжаттар"),
    "docs": ("Docs", "Док.", "Құжат"),
    "field-code": ("code", "код", "код"),
    "field-description": ("description", "наименование", "атауы"),
    "field-origin": ("origin", "страна происхождения", "шығарылған елі"),
    "field-quantity": ("quantity", "количество", "саны"),
    "field-unit": ("unit", "ед. изм.", "өлшем бірлігі"),
    "field-value": ("value", "стоимость", "құны"),
    "field-currency": ("currency", "валюта", "валюта"),
    "field-destination": ("destination", "страна назначения", "межелі ел"),
    "field-evidence": ("evidence", "основание освобождения", "босату негізі"),
    "field-remarks": ("remarks", "примечание", "ескертпе"),
    "field-unit_price": ("unit price", "цена", "бағасы"),
    "field-final_destination": ("final destination", "конечная страна назначения", "соңғы межелі ел"),
    "more": ("more", "ещё", "тағы"),
    "findings": ("Findings", "Замечания", "Ескертулер"),
    "annex": ("Annex", "Прил.", "Қосымша"),
    "entry": ("No.", "№", "№"),
    "listed": ("listed", "в перечне", "тізбеде"),
    "may-be-listed": ("may be listed", "возможно в перечне", "тізбеде болуы мүмкін"),
    "not-a-code": ("not a code", "не код", "код емес"),
    "near-misses": ("Near miss", "Близкий код", "Ұқсас код"),
    "refusal-grounds": ("Refusal grounds", "Основания для отказа", "Бас тарту негіздері"),
    "exemptions": ("Exemptions (order p.3)", "Исключения (п.3 приказа)", "Қолданылмайтын жағдайлар (бұйрықтың 3-т.)"),
    "time-limits": ("Time limits", "Сроки", "Мерзімдер"),
    "service": ("The service (rules annex 1)", "Государственная услуга (прил. 1 к правилам)",
                "Мемлекеттік қызмет (қағидаларға 1-қосымша)"),
    "portals": ("Portals", "Порталы", "Порталдар"),
    "fee": ("Fee", "Плата", "Төлем"),
    "result": ("Result", "Результат", "Нәтижесі"),
    "contact-centre": ("Contact centre", "Единый контакт-центр", "Бірыңғай байланыс орталығы"),
    "provisions": ("Also in the order and its rules (permitcli does not check these)",
                   "Ещё в приказе и правилах (permitcli это не проверяет)",
                   "Бұйрық пен қағидалардағы басқа да ережелер (permitcli оларды тексермейді)"),
    "order-term": ("The order's term (order p.11)", "Срок действия приказа (п.11)",
                   "Бұйрықтың қолданылу мерзімі (11-т.)"),
    "order-term-unknown": (
        "unknown: the order's text does not give its publication date; set PERMITCLI_ORDER_PUBLISHED=YYYY-MM-DD",
        "неизвестен: дата опубликования в тексте приказа не указана; задайте PERMITCLI_ORDER_PUBLISHED=ГГГГ-ММ-ДД",
        "белгісіз: бұйрық мәтінінде жариялану күні жоқ; PERMITCLI_ORDER_PUBLISHED=ЖЖЖЖ-АА-КК орнатыңыз",
    ),
    "pilot_ends": ("Pilot order in force until", "Приказ действует до", "Бұйрық мына күнге дейін қолданылады"),
    "summary": ("Summary", "Итого", "Қорытынды"),
    "total": ("All files", "Все файлы", "Барлық файлдар"),
    "files": ("files", "файлов", "файл"),
    "unreadable": ("unreadable", "не прочитано", "оқылмады"),
    "lines": ("lines", "строк", "жол"),
    "applications": ("applications", "заявлений", "өтініш"),
    "industry": ("Industry", "Промышл.", "Өнеркәсіп"),
    "telecom": ("Telecom", "Телеком", "Телеком"),
    "aviation": ("Aviation", "Авиация", "Авиация"),
    "sheet": ("sheet", "лист", "парақ"),
    "header-row": ("header row", "строка заголовка", "тақырып жолы"),
    "action-only": (
        "only lines that need action are shown; --all shows every line",
        "показаны только строки, требующие действий; --all покажет все",
        "әрекетті қажет ететін жолдар ғана көрсетілген; --all барлығын көрсетеді",
    ),
    # the clock
    "filed": ("Filed", "Подано", "Өтініш берілді"),
    "received": ("Received (not counted)", "Поступило (не считается)", "Түсті (есептелмейді)"),
    "registration_due": ("Registration due (1 working day)", "Регистрация до (1 раб. день)",
                         "Тіркеу мерзімі (1 жұмыс күні)"),
    "review_due": ("Completeness review due (+2)", "Проверка полноты до (+2)", "Толықтығын қарау мерзімі (+2)"),
    "decision_due": ("Decision due (5 working days)", "Решение до (5 раб. дней)", "Шешім мерзімі (5 жұмыс күні)"),
    "decision_due_latest": ("Latest, counted from registration (rules annex 1, item 3)",
                            "Крайний срок, считая от регистрации (прил. 1 к правилам, п.3)",
                            "Ең кеш мерзім, тіркелгеннен (қағидаларға 1-қосымша, 3-т.)"),
    "issued": ("Issued", "Разрешение выдано", "Рұқсат берілген күні"),
    "valid_until": ("Valid until", "Действует до", "Қолданылу мерзімі аяқталады"),
    "report_due": ("Report on use due (15 calendar days)", "Отчёт об исполнении до (15 кал. дней)",
                   "Рұқсат орындалуы туралы ақпарат (15 күнтізбелік күн)"),
    "day-off-given": ("day off (given with --day-off)", "выходной (задан --day-off)", "демалыс (--day-off арқылы)"),
    "report_due_moved": ("The report's last day falls on a day off: by the usual rule it moves to",
                         "Последний день срока отчёта — выходной; по общему правилу срок переносится на",
                         "Есептің соңғы күні демалыс күні: жалпы ереже бойынша ол мына күнге ауысады"),
    "days-off": ("Days off in between", "Нерабочие дни в этот срок", "Осы мерзімдегі демалыс күндері"),
    "nothing-to-do": ("no line needs a permit or review", "ни одна строка не требует разрешения или проверки",
                      "рұқсатты немесе тексеруді қажет ететін жол жоқ"),
    # workbooks: the annotated copy (check --annotate) and the report (check --format xlsx)
    "skipped": ("row skipped", "строка пропущена", "жол өткізілді"),
    "col-file": ("File", "Файл", "Файл"),
    "col-sheet": ("Sheet", "Лист", "Парақ"),
    "col-header-row": ("Header row", "Строка заголовка", "Тақырып жолы"),
    "col-quantity": ("Quantity", "Кол-во", "Саны"),
    "col-unit": ("Unit", "Ед. изм.", "Өлш. бірл."),
    "col-value": ("Value", "Стоимость", "Құны"),
    "col-currency": ("Currency", "Валюта", "Валюта"),
    "col-documents": ("Documents needed", "Нужные документы", "Қажет құжаттар"),
    "col-findings": ("Findings", "Замечания проверки", "Тексеру ескертулері"),
    "col-lines": ("Goods lines", "Строк товаров", "Тауар жолдары"),
    "col-applications": ("Applications", "Заявлений", "Өтініштер"),
    "col-notes": ("Notes", "Примечания", "Ескертпелер"),
    "col-error": ("Error", "Ошибка", "Қате"),
    "col-files": ("Files", "Файлов", "Файлдар"),
    "col-unreadable": ("Unreadable files", "Не прочитано файлов", "Оқылмаған файлдар"),
    "col-language": ("Language", "Язык", "Тіл"),
    "checked-at": ("Checked", "Проверено", "Тексерілді"),
    "data-version": ("Data version", "Версия данных", "Деректер нұсқасы"),
    "source-file": ("Original file", "Исходный файл", "Бастапқы файл"),
    "this-copy": ("This copy", "Эта копия", "Бұл көшірме"),
    "columns-read": ("Columns read", "Прочитанные столбцы", "Оқылған бағандар"),
    "rows-skipped-heading": ("Rows skipped", "Пропущенные строки", "Өткізілген жолдар"),
    "sheet-action": ("Lines needing action", "Строки к действию", "Әрекет қажет жолдар"),
    "sheet-lines": ("Lines", "Строки", "Жолдар"),
    "sheet-files": ("Files", "Файлы", "Файлдар"),
    "sheet-unreadable": ("Unreadable files", "Непрочитанные файлы", "Оқылмаған файлдар"),
    "sheet-legend": ("Legend", "Обозначения", "Белгілер"),
    # why a row of the goods table is no goods line (the reader's accounting of rows), as the copy marks it
    "skip-caption": ("caption or note (no quantity or amount)", "подпись или примечание (без количества и суммы)",
                     "жазу не ескертпе (саны мен сомасы жоқ)"),
    "skip-column-numbers": ("column numbers", "номера столбцов", "баған нөмірлері"),
    "skip-repeated-heading": ("the heading repeated", "повтор заголовка", "қайталанған тақырып"),
    "skip-totals": ("totals", "итоги", "жиынтық"),
    "skip-charges": ("charges (freight, insurance, discount, VAT)", "расходы (фрахт, страховка, скидка, НДС)",
                     "шығыстар (фрахт, сақтандыру, жеңілдік, ҚҚС)"),
    "skip-label": ("a label and its value", "подпись и её значение", "жазу және оның мәні"),
    "skip-not-goods": ("a number under the code heading, no quantity or amount",
                       "число в столбце кода без количества и суммы", "код бағанындағы саны мен сомасы жоқ сан"),
    "skip-origin-caption": ("the country of origin of the lines below", "страна происхождения строк ниже",
                            "төмендегі жолдардың шығарылған елі"),
    "skip-origin-footer": ("the country of origin of the document", "страна происхождения по документу",
                           "құжат бойынша шығарылған ел"),
    "skip-stray-cell": ("a date or true/false cell alone", "отдельная дата или логическое значение",
                        "жеке күн не логикалық мән"),
    "skip-after-footer": ("under the document's last line", "ниже последней строки документа",
                          "құжаттың соңғы жолынан төмен"),
}


# Short names of the finding types for people reading Russian or Kazakh; English shows the stable slug itself.
_FINDING_NAMES: dict[str, tuple[str, str]] = {
    "code-missing": ("нет кода", "код жоқ"),
    "code-invalid": ("неверный код", "код қате"),
    "code-prefix": ("неполный код", "код толық емес"),
    "code-padded": ("восстановлен ноль", "нөл қалпына келтірілді"),
    "near-miss": ("похожий код", "ұқсас код"),
    "multiple-annexes": ("несколько приложений", "бірнеше қосымша"),
    "origin-unknown": ("нет страны", "ел жоқ"),
    "origin-unrecognised": ("страна не распознана", "ел танылмады"),
    "origin-sanctioned": ("страна: риск отказа", "ел: бас тарту қаупі"),
    "origin-from-document": ("страна из документа", "құжаттағы ел"),
    "operator-certificate-required": ("сертификат эксплуатанта", "эксплуатант сертификаты"),
    "exemption-possible": ("возможно освобождение", "босату мүмкін"),
    "exempt": ("освобождено", "босатылған"),
    "evidence-mismatch": ("основание не подходит", "негіз сәйкес емес"),
    "evidence-unknown": ("основание не распознано", "негіз танылмады"),
    "evidence-from-remarks": ("основание из примечания", "ескертпедегі негіз"),
    "destination-assumed": ("назначение — СНГ", "межелі ел — ТМД"),
    "destination-unknown": ("назначение не распознано", "межелі ел танылмады"),
    "destination-not-cis": ("не в СНГ", "ТМД елі емес"),
    "destination-exporting-state": ("назначение — Казахстан", "межелі ел — Қазақстан"),
    "transit-unsettled": ("транзит: приказ не решает", "транзит: бұйрық шешпейді"),
    "final-destination-unknown": ("конечное назначение не распознано", "соңғы межелі ел танылмады"),
    "evidence-incomplete": ("основание неполное", "негіз толық емес"),
    "evidence-rejected": ("основание не принято", "негіз қабылданбады"),
    "origin-kz-not-imported": ("казахстанский товар не ввозился", "қазақстандық тауар әкелінбеген"),
    "operator-certificate-held": ("сертификат эксплуатанта есть", "эксплуатант сертификаты бар"),
    "operator-certificate-missing": ("нет сертификата эксплуатанта", "эксплуатант сертификаты жоқ"),
    "unreadable-number": ("число не прочитано", "сан оқылмады"),
    "number-ambiguous": ("неоднозначное число", "сан екіұшты"),
    "formula-no-value": ("формула без значения", "мәнсіз формула"),
    "csv-encoding": ("кодировка", "кодтау"),
    "format-mismatch": ("формат файла", "файл пішімі"),
    "currency-from-document": ("валюта из документа", "құжаттағы валюта"),
    "origin-between-lines": ("страна между строками", "ел жолдар арасында"),
    "document-origin-unknown": ("страна документа не распознана", "құжат елі танылмады"),
    "rows-skipped": ("строки пропущены", "жолдар өткізіп жіберілді"),
    "charges-skipped": ("расходы пропущены", "шығыстар өткізіп жіберілді"),
    "other-sheets": ("другие листы", "басқа парақтар"),
    "value-computed": ("стоимость вычислена", "құны есептелді"),
    "row-unclear": ("строка неясна", "жол түсініксіз"),
    "code-from-caption": ("код из заголовка группы", "код топ тақырыбынан"),
    "columns-from-content": ("колонки по содержимому", "бағандар мазмұны бойынша"),
}


_POINT_PARTS = (
    (re.compile(r"^rules annex (\d+), item ([\d.]+)$"), ("rules annex {0}, item {1}", "прил. {0} к правилам, п.{1}",
                                                          "қағидаларға {0}-қосымша, {1}-т.")),
    (re.compile(r"^rules annex (\d+)$"), ("rules annex {0}", "прил. {0} к правилам", "қағидаларға {0}-қосымша")),
    (re.compile(r"^rules p\.([\d.]+)$"), ("rules p.{0}", "п.{0} правил", "қағидалардың {0}-т.")),
    (re.compile(r"^order p\.([\d.]+)$"), ("order p.{0}", "п.{0} приказа", "бұйрықтың {0}-т.")),
)


def point_text(point: str, lang: str = "en") -> str:
    """A reference to the law ("rules p.9.1", "rules annex 1, item 3"; several joined by ";") in a language."""
    out = []
    for part in (p.strip() for p in point.split(";")):
        for pattern, texts in _POINT_PARTS:
            m = pattern.match(part)
            if m:
                part = texts[LANGS.index(lang) if lang in LANGS else 0].format(*m.groups())
                break
        out.append(part)
    return "; ".join(out)


_EVIDENCE_NAMES = {  # as the order names them: the certificates in Cyrillic in Russian and Kazakh text
    "ct-kz": ("CT-KZ", "СТ-KZ", "СТ-KZ"),
    "ct-1": ("CT-1", "СТ-1", "СТ-1"),
    "licence": ("licence", "лицензия", "лицензия"),
    "personal": ("personal use", "личное пользование", "жеке пайдалану"),
    "import-docs": ("the import documents", "документы о ввозе", "әкелуге негіз болған құжаттар"),
    "operator-cert": ("operator's certificate", "сертификат эксплуатанта", "эксплуатант сертификаты"),
}


def evidence_name(slug: str, lang: str = "en") -> str:
    """An exemption evidence kind as people write it in a language."""
    names = _EVIDENCE_NAMES.get(slug)
    return names[LANGS.index(lang) if lang in LANGS else 0] if names else slug


_COUNTED = {  # English singular and plural; Russian one, few, many; Kazakh keeps the singular after a number
    "lines": (("line", "lines"), ("строка", "строки", "строк"), "жол"),
    "files": (("file", "files"), ("файл", "файла", "файлов"), "файл"),
}


def counted(n: int, key: str, lang: str = "en") -> str:
    """"3 files", "3 файла", "21 строка", "3 файл": a number with its noun in the form the language wants."""
    en, ru, kk = _COUNTED[key]
    if lang == "ru":
        tens, units = n % 100, n % 10
        word = ru[2] if 11 <= tens <= 14 else ru[0] if units == 1 else ru[1] if 2 <= units <= 4 else ru[2]
    elif lang == "kk":
        word = kk
    else:
        word = en[0] if n == 1 else en[1]
    return f"{n} {word}"


def finding_name(slug: str, lang: str = "en") -> str:
    """What a table shows for a finding type: the slug in English, a short name in Russian and Kazakh."""
    names = _FINDING_NAMES.get(slug)
    if lang == "en" or names is None:
        return slug
    return names[0] if lang == "ru" else names[1]


def label(key: str, lang: str = "en") -> str:
    """The label for a key in a language; the key itself when there is none."""
    texts = _LABELS.get(key)
    if texts is None:
        return key
    return texts[LANGS.index(lang)] if lang in LANGS else texts[0]


# Finding messages: English is what JSON carries by default; --lang ru|kk gives the others. Placeholders are
# filled with str.format; the slugs (Finding.type) never change.
_MESSAGES: dict[str, tuple[str, str, str]] = {
    "code-padded": (
        "a leading zero was restored: {code}",
        "восстановлен потерянный ведущий ноль: {code}",
        "жоғалған бастапқы нөл қалпына келтірілді: {code}",
    ),
    "origin-unrecognised": (
        "country of origin «{raw}» not recognised",
        "страна происхождения «{raw}» не распознана",
        "шығарылған елі «{raw}» танылмады",
    ),
    "origin-from-document": (
        "origin {origin} taken from the document's own line",
        "страна происхождения {origin} взята из общей строки документа",
        "шығарылған елі {origin} құжаттың жалпы жолынан алынды",
    ),
    "destination-unknown": (
        "destination «{raw}» not recognised",
        "страна назначения «{raw}» не распознана",
        "межелі ел «{raw}» танылмады",
    ),
    "destination-not-cis": (
        "destination {dest} is not a CIS participating state",
        "страна назначения {dest} не является государством — участником СНГ",
        "межелі ел {dest} ТМД-ға қатысушы мемлекет емес",
    ),
    "destination-exporting-state": (
        "destination {dest} is Kazakhstan, the exporting state: the order governs export from Kazakhstan to the "
        "other CIS participating states, so this is no export under it",
        "страна назначения {dest} — Казахстан, государство вывоза: приказ регулирует вывоз из Казахстана в другие "
        "государства — участники СНГ, поэтому это не вывоз в его смысле",
        "межелі ел {dest} — Қазақстан, әкетуші мемлекет: бұйрық Қазақстаннан ТМД-ға қатысушы басқа мемлекеттерге "
        "әкетуді реттейді, сондықтан бұл оның мағынасындағы әкету емес",
    ),
    "a-cis-state": ("a CIS state (assumed)", "государство СНГ (предположительно)", "ТМД мемлекеті (болжам бойынша)"),
    "final-destination-unknown": (
        "final destination «{raw}» not recognised",
        "конечная страна назначения «{raw}» не распознана",
        "соңғы межелі ел «{raw}» танылмады",
    ),
    "transit-unsettled": (
        "goods go to {dest} with {final} as their final destination: the order covers export to the territory of "
        "CIS participating states (order p.2) and does not say whether goods passing a CIS state to or from a "
        "third country need a permit; screened by the destination {dest}: ask the committee",
        "товар идёт в {dest}, конечная страна назначения — {final}: приказ касается вывоза на территорию "
        "государств — участников СНГ (п.2 приказа) и не говорит, нужно ли разрешение на товары, следующие через "
        "государство СНГ в третью страну или из неё; проверено по стране назначения {dest}: уточните в комитете",
        "тауар {dest} еліне жіберіледі, соңғы межелі елі — {final}: бұйрық ТМД-ға қатысушы мемлекеттердің "
        "аумағына әкетуге қатысты (бұйрықтың 2-т.) және ТМД мемлекеті арқылы үшінші елге немесе одан өтетін "
        "тауарларға рұқсат қажет пе, айтпайды; {dest} межелі елі бойынша тексерілді: комитеттен нақтылаңыз",
    ),
    "destination-assumed": (
        "no destination given: screened as an export to a CIS state",
        "страна назначения не указана: проверено как вывоз в государство СНГ",
        "межелі ел көрсетілмеген: ТМД мемлекетіне әкету ретінде тексерілді",
    ),
    "destination-assumed-file": (
        "no destination given: lines screened as exports to a CIS state",
        "страна назначения не указана: строки проверены как вывоз в государство СНГ",
        "межелі ел көрсетілмеген: жолдар ТМД мемлекетіне әкету ретінде тексерілді",
    ),
    "code-missing": ("no TN VED code on this line", "в строке нет кода ТН ВЭД", "жолда СЭҚ ТН коды жоқ"),
    "code-invalid": (
        "«{raw}» is not a TN VED code: {reason}",
        "«{raw}» — не код ТН ВЭД: {reason}",
        "«{raw}» СЭҚ ТН коды емес: {reason}",
    ),
    "code-prefix-none": (
        "{code} is a heading, not a 10-digit code; nothing under it is listed",
        "{code} — позиция, а не 10-значный код; под ней ничего не включено в перечни",
        "{code} — позиция, 10 таңбалы код емес; оның ішінде тізбелерге ештеңе енгізілмеген",
    ),
    "code-prefix-some": (
        "{code} is not a 10-digit code; listed codes under it: {shown}",
        "{code} — не 10-значный код; в перечнях под ним: {shown}",
        "{code} — 10 таңбалы код емес; оның ішінде тізбелерде: {shown}",
    ),
    "code-prefix-covered": (
        "{code} is a heading; every code under it is listed via {entry}",
        "{code} — позиция; все коды под ней входят в перечень по записи {entry}",
        "{code} — позиция; оның ішіндегі барлық кодтар тізбеге {entry} жолы бойынша енгізілген",
    ),
    "near-miss": (
        "not listed, but Annex {annex} entry {entry} lists {code}: check the code",
        "не в перечне, но приложение {annex}, № {entry} содержит {code}: проверьте код",
        "тізбеде жоқ, бірақ {annex}-қосымшаның {entry}-жолында {code} бар: кодты тексеріңіз",
    ),
    "multiple-annexes": ("listed in Annexes {annexes}", "включено в приложения {annexes}",
                         "{annexes}-қосымшаларға енгізілген"),
    "evidence-from-remarks": (
        "the remarks ({text!r}) name {evidence}: taken as the exemption evidence",
        "в примечании («{text}») указано: {evidence} — принято как основание освобождения",
        "ескертпеде («{text}») {evidence} көрсетілген: босату негізі ретінде қабылданды",
    ),
    "evidence-incomplete": (
        "{evidence} held, but not {missing}: order p.3.{number} exempts only with both",
        "есть {evidence}, но нет: {missing}; п.3.{number} приказа освобождает только при наличии обоих",
        "{evidence} бар, бірақ {missing} жоқ: бұйрықтың 3.{number}-тармағы екеуі де болғанда ғана босатады",
    ),
    "evidence-rejected": (
        "{evidence} in «{text}» is {reason}: it is no evidence ({point})",
        "{evidence} в «{text}» — {reason}: это не основание ({point})",
        "«{text}» ішіндегі {evidence} — {reason}: бұл негіз емес ({point})",
    ),
    "evidence-copy": (
        "a copy, and p.3.1 wants the original",
        "копия, а п.3.1 требует оригинал",
        "көшірме, ал 3.1-тармақ түпнұсқаны талап етеді",
    ),
    "evidence-expired": ("expired", "срок действия истёк", "мерзімі өткен"),
    "evidence-invalid": ("said to be invalid", "указан как недействительный", "жарамсыз деп көрсетілген"),
    "evidence-unknown": (
        "exemption evidence «{part}» not understood",
        "основание освобождения «{part}» не распознано",
        "босату негізі «{part}» танылмады",
    ),
    "exempt": ("order p.3.{number}: {text}", "п.3.{number} приказа: {text}", "бұйрықтың 3.{number}-тармағы: {text}"),
    "evidence-mismatch": (
        "{evidence} evidence given, but the origin is {origin}: order p.3.{number} does not apply",
        "указан {evidence}, но страна происхождения {origin}: п.3.{number} приказа не применяется",
        "{evidence} көрсетілген, бірақ шығарылған елі {origin}: бұйрықтың 3.{number}-тармағы қолданылмайды",
    ),
    "exemption-possible-kz": (
        "origin KZ: the original CT-KZ certificate or an extract from the register of Kazakh producers "
        "(order p.3.1) would exempt this line",
        "происхождение KZ: при наличии оригинала сертификата СТ-KZ или выписки из реестра казахстанских производителей "
        "разрешение не нужно (п.3.1 приказа)",
        "шығарылған елі KZ: СТ-KZ сертификатының түпнұсқасы немесе қазақстандық өндірушілер тізілімінен "
        "үзінді-көшірме болса, рұқсат қажет емес (бұйрықтың 3.1-тармағы)",
    ),
    "exemption-possible-cis": (
        "origin {origin}: a CT-1 certificate with the documents of the goods' import into Kazakhstan "
        "(order p.3.2) would exempt this line",
        "происхождение {origin}: при наличии сертификата СТ-1 и документов, на основании которых товар ввезён в "
        "Казахстан, разрешение не нужно (п.3.2 приказа)",
        "шығарылған елі {origin}: СТ-1 сертификаты және әкелуге негіз болған құжаттар болса, рұқсат қажет емес "
        "(бұйрықтың 3.2-тармағы)",
    ),
    "origin-kz-not-imported": (
        "origin KZ: the rules define the goods as those previously imported into Kazakhstan (rules p.2.1), which "
        "goods made in Kazakhstan are not, yet order p.3.1 exempts them only with the CT-KZ or the register "
        "extract; without it a permit is asked for, and document 3 (proof of import) has no import to show: ask "
        "the committee",
        "происхождение KZ: правила называют товарами ранее ввезённые в Казахстан товары (п.2.1 правил), а "
        "произведённые в Казахстане товары не ввозились; но п.3.1 приказа освобождает их только при СТ-KZ или "
        "выписке из реестра; без неё разрешение нужно, а документ 3 (подтверждение ввоза) подтверждать нечего: "
        "уточните в комитете",
        "шығарылған елі KZ: қағидалар тауар деп бұрын Қазақстанға әкелінген тауарларды атайды (қағидалардың 2.1-т.), "
        "ал Қазақстанда өндірілген тауар әкелінбеген; бірақ бұйрықтың 3.1-тармағы оларды тек СТ-KZ немесе "
        "тізілімнен үзінді-көшірме болғанда босатады; онсыз рұқсат қажет, ал 3-құжат (әкелуді растау) растайтын "
        "ештеңе жоқ: комитеттен нақтылаңыз",
    ),
    "operator-certificate-held": (
        "Annex 3: the operator's certificate is held (document 6 of the application)",
        "приложение 3: сертификат эксплуатанта есть (документ 6 к заявлению)",
        "3-қосымша: эксплуатант сертификаты бар (өтінішке 6-құжат)",
    ),
    "operator-certificate-missing": (
        "Annex 3: evidence was given without the operator's certificate (operator-cert); without it the permit is "
        "refused (rules p.11.7)",
        "приложение 3: основания указаны, а сертификата эксплуатанта (operator-cert) среди них нет; без него в "
        "выдаче разрешения откажут (п.11.7 правил)",
        "3-қосымша: негіздер көрсетілген, бірақ олардың ішінде эксплуатант сертификаты (operator-cert) жоқ; онсыз "
        "рұқсат беруден бас тартылады (қағидалардың 11.7-т.)",
    ),
    "operator-certificate-required": (
        "Annex 3: the operator's certificate (document 6) is needed; without it the permit is refused (rules p.11.7)",
        "приложение 3: нужен сертификат эксплуатанта (документ 6); без него в выдаче разрешения откажут "
        "(п.11.7 правил)",
        "3-қосымша: эксплуатант сертификаты (6-құжат) қажет; онсыз рұқсат беруден бас тартылады (қағидалардың 11.7-т.)",
    ),
    "origin-unknown": (
        "no country of origin: Annex 1/2 goods need a certificate of origin (rules p.11.6)",
        "нет страны происхождения: для товаров приложений 1/2 нужен сертификат о происхождении (п.11.6 правил)",
        "шығарылған елі жоқ: 1/2-қосымшалардың тауарларына шығу тегі туралы сертификат қажет (қағидалардың 11.6-т.)",
    ),
    "origin-sanctioned": (
        "origin {origin}: Annex {annex} goods from the UK, the USA or the EU are refused (rules p.11.6)",
        "происхождение {origin}: в выдаче разрешения на товары приложения {annex} из Великобритании, США или ЕС "
        "отказывают "
        "(п.11.6 правил)",
        "шығарылған елі {origin}: Ұлыбританиядан, АҚШ-тан немесе ЕО-дан шыққан {annex}-қосымшаның тауарларына "
        "рұқсат берілмейді (қағидалардың 11.6-т.)",
    ),
    "origin-sanctioned-territory": (
        "origin {origin} is {state} (ground 6 names the UK, the USA and the EU): Annex {annex} goods from "
        "there are refused (rules p.11.6)",
        "происхождение {origin} — это {state} (основание 6 называет Великобританию, США и ЕС): в выдаче "
        "разрешения на товары приложения {annex} оттуда отказывают (п.11.6 правил)",
        "шығарылған елі {origin} — {state} (6-негіз Ұлыбританияны, АҚШ-ты және ЕО-ны атайды): олардан шыққан "
        "{annex}-қосымшаның тауарларына рұқсат берілмейді (қағидалардың 11.6-т.)",
    ),
    "state-US": ("a territory of the USA", "территория США", "АҚШ аумағы"),
    "state-EU": ("a part of the European Union", "часть Европейского союза", "Еуропалық Одақтың бөлігі"),
    # what the reader notes about a file or a line
    "row-one": ("row {rows}", "строка {rows}", "{rows}-жол"),
    "rows-many": ("rows {rows}{more}", "строки {rows}{more}", "{rows}-жолдар{more}"),
    "rows-more": (" and {n} more", " и ещё {n}", " және тағы {n} жол"),
    "unreadable-number": (
        "{field} {text!r} in cell {cell} is not a number",
        "{field} «{text}» в ячейке {cell} — не число",
        "{cell} ұяшығындағы {field} «{text}» сан емес",
    ),
    "formula-no-value-cell": (
        "cell {cell} ({field}) holds a formula with no saved result: open the file in Excel or LibreOffice, save it "
        "and read it again",
        "в ячейке {cell} ({field}) формула без сохранённого значения: откройте файл в Excel или LibreOffice, "
        "сохраните и проверьте снова",
        "{cell} ұяшығында ({field}) сақталған мәні жоқ формула: файлды Excel немесе LibreOffice-те ашып, сақтаңыз "
        "да қайта тексеріңіз",
    ),
    "formula-no-value-rows": (
        "{rows}: formulas with no saved result (the file was written by a program and never recalculated): open it "
        "in Excel or LibreOffice, save it and read it again",
        "{rows}: формулы без сохранённых значений (файл создан программой и не пересчитывался): откройте его в "
        "Excel или LibreOffice, сохраните и проверьте снова",
        "{rows}: сақталған мәні жоқ формулалар (файлды бағдарлама жазған, қайта есептелмеген): оны Excel немесе "
        "LibreOffice-те ашып, сақтаңыз да қайта тексеріңіз",
    ),
    "origin-from-document-rows": (
        "{rows}: no country of origin in the line, so the document-wide {text!r} (row {row}) is used",
        "{rows}: нет своей страны происхождения, взята общая для документа «{text}» (строка {row})",
        "{rows}: жолда шығарылған елі жоқ, құжатқа ортақ «{text}» алынды ({row}-жол)",
    ),
    "origin-from-sheet-rows": (
        "{rows}: no country of origin in the line, so the document-wide {text!r} of sheet {sheet!r} (row {row}) is "
        "used",
        "{rows}: нет своей страны происхождения, взята общая для документа «{text}» с листа «{sheet}» "
        "(строка {row})",
        "{rows}: жолда шығарылған елі жоқ, құжатқа ортақ «{text}» «{sheet}» парағынан алынды ({row}-жол)",
    ),
    "currency-from-document": (
        "{rows}: no currency in the line, so {currency} from {source} is used",
        "{rows}: в строке нет валюты — взята {currency} {source}",
        "{rows}: жолда валюта жоқ — {currency} {source} алынды",
    ),
    "currency-source-heading": (
        "the heading {text!r} of column {column}",
        "из заголовка «{text}» столбца {column}",
        "{column} бағанының «{text}» тақырыбынан",
    ),
    "currency-source-row": ("row {row} ({text!r})", "из строки {row} («{text}»)", "{row}-жолдан («{text}»)"),
    "annex-n": ("Annex {n}", "Прил. {n}", "{n}-қосымша"),
    "more-candidates": ("… {n} more (--format json lists all)", "… ещё {n} (полный список: --format json)",
                        "… тағы {n} (толық тізім: --format json)"),
    "review-before-drafting": ("{invoice}: {n} line(s) need review before drafting:",
                               "{invoice}: строк, которые нужно проверить до подготовки заявлений: {n}",
                               "{invoice}: өтініштерді дайындау алдында тексерілетін жолдар: {n}"),
    "nothing-drafted": ("{invoice}: no line needs a drafted application", "{invoice}: ни одна строка не требует заявления",
                        "{invoice}: дайындайтын өтініш жоқ"),
    "drafted": ("{n} application(s) drafted", "подготовлено заявлений: {n}", "дайындалған өтініштер: {n}"),
    "left-out": ("left out: {items}", "не включены: {items}", "енгізілмегені: {items}"),
    "refusal-drafted": ("{rows}: refusal risk ({point}), drafted on request",  # rows: rows_text()
                        "{rows}: риск отказа ({point}), заявления подготовлены по запросу",
                        "{rows}: бас тарту қаупі ({point}), сұрау бойынша дайындалды"),
    "applicant-from-shipment": (
        "applicant (field 5): {name}, BIN {bin}, from the shipment: the foreign-trade participant whose contract is "
        "in field 4 (rules p.2.2, p.5); the profile's authorized person (field 17) acts for it",
        "заявитель (поле 5): {name}, БИН {bin}, из файла поставки: участник ВЭД, сторона контракта из поля 4 "
        "(пп.2.2, 5 правил); уполномоченное лицо профиля (поле 17) действует от его имени",
        "өтініш беруші (5-өріс): {name}, БСН {bin}, жеткізілім файлынан: 4-өрістегі келісімшарттың тарапы, "
        "сыртқы сауда қызметіне қатысушы (қағидалардың 2.2, 5-т.); профильдің уәкілетті адамы (17-өріс) оның "
        "атынан әрекет етеді",
    ),
    "applicant-from-profile": (
        "applicant (field 5): {name}, BIN {bin}, from the profile; the applicant must be the foreign-trade "
        "participant whose contract is in field 4 (rules p.2.2, p.5): when drafting for a client, name the client "
        "with [applicant] in the shipment file or --applicant, --applicant-bin, --applicant-address",
        "заявитель (поле 5): {name}, БИН {bin}, из профиля; заявителем должен быть участник ВЭД, сторона "
        "контракта из поля 4 (пп.2.2, 5 правил): для клиента укажите его в [applicant] файла поставки или "
        "через --applicant, --applicant-bin, --applicant-address",
        "өтініш беруші (5-өріс): {name}, БСН {bin}, профильден; өтініш беруші 4-өрістегі келісімшарттың тарапы, "
        "сыртқы сауда қызметіне қатысушы болуы керек (қағидалардың 2.2, 5-т.): клиент үшін оны жеткізілім "
        "файлының [applicant] бөлімінде немесе --applicant, --applicant-bin, --applicant-address арқылы беріңіз",
    ),
    "transit-drafted": (
        "{rows}: the goods pass {dest} on their way to {final}; the order does not settle whether such a "
        "transit needs a permit: ask the committee before filing",
        "{rows}: товар следует через {dest} в {final}; приказ не решает, нужно ли разрешение при таком "
        "транзите: уточните в комитете до подачи",
        "{rows}: тауар {dest} арқылы {final} еліне жөнелтіледі; бұйрық мұндай транзитке рұқсат қажет пе, "
        "шешпейді: берер алдында комитеттен нақтылаңыз",
    ),
    "decision-due-now": ("filed now, the decision is due by {due} (received {received}; see `permitcli deadlines`)",
                         "если подать сейчас, решение — до {due} (поступление {received}; см. `permitcli deadlines`)",
                         "қазір берілсе, шешім мерзімі — {due} (түсу күні {received}; `permitcli deadlines` қараңыз)"),
    "decision-due-filed": ("filed then, the decision is due by {due} (received {received}; see `permitcli deadlines`)",
                           "если подать тогда, решение — до {due} (поступление {received}; см. `permitcli deadlines`)",
                           "сол кезде берілсе, шешім мерзімі — {due} (түсу күні {received}; `permitcli deadlines` "
                           "қараңыз)"),
    "no-statistical-value": (
        "field 11 (statistical value in USD) is left empty: the contract is in {currency}; give "
        "shipment.statistical_value_rate (or --statistical-value-rate)",
        "поле 11 (статистическая стоимость в долларах США) не заполнено: контракт в {currency}; задайте "
        "shipment.statistical_value_rate (или --statistical-value-rate)",
        "11-өріс (АҚШ долларындағы статистикалық құны) толтырылмады: келісімшарт {currency} валютасында; "
        "shipment.statistical_value_rate (немесе --statistical-value-rate) беріңіз",
    ),
    "period-before-decision": (
        "warning: field 2 starts on {start}, before the decision on the application is due ({due})",
        "внимание: поле 2 начинается {start}, раньше срока решения по заявлению ({due})",
        "назар аударыңыз: 2-өріс {start} басталады, өтініш бойынша шешім мерзімінен ({due}) бұрын",
    ),
    "period-outside-year": (
        "field 2 would start on {start}, outside {year}, the year a permit applied for now would be issued in (a "
        "decision is due {due}): a permit is valid only in its year of issue (rules p.10); apply in the year the "
        "goods go, or set --period-from within {year}",
        "поле 2 начиналось бы {start}, вне {year} года, в котором было бы выдано разрешение по заявлению, "
        "поданному сейчас (решение до {due}): разрешение действует только в год выдачи (п.10 правил); подайте "
        "заявление в год вывоза или задайте --period-from в пределах {year} года",
        "2-өріс {start} басталар еді, бұл қазір берілген өтініш бойынша рұқсат берілетін {year} жылдан тыс "
        "(шешім мерзімі {due}): рұқсат тек берілген жылы қолданылады (қағидалардың 10-т.); әкету жылы өтініш "
        "беріңіз немесе --period-from мәнін {year} жыл ішінде беріңіз",
    ),
    "period-after-pilot": (
        "field 2 would start on {start}, after {ends}, the last day a permit can run (the end of the year of issue "
        "or of the pilot order, order p.11)",
        "поле 2 начиналось бы {start}, позже {ends} — последнего дня, до которого может действовать разрешение "
        "(конец года выдачи или срока действия приказа, п.11 приказа)",
        "2-өріс {start} басталар еді, бұл {ends} күнінен кейін — рұқсат қолданыла алатын соңғы күн (берілген "
        "жылдың немесе бұйрық мерзімінің соңы, бұйрықтың 11-т.)",
    ),
    "missing-origin": ("no country of origin (field 12)", "нет страны происхождения (поле 12)",
                       "шығарылған елі жоқ (12-өріс)"),
    "missing-quantity": ("no quantity (field 13)", "нет количества (поле 13)", "саны жоқ (13-өріс)"),
    "missing-unit": ("no unit of measure (field 14; draft --unit gives one)",
                     "нет единицы измерения (поле 14; её задаёт draft --unit)",
                     "өлшем бірлігі жоқ (14-өріс; оны draft --unit береді)"),
    "missing-value": ("no value (field 10)", "нет стоимости (поле 10)", "құны жоқ (10-өріс)"),
    "problem-no-code": ("needs a permit but has no listed 10-digit code",
                        "нужно разрешение, но нет 10-значного кода из перечня",
                        "рұқсат қажет, бірақ тізбедегі 10 таңбалы код жоқ"),
    "problem-quantity": ("quantity {quantity} (field 13) must be more than 0",
                         "количество {quantity} (поле 13) должно быть больше 0",
                         "саны {quantity} (13-өріс) 0-ден көп болуы керек"),
    "problem-value": ("value {value} (field 10) is negative", "стоимость {value} (поле 10) отрицательна",
                      "құны {value} (10-өріс) теріс"),
    "problem-currencies": ("code {code} from {origin}: values in different currencies ({currencies}) cannot be added up",
                           "код {code} из {origin}: стоимости в разных валютах ({currencies}) не складываются",
                           "{origin} елінен {code} коды: әртүрлі валютадағы құндарды ({currencies}) қосуға болмайды"),
    # workbooks: what each status means (the legend), and what the annotated copy is
    "status-means-permit-required": (
        "listed in an annex and going to a CIS state, with no exemption evidence: a permit is needed (an application "
        "to the committee shown)",
        "товар в перечне и вывозится в государство СНГ, основания освобождения нет: нужно разрешение (заявление в "
        "указанный комитет)",
        "тауар тізбеде бар және ТМД мемлекетіне әкетіледі, босату негізі жоқ: рұқсат қажет (көрсетілген комитетке "
        "өтініш)",
    ),
    "status-means-refusal-risk": (
        "Annex 1 or 2 goods originating in the UK, the USA or an EU member state: the permit is refused (rules p.11.6)",
        "товар приложения 1 или 2 происхождением из Великобритании, США или государства — члена ЕС: в разрешении "
        "откажут (п.11.6 правил)",
        "Ұлыбританиядан, АҚШ-тан немесе ЕО мүше мемлекетінен шыққан 1 не 2-қосымшаның тауары: рұқсат беруден бас "
        "тартылады (қағидалардың 11.6-т.)",
    ),
    "status-means-review": (
        "cannot be judged as it stands: no code or not a code, a heading some entries fall under, Annex 1/2 goods "
        "with no or an unknown origin, an unknown destination",
        "оценить нельзя: нет кода или это не код, позиция, в которую входят строки перечня, товар приложения 1/2 "
        "без страны происхождения или с нераспознанной страной, нераспознанная страна назначения",
        "осы күйінде бағалау мүмкін емес: код жоқ не код емес, тізбе жолдары кіретін позиция, шығарылған елі жоқ "
        "не танылмаған 1/2-қосымша тауары, межелі ел танылмады",
    ),
    "status-means-exempt": (
        "listed, but the evidence for an exemption under order p.3 is given and fits the origin: no permit is needed",
        "в перечне, но указано основание освобождения по п.3 приказа, подходящее к стране происхождения: "
        "разрешение не нужно",
        "тізбеде бар, бірақ шығарылған еліне сай бұйрықтың 3-т. бойынша босату негізі көрсетілген: рұқсат қажет емес",
    ),
    "status-means-not-listed": (
        "a valid code that no annex lists: no permit is needed",
        "верный код, которого нет ни в одном приложении: разрешение не нужно",
        "ешбір қосымшада жоқ дұрыс код: рұқсат қажет емес",
    ),
    "status-means-out-of-scope": (
        "the destination is not a CIS participating state: the pilot does not apply",
        "страна назначения не является государством — участником СНГ: пилот не применяется",
        "межелі ел ТМД-ға қатысушы мемлекет емес: пилоттық жоба қолданылмайды",
    ),
    "status-means-covered": (
        "a permit held in the register covers the line (check --permits): no new application is needed",
        "строку покрывает разрешение из реестра (check --permits): новое заявление не нужно",
        "жолды тізілімдегі рұқсат қамтиды (check --permits): жаңа өтініш қажет емес",
    ),
    "status-means-skipped": (
        "a row of the goods table that was not taken for a goods line; the reason is beside it",
        "строка таблицы товаров, не принятая за строку товара; причина указана рядом",
        "тауар кестесінің тауар жолы ретінде алынбаған жолы; себебі қасында көрсетілген",
    ),
    "annotated-written": (
        "annotated copies written to {folder}: {n}",
        "копии с отметками проверки записаны в {folder}: {n}",
        "тексеру белгілері бар көшірмелер {folder} қалтасына жазылды: {n}",
    ),
    "table-end": ("the table ends here: {reason}", "здесь таблица заканчивается: {reason}",
                  "кесте осы жерде аяқталады: {reason}"),
    "copy-of-workbook": (
        "a copy of the original workbook: the verdicts are in the columns added to the right of the goods table; "
        "the original file is not changed",
        "копия исходной книги: результаты проверки — в столбцах, добавленных справа от таблицы товаров; исходный "
        "файл не изменён",
        "бастапқы кітаптың көшірмесі: тексеру нәтижелері тауар кестесінің оң жағына қосылған бағандарда; бастапқы "
        "файл өзгертілмеген",
    ),
    "copy-of-table": (
        "the table of the {format} file as it was read (values only: formulas, formatting and the other sheets are "
        "not carried over); the original file is not changed",
        "таблица файла {format} в том виде, в каком она прочитана (только значения: формулы, оформление и другие "
        "листы не перенесены); исходный файл не изменён",
        "{format} файлының кестесі оқылған күйінде (тек мәндер: формулалар, безендіру және басқа парақтар "
        "көшірілмеді); бастапқы файл өзгертілмеген",
    ),
    "copy-not-kept": (
        "the workbook could not be copied as it is ({reason})",
        "книгу не удалось скопировать как есть ({reason})",
        "кітапты сол күйінде көшіру мүмкін болмады ({reason})",
    ),
    "copy-no-macros": ("the original's macros are not carried over", "макросы исходного файла не перенесены",
                       "бастапқы файлдың макростары көшірілмеді"),
    "copy-no-pictures": ("the original's pictures are not carried over", "изображения исходного файла не перенесены",
                         "бастапқы файлдың суреттері көшірілмеді"),
    "applications-to": ("applications to the {committee}: {n}", "заявлений в {committee}: {n}",
                        "{committee}: {n} өтініш"),
    "charges-skipped": (
        "{rows}: charges (freight, insurance, discount, VAT), not goods, skipped",
        "{rows}: расходы (фрахт, страховка, скидка, НДС), не товары, пропущены",
        "{rows}: шығыстар (фрахт, сақтандыру, жеңілдік, ҚҚС), тауар емес, өткізіп жіберілді",
    ),
    "rows-skipped": (
        "{rows}: not goods lines (numbers or labels without a code, description, quantity or value), skipped",
        "{rows}: не строки товаров (числа или подписи без кода, наименования, количества или суммы), пропущены",
        "{rows}: тауар жолдары емес (коды, атауы, саны немесе сомасы жоқ сандар не жазулар), өткізіп жіберілді",
    ),
    "value-computed": (
        "no amount on this line: the value {value} is the quantity ({quantity}) × the unit price ({price})",
        "у строки нет суммы: стоимость {value} — количество ({quantity}) × цена ({price})",
        "жолда сома жоқ: құны {value} — саны ({quantity}) × бағасы ({price})",
    ),
    "row-unclear": (
        "row {row} holds numbers the reader cannot place (no description, code or label, and they are not the "
        "total of the lines above): kept as a line to look at",
        "строка {row} содержит числа, которые не удалось отнести (нет наименования, кода или подписи, и это не "
        "итог строк выше): оставлена строкой для проверки",
        "{row}-жолдағы сандарды ажырату мүмкін болмады (атауы, коды не жазуы жоқ, әрі жоғарыдағы жолдардың "
        "жиыны емес): тексеру үшін жол ретінде қалдырылды",
    ),
    "code-from-caption": (
        "no code of its own: the code is taken from the group caption in row {row}",
        "своего кода нет: код взят из заголовка группы в строке {row}",
        "өз коды жоқ: код {row}-жолдағы топ тақырыбынан алынды",
    ),
    "accounting-rows": (
        "Rows under the heading: {rows}, of which {lines} read as goods lines",
        "Строк под заголовком: {rows}, из них строк товаров: {lines}",
        "Тақырып астындағы жолдар: {rows}, оның ішінде тауар жолдары: {lines}",
    ),
    "accounting-skipped": (
        "; {n} set aside ({reasons})",
        "; отложено: {n} ({reasons})",
        "; шеттетілді: {n} ({reasons})",
    ),
    "accounting-end": (
        "; the table ends at row {row} ({reason}), {n} rows from there on",
        "; таблица кончается на строке {row} ({reason}), строк с неё и ниже: {n}",
        "; кесте {row}-жолда аяқталады ({reason}), сол жерден бастап жолдар: {n}",
    ),
    "code-from-caption-below": (
        "no code of its own: the code is taken from row {row} under the line",
        "своего кода нет: код взят из строки {row} под строкой товара",
        "өз коды жоқ: код тауар жолының астындағы {row}-жолдан алынды",
    ),
    "columns-from-content": (
        "no heading names the columns {fields}: they are told from the cells under it",
        "ни один заголовок не называет колонки {fields}: они определены по содержимому ячеек",
        "{fields} бағандарын ешбір тақырып атамайды: олар ұяшықтардың мазмұны бойынша анықталды",
    ),
    "other-sheets": (
        "sheet {sheet!r} was read; other sheets with a goods table: {sheets} (check them with --sheet)",
        "прочитан лист «{sheet}»; другие листы с таблицей товаров: {sheets} (проверьте их с --sheet)",
        "«{sheet}» парағы оқылды; тауар кестесі бар басқа парақтар: {sheets} (оларды --sheet арқылы тексеріңіз)",
    ),
    "number-ambiguous": (
        "{cell}: {text!r} is read as {read} (a decimal comma), as nothing else in the file tells; if it means "
        "thousands, write it without the comma",
        "{cell}: «{text}» прочитано как {read} (десятичная запятая): больше ничто в файле этого не уточняет; "
        "если запятая отделяет тысячи, запишите число без запятой",
        "{cell}: «{text}» {read} деп оқылды (ондық үтір): файлда мұны басқа ештеңе нақтыламайды; "
        "егер үтір мыңдықтарды бөлсе, санды үтірсіз жазыңыз",
    ),
    "origin-between-lines": (
        "row {row} gives the country of origin ({text!r}) between goods lines: it is taken for the lines under it "
        "(up to the next such row), not for those above it",
        "строка {row} указывает страну происхождения («{text}») между строками товаров: она отнесена к строкам "
        "под ней (до следующей такой строки), но не к строкам над ней",
        "{row}-жол тауар жолдарының арасында шығарылған елді («{text}») көрсетеді: ол астындағы жолдарға "
        "(келесі осындай жолға дейін) қолданылады, үстіндегілерге емес",
    ),
    "document-origin-unknown": (
        "row {row} gives the country of origin as {text!r}, which is not a known country: lines without their own "
        "origin keep none",
        "в строке {row} страна происхождения указана как «{text}» — такой страны нет: строки без своей страны "
        "остаются без неё",
        "{row}-жолда шығарылған елі «{text}» деп көрсетілген — мұндай ел жоқ: өз елі жоқ жолдар елсіз қалады",
    ),
    "format-mismatch": (
        "the file is {format} content despite its {suffix} extension",
        "содержимое файла — {format}, хотя расширение {suffix}",
        "файл мазмұны — {format}, ал кеңейтімі {suffix}",
    ),
    "csv-encoding": (
        "read as Windows-1251 (the encoding 1C uses), not UTF-8",
        "прочитан как Windows-1251 (кодировка 1С), а не UTF-8",
        "UTF-8 емес, Windows-1251 ретінде оқылды (1С кодтауы)",
    ),
    # reasons a value is not a code (codes.py says them in English)
    "9 digits typed as text: one digit is missing": (
        "9 digits typed as text: one digit is missing",
        "9 цифр текстом: не хватает одной цифры",
        "мәтінмен 9 цифр: бір цифр жетіспейді",
    ),
    "wrong number of digits: a code has 10 (4, 6 or 8 for a heading)": (
        "wrong number of digits: a code has 10 (4, 6 or 8 for a heading)",
        "неверное число цифр: в коде 10 (4, 6 или 8 у позиции)",
        "цифрлар саны қате: кодта 10 цифр (позицияда 4, 6 немесе 8)",
    ),
    "a true/false cell is not a code": ("a true/false cell is not a code", "логическое значение — не код",
                                        "логикалық мән код емес"),
    "a negative number is not a code": ("a negative number is not a code", "отрицательное число — не код",
                                        "теріс сан код емес"),
    "not a number": ("not a number", "не число", "сан емес"),
    "a number with decimals is not a code": ("a number with decimals is not a code", "дробное число — не код",
                                             "бөлшек сан код емес"),
    "not a code: it holds characters other than digits": (
        "not a code: it holds characters other than digits",
        "не код: есть символы помимо цифр",
        "код емес: цифрлардан басқа таңбалар бар",
    ),
}


def message(key: str, lang: str = "en", /, **params: object) -> str:
    """A finding message in a language, with its placeholders filled."""
    texts = _MESSAGES.get(key)
    if texts is None:
        return key.format(**params) if params else key
    template = texts[LANGS.index(lang)] if lang in LANGS else texts[0]
    return template.format(**params) if params else template


def rows_text(rows: Iterable[int], lang: str = "en") -> str:
    """Rows as a sentence names them: "row 19" for one, "rows 7, 9" for more (строка 19, 19-жол)."""
    numbers = [str(r) for r in rows]
    shown = ", ".join(numbers)
    return message("row-one", lang, rows=shown) if len(numbers) == 1 else message("rows-many", lang, rows=shown, more="")

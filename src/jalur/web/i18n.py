"""The interface's words in English, Bahasa Indonesia and Russian, and numbers and dates in the
reader's locale (Babel), with each user's choice kept in the transactional store.

Messages are keyed by their English text, so a page stays readable when a translation is
missing. The preference lives in a table of its own (`web_preferences`), created when the UI
is mounted; no capability's table changes.
"""

from __future__ import annotations

import threading
import weakref
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from babel.dates import format_datetime
from babel.numbers import format_currency, format_decimal
from sqlalchemy import Column, Engine, MetaData, String, Table, insert, select, update

from jalur.canonical import iso, utcnow

LOCALES: dict[str, str] = {"en": "English", "id": "Bahasa Indonesia", "ru": "Русский"}
DEFAULT_LOCALE = "en"
_BABEL = {"en": "en_GB", "id": "id_ID", "ru": "ru_RU"}

_metadata = MetaData()
preferences = Table(
    "web_preferences",
    _metadata,
    Column("user_name", String(64), primary_key=True),
    Column("locale", String(8), nullable=False),
    Column("updated_at", String(40), nullable=False),
)


_ready: weakref.WeakSet[Engine] = weakref.WeakSet()
_ready_lock = threading.Lock()


def ensure_preferences(engine: Engine) -> None:
    """The preferences table, made when missing (SQLite or PostgreSQL alike), once per engine."""
    with _ready_lock:
        if engine not in _ready:
            _metadata.create_all(engine, checkfirst=True)
            _ready.add(engine)


def locale_of(engine: Engine, user: str) -> str:
    ensure_preferences(engine)
    with engine.connect() as con:
        found = con.execute(
            select(preferences.c.locale).where(preferences.c.user_name == user)
        ).scalar()
    return found if found in LOCALES else DEFAULT_LOCALE


def set_locale(engine: Engine, user: str, locale: str) -> None:
    """Keep a user's language; an unknown code is a ValueError naming the known ones."""
    if locale not in LOCALES:
        raise ValueError(f"unknown language {locale!r} (known: {', '.join(LOCALES)})")
    ensure_preferences(engine)
    now = iso(utcnow())
    with engine.begin() as con:
        done = con.execute(
            update(preferences)
            .where(preferences.c.user_name == user)
            .values(locale=locale, updated_at=now)
        )
        if not done.rowcount:
            con.execute(insert(preferences).values(user_name=user, locale=locale, updated_at=now))


class Words:
    """What the templates call: `t` for text, `money`, `number`, `when` for values."""

    def __init__(self, locale: str) -> None:
        self.locale = locale if locale in LOCALES else DEFAULT_LOCALE
        self.babel = _BABEL[self.locale]
        self._table = MESSAGES.get(self.locale, {})

    def t(self, text: str, **values: Any) -> str:
        chosen = self._table.get(text, text)
        return chosen.format(**values) if values else chosen

    def number(self, value: Any, digits: int = 2) -> str:
        amount = _decimal(value)
        if amount is None:
            return "" if value is None else str(value)
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return format_decimal(amount, format=pattern, locale=self.babel)

    def money(self, value: Any, currency: str | None) -> str:
        amount = _decimal(value)
        if amount is None:
            return "" if value is None else str(value)
        if not currency or len(currency) != 3:
            return self.number(amount)
        return format_currency(amount, currency.upper(), locale=self.babel)

    def when(self, value: Any) -> str:
        """A date and time (ISO text, datetime or epoch seconds) in the reader's locale, UTC."""
        found = _datetime(value)
        if found is None:
            return "" if value is None else str(value)
        return format_datetime(found, "medium", tzinfo=UTC, locale=self.babel) + " UTC"


def _decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        found = Decimal(str(value))
    except InvalidOperation:
        return None
    return found if found.is_finite() else None


def _datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, UTC)
    if isinstance(value, str) and value:
        try:
            found = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        return found if found.tzinfo else found.replace(tzinfo=UTC)
    return None


#: English text → translation. Indonesian first (the users' language), Russian as well.
MESSAGES: dict[str, dict[str, str]] = {
    "id": {
        "Sign in": "Masuk",
        "Sign out": "Keluar",
        "User name": "Nama pengguna",
        "Password": "Kata sandi",
        "Unknown user or wrong password.": "Pengguna tidak dikenal atau kata sandi salah.",
        "Too many failed sign-ins; try again later.": "Terlalu banyak percobaan masuk yang gagal; coba lagi nanti.",
        "Alerts": "Peringatan",
        "Alert": "Peringatan",
        "Alert queue": "Antrean peringatan",
        "Cases": "Kasus",
        "Case": "Kasus",
        "Entities": "Entitas",
        "Entity": "Entitas",
        "Screening": "Penyaringan",
        "Lists": "Daftar",
        "List": "Daftar",
        "Audit trail": "Jejak audit",
        "Language": "Bahasa",
        "Save": "Simpan",
        "Filter": "Saring",
        "Typology": "Tipologi",
        "Account": "Rekening",
        "Accounts": "Rekening",
        "Minimum score": "Skor minimum",
        "Score": "Skor",
        "Explanation": "Penjelasan",
        "Sort": "Urutkan",
        "highest score first": "skor tertinggi dahulu",
        "lowest score first": "skor terendah dahulu",
        "Open a case": "Buka kasus",
        "Open a case and assign to": "Buka kasus dan tugaskan kepada",
        "Assign": "Tugaskan",
        "Assignee": "Petugas",
        "Status": "Status",
        "Title": "Judul",
        "Opened": "Dibuka",
        "Opened by": "Dibuka oleh",
        "Updated": "Diperbarui",
        "Timeline": "Linimasa",
        "Evidence": "Bukti",
        "Comments": "Komentar",
        "Comment": "Komentar",
        "Add a comment": "Tambah komentar",
        "Decision": "Keputusan",
        "Propose": "Usulkan",
        "Approve": "Setujui",
        "Return": "Kembalikan",
        "Reason": "Alasan",
        "Report type": "Jenis laporan",
        "report to the FIU": "laporkan ke PPATK",
        "close, no report": "tutup, tanpa laporan",
        "Download the goAML report": "Unduh laporan goAML",
        "Network view": "Tampilan jaringan",
        "Payments": "Transaksi",
        "Payment": "Transaksi",
        "Amount": "Jumlah",
        "Date": "Tanggal",
        "From": "Dari",
        "To": "Kepada",
        "Holder": "Pemilik",
        "Bank": "Bank",
        "Country": "Negara",
        "Flags": "Tanda",
        "Listed": "Terdaftar",
        "Name": "Nama",
        "Names and aliases": "Nama dan alias",
        "Sanctions and legal basis": "Sanksi dan dasar hukum",
        "List entries": "Entri daftar",
        "Screening hits": "Hasil penyaringan",
        "Search": "Cari",
        "Birth date": "Tanggal lahir",
        "Screen a name": "Saring sebuah nama",
        "Why it hit": "Mengapa cocok",
        "No hits.": "Tidak ada kecocokan.",
        "Nothing here.": "Tidak ada data.",
        "Versions": "Versi",
        "Version": "Versi",
        "Last delta": "Perubahan terakhir",
        "Added": "Ditambahkan",
        "Removed": "Dihapus",
        "Changed": "Diubah",
        "Entries": "Entri",
        "The audit chain": "Rantai audit",
        "intact": "utuh",
        "broken": "rusak",
        "Entries checked": "Entri diperiksa",
        "Recent entries": "Entri terbaru",
        "Action": "Tindakan",
        "User": "Pengguna",
        "Object": "Objek",
        "When": "Waktu",
        "Marking": "Penandaan",
        "Not found": "Tidak ditemukan",
        "Refused": "Ditolak",
        "Back": "Kembali",
        "drug-flagged account": "rekening bertanda narkotika",
        "terror-listed account": "rekening terdaftar teror",
        "highlighted channel": "jalur yang disorot",
        "Click an account to open it; scroll to zoom, drag to pan.": "Klik rekening untuk membukanya; gulir untuk memperbesar, seret untuk menggeser.",
        "Channel": "Jalur",
        "Channels": "Jalur",
        "Cases holding it": "Kasus yang memuatnya",
        "Signed in as": "Masuk sebagai",
        "Four eyes: the proposer cannot approve.": "Empat mata: pengusul tidak dapat menyetujui.",
        "results": "hasil",
        "of": "dari",
        "Previous": "Sebelumnya",
        "Next": "Berikutnya",
        "Waiting for approval": "Menunggu persetujuan",
        "The form has expired; reload the page and try again.": "Formulir kedaluwarsa; muat ulang halaman dan coba lagi.",
        "Role": "Peran",
        "Agency": "Instansi",
        "Features": "Fitur",
        "Matched alias": "Alias yang cocok",
        "any": "semua",
    },
    "ru": {
        "Sign in": "Войти",
        "Sign out": "Выйти",
        "User name": "Имя пользователя",
        "Password": "Пароль",
        "Unknown user or wrong password.": "Неизвестный пользователь или неверный пароль.",
        "Too many failed sign-ins; try again later.": "Слишком много неудачных попыток входа; попробуйте позже.",
        "Alerts": "Оповещения",
        "Alert": "Оповещение",
        "Alert queue": "Очередь оповещений",
        "Cases": "Дела",
        "Case": "Дело",
        "Entities": "Субъекты",
        "Entity": "Субъект",
        "Screening": "Проверка",
        "Lists": "Списки",
        "List": "Список",
        "Audit trail": "Журнал аудита",
        "Language": "Язык",
        "Save": "Сохранить",
        "Filter": "Фильтр",
        "Typology": "Типология",
        "Account": "Счёт",
        "Accounts": "Счета",
        "Minimum score": "Минимальная оценка",
        "Score": "Оценка",
        "Explanation": "Объяснение",
        "Sort": "Сортировка",
        "highest score first": "сначала высокая оценка",
        "lowest score first": "сначала низкая оценка",
        "Open a case": "Открыть дело",
        "Open a case and assign to": "Открыть дело и поручить",
        "Assign": "Поручить",
        "Assignee": "Исполнитель",
        "Status": "Статус",
        "Title": "Название",
        "Opened": "Открыто",
        "Opened by": "Открыл",
        "Updated": "Обновлено",
        "Timeline": "Хронология",
        "Evidence": "Доказательства",
        "Comments": "Комментарии",
        "Comment": "Комментарий",
        "Add a comment": "Добавить комментарий",
        "Decision": "Решение",
        "Propose": "Предложить",
        "Approve": "Утвердить",
        "Return": "Вернуть",
        "Reason": "Основание",
        "Report type": "Тип сообщения",
        "report to the FIU": "сообщить в ПФР",
        "close, no report": "закрыть без сообщения",
        "Download the goAML report": "Скачать сообщение goAML",
        "Network view": "Схема связей",
        "Payments": "Платежи",
        "Payment": "Платёж",
        "Amount": "Сумма",
        "Date": "Дата",
        "From": "От",
        "To": "Кому",
        "Holder": "Владелец",
        "Bank": "Банк",
        "Country": "Страна",
        "Flags": "Отметки",
        "Listed": "В списке",
        "Name": "Имя",
        "Names and aliases": "Имена и псевдонимы",
        "Sanctions and legal basis": "Санкции и правовое основание",
        "List entries": "Записи в списках",
        "Screening hits": "Совпадения проверки",
        "Search": "Искать",
        "Birth date": "Дата рождения",
        "Screen a name": "Проверить имя",
        "Why it hit": "Почему совпало",
        "No hits.": "Совпадений нет.",
        "Nothing here.": "Здесь пусто.",
        "Versions": "Версии",
        "Version": "Версия",
        "Last delta": "Последние изменения",
        "Added": "Добавлено",
        "Removed": "Удалено",
        "Changed": "Изменено",
        "Entries": "Записи",
        "The audit chain": "Цепочка аудита",
        "intact": "цела",
        "broken": "нарушена",
        "Entries checked": "Проверено записей",
        "Recent entries": "Последние записи",
        "Action": "Действие",
        "User": "Пользователь",
        "Object": "Объект",
        "When": "Когда",
        "Marking": "Гриф",
        "Not found": "Не найдено",
        "Refused": "Отказано",
        "Back": "Назад",
        "drug-flagged account": "счёт с отметкой о наркотиках",
        "terror-listed account": "счёт из террористического списка",
        "highlighted channel": "выделенный канал",
        "Click an account to open it; scroll to zoom, drag to pan.": "Щёлкните счёт, чтобы открыть его; колесо — масштаб, перетаскивание — сдвиг.",
        "Channel": "Канал",
        "Channels": "Каналы",
        "Cases holding it": "Дела, где он есть",
        "Signed in as": "Вы вошли как",
        "Four eyes: the proposer cannot approve.": "Четыре глаза: предложивший не может утвердить.",
        "results": "результатов",
        "of": "из",
        "Previous": "Назад",
        "Next": "Далее",
        "Waiting for approval": "Ожидает утверждения",
        "The form has expired; reload the page and try again.": "Форма устарела; обновите страницу и повторите.",
        "Role": "Роль",
        "Agency": "Ведомство",
        "Features": "Признаки",
        "Matched alias": "Совпавший псевдоним",
        "any": "любая",
    },
}

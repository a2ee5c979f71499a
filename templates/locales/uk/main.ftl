## Site chrome
site-name = hejnał · Краків
skip-to-content = Перейти до змісту
nav-languages = Мова
lang-pl = Polski
lang-en = English
lang-uk = Українська
nav-officials-area = Розділ для службовців
nav-dashboard = Панель
nav-officials = Службовці
nav-tokens = Токени API
nav-audit = Журнал подій
nav-api = Документація API
logout-button = Вийти ({ $name })
footer-text = hejnał — консультаційна панель і сповіщення для мешканців Кракова.
saved = Зміни збережено.
form-has-errors = Виправте позначені поля

## Errors
error-status = Код помилки: { $status }
error-home-link = Повернутися на головну сторінку
error-not-found = Сторінку не знайдено
error-not-found-detail = За цією адресою немає сторінки. Перевірте адресу або почніть з головної сторінки.
error-unauthorized = Потрібен вхід
error-unauthorized-detail = Увійдіть або надішліть дійсний токен API.
error-forbidden = Доступ заборонено
error-forbidden-detail = Ваш обліковий запис не має ролі, що відкриває цю сторінку.
error-method = Метод не дозволено
error-method-detail = Ця адреса не приймає такого запиту.
error-too-large = Запит завеликий
error-too-large-detail = Надіслані дані завеликі. Надішліть менше даних.
error-media-type = Непідтримуваний формат
error-media-type-detail = Надішліть дані у форматі, якого очікує ця адреса.
error-invalid = Неправильні дані
error-invalid-detail = Деякі поля заповнено неправильно. Виправте їх і спробуйте ще раз.
error-too-many = Забагато спроб
error-too-many-detail = Забагато спроб. Спробуйте ще раз через { $minutes ->
    [one] { $minutes } хвилину
    [few] { $minutes } хвилини
   *[many] { $minutes } хвилин
}.
error-bad-request = Неправильний запит
error-bad-request-detail = Не вдалося прочитати надіслані дані.
error-internal = Помилка сервера
error-internal-detail = Щось пішло не так з нашого боку. Спробуйте ще раз за хвилину.
error-csrf = Термін дії форми минув
error-csrf-detail = З міркувань безпеки оновіть сторінку й надішліть форму ще раз.

## Plurals
minutes = { $count ->
    [one] { $count } хвилину
    [few] { $count } хвилини
   *[many] { $count } хвилин
}

## Home
home-title = Краків питає, Краків попереджає
home-lead = Консультаційна панель мешканців, а також попередження й оголошення міста — електронною поштою, сповіщенням у браузері та SMS.
home-districts = { $count ->
    [one] Місто має { $count } район.
    [few] Місто має { $count } райони.
   *[many] Місто має { $count } районів.
}
home-officials-link = Вхід для службовців

## Login
login-title = Вхід для службовця
login-expired = Сеанс завершився. Увійдіть ще раз.
login-logged-out = Ви вийшли з системи.
login-wrong = Неправильна електронна адреса або пароль.
login-throttled = Забагато спроб входу. Спробуйте ще раз через { $minutes ->
    [one] { $minutes } хвилину
    [few] { $minutes } хвилини
   *[many] { $minutes } хвилин
}.
login-button = Увійти
logout-title = Вихід
logout-confirm = Ви справді хочете вийти?
logout-submit = Вийти

## Fields
field-email = Електронна адреса
field-password = Пароль
field-password-hint = Щонайменше 12 символів.
field-name = Ім'я та прізвище
field-roles = Ролі
field-status = Стан
field-email-invalid = Введіть електронну адресу у форматі name@example.org.
field-email-taken = Службовець з цією електронною адресою вже існує.
field-name-required = Введіть ім'я та прізвище (до 200 символів).
field-password-short = Пароль має містити щонайменше 12 символів.
field-role-unknown = Виберіть ролі зі списку.
field-role-own-admin = Ви не можете забрати в себе роль адміністратора.
field-active-self = Ви не можете вимкнути власний обліковий запис.
field-token-name = Назва токена
field-token-name-invalid = Введіть назву токена (до 100 символів).
field-expires-days = Дійсний (днів)
field-expires-days-hint = Залиште порожнім, щоб токен не втрачав чинності. Щонайбільше 3650 днів.
field-expires-days-invalid = Введіть кількість днів від 1 до 3650 або залиште поле порожнім.
field-official-unknown = Виберіть активного службовця зі списку.

## Roles
role-admin = Адміністратор
role-editor = Редактор
role-approver = Затверджувач
role-analyst = Аналітик
role-admin-text = службовці, токени, налаштування
role-editor-text = готує опитування, попередження й оголошення
role-approver-text = затверджує попередження й запускає консультації
role-analyst-text = читає результати й експортує дані

## Dashboard
dashboard-title = Панель
dashboard-welcome = Добрий день, { $name }.
dashboard-roles = Ваші ролі:
dashboard-no-roles = ролей немає — попросіть адміністратора надати роль.
dashboard-officials = Створення облікових записів службовців і надання ролей.
dashboard-tokens = Токени доступу для міських систем.
dashboard-audit = Хто, що і коли зробив.
dashboard-api = Опис API і консоль для випробування викликів.

## Officials
officials-title = Службовці
officials-list-caption = Облікові записи службовців та їхні ролі
officials-roles-of = Ролі: { $name }
officials-save-roles = Зберегти ролі
status-active = активний
status-inactive = вимкнений
officials-deactivate = Вимкнути
officials-reactivate = Увімкнути
officials-add = Додати службовця
officials-add-button = Додати службовця

## Tokens
tokens-title = Токени API
tokens-created = Новий токен — скопіюйте його зараз, його більше не буде показано:
tokens-list-caption = Видані токени API
tokens-official = Службовець
tokens-created-at = Створено
tokens-expires-at = Діє до
tokens-last-used = Востаннє використано
tokens-never = ніколи
tokens-revoked = відкликано
tokens-revoke = Відкликати
tokens-none = Ще не видано жодного токена.
tokens-add = Видати токен
tokens-add-button = Видати токен

## Audit log
audit-title = Журнал подій
audit-caption = Події, від найновіших
audit-when = Коли
audit-who = Хто
audit-action = Що
audit-subject = Чого стосується
audit-detail = Подробиці
audit-system = система
audit-empty = Подій немає.
audit-older = Давніші події
audit-action-login = вхід
audit-action-login_failed = невдалий вхід
audit-action-login_throttled = вхід заблоковано (забагато спроб)
audit-action-logout = вихід
audit-action-official_created = створено обліковий запис службовця
audit-action-roles_changed = змінено ролі
audit-action-official_deactivated = обліковий запис вимкнено
audit-action-official_reactivated = обліковий запис увімкнено
audit-action-token_created = видано токен API
audit-action-token_revoked = відкликано токен API

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
error-storage-full = Немає місця для даних
error-storage-full-detail = У бази даних сервера закінчилося місце на диску, тому нічого не збережено. Спробуйте пізніше; адміністраторів повідомлено.
error-field-unknown = Такого поля в запиті немає. Перевірте його назву в документації API.
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
field-password-long = Пароль може мати не більше 256 символів.
field-role-unknown = Виберіть ролі зі списку.
field-role-own-admin = Ви не можете забрати в себе роль адміністратора.
field-active-self = Ви не можете вимкнути власний обліковий запис.
field-token-name = Назва токена
field-token-name-invalid = Введіть назву токена (до 100 символів).
field-expires-days = Дійсний (днів)
field-expires-days-hint = Залиште порожнім, щоб токен не втрачав чинності. Щонайбільше 3650 днів.
field-expires-days-invalid = Введіть кількість днів від 1 до 3650 або залиште поле порожнім.
field-token-own-only = Токен можна видати лише собі. Токен для іншого службовця видає адміністратор сервера командою «hejnal token create».

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
dashboard-panel = Склад панелі мешканців за районами, віком, мовами та згодами.
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
tokens-own-only = Токен діятиме від вашого імені ({ $name }), з вашими ролями.

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

## Resident panel
audit-action-notice_published = опубліковано інформацію про дані
audit-action-resident_erased = видалення даних мешканця
audit-action-resident_exported = експорт даних мешканця
audit-action-alert_drafted = підготовка повідомлення
audit-action-alert_approved = затвердження повідомлення
audit-action-alert_sent = надсилання повідомлення
audit-action-alert_updated = оновлення повідомлення
audit-action-alert_cancelled = скасування повідомлення
audit-action-cap_imported = імпорт повідомлення CAP
audit-action-survey_created = створення опитування
audit-action-survey_revised = виправлення опитування
audit-action-survey_launched = запуск опитування
audit-action-survey_published = публікація результатів
audit-action-survey_text_reviewed = перевірка текстової відповіді
audit-action-residents_imported = імпорт мешканців
channel-email = E-mail
channel-push = Web push-сповіщення
channel-sms = SMS
code-button = Підтвердити код
code-lead = Введіть номер телефону та 6-значний код із SMS. Код дійсний 10 хвилин.
erase-button = Видалити мої дані
erase-confirm = Я розумію, що видалення не можна скасувати.
erase-kept = Ми збережемо лише реєстр ваших згод з ідентифікаційним номером, без контактних даних, як доказ, якого вимагає закон.
erase-lead = Ми видалимо ваші контактні дані, профіль, підписки на сповіщення та сесії. Повідомлення в черзі не будуть надіслані.
erase-title = Видалити мої дані
erased-text = Ваші дані видалено. Дякуємо за участь у панелі.
erased-title = Дані видалено
field-age-band = Віковий діапазон (необов'язково)
field-age-band-hint = Допомагає перевірити, чи панель відображає мешканців.
field-age-band-none = Не хочу вказувати
field-age-band-unknown = Виберіть віковий діапазон зі списку.
field-choose = Виберіть…
field-code = Код з SMS
field-code-format = Код має 6 цифр. Введіть його без пробілів.
field-code-hint = 6 цифр, наприклад 123456.
field-code-wrong = Цей код не діє. Перевірте SMS і введіть його ще раз. Код дійсний 10 хвилин і дозволяє п'ять спроб; після цього попросіть новий.
field-consent-email-needs-email = Ви обрали повідомлення e-mail: вкажіть адресу e-mail або зніміть позначку e-mail у згодах.
field-consent-required = Позначте щонайменше одну згоду, наприклад екстрені сповіщення через SMS.
field-consent-sms-needs-phone = Ви обрали SMS: вкажіть номер мобільного телефону або зніміть позначку SMS у згодах.
field-consent-unknown = Невідома мета або канал згоди. Виберіть зі списку.
field-contact = E-mail або номер телефону
field-contact-invalid = Введіть адресу e-mail (напр. ala@example.org) або номер мобільного (напр. 600 100 200).
field-contact-last = Це ваш єдиний контакт. Додайте інший, перш ніж видаляти цей.
field-contact-required = Вкажіть адресу e-mail або номер мобільного телефону.
field-district-required = Виберіть район, у якому ви живете.
field-district-unknown = Такого району немає. Виберіть район зі списку.
field-district-repeated = Район указано більше одного разу. Виберіть кожен район один раз.
field-erase-confirm = Позначте підтвердження, щоб видалити дані.
field-home-district = Район проживання
field-interest-unknown = Невідома тема. Виберіть теми зі списку.
field-interests = Теми, що вас цікавлять
field-language = Мова повідомлень
field-language-unknown = Виберіть мову: польська, англійська або українська.
field-notice-text = Текст має містити щонайменше 20 символів.
field-other-districts = Інші райони, що вас цікавлять
field-other-districts-hint = Наприклад, де ви працюєте або живе родина.
field-phone = Мобільний телефон
field-phone-hint = Напр. 600 100 200; номери поза Польщею з кодом країни, напр. +380…
field-phone-invalid = Це неправильний номер телефону. Введіть напр. 600 100 200 або +380 67 123 4567.
field-push-invalid = Підписка на сповіщення неповна.
field-survey-limit = Введіть число від 0 до 2.
field-survey-limit-hint = Не більше стількох запрошень до опитувань на місяць (0–2).
field-survey-limit-label = Запрошень до опитувань на місяць
import-button = Імпортувати
import-csv = Дані CSV
import-done = Імпортовано: { $imported }; пропущено вже зареєстрованих: { $skipped }.
import-empty = Вставте щонайменше один рядок CSV.
import-lead = Вставте CSV із правовою підставою в кожному рядку; згоди записуються як імпорт. Файл із помилковим рядком нікого не імпортує.
import-line = Рядок { $line }
import-row-basis = бракує правової підстави
import-row-columns = рядок має містити 6 стовпців
import-row-errors = Виправте ці рядки
import-title = Імпорт мешканців
interest-city_budget = Міський бюджет
interest-culture_events = Культура та події
interest-education = Освіта
interest-environment_air = Довкілля та повітря
interest-housing = Житло
interest-roads_works = Дороги та ремонти
interest-safety = Безпека
interest-social_services = Соціальні послуги
interest-transport = Транспорт
interest-water_utilities = Вода та комунальні послуги
join-already = Вже в панелі? Увійдіть.
join-button = Приєднатися до панелі
join-consents-heading = Ваші згоди
join-consents-hint = Кожна згода окрема й добровільна. Нічого не позначено за вас; змінити їх можна будь-коли.
join-contact-heading = Як з вами зв'язатися
join-contact-hint = Вкажіть e-mail, номер мобільного або обидва.
join-lead = Приєднуйтеся до панелі мешканців Кракова: відповідайте на опитування й отримуйте сповіщення там, де вам зручно.
join-privacy-link = Прочитайте інформацію про захист даних
join-profile-heading = Про вас
join-sent-code-link = У мене є код з SMS
join-sent-text = Перевірте e-mail і телефон: ми надіслали посилання або код підтвердження.
join-sent-title = Перевірте e-mail або телефон
join-title = Приєднатися до панелі
me-add-contact = Додати e-mail або номер телефону
me-add-contact-button = Додати й підтвердити
me-channel = Канал
me-consent-granted = Згоду надано
me-consent-none = Згоди немає
me-consents-caption = Згоди за метою та каналом
me-consents-heading = Мої згоди
me-consents-hint = Одне клацання надає або відкликає згоду. Кожна зміна записується.
me-contact-unverified = не підтверджено
me-contact-verified = підтверджено
me-contacts-heading = Мої контактні дані
me-done-consent = Зміну згоди збережено.
me-done-contact = Якщо цей контакт можна додати, ми надіслали на нього повідомлення для підтвердження.
me-done-notice = Дякуємо, що ознайомилися з інформацією.
me-done-profile = Профіль збережено.
me-done-removed = Контакт видалено.
me-export = Завантажити мої дані
me-grant = Надати згоду
me-history-at = Коли
me-history-caption = Кожне надання й відкликання згоди, від найновіших
me-history-change = Зміна
me-history-granted = надано
me-history-heading = Історія згод
me-history-method = Спосіб
me-history-notice = Версія інформації
me-history-withdrawn = відкликано
me-logout = Вийти
me-profile-heading = Мій профіль
me-purpose = Мета
me-remove = Видалити
me-review-button = Я ознайомився
me-review-heading = Нова версія інформації про дані
me-review-link = Прочитати інформацію
me-review-text = Ми опублікували версію { $version } інформації про захист даних. Перегляньте її та свої згоди.
me-save = Зберегти профіль
me-title = Моя панель
me-withdraw = Відкликати
method-admin = службовець на запит
method-api = API
method-import = імпорт
method-unsubscribe = відписка одним клацанням
method-web = форма на сайті
msg-signin-email = Щоб увійти до панелі hejnał, відкрийте це посилання (дійсне 30 хвилин): { $link }
    Якщо це були не ви, проігноруйте це повідомлення.
msg-signin-sms = hejnal: код входу { $code } (дійсний 10 хв).
msg-signin-subject = Вхід до панелі hejnał
msg-verify-email = Підтвердьте свою адресу в панелі мешканців hejnał, відкривши це посилання (дійсне 48 годин): { $link }
    Якщо це були не ви, проігноруйте це повідомлення — нічого не буде збережено.
msg-verify-sms = hejnal: код підтвердження { $code } (дійсний 10 хв).
msg-verify-subject = Підтвердьте адресу e-mail — hejnał
nav-me = Моя панель
nav-panel = Панель мешканців
nav-resident-area = Розділ мешканця
notice-admin-button = Опублікувати нову версію
notice-admin-published = Опубліковано версію { $version }. Мешканців попросять ознайомитися з нею.
notice-admin-text-en = Текст англійською
notice-admin-text-pl = Текст польською
notice-admin-text-uk = Текст українською
notice-admin-title = Інформація про захист даних
panel-breakdowns-heading = Склад панелі
panel-chart-desc = Для кожного району верхній стовпчик — частка в панелі, нижній — частка в населенні. Ті самі числа є в таблиці поруч.
panel-chart-title = Частка районів у панелі та в населенні міста
panel-day = День
panel-district = Район
panel-districts-caption = Мешканці панелі за районами
panel-districts-heading = Панель і населення районів
panel-json-link = Ті самі числа в JSON
panel-no-contacts = Ці дані ніколи не показують контактів.
panel-none = Даних немає.
panel-not-given = не вказано
panel-population-share = Частка в населенні
panel-residents = Мешканці
panel-share = Частка в панелі
panel-signups-caption = Підтверджені заявки за днями
panel-signups-heading = Заявки з часом
panel-title = Панель мешканців
panel-verified = Підтверджені мешканці в панелі: { $count }
privacy-join-link = Приєднатися до панелі
privacy-title = Захист даних
privacy-version = Версія { $version }, опублікована { $date }
purpose-emergency_alerts = Екстрені сповіщення
purpose-emergency_alerts-text = Попередження про небезпеку: повені, смог, аварії, події, що потребують дій.
purpose-profile_demographics = Демографічні дані профілю
purpose-profile_demographics-text = Згода на використання вікового діапазону й районів у статистиці панелі.
purpose-service_announcements = Повідомлення про міські послуги
purpose-service_announcements-text = Ускладнення руху, ремонти, перерви у водопостачанні, зміни в послугах.
purpose-surveys = Опитування та консультації
purpose-surveys-text = Запрошення до міських опитувань, не більше, ніж ви встановите на місяць.
push-action = Дія
push-added = Додано
push-device = Пристрій
push-devices = Мої пристрої
push-devices-caption = Пристрої, що отримують сповіщення
push-enable = Увімкнути сповіщення на цьому пристрої
push-failed = Не вдалося увімкнути сповіщення.
push-lead = Web push-сповіщення надходять у браузер, без e-mail і SMS.
push-none = Пристроїв немає.
push-ready = Цей браузер може отримувати сповіщення.
push-service = Служба сповіщень
push-title = Web push-сповіщення
push-unsupported = Цей браузер не підтримує web push-сповіщення.
request-contacts = Кількість контактів: { $count }
request-created = Приєднався: { $date }
request-erase = Видалити дані мешканця
request-erased = Дані мешканця видалено; реєстр згод залишився.
request-export = Завантажити дані (JSON)
request-find = Знайти
request-id = Номер мешканця
request-is-erased = Дані видалено
request-lead = Знайдіть мешканця за номером, щоб видати його дані (ст. 15) або видалити їх (ст. 17).
request-not-found = Мешканця з таким номером немає.
request-resident = Мешканець № { $id }
request-title = Запит суб'єкта даних
signin-button = Надіслати посилання або код
signin-code-title = Введіть код входу
signin-expired = Сесія завершилася. Увійдіть ще раз.
signin-join-link = Ще не в панелі? Приєднайтеся.
signin-lead = Без пароля: ми надішлемо посилання на підтверджений e-mail або код SMS на підтверджений номер.
signin-sent-email = Якщо ця адреса є в панелі й підтверджена, ми надіслали на неї посилання для входу.
signin-sent-title = Перевірте пошту
signin-title = Вхід для мешканця
unsubscribe-button = Відписати мене
unsubscribe-done-text = Згоду відкликано. Ви можете надати її знову у своїй панелі.
unsubscribe-done-title = Відписано
unsubscribe-invalid = Це посилання для відписки недійсне.
unsubscribe-lead = Ви перестанете отримувати ці повідомлення цим каналом:
unsubscribe-title = Відписатися
verified-signin-link = Увійти до панелі
verified-text = Дякуємо! Контакт підтверджено.
verified-title = Підтверджено
verify-code-title = Підтвердьте номер телефону
verify-failed-title = Посилання не працює
verify-link-expired = Термін дії посилання минув. Попросіть нове, увійшовши або приєднавшись знову.
verify-link-unknown = Це посилання недійсне. Перевірте, чи скопійовано його повністю.
verify-link-used = Це посилання вже використано. Кожне посилання працює лише раз.
link-not-you = Якщо ви цього не просили, закрийте цю сторінку: нічого не станеться, доки ви не натиснете кнопку.
link-signin-button = Увійти
link-signin-text = Ця кнопка виконає вхід до облікового запису в панелі для { $contact }.
link-signin-title = Вхід до панелі мешканців
link-verify-button = Підтвердити й увійти
link-verify-text = Ця кнопка підтвердить адресу { $contact } і виконає вхід до панелі.
link-verify-title = Підтвердьте адресу електронної пошти
field-test-group = Я хочу отримувати тестові й навчальні повідомлення
field-test-group-hint = Місто перевіряє ними систему попереджень; кожне чітко позначене як тест або навчання.

me-home-point-heading = Моя точка проживання для попереджень (необов’язково)
me-home-point-hint = Коли місто попереджає територію, накреслену на карті (наприклад, коло навколо витоку газу), мешканці, чия точка всередині, отримають попередження, навіть якщо територія лише зачіпає їхній район. Вкажіть широту й довготу, наприклад 50.0614, 19.9366. Ми зберігаємо її з точністю приблизно до 10 метрів, використовуємо лише для попереджень, і ви можете будь-коли її видалити.
field-home-point = Широта, довгота
field-home-point-invalid = Вкажіть точку як широту, довготу, наприклад 50.0614, 19.9366.
me-home-point-share = Поділитися моєю точкою
me-home-point-remove = Видалити мою точку
me-home-point-locate = Використати моє поточне місцезнаходження
me-home-point-locate-failed = Браузер не зміг визначити місцезнаходження; введіть його, будь ласка.
me-done-home-point = Вашу точку проживання збережено.
me-done-home-point-removed = Вашу точку проживання видалено.

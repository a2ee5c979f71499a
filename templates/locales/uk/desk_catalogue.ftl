# Сторінки каталогу для адміністраторів: проблеми й підрозділи, додавання, зміна та виведення проблеми, підрозділи в районах.

nav-desk-catalogue = Каталог
desk-catalogue-title = Каталог проблем
desk-catalogue-intro = Види проблем, про які мешканці можуть повідомити, підрозділ, що займається кожною з них, і звичайний строк. Зміни одразу діють для нових звернень. Виведену проблему більше не пропонують; її звернення й далі можна прочитати.
desk-catalogue-services-caption = Види проблем
desk-catalogue-units-caption = Міські підрозділи
desk-catalogue-code = Код
desk-catalogue-code-hint = Великі латинські літери, цифри й дефіси, на початку літера (наприклад BENCH-BROKEN). Його бачать застосунки; згодом його не можна змінити.
desk-catalogue-names = Назви (польською, англійською, українською)
desk-catalogue-target-days = Цільова кількість робочих днів
desk-catalogue-target-days-hint = Ціле число від 1 до 365 (з понеділка по п’ятницю).
desk-catalogue-keywords = Слова для пошуку
desk-catalogue-keywords-hint = Слова, якими можуть скористатися мешканці, через пробіл або кому.
desk-catalogue-hint = Що варто вказати
desk-catalogue-status = Стан
desk-catalogue-active = Пропонується
desk-catalogue-retired = Виведено
desk-catalogue-routes-count = { $count ->
    [one] інший підрозділ в { $count } районі
   *[other] інший підрозділ в { $count } районах
}
desk-catalogue-new-title = Додати вид проблеми
desk-catalogue-edit-title = Змінити вид проблеми
desk-catalogue-edit-heading = Зміна виду проблеми { $code }
desk-catalogue-saved = Збережено. Нові звернення використовують ці налаштування.
desk-catalogue-retired-notice = Цей вид проблеми виведено: мешканцям і застосункам його не пропонують.
desk-catalogue-texts-pl = Польською
desk-catalogue-texts-en = Англійською
desk-catalogue-texts-uk = Українською
desk-catalogue-name = Назва
desk-catalogue-unit = Відповідальний підрозділ
desk-catalogue-unit-hint = Опрацьовує звернення, крім районів, наведених нижче.
desk-catalogue-type-boolean = Так або ні
desk-catalogue-type-string = Текст
desk-catalogue-type-number = Число
desk-catalogue-questions-heading = Додаткові запитання
desk-catalogue-questions-intro = Їх ставлять у формі звернення. Заповніть порожнє запитання, щоб додати нове; позначте «Вилучити», щоб прибрати.
desk-catalogue-question = Запитання { $n }
desk-catalogue-question-new = Нове запитання
desk-catalogue-question-code = Код
desk-catalogue-question-code-hint = Малі латинські літери, цифри й підкреслення, на початку літера (наприклад road_blocked).
desk-catalogue-question-type = Вид відповіді
desk-catalogue-question-required = Відповідь обов’язкова
desk-catalogue-question-label-pl = Запитання польською
desk-catalogue-question-label-en = Запитання англійською
desk-catalogue-question-label-uk = Запитання українською
desk-catalogue-remove-question = Вилучити це запитання
desk-catalogue-routes-heading = Інший підрозділ у деяких районах
desk-catalogue-routes-intro = Звернення з місця в одному з цих районів потрапляє до вказаного тут підрозділу замість відповідального. Заповніть порожній рядок, щоб додати правило; позначте «Вилучити», щоб прибрати.
desk-catalogue-route = Правило для району { $n }
desk-catalogue-route-new = Нове правило для району
desk-catalogue-route-district = Район
desk-catalogue-route-unit = Підрозділ у цьому районі
desk-catalogue-remove-route = Вилучити це правило
desk-catalogue-add-button = Додати вид проблеми
desk-catalogue-save-button = Зберегти зміни
desk-catalogue-retire-heading = Виведення
desk-catalogue-retire-text = Мешканцям і застосункам більше не пропонуватимуть цей вид проблеми. Його звернення залишаться без змін; згодом його можна повернути.
desk-catalogue-retire-button = Вивести цей вид проблеми
desk-catalogue-reinstate-heading = Повернення
desk-catalogue-reinstate-text = Знову пропонувати цей вид проблеми мешканцям і застосункам.
desk-catalogue-reinstate-button = Повернути цей вид проблеми

desk-catalogue-error-code = Укажіть код із великих латинських літер, цифр і дефісів, що починається з літери, щонайбільше { $max } символів.
desk-catalogue-error-code-taken = Цей код уже є в каталозі (можливо, виведений). Виберіть інший.
desk-catalogue-error-text-missing = { $lang ->
    [pl] Напишіть польською.
    [en] Напишіть англійською.
   *[uk] Напишіть українською.
}
desk-catalogue-error-text-long = Щонайбільше { $max } символів.
desk-catalogue-error-unit = Виберіть підрозділ зі списку.
desk-catalogue-error-target-days = Укажіть ціле число робочих днів від { $min } до { $max }.
desk-catalogue-error-attributes-many = Щонайбільше { $max } запитань.
desk-catalogue-error-attribute-code = Укажіть код із малих латинських літер, цифр і підкреслень, що починається з літери.
desk-catalogue-error-attribute-twice = Інше запитання вже має цей код.
desk-catalogue-error-attribute-type = Виберіть вид відповіді: так або ні, текст чи число.
desk-catalogue-error-route-district = Виберіть район зі списку.
desk-catalogue-error-route-twice = Для цього району вже є правило.
desk-catalogue-error-active = Укажіть, вивести чи повернути.
desk-catalogue-refused-not-admin = Каталог змінюють лише адміністратори.
desk-error-service-retired = Про цю проблему тут більше не повідомляють. Виберіть іншу зі списку.

audit-action-desk_service_created = додано вид проблеми
audit-action-desk_service_changed = змінено вид проблеми
audit-action-desk_service_retired = виведено вид проблеми
audit-action-desk_service_reinstated = повернуто вид проблеми

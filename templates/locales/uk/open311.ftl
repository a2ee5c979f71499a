# Open311 GeoReport v2 (/open311/v2/) і ключі API застосунків.

open311-contact = На запитання розробників застосунків про це API відповідає Міський контактний центр Кракова.
open311-key-service = Ключі API видають адміністратори міста ({ $url }); попросіть ключ у Міському контактному центрі.
open311-service-notice = Цим займається { $unit }, зазвичай протягом { $days ->
    [one] { $days } робочого дня
   *[other] { $days } робочих днів
}.
open311-value-yes = Так
open311-value-no = Ні
open311-datatype-number = Число, напр. 3 або 2,5.

open311-key-missing = Щоб подати звернення, потрібен api_key.
open311-key-unknown = Такий api_key нам невідомий. Перевірте, чи його скопійовано повністю.
open311-key-revoked = Цей api_key відкликано; попросіть у міста новий.
open311-key-name-invalid = Вкажіть назву застосунку, щонайбільше 100 символів.
open311-error-id = service_request_id — це номери звернень, розділені комами.
open311-error-too-many-ids = Щонайбільше { $max } значень service_request_id за раз.
open311-error-date = Вкажіть дату й час у форматі W3C, напр. 2026-11-05T13:15:30Z або 2026-11-05T14:15:30+01:00, або лише дату, напр. 2026-11-05.
open311-error-date-order = end_date раніша за start_date.
open311-error-date-span = Між start_date і end_date може бути щонайбільше { $days } днів.
open311-error-status = status — це open, closed або обидва (open,closed).
open311-error-not-found = Тут немає такого звернення, послуги чи методу.
open311-error-format = Вкажіть формат наприкінці шляху: .json або .xml (напр. /open311/v2/services.json).
open311-error-too-many = Цей api_key надіслав забагато запитів; спробуйте ще раз через { $seconds } с.
open311-error-media-url = media_url не приймається: ми не завантажуємо фото з інших серверів. Надішліть звернення без нього.
open311-error-content-type = Надішліть параметри як application/x-www-form-urlencoded.
open311-error-too-large = Запит завеликий.
open311-error-internal = Щось пішло не так з нашого боку; нічого не подано. Спробуйте за хвилину.

open311-keys-title = Ключі API Open311
open311-keys-intro = Застосунки, що подають звернення через Open311 (/open311/v2/), надсилають один із цих ключів як api_key. Кожен ключ може зробити обмежену кількість запитів на хвилину; відкликання ключа одразу зупиняє його застосунок.
open311-keys-created = Новий ключ — скопіюйте його зараз і передайте розробникам застосунку; його більше не буде показано:
open311-keys-list-caption = Видані ключі
open311-keys-name = Застосунок
open311-keys-name-hint = Для кого ключ, напр. назва застосунку та його розробник.
open311-keys-created-at = Видано
open311-keys-last-used = Востаннє використано
open311-keys-status = Стан
open311-keys-never = ніколи
open311-keys-revoked = відкликано
open311-keys-revoke = Відкликати
open311-keys-none = Ще не видано жодного ключа.
open311-keys-add = Видати ключ
open311-keys-add-button = Видати ключ

audit-action-api_key_created = видача ключа API Open311
audit-action-api_key_revoked = відкликання ключа API Open311

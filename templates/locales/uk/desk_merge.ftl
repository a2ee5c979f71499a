# Об'єднання дублікатів і фільтри списку звернень (desk_merge).

desk-state-merged = Розглядається разом з іншим зверненням
desk-merge-heading = Об'єднати з іншим зверненням
desk-merge-hint = Якщо це звернення стосується тієї самої проблеми, що й інше відкрите звернення, об'єднайте їх: це звернення буде закрито, а автор і ті, хто стежить, стежитимуть за тим зверненням і отримають про це одне повідомлення.
desk-merge-into-label = Номер звернення, з яким об'єднати
desk-merge-public-note-label = Повідомлення для мешканців
desk-merge-internal-note-label = Внутрішня примітка
desk-merge-button = Об'єднати
desk-merge-refused-not-dispatcher = Звернення об'єднує лише диспетчер.
desk-merge-refused-closed = Це звернення закрито, тому його не можна об'єднати.
desk-merge-error-into-number = Вкажіть номер звернення, з яким об'єднати, наприклад 42.
desk-merge-error-into-self = Звернення не можна об'єднати з ним самим. Вкажіть номер іншого звернення.
desk-merge-error-into-unknown = Звернення № { $id } не існує. Перевірте номер.
desk-merge-error-into-closed = Звернення № { $id } закрито: об'єднувати можна лише з відкритим зверненням.
desk-merge-error-into-merged = Звернення № { $id } уже розглядається разом зі зверненням № { $next }: об'єднайте з № { $next }.
desk-merged-into = Розглядається разом зі зверненням № { $id }
audit-action-desk_merge = об'єднання звернення з іншим
report-msg-subject-merged = Ваше звернення № { $id } тепер розглядається як звернення № { $into }
report-msg-merged = Ваше звернення № { $id } стосується тієї самої проблеми, що й звернення № { $into }, тому місто розглядає їх разом. Ви отримуватимете повідомлення про кожен крок звернення № { $into }.
report-msg-merged-sms = Krakow: ваше звернення № { $id } тепер розглядається разом із № { $into }.

desk-worklist-state-open = Відкриті (не закриті)
desk-worklist-filter-unit = Підрозділ
desk-worklist-filter-overdue = Лише прострочені
desk-worklist-sort = Порядок
desk-worklist-sort-newest = Від найновіших
desk-worklist-sort-oldest = Від найстаріших
desk-worklist-sort-due = За терміном, від найближчого
desk-worklist-error-unit = Такого підрозділу немає серед тих, які ви бачите. Виберіть один зі списку.
desk-worklist-error-overdue = Позначте поле або залиште його порожнім.
desk-worklist-error-sort = Такого порядку немає. Виберіть один зі списку.

# Публічна частина бюро звернень: список звернень, сторінка звернення, публікація диспетчером, статистика.

desk-public-title = Повідомлені проблеми
desk-public-intro = Проблеми, про які мешканці повідомили місту, і як кожну вирішують. Нічиїх контактних даних не показуємо; опис чи фото — лише після схвалення містом і якщо мешканець на це погодився.
desk-public-filter-heading = Показати лише
desk-public-any = будь-які
desk-public-filter-button = Показати
desk-public-col-district = Район
desk-public-col-place = Місце
desk-public-col-note = Остання примітка від міста
desk-public-col-updated = Остання зміна
desk-public-caption = Повідомлені проблеми, від найновіших
desk-public-count = { $total ->
    [one] { $total } звернення
    [few] { $total } звернення
   *[other] { $total } звернень
  }, сторінка { $page } з { $pages }.
desk-public-empty = Жодне звернення не відповідає цьому вибору.
desk-public-past-end = На цій сторінці нічого немає: остання сторінка — { $pages }.
desk-public-pages = Сторінки звернень
desk-public-prev = Попередня сторінка
desk-public-next = Наступна сторінка
desk-public-map-title = Мапа звернень з цієї сторінки
desk-public-map-desc = На мапі районів позначено звернень: { $count }. Кожне є в таблиці.
desk-public-map-caption = Кожна точка — звернення з таблиці нижче.
desk-public-mark = № { $id }: { $service } — { $state }
desk-public-report-title = Повідомлена проблема
desk-public-report-heading = Повідомлена проблема № { $id }
desk-public-photo-alt = Фото { $n }, надіслане зі зверненням
desk-public-passed = Передано до: { $unit }
desk-public-because = , тому що: { $note }
desk-public-error-service = Такого виду проблеми немає. Виберіть зі списку.
desk-public-error-district = Такого району немає. Виберіть зі списку.
desk-public-error-state = Такого стану немає. Виберіть зі списку.
desk-public-error-page = Номер сторінки має бути цілим числом від 1.
desk-public-moderation-heading = Публікація
desk-public-moderation-hint = Мешканець погодився на публікацію. Позначте, що можна показати на публічній сторінці: не має бути видно нічого особистого (імен, телефонів, номерних знаків, облич).
desk-public-moderation-description = Опублікувати опис
desk-public-moderation-photo = Опублікувати фото { $n }
desk-public-moderation-button = Зберегти публікацію
desk-public-moderation-not-allowed = Мешканець не погодився на публікацію: опис і фото залишаються всередині.
desk-public-refused-not-dispatcher = Що зі звернення публікується, вирішує лише диспетчер.
desk-public-refused-not-allowed = Мешканець не погодився на публікацію цього звернення, тому нічого з нього не можна опублікувати.
desk-public-error-photo-unknown = У цього звернення немає фото з таким номером.
audit-action-desk_publication = рішення про публікацію звернення

desk-stats-title = Статистика звернень
desk-stats-intro = Скільки звернень кожен підрозділ і кожен вид проблеми отримав і вирішив, медіана часу вирішення і частка вирішених вчасно. Ті самі числа як дані:
desk-stats-empty = Ще не отримано жодного звернення.
desk-stats-by-unit = За підрозділами
desk-stats-by-service = За видами проблем
desk-stats-chart-received = Отримані звернення — { $group }
desk-stats-chart-resolved = Вирішені звернення — { $group }
desk-stats-chart-median = Медіана днів до вирішення — { $group }
desk-stats-chart-ontime = Частка вирішених вчасно — { $group }
desk-stats-days = { $days } дн.
desk-stats-table-caption = Числа, { $group }
desk-stats-col-name = Назва
desk-stats-col-received = Отримано
desk-stats-col-resolved = Вирішено
desk-stats-col-median = Медіана часу вирішення
desk-stats-col-ontime = Вирішено вчасно

desk-open-data-heading = Повідомлені проблеми
desk-open-data-intro = Кожна проблема, про яку повідомили місту, і як її вирішують, без персональних даних: без контактів, без внутрішніх приміток, опис лише якщо опублікований, місця як їх вказали. З даних поточного дня; ліцензія CC BY 4.0.
desk-open-data-csvw = метадані CSVW

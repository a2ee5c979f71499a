# Пункт звернень: повідомлення про проблему та обробка звернень.

role-dispatcher = Диспетчер
role-dispatcher-text = бачить кожне звернення мешканців і скеровує його до потрібного підрозділу

nav-reports = Звернення
nav-desk-staff = Працівники підрозділів

desk-report-title = Повідомити про проблему
desk-report-intro = Опишіть проблему кількома словами: ми підкажемо, який підрозділ міста нею займається і скільки це зазвичай триває. Потім ви можете надіслати звернення тут.
desk-search-label = У чому проблема?
desk-search-hint = Наприклад: впало дерево, вибоїна, не світить ліхтар.
desk-search-button = Знайти, хто цим займається
desk-results-heading = Хто цим займається
desk-results-none = У каталозі нічого не відповідає цим словам. Спробуйте інші слова або виберіть зі списку всіх проблем.
desk-handled-by = Займається: { $unit }
desk-target-days = { $days ->
    [one] зазвичай протягом { $days } робочого дня
   *[other] зазвичай протягом { $days } робочих днів
}
desk-report-this = Повідомити: { $service }
desk-all-services = Усі проблеми, про які можна повідомити
desk-other-service = Вибрати іншу проблему
desk-description-label = Опис
desk-description-limit = Не більше 4000 символів.
desk-coordinates-label = Місце (широта, довгота)
desk-coordinates-hint = Два числа через кому, наприклад 50.0614, 19.9366 (їх можна скопіювати з додатка з картою).
desk-point-locate = Використати моє поточне місцезнаходження
desk-point-locate-failed = Браузер не зміг визначити місцезнаходження; введіть його або виберіть на карті.
desk-point-map-title = Карта для вибору місця
desk-point-map-role = карта
desk-point-map-desc = Райони Кракова. Натисніть або торкніться місця проблеми чи перейдіть до карти й пересувайте точку клавішами зі стрілками.
desk-point-help = Місце можна також вибрати на карті: натисніть або торкніться його чи перейдіть до карти клавішею Tab і користуйтеся стрілками (точка зсувається приблизно на 50 м, із клавішею Shift — приблизно на 500 м). Вибране місце з’являється в полі координат вище.
desk-point-status = Вибране місце: %s
desk-address-label = Адреса або орієнтир (необов'язково)
desk-required = (обов'язково)
desk-yes = Так
desk-no = Ні
desk-photo-label = Фото (необов'язково, не більше 3)
desk-photo-hint = JPEG, PNG або WebP, кожне не більше 10 МБ. Перед збереженням ми видаляємо з них місцезнаходження та дані камери.
desk-contact-legend = Хочете дізнатися, чим усе закінчиться?
desk-contact-hint = Адреса електронної пошти або номер телефону використовуються лише для новин про це звернення.
desk-contact-none = Ні, повідомляю анонімно
desk-contact-email = Так, електронною поштою
desk-email-label = Адреса електронної пошти
desk-contact-phone = Так, SMS-повідомленням
desk-phone-label = Номер телефону
desk-public-label = Опис і фото можна опублікувати після схвалення містом
desk-submit = Надіслати звернення

desk-filed-title = Звернення прийнято
desk-filed-text = Дякуємо. Ваше звернення має номер { $id }.
desk-filed-duplicate = Це звернення вже прийнято щойно під номером { $id }. Повторно його не зареєстровано.
desk-filed-contact = Ми напишемо вам, коли стан звернення зміниться. (Підтвердження адреси та надсилання новин ще не ввімкнено.)
desk-filed-another = Повідомити про іншу проблему

desk-worklist-title = Звернення мешканців
desk-worklist-dispatcher = Як диспетчер ви бачите всі звернення.
desk-worklist-units = Звернення ваших підрозділів:
desk-worklist-no-unit = Вас не призначено до жодного підрозділу і ви не диспетчер, тому звернень для вас немає. Підрозділи призначає адміністратор.
desk-worklist-empty = Звернень немає.
desk-col-id = Номер
desk-col-service = Проблема
desk-col-unit = Підрозділ
desk-col-state = Стан
desk-col-filed = Прийнято
desk-col-due = Строк
desk-overdue = Прострочено
desk-state-new = Нове
desk-state-acknowledged = Взято до відома
desk-state-in_progress = Виконується
desk-state-resolved = Вирішено
desk-state-rejected = Відхилено
desk-state-transferred = Передано іншому підрозділу

desk-report-staff-title = Звернення
desk-report-staff-heading = Звернення { $id }
desk-photo-link = Фото { $n }
desk-history-heading = Історія
desk-public-note-label = Повідомлення для мешканця
desk-public-note-hint = Обов'язкове при відхиленні або передачі: причина.
desk-internal-note-label = Внутрішня примітка
desk-next-heading = Наступний крок
desk-next-state-label = Новий стан
desk-transfer-unit-label = Передати підрозділу (лише при передачі)
desk-next-button = Зберегти зміну

desk-staff-title = Працівники підрозділів
desk-staff-intro = Посадовці, призначені до підрозділу, бачать і обробляють його звернення. Роль диспетчера бачить усі звернення.
desk-staff-save = Зберегти підрозділи: { $name }

desk-error-service-missing = Виберіть, про яку проблему ви повідомляєте.
desk-error-service-unknown = Такої проблеми немає в каталозі. Виберіть зі списку.
desk-error-description-missing = Опишіть проблему.
desk-error-description-long = Опис задовгий: не більше 4000 символів.
desk-error-place-missing = Вкажіть місце як широту й довготу.
desk-error-place-number = Місце — це два числа: широта і довгота, наприклад 50.0614, 19.9366.
desk-error-place-outside = Це місце за межами Кракова. Пункт приймає звернення лише з міста.
desk-error-address-long = Адреса задовга: не більше 200 символів.
desk-error-contact-both = Вкажіть або адресу електронної пошти, або номер телефону, а не обидва.
desk-error-account-contact = Виберіть один із підтверджених контактів свого облікового запису або увійдіть знову.
desk-contact-account = Через { $value } (з мого облікового запису; без підтвердження)
desk-error-email = Ця адреса електронної пошти недійсна.
desk-error-phone = Цей номер телефону недійсний.
desk-error-public = Поле «public» приймає значення true або false.
desk-error-attribute-unknown = Для цієї проблеми немає такого питання.
desk-error-attribute-required = Дайте відповідь на це питання.
desk-error-attribute-value = Ця відповідь не відповідає питанню (так/ні, число або короткий текст).
desk-error-photo-count = Не більше { $max } фото.
desk-error-photo-too-big = Фото { $n } більше за 10 МБ.
desk-error-photo-format = Фото { $n } не є зображенням JPEG, PNG чи WebP.
desk-error-photo-pixels = Фото { $n } має забагато пікселів (не більше 50 мегапікселів).
desk-error-photo-broken = Не вдалося прочитати фото { $n }. Можливо, воно пошкоджене.
desk-error-state-unknown = Невідомий стан. Дозволено: acknowledged, in_progress, resolved, rejected, transferred.
desk-error-note-long = Примітка задовга: не більше { $max } символів.
desk-error-reason-required = Вкажіть причину в повідомленні для мешканця.
desk-error-unit-unknown = Виберіть підрозділ, якому передаєте звернення.
desk-error-unit-same = Звернення вже в цьому підрозділі.
desk-refused-other-unit = Це звернення належить іншому підрозділу; ви можете обробляти лише звернення своїх підрозділів.
desk-refused-transition = Звернення не може перейти в цей стан із поточного (наприклад, вирішене закрите, а взяте до відома не може знову стати новим).
desk-refused-moved = Хтось щойно змінив це звернення. Оновіть його і вирішіть ще раз.
desk-refused-photo = Це фото не опубліковано; його бачать лише ті, хто обробляє звернення.

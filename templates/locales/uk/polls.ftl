# Швидкі опитування.

nav-polls = Опитування
dashboard-polls = Швидкі опитування: одне питання для всіх або лише для учасників панелі.
polls-title = Швидкі опитування
polls-intro = Одне питання, кілька відповідей. Результати опитувань, відкритих для всіх, показують лише думку тих, хто сам вирішив проголосувати.
polls-open = Відкриті опитування
polls-none-open = Зараз немає відкритих опитувань.
polls-panel-hint = Деякі опитування лише для учасників панелі мешканців.
polls-closed = Завершені опитування
polls-none-closed = Ще немає завершених опитувань.
polls-all = Усі опитування
polls-official-title = Опитування
polls-official-caption = Опитування, від найновіших
polls-none = Ще немає жодного опитування.

poll-title = Опитування
poll-official-title = Опитування та його результати
poll-audience-public = для всіх
poll-audience-panel = для учасників панелі
poll-audience-public-long = Усі на сайті міста (один голос з браузера, обмеження на мережеву адресу)
poll-audience-panel-long = Лише учасники панелі мешканців, які увійшли (один голос на особу)
poll-state-upcoming = ще не відкрите
poll-state-open = відкрите
poll-state-closed = завершене
poll-closes = до { $when }
poll-your-answer = Виберіть одну відповідь
poll-vote-button = Проголосувати
poll-public-hint = Ми не записуємо, хто голосував. Браузер лише пам'ятає, що з нього вже проголосували.
poll-panel-only = Це опитування лише для учасників панелі мешканців. Увійдіть, щоб проголосувати.
poll-sign-in = Увійти до панелі
poll-join = Приєднатися до панелі
poll-results-heading = Результати
poll-sample-public = Увага: це не репрезентативне дослідження. Голосували ті, хто сам цього захотів (самовибіркова вибірка), тож результати не показують, що думають усі мешканці.
poll-sample-panel = Голоси учасників панелі, які вирішили відповісти; результати не зважені.
poll-total = { $count ->
    [one] Віддано { $count } голос.
    [few] Віддано { $count } голоси.
   *[many] Віддано { $count } голосів.
}
poll-results-caption = Результати: кількість голосів і частка для кожної відповіді
poll-col-option = Відповідь
poll-col-votes = Голоси
poll-col-percent = Частка
poll-chart-title = Результати опитування: { $question }
poll-results-link = { $count ->
    [one] результати ({ $count } голос)
    [few] результати ({ $count } голоси)
   *[many] результати ({ $count } голосів)
}
poll-voted = Дякуємо, ваш голос зараховано.
poll-upcoming = Опитування відкриється { $when }.
poll-closed = Опитування завершилося { $when }. Голосувати вже не можна.
poll-closed-early = закрите достроково

poll-refused-sign-in = Увійдіть до панелі мешканців, щоб голосувати в цьому опитуванні.
poll-refused-not-open = Це опитування ще не відкрите. Голос не записано.
poll-refused-closed = Це опитування вже завершене. Голос не записано.
poll-refused-invalid = Виберіть одну з відповідей.
poll-refused-voted-panel = Ви вже голосували в цьому опитуванні: ваш попередній голос зараховано, нічого не змінилося.
poll-refused-voted-browser = Голос із цього браузера вже зараховано. Другий голос не записано.
poll-refused-too-many = З вашої мережі в цьому опитуванні вже віддано забагато голосів. Голос не записано; спробуйте пізніше.
poll-refused-already-closed = Це опитування вже було закрите.

poll-error-option-choose = Виберіть одну відповідь.
poll-error-option-unknown = У цьому опитуванні немає такої відповіді. Виберіть одну з наведених.
poll-error-question-pl = Введіть питання польською.
poll-error-question-long = Питання може мати щонайбільше 300 символів.
poll-error-option-pl = Введіть цю відповідь польською (або очистіть увесь рядок).
poll-error-option-long = Відповідь може мати щонайбільше 200 символів.
poll-error-option-duplicate = Ця відповідь повторюється.
poll-error-options-few = Наведіть щонайменше дві відповіді.
poll-error-options-many = Наведіть щонайбільше десять відповідей.
poll-error-audience = Виберіть, хто може голосувати.
poll-error-time = Введіть дату й час, напр. 2026-12-01 12:00.
poll-error-closes-missing = Вкажіть, коли опитування завершується.
poll-error-closes-past = Опитування має завершуватися в майбутньому.
poll-error-closes-before = Опитування має завершуватися пізніше, ніж починається.

poll-new-heading = Нове опитування
poll-col-question = Питання
poll-col-audience = Хто голосує
poll-col-state = Стан
poll-col-opens = Початок
poll-col-closes = Кінець
poll-form-question = Питання
poll-form-in-pl = Польською (обов'язково)
poll-form-in-en = Англійською (необов'язково)
poll-form-in-uk = Українською (необов'язково)
poll-form-options = Відповіді
poll-form-options-hint = Від 2 до 10 відповідей; порожні рядки пропускаються. Без перекладу мешканці побачать польський текст.
poll-form-option = Відповідь { $n }
poll-form-audience = Хто може голосувати
poll-form-opens = Початок (місцевий час)
poll-form-opens-hint = Залиште порожнім, щоб відкрити опитування одразу.
poll-form-closes = Кінець (місцевий час)
poll-form-create = Створити опитування
poll-author = Автор
poll-close-button = Закрити опитування зараз
poll-public-link = Сторінка опитування для мешканців

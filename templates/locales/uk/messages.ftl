# Попередній перегляд усіх повідомлень для мешканців для посадовців (/official/messages).
messages-title = Повідомлення мешканцям
messages-intro = Кожне повідомлення, яке надсилає hejnał, кожною мовою та каналом, із прикладом змісту. Особисті посилання й коди вставляються для кожного мешканця під час надсилання; тут вони показані як поля в подвійних фігурних дужках.
dashboard-messages = Усі повідомлення, які отримують мешканці, кожною мовою та каналом.
messages-subject = Тема
messages-kind-alert = Попередження про небезпеку
messages-kind-alert-update = Оновлення попередження
messages-kind-alert-cancel = Скасування попередження
messages-kind-announcement = Повідомлення про міські послуги
messages-kind-survey-invitation = Запрошення до опитування
messages-kind-survey-reminder = Нагадування про опитування
messages-kind-verify = Підтвердження електронної адреси або номера телефону
messages-kind-signin = Вхід до панелі
messages-sample-headline = Попередження про повінь на Віслі
messages-sample-description = Вісла перевищила тривожний рівень.
messages-sample-instruction = Залиште заплаву.
messages-sample-area = Подгуже, Лаґевники
messages-sample-survey = Велосипеди на Головній площі

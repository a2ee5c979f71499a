# Łączenie duplikatów i filtry listy zgłoszeń (desk_merge).

desk-state-merged = Rozpatrywane razem z innym zgłoszeniem
desk-merge-heading = Połącz z innym zgłoszeniem
desk-merge-hint = Gdy to zgłoszenie dotyczy tego samego problemu co inne otwarte zgłoszenie, połącz je: to zostanie zamknięte, a osoba zgłaszająca i obserwujący będą śledzić tamto i dostaną o tym jedną wiadomość.
desk-merge-into-label = Numer zgłoszenia, z którym połączyć
desk-merge-public-note-label = Informacja dla mieszkańców
desk-merge-internal-note-label = Notatka wewnętrzna
desk-merge-button = Połącz
desk-merge-refused-not-dispatcher = Zgłoszenia łączy tylko dyspozytor.
desk-merge-refused-closed = To zgłoszenie jest zamknięte, więc nie można go połączyć.
desk-merge-error-into-number = Podaj numer zgłoszenia, z którym połączyć, na przykład 42.
desk-merge-error-into-self = Zgłoszenia nie można połączyć z nim samym. Podaj numer innego zgłoszenia.
desk-merge-error-into-unknown = Nie ma zgłoszenia nr { $id }. Sprawdź numer.
desk-merge-error-into-closed = Zgłoszenie nr { $id } jest zamknięte: połączyć można tylko z otwartym zgłoszeniem.
desk-merge-error-into-merged = Zgłoszenie nr { $id } jest już rozpatrywane razem ze zgłoszeniem nr { $next }: połącz z nr { $next }.
desk-merged-into = Rozpatrywane razem ze zgłoszeniem nr { $id }
audit-action-desk_merge = połączenie zgłoszenia z innym
report-msg-subject-merged = Twoje zgłoszenie nr { $id } jest teraz rozpatrywane jako zgłoszenie nr { $into }
report-msg-merged = Twoje zgłoszenie nr { $id } dotyczy tego samego problemu co zgłoszenie nr { $into }, więc miasto rozpatruje je razem. Dostaniesz wiadomość o każdym kroku zgłoszenia nr { $into }.
report-msg-merged-sms = Krakow: Twoje zgłoszenie nr { $id } jest teraz rozpatrywane razem z nr { $into }.

desk-worklist-state-open = Otwarte (niezamknięte)
desk-worklist-filter-unit = Jednostka
desk-worklist-filter-overdue = Tylko po terminie
desk-worklist-sort = Kolejność
desk-worklist-sort-newest = Od najnowszych
desk-worklist-sort-oldest = Od najstarszych
desk-worklist-sort-due = Według terminu, od najbliższego
desk-worklist-error-unit = Nie ma takiej jednostki wśród tych, które widzisz. Wybierz jedną z listy.
desk-worklist-error-overdue = Zaznacz pole albo zostaw je puste.
desk-worklist-error-sort = Nie ma takiej kolejności. Wybierz jedną z listy.

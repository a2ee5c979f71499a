# Szybkie sondy.

nav-polls = Sondy
dashboard-polls = Szybkie sondy: jedno pytanie dla wszystkich albo tylko dla członków panelu.
polls-title = Szybkie sondy
polls-intro = Jedno pytanie, kilka odpowiedzi. Wyniki sond otwartych dla wszystkich pokazują tylko zdanie osób, które same zdecydowały się zagłosować.
polls-open = Otwarte sondy
polls-none-open = Nie ma teraz otwartych sond.
polls-panel-hint = Niektóre sondy są tylko dla członków panelu mieszkańców.
polls-closed = Zakończone sondy
polls-none-closed = Nie ma jeszcze zakończonych sond.
polls-all = Wszystkie sondy
polls-official-title = Sondy
polls-official-caption = Sondy, od najnowszych
polls-none = Nie ma jeszcze żadnych sond.

poll-title = Sonda
poll-official-title = Sonda i jej wyniki
poll-audience-public = dla wszystkich
poll-audience-panel = dla członków panelu
poll-audience-public-long = Wszyscy na stronie miasta (jeden głos z przeglądarki, ograniczenie na adres sieciowy)
poll-audience-panel-long = Tylko zalogowani członkowie panelu mieszkańców (jeden głos na osobę)
poll-state-upcoming = jeszcze nieotwarta
poll-state-open = otwarta
poll-state-closed = zakończona
poll-closes = do { $when }
poll-your-answer = Wybierz jedną odpowiedź
poll-vote-button = Zagłosuj
poll-public-hint = Nie zapisujemy, kto głosował. Przeglądarka zapamięta tylko, że głos z niej został już oddany.
poll-panel-only = Ta sonda jest tylko dla członków panelu mieszkańców. Zaloguj się, aby zagłosować.
poll-sign-in = Zaloguj się do panelu
poll-join = Dołącz do panelu
poll-results-heading = Wyniki
poll-sample-public = Uwaga: to nie jest badanie reprezentatywne. Głosowali ci, którzy sami chcieli (próba samowybierająca się), więc wyniki nie mówią, co myślą wszyscy mieszkańcy.
poll-sample-panel = Głosy członków panelu, którzy zdecydowali się odpowiedzieć; wyniki nie są ważone.
poll-total = { $count ->
    [one] Oddano { $count } głos.
    [few] Oddano { $count } głosy.
   *[many] Oddano { $count } głosów.
}
poll-results-caption = Wyniki: liczba głosów i odsetek dla każdej odpowiedzi
poll-col-option = Odpowiedź
poll-col-votes = Głosy
poll-col-percent = Odsetek
poll-chart-title = Wyniki sondy: { $question }
poll-results-link = { $count ->
    [one] wyniki ({ $count } głos)
    [few] wyniki ({ $count } głosy)
   *[many] wyniki ({ $count } głosów)
}
poll-voted = Dziękujemy, Twój głos został policzony.
poll-upcoming = Sonda zostanie otwarta { $when }.
poll-closed = Sonda zakończyła się { $when }. Nie można już głosować.
poll-closed-early = zamknięta przed czasem

poll-refused-sign-in = Zaloguj się do panelu mieszkańców, aby głosować w tej sondzie.
poll-refused-not-open = Ta sonda nie jest jeszcze otwarta. Głosu nie zapisano.
poll-refused-closed = Ta sonda jest już zakończona. Głosu nie zapisano.
poll-refused-invalid = Wybierz jedną z odpowiedzi.
poll-refused-voted-panel = Twój głos w tej sondzie został już wcześniej policzony. Drugiego głosu nie zapisano, nic się nie zmieniło.
poll-refused-voted-browser = Głos z tej przeglądarki został już policzony. Drugiego głosu nie zapisano.
poll-refused-too-many = Z Twojej sieci oddano już zbyt wiele głosów w tej sondzie. Głosu nie zapisano; spróbuj ponownie później.
poll-refused-already-closed = Ta sonda była już zamknięta.

poll-error-option-choose = Wybierz jedną odpowiedź.
poll-error-option-unknown = Takiej odpowiedzi nie ma w tej sondzie. Wybierz jedną z podanych.
poll-error-question-pl = Wpisz pytanie po polsku.
poll-error-question-long = Pytanie może mieć najwyżej 300 znaków.
poll-error-option-pl = Wpisz tę odpowiedź po polsku (lub wyczyść cały wiersz).
poll-error-option-long = Odpowiedź może mieć najwyżej 200 znaków.
poll-error-option-duplicate = Ta odpowiedź się powtarza.
poll-error-options-few = Podaj co najmniej dwie odpowiedzi.
poll-error-options-many = Podaj najwyżej dziesięć odpowiedzi.
poll-error-audience = Wybierz, kto może głosować.
poll-error-time = Podaj datę i godzinę, np. 2026-12-01 12:00.
poll-error-closes-missing = Podaj, kiedy sonda się kończy.
poll-error-closes-past = Koniec sondy musi być w przyszłości.
poll-error-closes-before = Koniec sondy musi być później niż jej początek.

poll-new-heading = Nowa sonda
poll-col-question = Pytanie
poll-col-audience = Kto głosuje
poll-col-state = Stan
poll-col-opens = Początek
poll-col-closes = Koniec
poll-form-question = Pytanie
poll-form-in-pl = Po polsku (wymagane)
poll-form-in-en = Po angielsku (opcjonalnie)
poll-form-in-uk = Po ukraińsku (opcjonalnie)
poll-form-options = Odpowiedzi
poll-form-options-hint = Od 2 do 10 odpowiedzi; puste wiersze są pomijane. Bez tłumaczenia mieszkańcy zobaczą tekst polski.
poll-form-option = Odpowiedź { $n }
poll-form-audience = Kto może głosować
poll-form-opens = Początek (czas lokalny)
poll-form-opens-hint = Puste pole: sonda otwiera się od razu.
poll-form-closes = Koniec (czas lokalny)
poll-form-create = Utwórz sondę
poll-author = Autor
poll-close-button = Zamknij sondę teraz
poll-public-link = Strona sondy dla mieszkańców

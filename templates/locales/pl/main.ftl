## Site chrome
site-name = hejnał · Kraków
skip-to-content = Przejdź do treści
nav-languages = Język
lang-pl = Polski
lang-en = English
lang-uk = Українська
nav-officials-area = Strefa urzędnika
nav-dashboard = Pulpit
nav-officials = Urzędnicy
nav-tokens = Tokeny API
nav-audit = Dziennik zdarzeń
nav-api = Dokumentacja API
logout-button = Wyloguj ({ $name })
footer-text = hejnał — panel konsultacyjny i powiadomienia mieszkańców Krakowa.
saved = Zapisano zmiany.
form-has-errors = Popraw zaznaczone pola

## Errors
error-status = Kod błędu: { $status }
error-home-link = Wróć na stronę główną
error-not-found = Nie znaleziono strony
error-not-found-detail = Strona o tym adresie nie istnieje. Sprawdź adres albo zacznij od strony głównej.
error-unauthorized = Wymagane logowanie
error-unauthorized-detail = Zaloguj się albo podaj ważny token API.
error-forbidden = Brak dostępu
error-forbidden-detail = Twoje konto nie ma roli, która pozwala otworzyć tę stronę.
error-method = Niedozwolona metoda
error-method-detail = Ten adres nie obsługuje takiego żądania.
error-too-large = Za duże żądanie
error-too-large-detail = Przesłane dane są zbyt duże. Wyślij mniej danych.
error-media-type = Nieobsługiwany format
error-media-type-detail = Wyślij dane w formacie, którego oczekuje ten adres.
error-invalid = Niepoprawne dane
error-invalid-detail = Niektóre pola są niepoprawne. Popraw je i spróbuj ponownie.
error-too-many = Zbyt wiele prób
error-too-many-detail = Zbyt wiele prób. Spróbuj ponownie za { $minutes ->
    [one] { $minutes } minutę
    [few] { $minutes } minuty
   *[many] { $minutes } minut
}.
error-bad-request = Niepoprawne żądanie
error-bad-request-detail = Nie udało się odczytać przesłanych danych.
error-internal = Błąd serwera
error-internal-detail = Coś poszło nie tak po naszej stronie. Spróbuj ponownie za chwilę.
error-csrf = Formularz wygasł
error-csrf-detail = Ze względów bezpieczeństwa odśwież stronę i wyślij formularz ponownie.

## Plurals
minutes = { $count ->
    [one] { $count } minutę
    [few] { $count } minuty
   *[many] { $count } minut
}

## Home
home-title = Kraków pyta, Kraków ostrzega
home-lead = Panel konsultacyjny mieszkańców oraz ostrzeżenia i komunikaty miasta — e-mailem, powiadomieniem w przeglądarce i SMS-em.
home-districts = { $count ->
    [one] Miasto ma { $count } dzielnicę.
    [few] Miasto ma { $count } dzielnice.
   *[many] Miasto ma { $count } dzielnic.
}
home-officials-link = Logowanie dla urzędników

## Login
login-title = Logowanie urzędnika
login-expired = Sesja wygasła. Zaloguj się ponownie.
login-logged-out = Wylogowano.
login-wrong = E-mail lub hasło są nieprawidłowe.
login-throttled = Zbyt wiele prób logowania. Spróbuj ponownie za { $minutes ->
    [one] { $minutes } minutę
    [few] { $minutes } minuty
   *[many] { $minutes } minut
}.
login-button = Zaloguj się
logout-title = Wylogowanie
logout-confirm = Czy na pewno chcesz się wylogować?
logout-submit = Wyloguj się

## Fields
field-email = Adres e-mail
field-password = Hasło
field-password-hint = Co najmniej 12 znaków.
field-name = Imię i nazwisko
field-roles = Role
field-status = Stan
field-email-invalid = Wpisz adres e-mail w formacie nazwa@domena.pl.
field-email-taken = Urzędnik z tym adresem e-mail już istnieje.
field-name-required = Wpisz imię i nazwisko (do 200 znaków).
field-password-short = Hasło musi mieć co najmniej 12 znaków.
field-role-unknown = Wybierz role z listy.
field-role-own-admin = Nie możesz odebrać sobie roli administratora.
field-active-self = Nie możesz wyłączyć własnego konta.
field-token-name = Nazwa tokenu
field-token-name-invalid = Wpisz nazwę tokenu (do 100 znaków).
field-expires-days = Ważny przez (dni)
field-expires-days-hint = Zostaw puste, aby token nie wygasał. Najwyżej 3650 dni.
field-expires-days-invalid = Podaj liczbę dni od 1 do 3650 albo zostaw pole puste.
field-official-unknown = Wybierz aktywnego urzędnika z listy.

## Roles
role-admin = Administrator
role-editor = Redaktor
role-approver = Zatwierdzający
role-analyst = Analityk
role-admin-text = urzędnicy, tokeny, ustawienia
role-editor-text = przygotowuje ankiety, alerty i komunikaty
role-approver-text = zatwierdza alerty i uruchamia konsultacje
role-analyst-text = czyta wyniki i eksportuje dane

## Dashboard
dashboard-title = Pulpit
dashboard-welcome = Dzień dobry, { $name }.
dashboard-roles = Twoje role:
dashboard-no-roles = brak ról — poproś administratora o nadanie roli.
dashboard-officials = Zakładanie kont urzędników i nadawanie ról.
dashboard-tokens = Tokeny dostępu dla systemów miejskich.
dashboard-audit = Kto, co i kiedy zrobił.
dashboard-api = Opis API i konsola do wypróbowania wywołań.

## Officials
officials-title = Urzędnicy
officials-list-caption = Konta urzędników i ich role
officials-roles-of = Role: { $name }
officials-save-roles = Zapisz role
status-active = aktywne
status-inactive = wyłączone
officials-deactivate = Wyłącz konto
officials-reactivate = Włącz konto
officials-add = Dodaj urzędnika
officials-add-button = Dodaj urzędnika

## Tokens
tokens-title = Tokeny API
tokens-created = Nowy token — skopiuj go teraz, nie zostanie pokazany ponownie:
tokens-list-caption = Wydane tokeny API
tokens-official = Urzędnik
tokens-created-at = Utworzony
tokens-expires-at = Wygasa
tokens-last-used = Ostatnio użyty
tokens-never = nigdy
tokens-revoked = unieważniony
tokens-revoke = Unieważnij
tokens-none = Nie wydano jeszcze żadnego tokenu.
tokens-add = Wydaj token
tokens-add-button = Wydaj token

## Audit log
audit-title = Dziennik zdarzeń
audit-caption = Zdarzenia od najnowszych
audit-when = Kiedy
audit-who = Kto
audit-action = Co
audit-subject = Czego dotyczy
audit-detail = Szczegóły
audit-system = system
audit-empty = Brak zdarzeń.
audit-older = Starsze zdarzenia
audit-action-login = logowanie
audit-action-login_failed = nieudane logowanie
audit-action-login_throttled = logowanie zablokowane (zbyt wiele prób)
audit-action-logout = wylogowanie
audit-action-official_created = utworzenie konta urzędnika
audit-action-roles_changed = zmiana ról
audit-action-official_deactivated = wyłączenie konta
audit-action-official_reactivated = włączenie konta
audit-action-token_created = wydanie tokenu API
audit-action-token_revoked = unieważnienie tokenu API

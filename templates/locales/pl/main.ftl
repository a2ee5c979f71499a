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
error-storage-full = Brak miejsca na dane
error-storage-full-detail = Baza danych serwera nie ma już miejsca na dysku, więc nic nie zostało zapisane. Spróbuj ponownie później; administratorzy zostali powiadomieni.
error-field-unknown = Tego pola nie ma w żądaniu. Sprawdź jego nazwę w dokumentacji API.
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
field-password-long = Hasło może mieć najwyżej 256 znaków.
field-role-unknown = Wybierz role z listy.
field-role-own-admin = Nie możesz odebrać sobie roli administratora.
field-active-self = Nie możesz wyłączyć własnego konta.
field-token-name = Nazwa tokenu
field-token-name-invalid = Wpisz nazwę tokenu (do 100 znaków).
field-expires-days = Ważny przez (dni)
field-expires-days-hint = Zostaw puste, aby token nie wygasał. Najwyżej 3650 dni.
field-expires-days-invalid = Podaj liczbę dni od 1 do 3650 albo zostaw pole puste.
field-token-own-only = Token można wydać tylko sobie. Token dla innego urzędnika wydaje administrator serwera poleceniem „hejnal token create”.

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
dashboard-panel = Skład panelu mieszkańców według dzielnic, wieku, języków i zgód.
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
tokens-own-only = Token będzie działał jako Ty ({ $name }), z Twoimi rolami.

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

## Resident panel
audit-action-notice_published = opublikowanie informacji o danych
audit-action-resident_erased = usunięcie danych mieszkańca
audit-action-resident_exported = eksport danych mieszkańca
audit-action-alert_drafted = przygotowanie komunikatu
audit-action-alert_approved = zatwierdzenie komunikatu
audit-action-alert_sent = wysłanie komunikatu
audit-action-alert_updated = aktualizacja komunikatu
audit-action-alert_cancelled = odwołanie komunikatu
audit-action-cap_imported = import komunikatu CAP
audit-action-survey_created = utworzenie ankiety
audit-action-survey_revised = poprawka ankiety
audit-action-survey_launched = uruchomienie ankiety
audit-action-survey_published = publikacja wyników
audit-action-survey_text_reviewed = ocena odpowiedzi tekstowej
audit-action-residents_imported = import mieszkańców
channel-email = E-mail
channel-push = Powiadomienia web push
channel-sms = SMS
code-button = Potwierdź kod
code-lead = Wpisz numer telefonu i 6-cyfrowy kod z SMS-a. Kod jest ważny 10 minut.
erase-button = Usuń moje dane
erase-confirm = Rozumiem, że usunięcia nie można cofnąć.
erase-kept = Zachowamy tylko rejestr Twoich zgód z numerem identyfikacyjnym, bez danych kontaktowych, jako dowód wymagany prawem.
erase-lead = Usuniemy Twoje dane kontaktowe, profil, subskrypcje powiadomień i sesje. Wiadomości czekające w kolejce nie zostaną wysłane.
erase-title = Usuń moje dane
erased-text = Twoje dane zostały usunięte. Dziękujemy za udział w panelu.
erased-title = Dane usunięte
field-age-band = Przedział wiekowy (nieobowiązkowo)
field-age-band-hint = Pomaga sprawdzić, czy panel odzwierciedla mieszkańców.
field-age-band-none = Wolę nie podawać
field-age-band-unknown = Wybierz przedział wiekowy z listy.
field-choose = Wybierz…
field-code = Kod z SMS-a
field-code-format = Kod ma 6 cyfr. Wpisz go bez spacji.
field-code-hint = 6 cyfr, np. 123456.
field-code-wrong = Ten kod nie działa. Sprawdź SMS i wpisz go ponownie. Kod jest ważny 10 minut i pozwala na pięć prób; potem poproś o nowy.
field-consent-email-needs-email = Wybrałeś wiadomości e-mail: podaj adres e-mail albo odznacz e-mail w zgodach.
field-consent-required = Zaznacz co najmniej jedną zgodę, np. alerty kryzysowe przez SMS.
field-consent-sms-needs-phone = Wybrałeś SMS-y: podaj numer telefonu komórkowego albo odznacz SMS w zgodach.
field-consent-unknown = Nieznany cel lub kanał zgody. Wybierz z listy.
field-contact = E-mail lub numer telefonu
field-contact-invalid = Wpisz adres e-mail (np. ala@example.org) albo numer komórki (np. 600 100 200).
field-contact-last = To Twój jedyny kontakt. Dodaj inny, zanim usuniesz ten.
field-contact-required = Podaj adres e-mail lub numer telefonu komórkowego.
field-district-required = Wybierz dzielnicę, w której mieszkasz.
field-district-unknown = Nie ma takiej dzielnicy. Wybierz dzielnicę z listy.
field-district-repeated = Dzielnica występuje na liście więcej niż raz. Wybierz każdą dzielnicę raz.
field-erase-confirm = Zaznacz potwierdzenie, aby usunąć dane.
field-home-district = Dzielnica zamieszkania
field-interest-unknown = Nieznany temat. Wybierz tematy z listy.
field-interests = Tematy, które Cię interesują
field-language = Język wiadomości
field-language-unknown = Wybierz język: polski, angielski lub ukraiński.
field-notice-text = Tekst musi mieć co najmniej 20 znaków.
field-other-districts = Inne dzielnice, które Cię interesują
field-other-districts-hint = Np. gdzie pracujesz lub mieszka rodzina.
field-phone = Telefon komórkowy
field-phone-hint = Np. 600 100 200; numery spoza Polski z kierunkowym, np. +380…
field-phone-invalid = To nie jest poprawny numer telefonu. Wpisz np. 600 100 200 lub +380 67 123 4567.
field-push-invalid = Subskrypcja powiadomień jest niepełna.
field-survey-limit = Wpisz liczbę od 0 do 2.
field-survey-limit-hint = Najwyżej tyle zaproszeń do ankiet w miesiącu (0–2).
field-survey-limit-label = Zaproszenia do ankiet w miesiącu
import-button = Importuj
import-csv = Dane CSV
import-done = Zaimportowano: { $imported }, pominięto już zarejestrowanych: { $skipped }.
import-empty = Wklej co najmniej jeden wiersz CSV.
import-lead = Wklej CSV z podstawą prawną w każdym wierszu; zgody zapisujemy jako import. Plik z błędnym wierszem nie importuje nikogo.
import-line = Wiersz { $line }
import-row-basis = brak podstawy prawnej
import-row-columns = wiersz musi mieć 6 kolumn
import-row-errors = Popraw te wiersze
import-title = Import mieszkańców
interest-city_budget = Budżet miasta
interest-culture_events = Kultura i wydarzenia
interest-education = Edukacja
interest-environment_air = Środowisko i powietrze
interest-housing = Mieszkalnictwo
interest-roads_works = Drogi i remonty
interest-safety = Bezpieczeństwo
interest-social_services = Usługi społeczne
interest-transport = Komunikacja
interest-water_utilities = Woda i media
join-already = Jesteś już w panelu? Zaloguj się.
join-button = Dołącz do panelu
join-consents-heading = Twoje zgody
join-consents-hint = Każda zgoda jest osobna i dobrowolna. Nic nie jest zaznaczone za Ciebie; możesz je zmienić w każdej chwili.
join-contact-heading = Jak się z Tobą kontaktować
join-contact-hint = Podaj e-mail, numer komórki albo oba.
join-lead = Dołącz do panelu mieszkańców Krakowa: odpowiadaj na ankiety i otrzymuj alerty tam, gdzie chcesz.
join-privacy-link = Przeczytaj informację o ochronie danych
join-profile-heading = O Tobie
join-sent-code-link = Mam kod z SMS-a
join-sent-text = Sprawdź pocztę e-mail i telefon: wysłaliśmy link lub kod potwierdzający.
join-sent-title = Sprawdź e-mail lub telefon
join-title = Dołącz do panelu
me-add-contact = Dodaj e-mail lub numer telefonu
me-add-contact-button = Dodaj i potwierdź
me-channel = Kanał
me-consent-granted = Zgoda udzielona
me-consent-none = Brak zgody
me-consents-caption = Zgody według celu i kanału
me-consents-heading = Moje zgody
me-consents-hint = Jedno kliknięcie udziela lub wycofuje zgodę. Każda zmiana jest zapisywana.
me-contact-unverified = niepotwierdzony
me-contact-verified = potwierdzony
me-contacts-heading = Moje dane kontaktowe
me-done-consent = Zapisaliśmy zmianę zgody.
me-done-contact = Jeśli ten kontakt można dodać, wysłaliśmy na niego wiadomość potwierdzającą.
me-done-notice = Dziękujemy za zapoznanie się z informacją.
me-done-profile = Profil zapisany.
me-done-removed = Kontakt usunięty.
me-export = Pobierz moje dane
me-grant = Udziel zgody
me-history-at = Kiedy
me-history-caption = Każda zgoda i jej wycofanie, od najnowszych
me-history-change = Zmiana
me-history-granted = udzielona
me-history-heading = Historia zgód
me-history-method = Sposób
me-history-notice = Wersja informacji
me-history-withdrawn = wycofana
me-logout = Wyloguj się
me-profile-heading = Mój profil
me-purpose = Cel
me-remove = Usuń
me-review-button = Zapoznałem się
me-review-heading = Nowa wersja informacji o danych
me-review-link = Przeczytaj informację
me-review-text = Opublikowaliśmy wersję { $version } informacji o ochronie danych. Przejrzyj ją i swoje zgody.
me-save = Zapisz profil
me-title = Mój panel
me-withdraw = Wycofaj
method-admin = urzędnik na wniosek
method-api = API
method-import = import
method-unsubscribe = wypisanie jednym kliknięciem
method-web = formularz na stronie
msg-signin-email = Aby zalogować się do panelu hejnał, otwórz ten link (ważny 30 minut): { $link }
    Jeśli to nie Ty, zignoruj tę wiadomość.
msg-signin-sms = hejnal: kod logowania { $code } (ważny 10 min).
msg-signin-subject = Logowanie do panelu hejnał
msg-verify-email = Potwierdź swój adres w panelu mieszkańców hejnał, otwierając ten link (ważny 48 godzin): { $link }
    Jeśli to nie Ty, zignoruj tę wiadomość — nic nie zostanie zapisane na stałe.
msg-verify-sms = hejnal: kod potwierdzenia { $code } (ważny 10 min).
msg-verify-subject = Potwierdź adres e-mail — hejnał
nav-me = Mój panel
nav-panel = Panel mieszkańców
nav-resident-area = Panel mieszkańca
notice-admin-button = Opublikuj nową wersję
notice-admin-published = Opublikowano wersję { $version }. Mieszkańcy zobaczą prośbę o zapoznanie się z nią.
notice-admin-text-en = Tekst po angielsku
notice-admin-text-pl = Tekst po polsku
notice-admin-text-uk = Tekst po ukraińsku
notice-admin-title = Informacja o ochronie danych
panel-breakdowns-heading = Skład panelu
panel-chart-desc = Dla każdej dzielnicy górny słupek to udział w panelu, dolny to udział w ludności. Te same liczby są w tabeli obok.
panel-chart-title = Udział dzielnic w panelu i w ludności miasta
panel-day = Dzień
panel-district = Dzielnica
panel-districts-caption = Mieszkańcy panelu według dzielnicy
panel-districts-heading = Panel a ludność dzielnic
panel-json-link = Te same liczby w JSON
panel-no-contacts = Zestawienia nie pokazują danych kontaktowych.
panel-none = Brak danych.
panel-not-given = nie podano
panel-population-share = Udział w ludności
panel-residents = Mieszkańcy
panel-share = Udział w panelu
panel-signups-caption = Potwierdzone zgłoszenia według dnia
panel-signups-heading = Zgłoszenia w czasie
panel-title = Panel mieszkańców
panel-verified = Potwierdzeni mieszkańcy w panelu: { $count }
privacy-join-link = Dołącz do panelu
privacy-title = Ochrona danych
privacy-version = Wersja { $version }, opublikowana { $date }
purpose-emergency_alerts = Alerty kryzysowe
purpose-emergency_alerts-text = Ostrzeżenia o zagrożeniach: powódź, smog, awarie, zdarzenia wymagające działania.
purpose-profile_demographics = Dane demograficzne profilu
purpose-profile_demographics-text = Zgoda na wykorzystanie przedziału wiekowego i dzielnic w zestawieniach panelu.
purpose-service_announcements = Komunikaty o usługach miejskich
purpose-service_announcements-text = Utrudnienia w ruchu, remonty, przerwy w dostawie wody, zmiany w usługach.
purpose-surveys = Ankiety i konsultacje
purpose-surveys-text = Zaproszenia do ankiet miejskich, najwyżej tyle w miesiącu, ile ustawisz.
push-action = Działanie
push-added = Dodano
push-device = Urządzenie
push-devices = Moje urządzenia
push-devices-caption = Urządzenia otrzymujące powiadomienia
push-enable = Włącz powiadomienia na tym urządzeniu
push-failed = Nie udało się włączyć powiadomień.
push-lead = Powiadomienia web push przychodzą do przeglądarki, bez e-maila i SMS-a.
push-none = Brak urządzeń.
push-ready = Ta przeglądarka może otrzymywać powiadomienia.
push-service = Usługa powiadomień
push-title = Powiadomienia web push
push-unsupported = Ta przeglądarka nie obsługuje powiadomień web push.
request-contacts = Liczba kontaktów: { $count }
request-created = Dołączył: { $date }
request-erase = Usuń dane mieszkańca
request-erased = Dane mieszkańca usunięte; rejestr zgód pozostał.
request-export = Pobierz dane (JSON)
request-find = Szukaj
request-id = Numer mieszkańca
request-is-erased = Dane usunięte
request-lead = Wyszukaj mieszkańca po numerze, aby wydać jego dane (art. 15) albo je usunąć (art. 17).
request-not-found = Nie ma mieszkańca o tym numerze.
request-resident = Mieszkaniec nr { $id }
request-title = Wniosek osoby, której dane dotyczą
signin-button = Wyślij link lub kod
signin-code-title = Wpisz kod logowania
signin-expired = Sesja wygasła. Zaloguj się ponownie.
signin-join-link = Nie masz konta? Dołącz do panelu.
signin-lead = Bez hasła: wyślemy link na potwierdzony e-mail albo kod SMS na potwierdzony numer.
signin-sent-email = Jeśli ten adres jest w panelu i został potwierdzony, wysłaliśmy na niego link do logowania.
signin-sent-title = Sprawdź pocztę
signin-title = Logowanie mieszkańca
unsubscribe-button = Wypisz mnie
unsubscribe-done-text = Zgoda została wycofana. Możesz ją przywrócić w swoim panelu.
unsubscribe-done-title = Wypisano
unsubscribe-invalid = Ten link do wypisania jest nieprawidłowy.
unsubscribe-lead = Przestaniesz otrzymywać te wiadomości tym kanałem:
unsubscribe-title = Wypisz się
verified-signin-link = Zaloguj się do panelu
verified-text = Dziękujemy! Kontakt został potwierdzony.
verified-title = Potwierdzono
verify-code-title = Potwierdź numer telefonu
verify-failed-title = Link nie działa
verify-link-expired = Link wygasł. Poproś o nowy, logując się lub dołączając ponownie.
verify-link-unknown = Ten link jest nieprawidłowy. Sprawdź, czy skopiowano go w całości.
verify-link-used = Ten link został już użyty. Każdy link działa tylko raz.
link-not-you = Jeśli to nie Ty o to prosisz, zamknij tę stronę: nic się nie stanie, dopóki nie naciśniesz przycisku.
link-signin-button = Zaloguj się
link-signin-text = Ten przycisk zaloguje Cię do konta w panelu dla { $contact }.
link-signin-title = Logowanie do panelu mieszkańców
link-verify-button = Potwierdź i zaloguj się
link-verify-text = Ten przycisk potwierdzi adres { $contact } i zaloguje Cię do panelu.
link-verify-title = Potwierdź adres e-mail
field-test-group = Chcę dostawać wiadomości testowe i ćwiczebne
field-test-group-hint = Miasto sprawdza nimi system ostrzegania; każda jest wyraźnie oznaczona jako test lub ćwiczenia.

me-home-point-heading = Mój punkt zamieszkania dla ostrzeżeń (opcjonalnie)
me-home-point-hint = Gdy miasto ostrzega obszar narysowany na mapie (np. okrąg wokół wycieku gazu), mieszkańcy, których punkt leży w środku, dostaną ostrzeżenie, nawet jeśli obszar tylko zahacza o ich dzielnicę. Podaj szerokość i długość geograficzną, np. 50.0614, 19.9366. Przechowujemy ją z dokładnością do ok. 10 metrów, używamy tylko do ostrzeżeń i w każdej chwili możesz ją usunąć.
field-home-point = Szerokość, długość geograficzna
field-home-point-invalid = Podaj punkt jako szerokość, długość geograficzną, np. 50.0614, 19.9366.
me-home-point-share = Udostępnij mój punkt
me-home-point-remove = Usuń mój punkt
me-home-point-locate = Użyj mojej obecnej lokalizacji
me-home-point-locate-failed = Przeglądarka nie podała lokalizacji; wpisz ją, proszę.
me-done-home-point = Zapisano Twój punkt zamieszkania.
me-done-home-point-removed = Usunięto Twój punkt zamieszkania.

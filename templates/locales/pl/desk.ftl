# Punkt zgłoszeń: zgłaszanie problemu i obsługa zgłoszeń.

role-dispatcher = Dyspozytor
role-dispatcher-text = widzi każde zgłoszenie mieszkańców i kieruje je do właściwej jednostki

nav-reports = Zgłoszenia
nav-desk-staff = Pracownicy jednostek

desk-report-title = Zgłoś problem
desk-report-intro = Opisz problem w kilku słowach: podpowiemy, która jednostka miasta się nim zajmuje i ile to zwykle trwa. Możesz potem wysłać zgłoszenie tutaj.
desk-search-label = Na czym polega problem?
desk-search-hint = Na przykład: przewrócone drzewo, dziura w jezdni, nie świeci latarnia.
desk-search-button = Znajdź, kto się tym zajmuje
desk-results-heading = Kto się tym zajmuje
desk-results-none = Nic w katalogu nie pasuje do tych słów. Spróbuj innych słów albo wybierz z listy wszystkich problemów.
desk-handled-by = Zajmuje się tym: { $unit }
desk-target-days = { $days ->
    [one] zwykle w ciągu { $days } dnia roboczego
   *[other] zwykle w ciągu { $days } dni roboczych
}
desk-report-this = Zgłoś: { $service }
desk-all-services = Wszystkie problemy, które można zgłosić
desk-other-service = Wybierz inny problem
desk-description-label = Opis
desk-description-limit = Najwyżej 4000 znaków.
desk-coordinates-label = Miejsce (szerokość, długość geograficzna)
desk-coordinates-hint = Dwie liczby oddzielone przecinkiem, na przykład 50.0614, 19.9366 (można je skopiować z aplikacji z mapą).
desk-point-locate = Użyj mojej obecnej lokalizacji
desk-point-locate-failed = Przeglądarka nie podała lokalizacji; wpisz ją lub wskaż na mapie.
desk-point-map-title = Mapa do wskazania miejsca
desk-point-map-role = mapa
desk-point-map-desc = Dzielnice Krakowa. Kliknij lub dotknij miejsca problemu albo przejdź do mapy i przesuwaj punkt klawiszami strzałek.
desk-point-help = Miejsce można też wskazać na mapie: kliknij je lub dotknij albo przejdź do mapy klawiszem Tab i użyj strzałek (punkt przesuwa się o około 50 m, z klawiszem Shift o około 500 m). Wybrane miejsce pojawia się w polu współrzędnych powyżej.
desk-point-status = Wybrane miejsce: %s
desk-address-label = Adres lub punkt orientacyjny (nieobowiązkowo)
desk-required = (wymagane)
desk-yes = Tak
desk-no = Nie
desk-photo-label = Zdjęcia (nieobowiązkowo, najwyżej 3)
desk-photo-hint = JPEG, PNG lub WebP, każde najwyżej 10 MB. Przed zapisaniem usuwamy z nich położenie i dane aparatu.
desk-contact-legend = Czy chcesz wiedzieć, jak się skończy?
desk-contact-hint = Adres e-mail lub numer telefonu służy tylko do wiadomości o tym zgłoszeniu.
desk-contact-none = Nie, zgłaszam anonimowo
desk-contact-email = Tak, e-mailem
desk-email-label = Adres e-mail
desk-contact-phone = Tak, SMS-em
desk-phone-label = Numer telefonu
desk-public-label = Opis i zdjęcia mogą zostać opublikowane po zatwierdzeniu przez miasto
desk-submit = Wyślij zgłoszenie

desk-filed-title = Zgłoszenie przyjęte
desk-filed-text = Dziękujemy. Twoje zgłoszenie ma numer { $id }.
desk-filed-duplicate = To zgłoszenie przyjęliśmy już przed chwilą, pod numerem { $id }. Nie zostało zapisane drugi raz.
desk-filed-contact = Napiszemy, gdy zmieni się stan zgłoszenia. (Potwierdzanie adresu i wysyłanie wiadomości nie są jeszcze włączone).
desk-filed-another = Zgłoś inny problem

desk-worklist-title = Zgłoszenia mieszkańców
desk-worklist-dispatcher = Jako dyspozytor widzisz wszystkie zgłoszenia.
desk-worklist-units = Zgłoszenia Twoich jednostek:
desk-worklist-no-unit = Nie jesteś przypisany do żadnej jednostki ani nie jesteś dyspozytorem, więc nie ma tu zgłoszeń dla Ciebie. Jednostki przypisuje administrator.
desk-worklist-empty = Nie ma zgłoszeń.
desk-col-id = Numer
desk-col-service = Problem
desk-col-unit = Jednostka
desk-col-state = Stan
desk-col-filed = Przyjęte
desk-col-due = Termin
desk-overdue = Po terminie
desk-state-new = Nowe
desk-state-acknowledged = Przyjęte do wiadomości
desk-state-in_progress = W realizacji
desk-state-resolved = Załatwione
desk-state-rejected = Odrzucone
desk-state-transferred = Przekazane innej jednostce

desk-report-staff-title = Zgłoszenie
desk-report-staff-heading = Zgłoszenie { $id }
desk-photo-link = Zdjęcie { $n }
desk-history-heading = Historia
desk-public-note-label = Informacja dla mieszkańca
desk-public-note-hint = Wymagana przy odrzuceniu lub przekazaniu: powód.
desk-internal-note-label = Notatka wewnętrzna
desk-next-heading = Następny krok
desk-next-state-label = Nowy stan
desk-transfer-unit-label = Przekaż jednostce (tylko przy przekazaniu)
desk-next-button = Zapisz zmianę

desk-staff-title = Pracownicy jednostek
desk-staff-intro = Urzędnicy przypisani do jednostki widzą i obsługują jej zgłoszenia. Rola dyspozytora widzi wszystkie zgłoszenia.
desk-staff-save = Zapisz jednostki: { $name }

desk-error-service-missing = Wybierz, jaki problem zgłaszasz.
desk-error-service-unknown = Nie ma takiego problemu w katalogu. Wybierz z listy.
desk-error-description-missing = Opisz problem.
desk-error-description-long = Opis jest za długi: najwyżej 4000 znaków.
desk-error-place-missing = Podaj miejsce jako szerokość i długość geograficzną.
desk-error-place-number = Miejsce to dwie liczby: szerokość i długość geograficzna, na przykład 50.0614, 19.9366.
desk-error-place-outside = To miejsce leży poza Krakowem. Punkt przyjmuje zgłoszenia tylko z miasta.
desk-error-address-long = Adres jest za długi: najwyżej 200 znaków.
desk-error-contact-both = Podaj adres e-mail albo numer telefonu, nie oba.
desk-error-account-contact = Wybierz jeden z potwierdzonych kontaktów swojego konta albo zaloguj się ponownie.
desk-contact-account = Przez { $value } (z mojego konta; bez potwierdzania)
desk-error-email = Ten adres e-mail jest nieprawidłowy.
desk-error-phone = Ten numer telefonu jest nieprawidłowy.
desk-error-public = Pole „public” przyjmuje wartość true albo false.
desk-error-attribute-unknown = Przy tym problemie nie ma takiego pytania.
desk-error-attribute-required = Odpowiedz na to pytanie.
desk-error-attribute-value = Ta odpowiedź nie pasuje do pytania (tak/nie, liczba albo krótki tekst).
desk-error-photo-count = Najwyżej { $max } zdjęcia.
desk-error-photo-too-big = Zdjęcie { $n } jest większe niż 10 MB.
desk-error-photo-format = Zdjęcie { $n } nie jest obrazem JPEG, PNG ani WebP.
desk-error-photo-pixels = Zdjęcie { $n } ma za dużo pikseli (najwyżej 50 megapikseli).
desk-error-photo-broken = Nie udało się odczytać zdjęcia { $n }. Może być uszkodzone.
desk-error-state-unknown = Nieznany stan. Dozwolone: acknowledged, in_progress, resolved, rejected, transferred.
desk-error-note-long = Notatka jest za długa: najwyżej { $max } znaków.
desk-error-reason-required = Podaj powód w informacji dla mieszkańca.
desk-error-unit-unknown = Wybierz jednostkę, której przekazujesz zgłoszenie.
desk-error-unit-same = Zgłoszenie jest już w tej jednostce.
desk-refused-other-unit = To zgłoszenie należy do innej jednostki; możesz obsługiwać tylko zgłoszenia swoich jednostek.
desk-refused-transition = Zgłoszenie nie może przejść do tego stanu z obecnego (na przykład załatwione jest zamknięte, a przyjęte nie może znów być nowe).
desk-refused-moved = Ktoś przed chwilą zmienił to zgłoszenie. Odśwież je i zdecyduj jeszcze raz.
desk-refused-photo = To zdjęcie nie jest opublikowane; widzą je tylko osoby obsługujące zgłoszenie.

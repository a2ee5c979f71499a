# Open311 GeoReport v2 (/open311/v2/) i klucze API aplikacji.

open311-contact = Na pytania twórców aplikacji o to API odpowiada Miejskie Centrum Kontaktu Krakowa.
open311-key-service = Klucze API wydają administratorzy miasta ({ $url }); o klucz poproś Miejskie Centrum Kontaktu.
open311-service-notice = Zajmuje się tym { $unit }, zwykle w ciągu { $days ->
    [one] { $days } dnia roboczego
   *[other] { $days } dni roboczych
}.
open311-value-yes = Tak
open311-value-no = Nie
open311-datatype-number = Liczba, np. 3 albo 2,5.

open311-key-missing = Do zgłoszenia potrzebny jest api_key.
open311-key-unknown = Nie znamy takiego api_key. Sprawdź, czy został skopiowany w całości.
open311-key-revoked = Ten api_key został unieważniony; poproś miasto o nowy.
open311-key-name-invalid = Podaj nazwę aplikacji, najwyżej 100 znaków.
open311-error-id = service_request_id to numery zgłoszeń rozdzielone przecinkami.
open311-error-too-many-ids = Najwyżej { $max } wartości service_request_id naraz.
open311-error-date = Podaj datę i godzinę w formacie W3C, np. 2026-11-05T13:15:30Z albo 2026-11-05T14:15:30+01:00, albo samą datę, np. 2026-11-05.
open311-error-date-order = end_date jest wcześniejsza niż start_date.
open311-error-date-span = start_date i end_date mogą dzielić najwyżej { $days } dni.
open311-error-status = status to open, closed albo oba (open,closed).
open311-error-not-found = Nie ma tu takiego zgłoszenia, usługi ani metody.
open311-error-format = Podaj format na końcu ścieżki: .json albo .xml (np. /open311/v2/services.json).
open311-error-too-many = Ten api_key wysłał zbyt wiele zapytań; spróbuj ponownie za { $seconds } s.
open311-error-media-url = media_url nie jest przyjmowany: nie pobieramy zdjęć z innych serwerów. Wyślij zgłoszenie bez niego.
open311-error-content-type = Wyślij parametry jako application/x-www-form-urlencoded.
open311-error-too-large = Zapytanie jest za duże.
open311-error-internal = Coś poszło nie tak po naszej stronie; nic nie zostało zgłoszone. Spróbuj za chwilę.

open311-keys-title = Klucze API Open311
open311-keys-intro = Aplikacje, które przyjmują zgłoszenia przez Open311 (/open311/v2/), wysyłają jeden z tych kluczy jako api_key. Każdy klucz może wysłać ograniczoną liczbę zapytań na minutę; unieważnienie klucza od razu zatrzymuje jego aplikację.
open311-keys-created = Nowy klucz — skopiuj go teraz i przekaż twórcom aplikacji; nie zostanie pokazany ponownie:
open311-keys-list-caption = Wydane klucze
open311-keys-name = Aplikacja
open311-keys-name-hint = Dla kogo jest klucz, np. nazwa aplikacji i jej twórca.
open311-keys-created-at = Wydany
open311-keys-last-used = Ostatnio użyty
open311-keys-status = Stan
open311-keys-never = nigdy
open311-keys-revoked = unieważniony
open311-keys-revoke = Unieważnij
open311-keys-none = Nie wydano jeszcze żadnego klucza.
open311-keys-add = Wydaj klucz
open311-keys-add-button = Wydaj klucz

audit-action-api_key_created = wydanie klucza API Open311
audit-action-api_key_revoked = unieważnienie klucza API Open311

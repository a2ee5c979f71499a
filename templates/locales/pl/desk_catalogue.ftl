# Strony katalogu dla administratorów: problemy i jednostki, dodawanie, zmiana i wycofanie problemu, jednostki w dzielnicach.

nav-desk-catalogue = Katalog
desk-catalogue-title = Katalog problemów
desk-catalogue-intro = Rodzaje problemów, które mieszkańcy mogą zgłaszać, jednostka, która zajmuje się każdym z nich, i zwykły czas. Zmiany od razu dotyczą nowych zgłoszeń. Wycofany problem nie jest już proponowany; jego zgłoszenia można nadal przeczytać.
desk-catalogue-services-caption = Rodzaje problemów
desk-catalogue-units-caption = Jednostki miejskie
desk-catalogue-code = Kod
desk-catalogue-code-hint = Wielkie litery, cyfry i łączniki, na początku litera (na przykład BENCH-BROKEN). Widzą go aplikacje; później nie można go zmienić.
desk-catalogue-names = Nazwy (po polsku, angielsku, ukraińsku)
desk-catalogue-target-days = Docelowa liczba dni roboczych
desk-catalogue-target-days-hint = Liczba całkowita od 1 do 365 (od poniedziałku do piątku).
desk-catalogue-keywords = Słowa do wyszukiwania
desk-catalogue-keywords-hint = Słowa, których mogą użyć mieszkańcy, oddzielone spacjami lub przecinkami.
desk-catalogue-hint = Co warto podać
desk-catalogue-status = Stan
desk-catalogue-active = Proponowany
desk-catalogue-retired = Wycofany
desk-catalogue-routes-count = { $count ->
    [one] inna jednostka w { $count } dzielnicy
   *[other] inna jednostka w { $count } dzielnicach
}
desk-catalogue-new-title = Dodaj rodzaj problemu
desk-catalogue-edit-title = Zmień rodzaj problemu
desk-catalogue-edit-heading = Zmiana rodzaju problemu { $code }
desk-catalogue-saved = Zapisano. Nowe zgłoszenia korzystają z tych ustawień.
desk-catalogue-retired-notice = Ten rodzaj problemu jest wycofany: mieszkańcy i aplikacje go nie widzą.
desk-catalogue-texts-pl = Po polsku
desk-catalogue-texts-en = Po angielsku
desk-catalogue-texts-uk = Po ukraińsku
desk-catalogue-name = Nazwa
desk-catalogue-unit = Jednostka odpowiedzialna
desk-catalogue-unit-hint = Zajmuje się zgłoszeniami, poza dzielnicami wymienionymi niżej.
desk-catalogue-type-boolean = Tak lub nie
desk-catalogue-type-string = Tekst
desk-catalogue-type-number = Liczba
desk-catalogue-questions-heading = Dodatkowe pytania
desk-catalogue-questions-intro = Zadawane w formularzu zgłoszenia. Wypełnij puste pytanie, aby dodać nowe; zaznacz „Usuń”, aby je usunąć.
desk-catalogue-question = Pytanie { $n }
desk-catalogue-question-new = Nowe pytanie
desk-catalogue-question-code = Kod
desk-catalogue-question-code-hint = Małe litery, cyfry i podkreślenia, na początku litera (na przykład road_blocked).
desk-catalogue-question-type = Rodzaj odpowiedzi
desk-catalogue-question-required = Odpowiedź jest wymagana
desk-catalogue-question-label-pl = Pytanie po polsku
desk-catalogue-question-label-en = Pytanie po angielsku
desk-catalogue-question-label-uk = Pytanie po ukraińsku
desk-catalogue-remove-question = Usuń to pytanie
desk-catalogue-routes-heading = Inna jednostka w niektórych dzielnicach
desk-catalogue-routes-intro = Zgłoszenie z miejsca w jednej z tych dzielnic trafia do wskazanej tu jednostki zamiast do jednostki odpowiedzialnej. Wypełnij pusty wiersz, aby dodać regułę; zaznacz „Usuń”, aby ją usunąć.
desk-catalogue-route = Reguła dla dzielnicy { $n }
desk-catalogue-route-new = Nowa reguła dla dzielnicy
desk-catalogue-route-district = Dzielnica
desk-catalogue-route-unit = Jednostka w tej dzielnicy
desk-catalogue-remove-route = Usuń tę regułę
desk-catalogue-add-button = Dodaj rodzaj problemu
desk-catalogue-save-button = Zapisz zmiany
desk-catalogue-retire-heading = Wycofanie
desk-catalogue-retire-text = Mieszkańcy i aplikacje nie będą już widzieć tego rodzaju problemu. Jego zgłoszenia pozostaną bez zmian; można go później przywrócić.
desk-catalogue-retire-button = Wycofaj ten rodzaj problemu
desk-catalogue-reinstate-heading = Przywrócenie
desk-catalogue-reinstate-text = Ponownie proponuj ten rodzaj problemu mieszkańcom i aplikacjom.
desk-catalogue-reinstate-button = Przywróć ten rodzaj problemu

desk-catalogue-error-code = Podaj kod z wielkich liter, cyfr i łączników, zaczynający się literą, najwyżej { $max } znaków.
desk-catalogue-error-code-taken = Ten kod jest już w katalogu (może jako wycofany). Wybierz inny.
desk-catalogue-error-text-missing = { $lang ->
    [pl] Wpisz tekst po polsku.
    [en] Wpisz tekst po angielsku.
   *[uk] Wpisz tekst po ukraińsku.
}
desk-catalogue-error-text-long = Najwyżej { $max } znaków.
desk-catalogue-error-unit = Wybierz jednostkę z listy.
desk-catalogue-error-target-days = Podaj liczbę całkowitą dni roboczych od { $min } do { $max }.
desk-catalogue-error-attributes-many = Najwyżej { $max } pytań.
desk-catalogue-error-attribute-code = Podaj kod z małych liter, cyfr i podkreśleń, zaczynający się literą.
desk-catalogue-error-attribute-twice = Inne pytanie ma już ten kod.
desk-catalogue-error-attribute-type = Wybierz rodzaj odpowiedzi: tak lub nie, tekst albo liczba.
desk-catalogue-error-route-district = Wybierz dzielnicę z listy.
desk-catalogue-error-route-twice = Ta dzielnica ma już regułę.
desk-catalogue-error-active = Wskaż, czy wycofać, czy przywrócić.
desk-catalogue-refused-not-admin = Katalog zmieniają tylko administratorzy.
desk-error-service-retired = Tego problemu nie zgłasza się już tutaj. Wybierz inny z listy.

audit-action-desk_service_created = dodanie rodzaju problemu
audit-action-desk_service_changed = zmiana rodzaju problemu
audit-action-desk_service_retired = wycofanie rodzaju problemu
audit-action-desk_service_reinstated = przywrócenie rodzaju problemu

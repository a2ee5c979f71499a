# Publiczna strona biura zgłoszeń: lista zgłoszeń, strona zgłoszenia, publikacja przez dyspozytora, statystyki.

desk-public-title = Zgłoszone problemy
desk-public-intro = Problemy zgłoszone miastu przez mieszkańców i to, jak każdy jest załatwiany. Nie pokazujemy niczyich danych kontaktowych; opis lub zdjęcie dopiero wtedy, gdy miasto je zatwierdzi, a mieszkaniec się na to zgodził.
desk-public-filter-heading = Pokaż tylko
desk-public-any = dowolne
desk-public-filter-button = Pokaż
desk-public-col-district = Dzielnica
desk-public-col-place = Miejsce
desk-public-col-note = Ostatnia informacja od miasta
desk-public-col-updated = Ostatnia zmiana
desk-public-caption = Zgłoszone problemy, od najnowszych
desk-public-count = { $total ->
    [one] Jedno zgłoszenie
    [few] { $total } zgłoszenia
   *[other] { $total } zgłoszeń
  }, strona { $page } z { $pages }.
desk-public-empty = Żadne zgłoszenie nie pasuje do tych wyborów.
desk-public-past-end = Na tej stronie nic nie ma: ostatnia strona to { $pages }.
desk-public-pages = Strony zgłoszeń
desk-public-prev = Poprzednia strona
desk-public-next = Następna strona
desk-public-map-title = Mapa zgłoszeń z tej strony
desk-public-map-desc = { $count ->
    [one] Na mapie dzielnic zaznaczono jedno zgłoszenie.
    [few] Na mapie dzielnic zaznaczono { $count } zgłoszenia.
   *[other] Na mapie dzielnic zaznaczono { $count } zgłoszeń.
  } Każde jest w tabeli.
desk-public-map-caption = Każda kropka to zgłoszenie z tabeli poniżej.
desk-public-mark = Nr { $id }: { $service } — { $state }
desk-public-report-title = Zgłoszony problem
desk-public-report-heading = Zgłoszony problem nr { $id }
desk-public-photo-alt = Zdjęcie { $n } przesłane ze zgłoszeniem
desk-public-passed = Przekazane do: { $unit }
desk-public-because = , ponieważ: { $note }
desk-public-error-service = Nie ma takiego rodzaju problemu. Wybierz z listy.
desk-public-error-district = Nie ma takiej dzielnicy. Wybierz z listy.
desk-public-error-state = Nie ma takiego stanu. Wybierz z listy.
desk-public-error-page = Numer strony musi być liczbą całkowitą od 1.
desk-public-moderation-heading = Publikacja
desk-public-moderation-hint = Mieszkaniec zgodził się na publikację. Zaznacz, co można pokazać na stronie publicznej: nie może być widać niczego osobistego (nazwisk, telefonów, tablic rejestracyjnych, twarzy).
desk-public-moderation-description = Opublikuj opis
desk-public-moderation-photo = Opublikuj zdjęcie { $n }
desk-public-moderation-button = Zapisz publikację
desk-public-moderation-not-allowed = Mieszkaniec nie zgodził się na publikację: opis i zdjęcia pozostają wewnątrz.
desk-public-refused-not-dispatcher = O tym, co ze zgłoszenia jest publikowane, decyduje tylko dyspozytor.
desk-public-refused-not-allowed = Mieszkaniec nie zgodził się na publikację tego zgłoszenia, więc nic z niego nie może zostać opublikowane.
desk-public-error-photo-unknown = To zgłoszenie nie ma zdjęcia o tym numerze.
audit-action-desk_publication = decyzja o publikacji zgłoszenia

desk-stats-title = Statystyki zgłoszeń
desk-stats-intro = Ile zgłoszeń każda jednostka i każdy rodzaj problemu przyjęła i załatwiła, mediana czasu załatwienia i odsetek załatwionych w terminie. Te same liczby jako dane:
desk-stats-empty = Nie przyjęto jeszcze żadnego zgłoszenia.
desk-stats-by-unit = Według jednostek
desk-stats-by-service = Według rodzajów problemów
desk-stats-chart-received = Przyjęte zgłoszenia — { $group }
desk-stats-chart-resolved = Załatwione zgłoszenia — { $group }
desk-stats-chart-median = Mediana dni do załatwienia — { $group }
desk-stats-chart-ontime = Odsetek załatwionych w terminie — { $group }
desk-stats-days = { $days } dni
desk-stats-table-caption = Liczby, { $group }
desk-stats-col-name = Nazwa
desk-stats-col-received = Przyjęte
desk-stats-col-resolved = Załatwione
desk-stats-col-median = Mediana czasu załatwienia
desk-stats-col-ontime = Załatwione w terminie

desk-open-data-heading = Zgłoszone problemy
desk-open-data-intro = Każdy problem zgłoszony miastu i to, jak jest załatwiany, bez danych osobowych: bez kontaktu, bez notatek wewnętrznych, opis tylko gdy opublikowany, miejsca tak, jak je podano. Z danych z danego dnia; licencja CC BY 4.0.
desk-open-data-csvw = metadane CSVW

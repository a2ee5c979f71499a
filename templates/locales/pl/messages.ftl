# Podgląd wszystkich wiadomości do mieszkańców dla urzędników (/official/messages).
messages-title = Wiadomości do mieszkańców
messages-intro = Każda wiadomość, którą wysyła hejnał, w każdym języku i kanale, z przykładową treścią. Osobiste linki i kody są wstawiane dla każdego mieszkańca przy wysyłce; tutaj widać je jako pola w podwójnych nawiasach klamrowych.
dashboard-messages = Wszystkie wiadomości, które dostają mieszkańcy, w każdym języku i kanale.
messages-subject = Temat
messages-kind-alert = Alert o zagrożeniu
messages-kind-alert-update = Aktualizacja alertu
messages-kind-alert-cancel = Odwołanie alertu
messages-kind-announcement = Komunikat o usługach miejskich
messages-kind-survey-invitation = Zaproszenie do ankiety
messages-kind-survey-reminder = Przypomnienie o ankiecie
messages-kind-verify = Potwierdzenie adresu e-mail lub numeru telefonu
messages-kind-signin = Logowanie do panelu
messages-sample-headline = Ostrzeżenie powodziowe na Wiśle
messages-sample-description = Wisła przekroczyła stan alarmowy.
messages-sample-instruction = Opuść tereny zalewowe.
messages-sample-area = Podgórze, Łagiewniki
messages-sample-survey = Rowery na Rynku Głównym

# The officials' preview of every message residents receive (/official/messages).
messages-title = Messages to residents
messages-intro = Every message hejnał sends, in each language and channel, with sample content. Personal links and codes are filled in for each resident when a message is sent; here they show as placeholders in double braces.
dashboard-messages = Every message residents receive, in each language and channel.
messages-subject = Subject
messages-kind-alert = Emergency alert
messages-kind-alert-update = Update of an alert
messages-kind-alert-cancel = All-clear (an alert cancelled)
messages-kind-announcement = Service announcement
messages-kind-survey-invitation = Survey invitation
messages-kind-survey-reminder = Survey reminder
messages-kind-verify = Confirming an email address or phone number
messages-kind-signin = Signing in to the panel
messages-sample-headline = Flood warning on the Vistula
messages-sample-description = The Vistula is above the alarm level.
messages-sample-instruction = Leave the flood plain.
messages-sample-area = Podgórze, Łagiewniki
messages-sample-survey = Bicycles on the Main Square

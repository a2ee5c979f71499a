## Site chrome
site-name = hejnał · Kraków
skip-to-content = Skip to content
nav-languages = Language
lang-pl = Polski
lang-en = English
lang-uk = Українська
nav-officials-area = Officials' area
nav-dashboard = Dashboard
nav-officials = Officials
nav-tokens = API tokens
nav-audit = Audit log
nav-api = API documentation
logout-button = Log out ({ $name })
footer-text = hejnał — Kraków's resident consultation panel and notifications.
saved = Changes saved.
form-has-errors = Please correct the marked fields

## Errors
error-status = Error code: { $status }
error-home-link = Back to the home page
error-not-found = Page not found
error-not-found-detail = There is no page at this address. Check the address or start from the home page.
error-unauthorized = Sign-in required
error-unauthorized-detail = Sign in or send a valid API token.
error-forbidden = Access denied
error-forbidden-detail = Your account does not have a role that opens this page.
error-method = Method not allowed
error-method-detail = This address does not accept this kind of request.
error-too-large = Request too large
error-too-large-detail = The data sent is too large. Send less data.
error-media-type = Unsupported format
error-media-type-detail = Send the data in the format this address expects.
error-invalid = Invalid data
error-invalid-detail = Some fields are not valid. Correct them and try again.
error-too-many = Too many attempts
error-too-many-detail = Too many attempts. Try again in { $minutes ->
    [one] { $minutes } minute
   *[other] { $minutes } minutes
}.
error-bad-request = Bad request
error-bad-request-detail = The data sent could not be read.
error-internal = Server error
error-internal-detail = Something went wrong on our side. Please try again in a moment.
error-csrf = The form has expired
error-csrf-detail = For your security, reload the page and send the form again.

## Plurals
minutes = { $count ->
    [one] { $count } minute
   *[other] { $count } minutes
}

## Home
home-title = Kraków asks, Kraków warns
home-lead = The residents' consultation panel and the city's alerts and announcements — by email, browser notification and SMS.
home-districts = { $count ->
    [one] The city has { $count } district.
   *[other] The city has { $count } districts.
}
home-officials-link = Sign in for officials

## Login
login-title = Official sign-in
login-expired = Your session has expired. Please sign in again.
login-logged-out = You have been logged out.
login-wrong = The email or password is wrong.
login-throttled = Too many sign-in attempts. Try again in { $minutes ->
    [one] { $minutes } minute
   *[other] { $minutes } minutes
}.
login-button = Sign in
logout-title = Log out
logout-confirm = Do you want to log out?
logout-submit = Log out

## Fields
field-email = Email address
field-password = Password
field-password-hint = At least 12 characters.
field-name = Full name
field-roles = Roles
field-status = Status
field-email-invalid = Enter an email address like name@example.org.
field-email-taken = An official with this email address already exists.
field-name-required = Enter a full name (up to 200 characters).
field-password-short = The password must have at least 12 characters.
field-role-unknown = Choose roles from the list.
field-role-own-admin = You cannot remove your own admin role.
field-active-self = You cannot deactivate your own account.
field-token-name = Token name
field-token-name-invalid = Enter a token name (up to 100 characters).
field-expires-days = Valid for (days)
field-expires-days-hint = Leave empty for a token that does not expire. At most 3650 days.
field-expires-days-invalid = Enter a number of days from 1 to 3650, or leave the field empty.
field-official-unknown = Choose an active official from the list.

## Roles
role-admin = Admin
role-editor = Editor
role-approver = Approver
role-analyst = Analyst
role-admin-text = officials, tokens, settings
role-editor-text = drafts surveys, alerts and announcements
role-approver-text = approves alerts and launches consultations
role-analyst-text = reads results and exports data

## Dashboard
dashboard-title = Dashboard
dashboard-welcome = Hello, { $name }.
dashboard-roles = Your roles:
dashboard-no-roles = no roles — ask an admin to give you one.
dashboard-officials = Create officials' accounts and assign roles.
dashboard-tokens = Access tokens for city systems.
dashboard-audit = Who did what, and when.
dashboard-api = The API reference and a console to try calls.

## Officials
officials-title = Officials
officials-list-caption = Officials' accounts and their roles
officials-roles-of = Roles of { $name }
officials-save-roles = Save roles
status-active = active
status-inactive = deactivated
officials-deactivate = Deactivate
officials-reactivate = Reactivate
officials-add = Add an official
officials-add-button = Add official

## Tokens
tokens-title = API tokens
tokens-created = New token — copy it now, it will not be shown again:
tokens-list-caption = Issued API tokens
tokens-official = Official
tokens-created-at = Created
tokens-expires-at = Expires
tokens-last-used = Last used
tokens-never = never
tokens-revoked = revoked
tokens-revoke = Revoke
tokens-none = No token has been issued yet.
tokens-add = Issue a token
tokens-add-button = Issue token

## Audit log
audit-title = Audit log
audit-caption = Events, newest first
audit-when = When
audit-who = Who
audit-action = What
audit-subject = Concerning
audit-detail = Details
audit-system = system
audit-empty = No events.
audit-older = Older events
audit-action-login = sign-in
audit-action-login_failed = failed sign-in
audit-action-login_throttled = sign-in blocked (too many attempts)
audit-action-logout = log-out
audit-action-official_created = official's account created
audit-action-roles_changed = roles changed
audit-action-official_deactivated = account deactivated
audit-action-official_reactivated = account reactivated
audit-action-token_created = API token issued
audit-action-token_revoked = API token revoked

## Resident panel
channel-email = Email
channel-push = Web push notifications
channel-sms = SMS
code-button = Confirm the code
code-lead = Enter your phone number and the 6-digit code from the text message. The code is valid for 10 minutes.
erase-button = Erase my data
erase-confirm = I understand that erasure cannot be undone.
erase-kept = We keep only the record of your consents with an identification number, without contact details, as the proof the law requires.
erase-lead = We will delete your contact details, profile, push subscriptions and sessions. Messages waiting in the queue will not be sent.
erase-title = Erase my data
erased-text = Your data has been erased. Thank you for taking part in the panel.
erased-title = Data erased
field-age-band = Age band (optional)
field-age-band-hint = Helps check that the panel reflects the city's residents.
field-age-band-none = Prefer not to say
field-age-band-unknown = Choose an age band from the list.
field-choose = Choose…
field-code = Code from the text message
field-code-expired = The code has expired. Ask for a new code.
field-code-format = The code has 6 digits. Type it without spaces.
field-code-hint = 6 digits, e.g. 123456.
field-code-too-many = A wrong code was entered five times. Ask for a new code.
field-code-wrong = The code is wrong. Check the text message and type the code again.
field-consent-email-needs-email = You chose email messages: give an email address or untick email in the consents.
field-consent-required = Tick at least one consent, for example emergency alerts by SMS.
field-consent-sms-needs-phone = You chose text messages: give a mobile number or untick SMS in the consents.
field-consent-unknown = Unknown consent purpose or channel. Choose from the list.
field-contact = Email or phone number
field-contact-invalid = Enter an email address (e.g. ala@example.org) or a mobile number (e.g. 600 100 200).
field-contact-last = This is your only contact. Add another before removing this one.
field-contact-required = Give an email address or a mobile phone number.
field-district-required = Choose the district you live in.
field-district-unknown = There is no such district. Choose a district from the list.
field-erase-confirm = Tick the confirmation to erase your data.
field-home-district = Home district
field-interest-unknown = Unknown topic. Choose topics from the list.
field-interests = Topics you follow
field-language = Language of messages
field-language-unknown = Choose a language: Polish, English or Ukrainian.
field-other-districts = Other districts you care about
field-other-districts-hint = For example where you work or family lives.
field-phone = Mobile phone
field-phone-hint = E.g. 600 100 200; numbers outside Poland with the country code, e.g. +380…
field-phone-invalid = This is not a valid phone number. Enter e.g. 600 100 200 or +380 67 123 4567.
field-push-invalid = The push subscription is incomplete.
field-survey-limit = Enter a number from 0 to 2.
field-survey-limit-hint = At most this many survey invitations a month (0–2).
field-survey-limit-label = Survey invitations per month
interest-city_budget = City budget
interest-culture_events = Culture and events
interest-education = Education
interest-environment_air = Environment and air
interest-housing = Housing
interest-roads_works = Roads and works
interest-safety = Safety
interest-social_services = Social services
interest-transport = Transport
interest-water_utilities = Water and utilities
join-already = Already in the panel? Sign in.
join-button = Join the panel
join-consents-heading = Your consents
join-consents-hint = Each consent is separate and voluntary. Nothing is ticked for you; you can change them at any time.
join-contact-heading = How to reach you
join-contact-hint = Give an email, a mobile number or both.
join-lead = Join Kraków's resident panel: answer surveys and get alerts where you want them.
join-privacy-link = Read the privacy notice
join-profile-heading = About you
join-sent-code-link = I have a code from a text message
join-sent-text = Check your email and phone: we have sent a confirmation link or code.
join-sent-title = Check your email or phone
join-title = Join the panel
me-add-contact = Add an email or phone number
me-add-contact-button = Add and confirm
me-channel = Channel
me-consent-granted = Consent given
me-consent-none = No consent
me-consents-caption = Consents by purpose and channel
me-consents-heading = My consents
me-consents-hint = One click gives or withdraws a consent. Every change is recorded.
me-contact-unverified = not confirmed
me-contact-verified = confirmed
me-contacts-heading = My contact details
me-done-consent = Your consent change is saved.
me-done-contact = If this contact can be added, we have sent it a confirmation message.
me-done-notice = Thank you for reviewing the notice.
me-done-profile = Profile saved.
me-done-removed = Contact removed.
me-export = Download my data
me-grant = Give consent
me-history-at = When
me-history-caption = Every grant and withdrawal, newest first
me-history-change = Change
me-history-granted = given
me-history-heading = Consent history
me-history-method = How
me-history-notice = Notice version
me-history-withdrawn = withdrawn
me-logout = Sign out
me-profile-heading = My profile
me-purpose = Purpose
me-remove = Remove
me-review-button = I have read it
me-review-heading = A new version of the privacy notice
me-review-link = Read the notice
me-review-text = We have published version { $version } of the privacy notice. Please review it and your consents.
me-save = Save profile
me-title = My panel
me-withdraw = Withdraw
method-admin = official on request
method-api = API
method-import = import
method-unsubscribe = one-click unsubscribe
method-web = web form
msg-signin-email = To sign in to the hejnał panel, open this link (valid for 30 minutes): { $link }
    If this was not you, ignore this message.
msg-signin-sms = hejnal: sign-in code { $code } (valid 10 min).
msg-signin-subject = Sign in to the hejnał panel
msg-verify-email = Confirm your address in the hejnał resident panel by opening this link (valid for 48 hours): { $link }
    If this was not you, ignore this message — nothing will be kept.
msg-verify-sms = hejnal: confirmation code { $code } (valid 10 min).
msg-verify-subject = Confirm your email address — hejnał
nav-me = My panel
nav-resident-area = Resident's area
privacy-join-link = Join the panel
privacy-title = Privacy notice
privacy-version = Version { $version }, published { $date }
purpose-emergency_alerts = Emergency alerts
purpose-emergency_alerts-text = Warnings of danger: floods, smog, outages, events that need you to act.
purpose-profile_demographics = Profile demographics
purpose-profile_demographics-text = Consent to use your age band and districts in the panel's statistics.
purpose-service_announcements = City service announcements
purpose-service_announcements-text = Traffic disruption, roadworks, water interruptions, changes to services.
purpose-surveys = Surveys and consultations
purpose-surveys-text = Invitations to city surveys, at most as many a month as you set.
push-action = Action
push-added = Added
push-device = Device
push-devices = My devices
push-devices-caption = Devices that receive notifications
push-enable = Turn on notifications on this device
push-failed = Turning on notifications failed.
push-lead = Web push notifications arrive in your browser, without email or text messages.
push-none = No devices.
push-ready = This browser can receive notifications.
push-service = Push service
push-title = Web push notifications
push-unsupported = This browser does not support web push notifications.
signin-button = Send a link or code
signin-code-title = Enter your sign-in code
signin-expired = Your session has expired. Please sign in again.
signin-join-link = Not in the panel yet? Join it.
signin-lead = No password: we send a link to a confirmed email or a text code to a confirmed number.
signin-sent-email = If this address is in the panel and confirmed, we have sent it a sign-in link.
signin-sent-title = Check your email
signin-title = Resident sign-in
unsubscribe-button = Unsubscribe me
unsubscribe-done-text = Your consent has been withdrawn. You can give it again in your panel.
unsubscribe-done-title = Unsubscribed
unsubscribe-invalid = This unsubscribe link is not valid.
unsubscribe-lead = You will stop receiving these messages on this channel:
unsubscribe-title = Unsubscribe
verified-signin-link = Sign in to your panel
verified-text = Thank you! Your contact is confirmed.
verified-title = Confirmed
verify-code-title = Confirm your phone number
verify-failed-title = The link does not work
verify-link-expired = The link has expired. Ask for a new one by signing in or joining again.
verify-link-unknown = This link is not valid. Check that it was copied in full.
verify-link-used = This link has already been used. Each link works only once.

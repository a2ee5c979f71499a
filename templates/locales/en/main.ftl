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

# Open311 GeoReport v2 (/open311/v2/) and the apps' API keys.

open311-contact = The City Contact Centre of Kraków answers app makers' questions about this API.
open311-key-service = API keys are issued by the city's administrators ({ $url }); ask the City Contact Centre for one.
open311-service-notice = { $unit } handles it, usually within { $days ->
    [one] { $days } working day
   *[other] { $days } working days
}.
open311-value-yes = Yes
open311-value-no = No
open311-datatype-number = A number, e.g. 3 or 2.5.

open311-key-missing = An api_key is required to file a request.
open311-key-unknown = This api_key is not known. Check that it was copied whole.
open311-key-revoked = This api_key has been revoked; ask the city for a new one.
open311-key-name-invalid = Give the app's name, at most 100 characters.
open311-error-id = service_request_id must be report numbers separated by commas.
open311-error-too-many-ids = At most { $max } service_request_id values at once.
open311-error-date = Use a W3C date-time such as 2026-11-05T13:15:30Z or 2026-11-05T14:15:30+01:00, or a date such as 2026-11-05.
open311-error-date-order = end_date is earlier than start_date.
open311-error-date-span = start_date and end_date may be at most { $days } days apart.
open311-error-status = status must be open, closed or both (open,closed).
open311-error-not-found = There is no such request, service or method here.
open311-error-format = Name the format at the end of the path: .json or .xml (e.g. /open311/v2/services.json).
open311-error-too-many = This api_key has made too many requests; try again in { $seconds } s.
open311-error-media-url = media_url is not accepted: photos are never fetched from other servers. Send the request without it.
open311-error-content-type = Send the parameters as application/x-www-form-urlencoded.
open311-error-too-large = The request is too large.
open311-error-internal = Something went wrong on our side; nothing was filed. Try again in a moment.

open311-keys-title = Open311 API keys
open311-keys-intro = Apps that file reports through Open311 (/open311/v2/) send one of these keys as api_key. Each key may make a limited number of requests per minute; revoking a key stops its app at once.
open311-keys-created = New key — copy it now and give it to the app's makers; it will not be shown again:
open311-keys-list-caption = Keys issued
open311-keys-name = App
open311-keys-name-hint = Who the key is for, e.g. the app's name and its maker.
open311-keys-created-at = Issued
open311-keys-last-used = Last used
open311-keys-status = Status
open311-keys-never = never
open311-keys-revoked = revoked
open311-keys-revoke = Revoke
open311-keys-none = No keys issued yet.
open311-keys-add = Issue a key
open311-keys-add-button = Issue the key

audit-action-api_key_created = Open311 API key issued
audit-action-api_key_revoked = Open311 API key revoked

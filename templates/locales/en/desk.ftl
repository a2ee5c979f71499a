# The intervention desk: reporting a problem, and handling reports.

role-dispatcher = Dispatcher
role-dispatcher-text = sees every resident's report at the intervention desk and routes it

nav-reports = Reports
nav-desk-staff = Unit staff

desk-report-title = Report a problem
desk-report-intro = Describe the problem in a few words: we tell you which city unit handles it and how long it usually takes. You can then send the report here.
desk-search-label = What is the problem?
desk-search-hint = For example: fallen tree, pothole, street light out.
desk-search-button = Find who handles it
desk-results-heading = Who handles it
desk-results-none = Nothing in the catalogue matches these words. Try other words, or choose from the list of all problems.
desk-handled-by = Handled by: { $unit }
desk-target-days = { $days ->
    [one] usually within { $days } working day
   *[other] usually within { $days } working days
}
desk-report-this = Report: { $service }
desk-all-services = All problems you can report
desk-other-service = Choose another problem
desk-description-label = Description
desk-description-limit = At most 4000 characters.
desk-coordinates-label = Place (latitude, longitude)
desk-coordinates-hint = Two numbers separated by a comma, for example 50.0614, 19.9366 (you can copy them from a map app).
desk-point-locate = Use my current location
desk-point-locate-failed = Your browser could not give a location; please type it or pick it on the map.
desk-point-map-title = Map for choosing the place
desk-point-map-role = map
desk-point-map-desc = Kraków's districts. Click or tap the place of the problem, or focus the map and move the point with the arrow keys.
desk-point-help = You can also pick the place on the map: click or tap it, or move to the map with the Tab key and use the arrow keys (the point moves about 50 m; with Shift, about 500 m). The coordinates field above shows the chosen place.
desk-point-status = Place chosen: %s
desk-address-label = Address or landmark (optional)
desk-required = (required)
desk-yes = Yes
desk-no = No
desk-photo-label = Photos (optional, up to 3)
desk-photo-hint = JPEG, PNG or WebP, at most 10 MB each. We remove the location and camera details before storing them.
desk-contact-legend = Do you want to hear how it ends?
desk-contact-hint = Your email address or phone number is used only for news about this report.
desk-contact-none = No, I report anonymously
desk-contact-email = Yes, by email
desk-email-label = Email address
desk-contact-phone = Yes, by text message
desk-phone-label = Phone number
desk-public-label = The description and photos may be published once the city approves them
desk-submit = Send the report

desk-filed-title = Report received
desk-filed-text = Thank you. Your report has number { $id }.
desk-filed-duplicate = This report had already been received a moment ago, under number { $id }. It was not filed twice.
desk-filed-contact = We will write to you when its handling changes. (Confirming your address and sending news are not switched on yet.)
desk-filed-another = Report another problem

desk-worklist-title = Residents' reports
desk-worklist-dispatcher = As the dispatcher you see every report.
desk-worklist-units = Reports of your units:
desk-worklist-no-unit = You are not assigned to any unit and are not the dispatcher, so there are no reports for you. An administrator assigns units.
desk-worklist-empty = There are no reports.
desk-col-id = Number
desk-col-service = Problem
desk-col-unit = Unit
desk-col-state = State
desk-col-filed = Received
desk-col-due = Due
desk-overdue = Overdue
desk-state-new = New
desk-state-acknowledged = Acknowledged
desk-state-in_progress = In progress
desk-state-resolved = Resolved
desk-state-rejected = Rejected
desk-state-transferred = Passed to another unit

desk-report-staff-title = Report
desk-report-staff-heading = Report { $id }
desk-photo-link = Photo { $n }
desk-history-heading = History
desk-public-note-label = Note for the resident
desk-public-note-hint = Required when rejecting or passing the report on: the reason.
desk-internal-note-label = Internal note
desk-next-heading = Next step
desk-next-state-label = New state
desk-transfer-unit-label = Pass to unit (only when passing on)
desk-next-button = Save the change

desk-staff-title = Unit staff
desk-staff-intro = Officials assigned to a unit see and handle that unit's reports. The dispatcher role sees every report.
desk-staff-save = Save units of { $name }

desk-error-service-missing = Choose the problem you are reporting.
desk-error-service-unknown = There is no such problem in the catalogue. Choose one from the list.
desk-error-description-missing = Describe the problem.
desk-error-description-long = The description is too long: at most 4000 characters.
desk-error-place-missing = Give the place as latitude and longitude.
desk-error-place-number = The place must be two numbers: latitude and longitude, for example 50.0614, 19.9366.
desk-error-place-outside = This place is outside Kraków. The desk takes reports from the city only.
desk-error-address-long = The address is too long: at most 200 characters.
desk-error-contact-both = Give either an email address or a phone number, not both.
desk-error-account-contact = Choose one of your account's confirmed contacts, or sign in again.
desk-contact-account = By { $value } (from my account; no confirmation needed)
desk-error-email = This email address is not valid.
desk-error-phone = This phone number is not valid.
desk-error-public = "public" must be true or false.
desk-error-attribute-unknown = This problem does not ask this question.
desk-error-attribute-required = Answer this question.
desk-error-attribute-value = This answer does not fit the question (yes/no, a number, or a short text).
desk-error-photo-count = At most { $max } photos.
desk-error-photo-too-big = Photo { $n } is larger than 10 MB.
desk-error-photo-format = Photo { $n } is not a JPEG, PNG or WebP image.
desk-error-photo-pixels = Photo { $n } has too many pixels (at most 50 megapixels).
desk-error-photo-broken = Photo { $n } could not be read. It may be damaged.
desk-error-state-unknown = Unknown state. Use acknowledged, in_progress, resolved, rejected or transferred.
desk-error-note-long = The note is too long: at most { $max } characters.
desk-error-reason-required = Give the reason in the note for the resident.
desk-error-unit-unknown = Choose the unit to pass the report to.
desk-error-unit-same = The report is already with this unit.
desk-refused-other-unit = This report belongs to another unit; you can act only on your units' reports.
desk-refused-transition = The report cannot move to this state from its current state (for example, a resolved report is closed, and an acknowledged one cannot become new again).
desk-refused-moved = Someone changed this report a moment ago. Reload it and decide again.
desk-refused-photo = This photo is not published; only the staff handling the report can see it.

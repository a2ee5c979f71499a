# The admins' catalogue pages: services and units, adding, changing and retiring a service, units per district.

nav-desk-catalogue = Catalogue
desk-catalogue-title = Problem catalogue
desk-catalogue-intro = The problem types residents can report, the unit that handles each and its usual time. Changes apply to new reports at once. A retired problem is no longer offered; its reports stay readable.
desk-catalogue-services-caption = Problem types
desk-catalogue-units-caption = City units
desk-catalogue-code = Code
desk-catalogue-code-hint = Capital letters, digits and hyphens, starting with a letter (for example BENCH-BROKEN). Apps see it; it cannot be changed later.
desk-catalogue-names = Names (Polish, English, Ukrainian)
desk-catalogue-target-days = Target working days
desk-catalogue-target-days-hint = A whole number from 1 to 365 (Monday to Friday).
desk-catalogue-keywords = Search words
desk-catalogue-keywords-hint = Words residents might use, separated by spaces or commas.
desk-catalogue-hint = What to include
desk-catalogue-status = Status
desk-catalogue-active = Offered
desk-catalogue-retired = Retired
desk-catalogue-routes-count = { $count ->
    [one] another unit in { $count } district
   *[other] another unit in { $count } districts
}
desk-catalogue-new-title = Add a problem type
desk-catalogue-edit-title = Change a problem type
desk-catalogue-edit-heading = Change the problem type { $code }
desk-catalogue-saved = Saved. New reports use these settings.
desk-catalogue-retired-notice = This problem type is retired: residents and apps are not offered it.
desk-catalogue-texts-pl = In Polish
desk-catalogue-texts-en = In English
desk-catalogue-texts-uk = In Ukrainian
desk-catalogue-name = Name
desk-catalogue-unit = Responsible unit
desk-catalogue-unit-hint = Handles the reports, except in the districts listed below.
desk-catalogue-type-boolean = Yes or no
desk-catalogue-type-string = Text
desk-catalogue-type-number = Number
desk-catalogue-questions-heading = Extra questions
desk-catalogue-questions-intro = Asked on the report form. Fill in the empty question to add one; tick "Remove" to take one away.
desk-catalogue-question = Question { $n }
desk-catalogue-question-new = New question
desk-catalogue-question-code = Code
desk-catalogue-question-code-hint = Small letters, digits and underscores, starting with a letter (for example road_blocked).
desk-catalogue-question-type = Kind of answer
desk-catalogue-question-required = An answer is required
desk-catalogue-question-label-pl = Question in Polish
desk-catalogue-question-label-en = Question in English
desk-catalogue-question-label-uk = Question in Ukrainian
desk-catalogue-remove-question = Remove this question
desk-catalogue-routes-heading = Another unit in some districts
desk-catalogue-routes-intro = A report filed at a place in one of these districts goes to the unit named here instead of the responsible unit. Fill in the empty row to add one; tick "Remove" to take one away.
desk-catalogue-route = District rule { $n }
desk-catalogue-route-new = New district rule
desk-catalogue-route-district = District
desk-catalogue-route-unit = Unit in this district
desk-catalogue-remove-route = Remove this district rule
desk-catalogue-add-button = Add the problem type
desk-catalogue-save-button = Save changes
desk-catalogue-retire-heading = Retire
desk-catalogue-retire-text = Residents and apps will no longer be offered this problem type. Its reports stay as they are; you can reinstate it later.
desk-catalogue-retire-button = Retire this problem type
desk-catalogue-reinstate-heading = Reinstate
desk-catalogue-reinstate-text = Offer this problem type to residents and apps again.
desk-catalogue-reinstate-button = Reinstate this problem type

desk-catalogue-error-code = Give a code of capital letters, digits and hyphens, starting with a letter, at most { $max } characters.
desk-catalogue-error-code-taken = This code is already in the catalogue (perhaps retired). Choose another one.
desk-catalogue-error-text-missing = { $lang ->
    [pl] Write it in Polish.
    [en] Write it in English.
   *[uk] Write it in Ukrainian.
}
desk-catalogue-error-text-long = At most { $max } characters.
desk-catalogue-error-unit = Choose a unit from the list.
desk-catalogue-error-target-days = Give a whole number of working days from { $min } to { $max }.
desk-catalogue-error-attributes-many = At most { $max } questions.
desk-catalogue-error-attribute-code = Give a code of small letters, digits and underscores, starting with a letter.
desk-catalogue-error-attribute-twice = Another question already has this code.
desk-catalogue-error-attribute-type = Choose the kind of answer: yes or no, text or number.
desk-catalogue-error-route-district = Choose a district from the list.
desk-catalogue-error-route-twice = This district already has a rule.
desk-catalogue-error-active = Say whether to retire or reinstate.
desk-catalogue-refused-not-admin = Only administrators change the catalogue.
desk-error-service-retired = This problem is no longer reported here. Choose another one from the list.

audit-action-desk_service_created = problem type added
audit-action-desk_service_changed = problem type changed
audit-action-desk_service_retired = problem type retired
audit-action-desk_service_reinstated = problem type reinstated

# The desk's public side: the list of reports, a report's public page, publication by a dispatcher, statistics.

desk-public-title = Reported problems
desk-public-intro = Problems residents reported to the city and how each is being handled. Nobody's contact details are shown; a description or photo only once the city has approved it and the resident allowed it.
desk-public-filter-heading = Show only
desk-public-any = any
desk-public-filter-button = Show
desk-public-col-district = District
desk-public-col-place = Place
desk-public-col-note = Latest note from the city
desk-public-col-updated = Last change
desk-public-caption = Reported problems, newest first
desk-public-count = { $total ->
    [one] One report
   *[other] { $total } reports
  }, page { $page } of { $pages }.
desk-public-empty = No report matches these choices.
desk-public-past-end = There is nothing on this page: the last page is { $pages }.
desk-public-pages = Pages of reports
desk-public-prev = Previous page
desk-public-next = Next page
desk-public-map-title = Map of the reports on this page
desk-public-map-desc = { $count ->
    [one] One report is marked on the district map.
   *[other] { $count } reports are marked on the district map.
  } The table lists each of them.
desk-public-map-caption = Each dot is a report from the table below.
desk-public-mark = No. { $id }: { $service } — { $state }
desk-public-report-title = Reported problem
desk-public-report-heading = Reported problem no. { $id }
desk-public-photo-alt = Photo { $n } sent with the report
desk-public-passed = Passed to { $unit }
desk-public-because = , because: { $note }
desk-public-error-service = There is no such problem type. Choose one from the list.
desk-public-error-district = There is no such district. Choose one from the list.
desk-public-error-state = There is no such state. Choose one from the list.
desk-public-error-page = The page must be a whole number from 1.
desk-public-moderation-heading = Publication
desk-public-moderation-hint = The resident allowed publication. Tick what may be shown on the public page: nothing personal (names, phone numbers, car plates, faces) should be visible.
desk-public-moderation-description = Publish the description
desk-public-moderation-photo = Publish photo { $n }
desk-public-moderation-button = Save publication
desk-public-moderation-not-allowed = The resident did not allow publication: the description and photos stay inside.
desk-public-refused-not-dispatcher = Only the dispatcher decides what of a report is published.
desk-public-refused-not-allowed = The resident did not allow publication of this report, so nothing of it can be published.
desk-public-error-photo-unknown = This report has no photo with that number.
audit-action-desk_publication = report publication decided

desk-stats-title = Statistics of reported problems
desk-stats-intro = How many reports each unit and each problem type received and resolved, the median time to resolve, and the share resolved by the due day. The same figures as data:
desk-stats-empty = No report has been received yet.
desk-stats-by-unit = By unit
desk-stats-by-service = By problem type
desk-stats-chart-received = Reports received — { $group }
desk-stats-chart-resolved = Reports resolved — { $group }
desk-stats-chart-median = Median days to resolve — { $group }
desk-stats-chart-ontime = Share resolved on time — { $group }
desk-stats-days = { $days } days
desk-stats-table-caption = The figures, { $group }
desk-stats-col-name = Name
desk-stats-col-received = Received
desk-stats-col-resolved = Resolved
desk-stats-col-median = Median time to resolve
desk-stats-col-ontime = Resolved on time

desk-open-data-heading = Reported problems
desk-open-data-intro = Every problem reported to the city and how it is being handled, without personal data: no contact, no internal notes, the description only when published, places as given. Made from the day's data; licence CC BY 4.0.
desk-open-data-csvw = CSVW metadata

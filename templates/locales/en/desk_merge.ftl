# Merging duplicates and the worklist's filters (desk_merge).

desk-state-merged = Handled together with another report
desk-merge-heading = Merge into another report
desk-merge-hint = When this report describes the same problem as another open report, merge it: this one closes, its reporter and followers follow the other one and are told so once.
desk-merge-into-label = Number of the report to merge into
desk-merge-public-note-label = Note for the residents
desk-merge-internal-note-label = Internal note
desk-merge-button = Merge
desk-merge-refused-not-dispatcher = Only the dispatcher merges reports.
desk-merge-refused-closed = This report is closed, so it cannot be merged.
desk-merge-error-into-number = Give the number of the report to merge into, for example 42.
desk-merge-error-into-self = A report cannot be merged into itself. Give the number of another report.
desk-merge-error-into-unknown = There is no report no. { $id }. Check the number.
desk-merge-error-into-closed = Report no. { $id } is closed: merge only into an open report.
desk-merge-error-into-merged = Report no. { $id } is itself handled together with report no. { $next }: merge into no. { $next } instead.
desk-merged-into = Handled together with report no. { $id }
audit-action-desk_merge = report merged into another
report-msg-subject-merged = Your report no. { $id } is now handled as report no. { $into }
report-msg-merged = Your report no. { $id } describes the same problem as report no. { $into }, so the city handles them together. You will hear about every step of report no. { $into }.
report-msg-merged-sms = Krakow: your report no. { $id } is now handled together with no. { $into }.

desk-worklist-state-open = Open (not closed)
desk-worklist-filter-unit = Unit
desk-worklist-filter-overdue = Overdue only
desk-worklist-sort = Order
desk-worklist-sort-newest = Newest first
desk-worklist-sort-oldest = Oldest first
desk-worklist-sort-due = By due date, soonest first
desk-worklist-error-unit = There is no such unit among those you may see. Choose one from the list.
desk-worklist-error-overdue = Tick the box or leave it empty.
desk-worklist-error-sort = There is no such order. Choose one from the list.

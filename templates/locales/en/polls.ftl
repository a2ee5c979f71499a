# Quick polls.

nav-polls = Polls
dashboard-polls = Quick polls: one question for everyone or for panel members only.
polls-title = Quick polls
polls-intro = One question, a few answers. Results of polls open to everyone show only the views of people who chose to vote.
polls-open = Open polls
polls-none-open = There are no open polls right now.
polls-panel-hint = Some polls are for members of the residents' panel only.
polls-closed = Closed polls
polls-none-closed = No poll has closed yet.
polls-all = All polls
polls-official-title = Polls
polls-official-caption = Polls, newest first
polls-none = There are no polls yet.

poll-title = Poll
poll-official-title = Poll and its results
poll-audience-public = open to everyone
poll-audience-panel = for panel members
poll-audience-public-long = Everyone on the city's website (one vote per browser, limited per network address)
poll-audience-panel-long = Signed-in members of the residents' panel only (one vote each)
poll-state-upcoming = not open yet
poll-state-open = open
poll-state-closed = closed
poll-closes = until { $when }
poll-your-answer = Choose one answer
poll-vote-button = Vote
poll-public-hint = We do not record who voted. Your browser only remembers that a vote was cast from it.
poll-panel-only = This poll is for members of the residents' panel only. Sign in to vote.
poll-sign-in = Sign in to the panel
poll-join = Join the panel
poll-results-heading = Results
poll-sample-public = Please note: this is not a representative survey. The people who voted chose to do so (a self-selected sample), so the results do not tell what all residents think.
poll-sample-panel = Votes of panel members who chose to answer; the results are not weighted.
poll-total = { $count ->
    [one] { $count } vote cast.
   *[other] { $count } votes cast.
}
poll-results-caption = Results: votes and share for each answer
poll-col-option = Answer
poll-col-votes = Votes
poll-col-percent = Share
poll-chart-title = Poll results: { $question }
poll-results-link = { $count ->
    [one] results ({ $count } vote)
   *[other] results ({ $count } votes)
}
poll-voted = Thank you, your vote has been counted.
poll-upcoming = This poll opens on { $when }.
poll-closed = This poll closed on { $when }. Voting has ended.
poll-closed-early = closed early

poll-refused-sign-in = Sign in to the residents' panel to vote in this poll.
poll-refused-not-open = This poll is not open yet. Your vote was not recorded.
poll-refused-closed = This poll has closed. Your vote was not recorded.
poll-refused-invalid = Choose one of the answers.
poll-refused-voted-panel = You have already voted in this poll: your earlier vote was counted and nothing has changed.
poll-refused-voted-browser = A vote from this browser has already been counted. A second vote was not recorded.
poll-refused-too-many = Too many votes in this poll have come from your network. Your vote was not recorded; please try again later.
poll-refused-already-closed = This poll was already closed.

poll-error-option-choose = Choose one answer.
poll-error-option-unknown = This poll has no such answer. Choose one of those given.
poll-error-question-pl = Enter the question in Polish.
poll-error-question-long = The question may have at most 300 characters.
poll-error-option-pl = Enter this answer in Polish (or clear the whole row).
poll-error-option-long = An answer may have at most 200 characters.
poll-error-option-duplicate = This answer is repeated.
poll-error-options-few = Give at least two answers.
poll-error-options-many = Give at most ten answers.
poll-error-audience = Choose who may vote.
poll-error-time = Enter a date and time, e.g. 2026-12-01 12:00.
poll-error-closes-missing = Enter when the poll closes.
poll-error-closes-past = The poll must close in the future.
poll-error-closes-before = The poll must close after it opens.

poll-new-heading = New poll
poll-col-question = Question
poll-col-audience = Who votes
poll-col-state = State
poll-col-opens = Opens
poll-col-closes = Closes
poll-form-question = Question
poll-form-in-pl = In Polish (required)
poll-form-in-en = In English (optional)
poll-form-in-uk = In Ukrainian (optional)
poll-form-options = Answers
poll-form-options-hint = From 2 to 10 answers; empty rows are skipped. Without a translation residents see the Polish text.
poll-form-option = Answer { $n }
poll-form-audience = Who may vote
poll-form-opens = Opens (local time)
poll-form-opens-hint = Leave empty to open the poll at once.
poll-form-closes = Closes (local time)
poll-form-create = Create the poll
poll-author = Author
poll-close-button = Close the poll now
poll-public-link = The poll's page for residents

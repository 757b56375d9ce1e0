"""The research committee's screens: the page (`page`) and its dialogs (`dialogs`). The queue
model they share with social research lives in `ui.pages.committee_queue`, Today's deadline
panel in `ui.pages.deadline_panel`."""

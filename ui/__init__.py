"""The PySide6 window. Screens call services; they never run SQL.

`qt` is the one module that imports Qt; `context` runs use cases on the worker and tells every
screen what changed; `pages/` are the main window's pages, `intake/` the guided intake,
`profile/` a person's file, `registry/` the beneficiary list, `printing/` preview and printing,
`widgets/` what several screens share."""

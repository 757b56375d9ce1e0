"""The PySide6 window. Screens call services; they never run SQL."""

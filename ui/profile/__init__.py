"""A person's file: the profile editor with its household, income, phones and timeline."""

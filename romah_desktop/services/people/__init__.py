"""People's files: registering and editing beneficiaries, their households, the registry list,
a person's timeline, and importing or exporting them as sheets."""

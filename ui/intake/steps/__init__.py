"""The guided intake's seven steps, one module each, in the policy's order (see
`ui.intake.pages.PAGES`)."""

"""Support requests and the research committee: requests from draft to decision, the committee's
workspace (queue, case file, meetings, decisions, print queue), and the two-week deadline."""
